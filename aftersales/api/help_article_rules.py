"""A Help Article's "Solved by Phone" count (`aftersales_solved_by_phone`, KB-1) is the server's:
`help_search.recount` writes it from the orders closed on the phone with the article, and the
search ranks articles by it. The Service Desk Agent and the After-Sales Manager may write
articles (setup/permissions.py), so without this rule they could raise their article's count over
`/api/resource`. Checked like the app's own server-owned fields (aftersales/integrity.py): a save
that sends the stored count (the desk form) passes, any other value is refused."""

from aftersales.integrity import FieldRules, capture, verify

FIELD_RULES = FieldRules(server=("aftersales_solved_by_phone",))


def before_validate(doc, method=None) -> None:
	capture(doc, FIELD_RULES)


def validate(doc, method=None) -> None:
	verify(doc, FIELD_RULES)
