"""Regenerate extractor/patterns/words.txt, the known-word list the OCR repair pass checks.

A word is known when it occurs in at least ``--min-count`` MTSamples transcriptions (CC0
sample reports) or is a word of a drug term in ``rules/kb/drug_terms.csv``. The repair pass
only changes a damaged word into a known one, so the list decides what it may produce.

Usage: python scripts/build_wordlist.py MTSAMPLES_CSV [--min-count N]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "extractor" / "patterns" / "words.txt"
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mtsamples", type=Path)
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args(argv)
    csv.field_size_limit(sys.maxsize)
    docs: Counter[str] = Counter()
    with args.mtsamples.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.update({w.lower() for w in WORD.findall(row.get("transcription") or "")})
    words = {w for w, n in docs.items() if n >= args.min_count}
    with (ROOT / "rules" / "kb" / "drug_terms.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words.update(w.lower() for w in WORD.findall(row["term"]))
    digest = hashlib.sha256(args.mtsamples.read_bytes()).hexdigest()
    header = [
        "# Known words for the OCR repair pass (extractor/ocr.py); regenerate with",
        "# scripts/build_wordlist.py. Sources: words in at least "
        f"{args.min_count} MTSamples transcriptions",
        f"# (CC0; mtsamples.csv sha256 {digest[:16]}...) and the words of rules/kb/drug_terms.csv.",
    ]
    OUT.write_text("\n".join(header + sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
