"""docs/security.md carries tables generated from the app's own definitions (role permissions,
lifecycle editors and transitions, FIELD_RULES): they must match the code."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "security_matrix.py"


def load_script():
	spec = importlib.util.spec_from_file_location("security_matrix", SCRIPT)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


def test_security_doc_tables_are_current():
	assert load_script().main(["--check"]) == 0, "run: python3 scripts/security_matrix.py"


def test_field_rules_are_read_from_the_controllers():
	matrix = load_script()
	table = matrix.field_rules_table(matrix.doctypes())
	assert "| Service Work Order | `warranty_status`" in table
	assert "`qc_result`, `qc_remarks`, `qc_type` — Quality Inspector (Quality Check)" in table
	assert "`items`: `book_qty`, `valuation_rate`" in table


def test_a_stale_document_is_detected(tmp_path, monkeypatch):
	matrix = load_script()
	stale = tmp_path / "security.md"
	stale.write_text(f"intro\n\n{matrix.BEGIN}\nold table\n{matrix.END}\n")
	monkeypatch.setattr(matrix, "DOC", stale)
	assert matrix.main(["--check"]) == 1
	assert matrix.main([]) == 0
	assert matrix.main(["--check"]) == 0
	assert "old table" not in stale.read_text()
