"""Notes of a work order's status log. A note the app writes is stored as its English message with
{0}-placeholders and the values (`note_code`, `note_args`) next to the English text (`note`), so the
desk shows it in each reader's language (service_work_order.js) whoever wrote it, in whatever
language; the messages are in translations/zh.csv. A note a user typed is stored as typed."""

import json


def translatable(text: str) -> str:
	"""An English message translated where it is shown; listed in translations/zh.csv."""
	return text


# the app's notes (kept here so the patch that converts older rows knows them)
FOLLOW_UP_OUTCOME = translatable("Follow-up {0}: {1}")
PORTAL_CONSENT = translatable("Consent given on the service portal by {0}")
DECLINED = translatable("Declined by {0}: {1}")
MESSAGES = (FOLLOW_UP_OUTCOME, PORTAL_CONSENT, DECLINED)


def status_note(message: str, *args) -> dict:
	"""What `doc.flags.status_note` takes for the next status change: an English message (one of
	MESSAGES, or any other listed in zh.csv) and its values."""
	values = ["" if a is None else str(a) for a in args]
	return {"note": message.format(*values), "note_code": message, "note_args": json.dumps(values)}


def log_values(note) -> dict:
	"""The status-log columns for `doc.flags.status_note`: a status_note() or plain text."""
	if isinstance(note, dict):
		return note
	return {"note": note}
