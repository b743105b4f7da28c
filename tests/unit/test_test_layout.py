"""Where the app's integration tests live. Frappe 15's runner (`bench run-tests --app`, what CI runs)
walks the package and imports each test_*.py by its folder; for a file at the package's root it
imports the package itself (`frappe.test_runner._add_test`: the relative path "." gives the module
name `aftersales`), so the file's tests never run. Three did not, until they were moved."""

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "aftersales"


def test_no_test_module_at_the_package_root():
	assert sorted(p.name for p in APP.glob("test_*.py")) == []


def test_every_test_module_is_in_a_package():
	outside = sorted(
		str(p.relative_to(APP)) for p in APP.rglob("test_*.py") if not (p.parent / "__init__.py").exists()
	)
	assert outside == []
