"""Models layer: what the extractor found in a note, each value with its evidence span.

The extractor produces an :class:`Extraction`; the rules layer reasons only over it and the
encounter metadata. Field names follow the contract's ``administrations`` block.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from models.span import DomainModel, JsonDecimal, Span


class Route(StrEnum):
    """Administration routes (contract vocabulary)."""

    IM = "IM"
    SC = "SC"
    IV_PUSH = "IV_PUSH"
    IV_INFUSION = "IV_INFUSION"
    INTRA_ARTICULAR = "INTRA_ARTICULAR"
    INTRA_ARTERIAL = "INTRA_ARTERIAL"
    INTRADERMAL = "INTRADERMAL"
    INTRANASAL = "INTRANASAL"
    ORAL = "ORAL"
    OTHER = "OTHER"


class DoseUnit(StrEnum):
    """Units a dose is expressed in (contract vocabulary)."""

    MG = "mg"
    MCG = "mcg"
    G = "g"
    ML = "mL"
    UNITS = "units"
    MEQ = "mEq"


class AdministrationStatus(StrEnum):
    """Whether the substance was given in this encounter."""

    GIVEN = "given"
    NOT_GIVEN = "not_given"
    HISTORICAL = "historical"
    PLANNED = "planned"
    ORDERED = "ordered"
    DISCONTINUED = "discontinued"


class Drug(DomainModel):
    """The substance: canonical generic name from the knowledge base and candidate codes."""

    name: str
    hcpcs: tuple[str, ...] = ()
    drug_class: str | None = None
    evidence: Span


class Dose(DomainModel):
    """The amount given, in a billing unit when the note allows it.

    ``volume_evidence``/``concentration_evidence`` are set when the amount was computed from a
    volume and a documented concentration ("2 mL of 30 mg/mL" is 60 mg).
    """

    value: JsonDecimal = Field(gt=0)
    unit: DoseUnit
    evidence: Span
    volume_evidence: Span | None = None
    concentration_evidence: Span | None = None


class RouteValue(DomainModel):
    """The route, with any conflicting routes the note also states (DOC-17)."""

    value: Route
    evidence: Span
    conflicts: tuple[Route, ...] = ()
    conflict_evidence: tuple[Span, ...] = ()


class Site(DomainModel):
    """Anatomic site: laterality and location vocabularies of the contract; ``joint`` for joints."""

    laterality: str | None = None
    location: str | None = None
    joint: str | None = None
    joint_size: str | None = Field(default=None, pattern=r"^(small|intermediate|major)$")
    evidence: Span


class TextValue(DomainModel):
    """A documented free-text value (lot, expiration, time)."""

    value: str
    evidence: Span


class Ndc(DomainModel):
    """A National Drug Code as written and, when its shape allows, normalised to 5-4-2."""

    value: str
    normalized: str | None = None
    evidence: Span


class Cue(DomainModel):
    """A documented element identified by a keyword (who, order, monitoring, consent)."""

    kind: str | None = None
    credential: str | None = None
    count: int | None = None
    """A number the cue documents ("3 muscles", "four lesions")."""
    evidence: Span


class Administration(DomainModel):
    """One substance given by one route at one site: the unit the rules reason about."""

    id: str
    status: AdministrationStatus
    status_evidence: Span | None = None
    drug: Drug
    dose: Dose | None = None
    route: RouteValue | None = None
    site: Site | None = None
    lot: TextValue | None = None
    expiration: TextValue | None = None
    ndc: Ndc | None = None
    time: TextValue | None = None
    administered_by: Cue | None = None
    order: Cue | None = None
    monitoring: Cue | None = None
    consent: Cue | None = None
    device: Cue | None = None
    guidance: Cue | None = None
    procedure: Cue | None = None
    repeat: Cue | None = None
    practitioner: TextValue | None = None
    """The physician or qualified practitioner the note names for this dose ("given by Dr.
    Patel", a block headed "15:10 Priya Menon, MD"): a same-day repeat by another practitioner
    is reported with 77, not 76."""
    shared_syringe: Cue | None = None
    """Given in the same syringe as the drug named before it ("drawn up together in one
    syringe and given as a single IM injection"): one injection, so one 96372 for both."""
    supplied_by_patient: Cue | None = None
    """The patient supplied the drug ("PATIENT SUPPLIED", "pt brought her own Prolia"; kind
    ``patient_supplied``) or it came free from a manufacturer's sample supply (kind
    ``manufacturer_sample``): the practice bills the administration, not the drug it did not
    buy."""


class DiagnosisMention(DomainModel):
    """A diagnosis the note documents: an explicit code, or a phrase mapped to a code."""

    code: str
    source: str = Field(pattern=r"^(explicit|mapped)$")
    evidence: Span


class EmContent(DomainModel):
    """Evaluation and management content found in the note."""

    history: tuple[Span, ...] = ()
    exam: tuple[Span, ...] = ()
    mdm: tuple[Span, ...] = ()
    time_minutes: int | None = None
    time_evidence: Span | None = None
    patient_status: str | None = None
    patient_status_evidence: Span | None = None
    preventive: Span | None = None
    practitioner: tuple[Span, ...] = ()
    supervision: tuple[Span, ...] = ()
    supervision_denied: tuple[Span, ...] = ()
    """The note says no practitioner is on site ("No provider in clinic today (Saturday
    clinic)"): a practitioner named elsewhere in the note (the order's signer) is not there."""
    teaching: tuple[Span, ...] = ()
    no_em: tuple[Span, ...] = ()
    prenatal: tuple[Span, ...] = ()
    """A routine prenatal visit: the fetal check ("FHT 148", "FH 28 cm") of a prenatal or
    global-OB visit ("Prenatal visit", "28 wk visit", "GTT today"). Its E/M is in the global
    obstetric package unless a problem visit is billed."""
    diagnosis_statements: tuple[Span, ...] = ()


class Extraction(DomainModel):
    """Everything the extractor found in one note."""

    administrations: tuple[Administration, ...] = ()
    diagnoses: tuple[DiagnosisMention, ...] = ()
    em: EmContent = EmContent()
    setting: tuple[Cue, ...] = ()
    procedures: tuple[Cue, ...] = ()
    patient_age_years: int | None = Field(default=None, ge=0, le=130)
    """The patient's age in whole years (an infant in months or weeks is 0)."""
    patient_age_evidence: Span | None = None
    vaccine_counseling: tuple[Span, ...] = ()
    """A physician or other qualified professional counselling about the vaccines (CODE-02)."""
