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
