"""Models layer: auditing a biller's claim against the note (AuditRequest / AuditResult)."""

from __future__ import annotations

from pydantic import Field

from models.encounter import Encounter, PosCode
from models.result import CodingResult, RuleId, Severity
from models.span import DomainModel, Span


class ClaimLine(DomainModel):
    """A submitted claim line."""

    code: str = Field(min_length=1, max_length=8)
    modifiers: tuple[str, ...] = ()
    units: int = Field(default=1, ge=1, le=100_000)
    dx: tuple[str, ...] = ()
    ndc: str | None = Field(default=None, max_length=20)


class Claim(DomainModel):
    """The claim a biller intends to send."""

    place_of_service: PosCode | None = None
    lines: tuple[ClaimLine, ...] = Field(default=(), max_length=200)


class AuditRequest(DomainModel):
    """An encounter and the claim to check against its note."""

    encounter: Encounter
    claim: Claim


class AuditFinding(DomainModel):
    """One difference between the submitted claim and what the note supports."""

    rule_id: RuleId
    severity: Severity
    message: str
    carc: str | None = None
    line_index: int | None = None
    submitted: ClaimLine | None = None
    corrected: ClaimLine | None = None
    evidence: tuple[Span, ...] = ()


class AuditResult(CodingResult):
    """The coding result derived from the note plus the audit of the submitted claim."""

    audit: tuple[AuditFinding, ...] = ()
