"""Evaluation layer: build the labeled JSONL corpus from the hand-written YAML sources.

Each source record carries its note and gold with span *text*; this script turns span text into
character offsets (``occurrence`` picks the n-th match), checks every record against the
contract's shape, and writes one JSONL file per split. Run::

    python -m evaluation.corpus.build [--check]

``--check`` validates without writing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
SPLITS = ("train", "dev", "test")
GOLD_STATUSES = {"ready", "needs_review", "incomplete", "no_charge"}
ENCOUNTER_KEYS = {
    "id",
    "text",
    "date_of_service",
    "place_of_service",
    "payer",
    "patient_status",
    "billed_em",
    "rendering_provider",
    "prior_authorizations",
}
EXTRA_KEYS = {"split", "category", "tags", "claim", "gold"}


class CorpusBuildError(ValueError):
    """A source record is malformed; the message names the file and the record id."""


def _locate(text: str, needle: str, occurrence: int, where: str) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            raise CorpusBuildError(f"{where}: span text {needle!r} (occurrence {occurrence}) not in note")
    return start, start + len(needle)


def _convert(record: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(record) - ENCOUNTER_KEYS - EXTRA_KEYS
    if unknown:
        raise CorpusBuildError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "text", "split", "gold"):
        if key not in record:
            raise CorpusBuildError(f"{where}: missing {key!r}")
    if record["split"] not in SPLITS:
        raise CorpusBuildError(f"{where}: split must be one of {SPLITS}")
    gold = dict(record["gold"])
    if gold.get("status") not in GOLD_STATUSES:
        raise CorpusBuildError(f"{where}: gold.status must be one of {sorted(GOLD_STATUSES)}")
    for line in gold.get("lines", []):
        if not isinstance(line.get("code"), str):
            raise CorpusBuildError(f"{where}: line code must be a quoted string: {line!r}")
    text = record["text"]
    spans = []
    for span in gold.get("spans", []) or []:
        if "start" in span:
            start, end = int(span["start"]), int(span["end"])
        else:
            start, end = _locate(text, span["text"], int(span.get("occurrence", 1)), where)
        spans.append({"start": start, "end": end, "label": span["label"]})
    gold["spans"] = spans
    out = {k: v for k, v in record.items() if k in ENCOUNTER_KEYS and v is not None}
    out["category"] = record.get("category", "uncategorised")
    out["tags"] = list(record.get("tags", []))
    if record.get("claim") is not None:
        out["claim"] = record["claim"]  # scored as an audit (see reader.GoldEncounter.claim)
    out["gold"] = gold
    return out


def load_sources(src: Path = SRC) -> dict[str, list[dict[str, Any]]]:
    """Read every ``src/*.yaml`` file and return converted records grouped by split.

    Raises:
        CorpusBuildError: On a malformed record or a duplicate id.
    """
    by_split: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    seen: dict[str, str] = {}
    for path in sorted(src.glob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, record in enumerate(records):
            where = f"{path.name} record {i + 1} ({record.get('id', '?')})"
            converted = _convert(record, where)
            if converted["id"] in seen:
                raise CorpusBuildError(f"{where}: duplicate id, first in {seen[converted['id']]}")
            seen[converted["id"]] = path.name
            by_split[record["split"]].append(converted)
    return by_split


def main(argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` only validate) the split files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only")
    args = parser.parse_args(argv)
    try:
        by_split = load_sources()
    except CorpusBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for split, records in by_split.items():
        payload = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:12]
        if not args.check:
            (HERE / f"{split}.jsonl").write_text(payload, encoding="utf-8")
        print(f"{split}: {len(records)} records sha256:{digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
