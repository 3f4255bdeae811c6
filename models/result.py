"""Models layer: the coding result contract: lines, findings, diagnoses, E/M, versions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from models.extraction import Administration
from models.span import DomainModel, Span

RuleId = Annotated[str, Field(pattern=r"^(CODE|POS|EM|DRUG|MOD|DX|DOC|PAY|AUD)-\d{2}$")]


class LineKind(StrEnum):
    """What a claim line bills."""

    EM = "em"
    ADMINISTRATION = "administration"
    DRUG = "drug"
    VACCINE_ADMIN = "vaccine_administration"
    VACCINE_PRODUCT = "vaccine_product"
    PROCEDURE = "procedure"


class Severity(StrEnum):
    """Finding severity (rule catalog vocabulary)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class EncounterStatus(StrEnum):
    """Claim readiness of an encounter (rules catalog section 7)."""

    READY = "ready"
    NEEDS_REVIEW = "needs_review"
    INCOMPLETE = "incomplete"
    NO_CHARGE = "no_charge"


class Line(DomainModel):
    """One suggested claim line with the rules and evidence behind it."""

    code: str
    kind: LineKind
    modifiers: tuple[str, ...] = ()
    units: int | None = Field(default=1, ge=1)
    dx: tuple[str, ...] = ()
    rule_ids: tuple[RuleId, ...] = Field(min_length=1)
    needs_review: bool = False
    administration_id: str | None = None
    ndc: str | None = None
    note: str | None = None
    evidence: tuple[Span, ...] = ()


class Finding(DomainModel):
    """A documentation gap, denial risk or coder note, naming the rule that raised it."""

    rule_id: RuleId
    severity: Severity
    message: str
    carc: str | None = None
    administration_id: str | None = None
    evidence: tuple[Span, ...] = ()


class Diagnosis(DomainModel):
    """A diagnosis on the result, validated against the ICD-10-CM release in force."""

    code: str
    description: str | None = None
    source: str
    valid: bool = True
    evidence: Span


class EmResult(DomainModel):
    """The E/M decision: whether a separately identifiable E/M is documented and its level."""

    documented: bool
    significant: bool
    patient_status: str | None = None
    preventive: bool = False
    level: str | None = None
    level_source: str | None = None
    time_minutes: int | None = None
    elements: dict[str, tuple[Span, ...]] = Field(default_factory=dict)


class Versions(DomainModel):
    """Versions of the code, the rules and every data table behind a result."""

    shotcoder: str
    rules: str
    hcpcs: str
    icd10cm: str
    ncci: str
    kb: str | None = None


class CodingResult(DomainModel):
    """What shotcoder suggests for one encounter, with evidence for the coder."""

    id: str
    status: EncounterStatus
    place_of_service: str | None = None
    place_of_service_source: str | None = None
    payer: str | None = None
    lines: tuple[Line, ...] = ()
    administrations: tuple[Administration, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    em: EmResult | None = None
    findings: tuple[Finding, ...] = ()
    versions: Versions
