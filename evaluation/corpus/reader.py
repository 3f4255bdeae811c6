"""Evaluation layer: the labeled corpus (Encounter fields plus ``gold``) read into models.

One JSONL line is one :class:`GoldEncounter`: the contract's Encounter fields, the optional
``category`` and ``tags`` the corpus build adds, the ``gold`` labels and, as our extension of the
contract's format, an optional ``claim`` (the audit request's claim): a record with a claim is
scored as an audit, so the rules that only exist for a submitted claim (DRUG-01/06/07, EM-04)
can be labeled like any other. :func:`read_corpus`
stops at the first invalid line and names it; its messages never quote note text.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from models import (
    AdministrationStatus,
    AuditRequest,
    Claim,
    DomainModel,
    DoseUnit,
    Encounter,
    EncounterStatus,
    ErrorCode,
    Route,
    ShotcoderError,
    SpanLabel,
)
from models.result import RuleId

ENCOUNTER_FIELDS = frozenset(Encounter.model_fields)
"""Keys of a corpus record that belong to the Encounter handed to the coder."""

DEFAULT_CATEGORY = "uncategorised"
"""Category of records that carry none (the corpus build uses the same default)."""

NonEmptyStr = Annotated[str, Field(min_length=1)]


class GoldDose(DomainModel):
    """The gold dose: amount in a billing unit (``2 mL of 30 mg/mL`` is ``60 mg``)."""

    value: Decimal = Field(gt=0)
    unit: DoseUnit


class GoldSite(DomainModel):
    """The gold site; laterality is null when only the location is documented."""

    laterality: Literal["left", "right", "bilateral"] | None = None
    location: NonEmptyStr | None = None


class GoldAdministration(DomainModel):
    """One administration event the note documents, given or not."""

    drug: NonEmptyStr
    dose: GoldDose | None = None
    route: Route | None = None
    site: GoldSite | None = None
    status: AdministrationStatus


class GoldLine(DomainModel):
    """One line the professional claim should carry; ``units`` null when not determinable."""

    code: NonEmptyStr
    modifiers: tuple[str, ...] = ()
    units: int | None = Field(default=1, ge=1)
    dx: tuple[str, ...] = ()


class GoldSpan(DomainModel):
    """A gold evidence span: half-open character offsets into the note, and its label."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: SpanLabel

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("span end must be greater than start")
        return self


class Gold(DomainModel):
    """The labels of one encounter.

    ``findings``, ``warnings`` and ``spans`` are optional: ``None`` means "not labelled" and the
    record is left out of the metrics that need them.
    """

    status: EncounterStatus
    administrations: tuple[GoldAdministration, ...]
    lines: tuple[GoldLine, ...]
    diagnoses: tuple[NonEmptyStr, ...]
    findings: tuple[RuleId, ...] | None = None
    warnings: tuple[RuleId, ...] | None = None
    spans: tuple[GoldSpan, ...] | None = None


class GoldEncounter(Encounter):
    """A corpus record: an :class:`~models.Encounter` plus category, rule tags and gold labels.

    Pass :meth:`encounter` to a coder, never the record itself, so the coder cannot see gold.
    """

    category: NonEmptyStr = DEFAULT_CATEGORY
    tags: tuple[NonEmptyStr, ...] = ()
    claim: Claim | None = None
    gold: Gold

    @field_validator("gold")
    @classmethod
    def _spans_inside_text(cls, gold: Gold, info: ValidationInfo) -> Gold:
        text = info.data.get("text")  # absent when the text itself failed validation
        for i, span in enumerate(gold.spans or ()):
            if text is not None and span.end > len(text):
                raise ValueError(
                    f"spans.{i}: end {span.end} is past the end of the text "
                    f"({len(text)} characters)"
                )
        return gold

    def encounter(self) -> Encounter:
        """Return the Encounter part of the record (no category, tags or gold)."""
        return Encounter.model_validate(self.model_dump(include=set(ENCOUNTER_FIELDS)))

    def audit_request(self) -> AuditRequest | None:
        """Return the audit request (encounter and submitted claim), or ``None`` without a claim."""
        if self.claim is None:
            return None
        return AuditRequest(encounter=self.encounter(), claim=self.claim)


def corpus_sha256(path: str | Path) -> str:
    """Return the hex SHA-256 of the corpus file's bytes (the dataset checksum in reports)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _fail(path: Path, line_no: int, problem: str) -> ShotcoderError:
    return ShotcoderError(
        ErrorCode.CORPUS_INVALID,
        f"{path.name} line {line_no}: {problem}",
        path=str(path),
        line=line_no,
    )


def _describe(exc: ValidationError) -> str:
    """Summarise a validation error by location and message, never by input value (PHI)."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    problem = "; ".join(parts)
    locs = [err["loc"] for err in exc.errors()]
    if locs and all(loc and loc[0] == "gold" for loc in locs):
        return f"bad gold: {problem}"
    return problem


def parse_record(raw: Any) -> GoldEncounter:
    """Validate one decoded JSON value as a corpus record.

    Args:
        raw: The decoded JSON value of one line.

    Returns:
        The validated record.

    Raises:
        ValueError: With a PHI-free description of what is wrong.
    """
    if not isinstance(raw, dict):
        raise ValueError(f"expected a JSON object, got {type(raw).__name__}")
    for key in ("text", "gold"):
        if key not in raw:
            raise ValueError(f"missing {key!r}")
    try:
        return GoldEncounter.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(_describe(exc)) from None


def read_corpus(path: str | Path) -> list[GoldEncounter]:
    """Read a labeled JSONL corpus, failing on the first invalid line.

    Blank lines are skipped. Record ids must be unique (records without an id get one derived
    from their text, so two records with the same note and no id collide too).

    Args:
        path: The JSONL file.

    Returns:
        The records in file order.

    Raises:
        ShotcoderError: ``corpus_invalid`` naming the file, the 1-based line number and what is
            wrong (unreadable file, bad UTF-8, bad JSON, missing text or gold, bad gold,
            duplicate id, no records). Messages never quote note text.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ShotcoderError(
            ErrorCode.CORPUS_INVALID, f"cannot read {path.name}: {exc.strerror}", path=str(path)
        ) from None
    records: list[GoldEncounter] = []
    first_line: dict[str, int] = {}
    for line_no, raw_line in enumerate(data.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(path, line_no, f"not valid UTF-8 (byte {exc.start})") from None
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, line_no, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
        try:
            record = parse_record(raw)
        except ValueError as exc:
            raise _fail(path, line_no, str(exc)) from None
        rid = record.encounter_id
        if rid in first_line:
            raise _fail(path, line_no, f"duplicate id {rid!r} (first on line {first_line[rid]})")
        first_line[rid] = line_no
        records.append(record)
    if not records:
        raise ShotcoderError(ErrorCode.CORPUS_INVALID, f"{path.name}: no records", path=str(path))
    return records
