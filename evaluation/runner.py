"""Evaluation layer: run a coder over a labeled corpus and report how it scores.

This is what ``shotcoder evaluate`` calls. The coder is passed in (the CLI passes
``code_encounter``), so evaluation imports only ``models/``. Only encounter ids, counts and
exception types are logged, never note text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from pydantic import JsonValue, TypeAdapter

from evaluation.corpus import corpus_sha256, read_corpus
from evaluation.matching import WARNING_ONLY
from evaluation.report import CorpusInfo, EvaluationReport, build_report, write_report
from models import AuditRequest, AuditResult, CodingResult, Encounter, ShotcoderError

logger = logging.getLogger(__name__)

Coder = Callable[[Encounter], CodingResult]
"""What is evaluated: one encounter in, one coding result out."""

Auditor = Callable[[AuditRequest], AuditResult]
"""What scores records that carry a submitted claim: the coding result plus the claim's audit."""

_EXTRA = TypeAdapter(dict[str, JsonValue])


def describe_error(exc: BaseException) -> str:
    """Describe a coder exception without its message, which may quote the note (PHI)."""
    if isinstance(exc, ShotcoderError):
        return f"{type(exc).__name__}[{exc.code}]"
    return type(exc).__name__


def run_evaluation(
    corpus_path: str | Path,
    *,
    coder: Coder,
    auditor: Auditor | None = None,
    report_dir: Path | None = None,
    extra: Mapping[str, JsonValue] | None = None,
    warning_severities: Collection[str] = WARNING_ONLY,
    zero_division: float = 0.0,
) -> EvaluationReport:
    """Code every corpus record, score the results and optionally write the report files.

    A coder exception (or a return value that is not a ``CodingResult``) on one record becomes
    an ``error`` entry in the mismatches and counts as a claim and status mismatch; the run
    goes on.

    Args:
        corpus_path: The labeled JSONL corpus.
        coder: The function under test; it receives each record's Encounter only (no gold).
        auditor: Scores the records that carry a ``claim``: it receives the encounter and the
            claim (no gold), and its audit findings count with the coding findings. Without an
            auditor such records are coded like the others.
        report_dir: Where to write ``report.json``, ``report.md`` and the charts; nothing is
            written when ``None``.
        extra: JSON-serialisable values recorded in the report (e.g. the spaCy config).
        warning_severities: Severities counted as warnings for warning recall.
        zero_division: Value of a ratio with a zero denominator.

    Returns:
        The report.

    Raises:
        ShotcoderError: ``corpus_invalid`` if the corpus cannot be read (see
            :func:`~evaluation.corpus.read_corpus`).
        pydantic.ValidationError: If ``extra`` is not JSON-serialisable (checked before any
            record is coded).
    """
    extra_json = _EXTRA.validate_python(dict(extra or {}))
    path = Path(corpus_path)
    records = read_corpus(path)
    results: list[CodingResult | None] = []
    errors: dict[int, str] = {}
    for i, record in enumerate(records):
        try:
            request = record.audit_request() if auditor is not None else None
            result = auditor(request) if request is not None else coder(record.encounter())
            if not isinstance(result, CodingResult):
                raise TypeError(f"coder returned {type(result).__name__}, not CodingResult")
        except Exception as exc:  # one bad record must not end the run; it is reported
            errors[i] = describe_error(exc)
            logger.warning("coder failed on %s: %s", record.encounter_id, errors[i])
            result = None
        results.append(result)
    logger.info("coded %d records, %d coder errors", len(records), len(errors))
    report = build_report(
        records,
        results,
        corpus=CorpusInfo(name=path.name, sha256=corpus_sha256(path), records=len(records)),
        errors=errors,
        extra=extra_json,
        warning_severities=warning_severities,
        zero_division=zero_division,
    )
    if report_dir is not None:
        written = write_report(report, Path(report_dir))
        logger.info("wrote %d report files to %s", len(written), report_dir)
    return report
