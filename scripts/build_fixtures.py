"""Write aftersales/fixtures/*.json from the lifecycle rules in aftersales/domain (pure Python, no
bench needed). Run after changing a workflow rule; tests/unit/test_work_order_flow.py fails while
the files and the rules differ.

	python3 scripts/build_fixtures.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aftersales.domain import flows


def main() -> None:
	for name, records in flows.fixture_records().items():
		path = ROOT / "aftersales" / "fixtures" / f"{name}.json"
		path.write_text(json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
		print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
	main()
