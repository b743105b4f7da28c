from . import translations


def test_every_user_string_has_a_chinese_translation():
	table = translations.load_csv("zh")
	missing = sorted(s for s in translations.app_strings() if not table.get(s, "").strip())
	assert missing == [], "add these to aftersales/translations/zh.csv:\n" + "\n".join(missing)


def test_placeholders_survive_translation():
	import re

	for source, target in translations.load_csv("zh").items():
		assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", target)), source


def test_extractor_finds_python_js_and_doctype_strings(tmp_path):
	py = tmp_path / "x.py"
	py.write_text('from frappe import _\n_("Hello {0}").format(1)\nWarrantyInputError("Bad date")\n')
	js = tmp_path / "x.js"
	js.write_text('frm.add_custom_button(__("Open Help Article"));\n__(`Quoted "x"`);')
	assert translations.python_strings(py) == {"Hello {0}", "Bad date"}
	assert translations.js_strings(js) == {"Open Help Article", 'Quoted "x"'}
	doc = {
		"name": "Sample",
		"fields": [{"fieldname": "s", "fieldtype": "Select", "label": "Kind", "options": "A\nB"}],
	}
	assert translations.doctype_strings(doc) == {"Sample", "Kind", "A", "B"}


def test_glossary_terms():
	"""docs/zh-glossary.md: ERPNext's words, and no app meaning forced on a word Frappe or ERPNext
	use in another sense (app translations apply site-wide)."""
	table = translations.load_csv("zh")
	contexts = translations.load_contexts("zh")
	assert table["Item Name"] == "物料名称"
	assert table["Difference"] == "差异"
	assert table["Model"] == "型号"
	assert table["Journal Entry"] == "手工凭证"
	for word in (
		"Share",
		"Post",
		"Code",
		"Order",
		"Orders",
		"Line",
		"Condition",
		"Weight",
		"Scrap Warehouse",
	):
		assert "" not in contexts[word], f"{word!r} has a context-free row: give its DocType as the context"
	for source, target in table.items():
		if "Item" in source.split() and "Item Group" not in source and "Line Item" not in source:
			assert "项目" not in target, f"{source!r}: Item is 物料 in ERPNext, 项目 is Project"
		assert "库存凭证" not in target and "日记账凭证" not in target, source


def test_default_self_check_items_are_translated():
	"""The settings' default self-check items are copied into each order in English and shown in
	the reader's language by the work order form."""
	import json

	settings = (
		translations.APP / "aftersales" / "doctype" / "after_sales_settings" / "after_sales_settings.json"
	)
	fields = {f["fieldname"]: f for f in json.loads(settings.read_text())["fields"]}
	table = translations.load_csv("zh")
	for line in fields["default_self_checks"]["default"].splitlines():
		assert table.get(line.strip()), line
