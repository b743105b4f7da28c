"""Photos a customer sends with a portal form (a service request, a return's evidence). They arrive
in the same call as the form (base64 data URLs), are checked to be real images of a sensible size,
lose their EXIF data (a phone photo carries where it was taken) and are stored as private Files
attached to the customer's record: aftersales/privacy.py then serves them only to that record's
readers and to the customer who sent them."""

import base64
import binascii
import io
import json
import re

import frappe
from frappe import _
from frappe.utils.image import strip_exif_data
from PIL import Image, UnidentifiedImageError

from aftersales.portal.access import PortalInputError

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
DATA_URL = re.compile(r"^data:[^;,]*;base64,", re.IGNORECASE)


def parse(photos) -> list[dict]:
	"""[{"name": "front.jpg", "data": "data:image/jpeg;base64,..."}] (a list or its JSON) to checked
	images: [{"file_name", "content"}]. Refuses more than MAX_PHOTOS, files over MAX_BYTES and
	anything that is not a JPEG, PNG or WebP image."""
	if not photos:
		return []
	if isinstance(photos, str):
		try:
			photos = json.loads(photos)
		except ValueError:
			photos = None
	if not isinstance(photos, list):
		throw(_("The photos could not be read."))
	if len(photos) > MAX_PHOTOS:
		throw(_("Send at most {0} photos.").format(MAX_PHOTOS))
	checked = []
	for index, photo in enumerate(photos, start=1):
		if not isinstance(photo, dict) or not isinstance(photo.get("data"), str):
			throw(_("Photo {0} could not be read.").format(index))
		data = DATA_URL.sub("", photo["data"].strip())
		if len(data) > MAX_BYTES * 4 // 3 + 16:
			throw(_("Photo {0} is larger than {1} MB.").format(index, MAX_BYTES // (1024 * 1024)))
		try:
			content = base64.b64decode(data, validate=True)
		except (binascii.Error, ValueError):
			throw(_("Photo {0} could not be read.").format(index))
		if len(content) > MAX_BYTES:
			throw(_("Photo {0} is larger than {1} MB.").format(index, MAX_BYTES // (1024 * 1024)))
		image_format = image_type(content)
		if image_format not in FORMATS:
			throw(_("Photo {0} is not a JPEG, PNG or WebP image.").format(index))
		content_type, extension = FORMATS[image_format]
		checked.append(
			{
				"file_name": f"{safe_stem(photo.get('name'), index)}.{extension}",
				"content": strip_exif_data(content, content_type),
			}
		)
	return checked


def image_type(content: bytes) -> str | None:
	try:
		with Image.open(io.BytesIO(content)) as image:
			image.verify()
			return image.format
	except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
		return None


def safe_stem(name, index: int) -> str:
	stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", str(name or ""))
	stem = re.sub(r"[^\w\-]+", "-", stem, flags=re.UNICODE).strip("-")[:60]
	return stem or f"photo-{index}"


def attach(doc, photos: list[dict], fields: tuple[str, ...] = ()) -> list[str]:
	"""Store checked photos as private Files of `doc`, owned by the customer who sent them; the first
	ones also fill `fields` (the record's image fields) so the desk shows them. Returns the URLs."""
	urls = []
	for index, photo in enumerate(photos):
		fieldname = fields[index] if index < len(fields) else None
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": photo["file_name"],
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"attached_to_field": fieldname,
				"is_private": 1,
				"content": photo["content"],
			}
		)
		file.flags.ignore_permissions = True  # the caller checked that the record is the customer's
		file.insert()
		urls.append(file.file_url)
	values = {field: url for field, url in zip(fields, urls, strict=False)}
	if values:
		# the record's own image fields, written by the portal itself (no customer value reaches them)
		doc.db_set(values, update_modified=False)
	return urls


def throw(message: str):
	frappe.throw(message, exc=PortalInputError, title=_("Photos"))
