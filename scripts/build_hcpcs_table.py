"""Regenerate rules/kb/hcpcs.csv from a CMS HCPCS Level II file (see rules/hcpcs_table.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rules.hcpcs_table import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
