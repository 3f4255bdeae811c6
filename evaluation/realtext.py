"""Evaluation layer: run real transcribed notes (e.g. MTSamples) through the coder for review.

Reports how many distinct reports get a given administration, a 96372 line or a drug line, and
lists each hit with its lines and evidence so a reviewer can judge it. MTSamples is public
(CC0), so evidence text is written; do not point this at PHI without removing ``--evidence``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import AdministrationStatus, CodingResult, Encounter, LineKind


@dataclass
class RealTextSummary:
    """Counts over the reports processed."""

    processed: int = 0
    duplicates_skipped: int = 0
    with_given_administration: int = 0
    with_96372: int = 0
    with_drug_line: int = 0
    errors: int = 0
    hits: list[dict[str, Any]] = field(default_factory=list)


def read_reports(path: Path, column: str = "transcription") -> Iterator[tuple[str, str, str]]:
    """Yield ``(row id, specialty, text)`` for each non-empty report in a CSV."""
    csv.field_size_limit(50_000_000)
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            text = (row.get(column) or "").strip()
            if text:
                ident = row.get("") or row.get("note_id") or str(i)
                yield str(ident), row.get("medical_specialty", "").strip(), text


def scan(
    path: Path, *, coder: Callable[[Encounter], CodingResult], column: str = "transcription",
    evidence: bool = True,
) -> RealTextSummary:
    """Code every distinct report and collect the ones with an administration or drug line."""
    summary = RealTextSummary()
    seen: set[str] = set()
    for ident, specialty, text in read_reports(path, column):
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            summary.duplicates_skipped += 1
            continue
        seen.add(digest)
        summary.processed += 1
        try:
            result = coder(Encounter(id=f"row-{ident}", text=text))
        except Exception:  # noqa: BLE001  a real note must never stop the scan
            summary.errors += 1
            continue
        given = [a for a in result.administrations if a.status is AdministrationStatus.GIVEN]
        has_96372 = any(line.code == "96372" for line in result.lines)
        has_drug = any(line.kind is LineKind.DRUG for line in result.lines)
        summary.with_given_administration += bool(given)
        summary.with_96372 += has_96372
        summary.with_drug_line += has_drug
        if has_96372 or has_drug:
            hit: dict[str, Any] = {
                "id": result.id, "specialty": specialty, "status": result.status.value,
                "lines": [f"{ln.code}{'-' + '-'.join(ln.modifiers) if ln.modifiers else ''}"
                          f" x{ln.units}" for ln in result.lines],
            }
            if evidence:
                hit["administrations"] = [
                    {"drug": a.drug.name, "status": a.status.value,
                     "evidence": [s.text for s in (a.drug.evidence,
                                                   a.dose.evidence if a.dose else None,
                                                   a.route.evidence if a.route else None,
                                                   a.site.evidence if a.site else None) if s],
                     "context": text[max(0, a.drug.evidence.start - 150):
                                     a.drug.evidence.end + 150]}
                    for a in given
                ]
            summary.hits.append(hit)
    return summary


def write_summary(summary: RealTextSummary, out_dir: Path) -> None:
    """Write ``realtext.json`` and a Markdown listing for review."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = dict(summary.__dict__)
    (out_dir / "realtext.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    lines = [
        "# Real-text scan", "",
        f"- reports processed: {summary.processed} (duplicates skipped "
        f"{summary.duplicates_skipped}, errors {summary.errors})",
        f"- with a given administration: {summary.with_given_administration}",
        f"- with a 96372 line: {summary.with_96372}",
        f"- with a drug line: {summary.with_drug_line}", "",
    ]
    for hit in summary.hits:
        lines.append(f"## {hit['id']} ({hit['specialty']}) {hit['status']}: "
                     f"{', '.join(hit['lines'])}")
        for adm in hit.get("administrations", []):
            lines.append(f"- {adm['drug']} [{adm['status']}] evidence: {adm['evidence']}")
            lines.append(f"  > {adm['context'].replace(chr(10), ' ')}")
        lines.append("")
    (out_dir / "realtext.md").write_text("\n".join(lines), encoding="utf-8")
