"""Models layer: the pydantic contract every shotcoder layer speaks.

This package imports nothing from the rest of the project. The JSON form of these models is the
public contract of the CLI, the HTTP API and the evaluation corpus (see ``contract.md``).
"""

from models.audit import AuditFinding, AuditRequest, AuditResult, Claim, ClaimLine
from models.encounter import Encounter, PriorAuthorization, RenderingProvider
from models.errors import ErrorCode, ShotcoderError
from models.extraction import (
    Administration,
    AdministrationStatus,
    Cue,
    DiagnosisMention,
    Dose,
    DoseUnit,
    Drug,
    EmContent,
    Extraction,
    Ndc,
    Route,
    RouteValue,
    Site,
    TextValue,
)
from models.result import (
    CodingResult,
    Diagnosis,
    EmResult,
    EncounterStatus,
    Finding,
    Line,
    LineKind,
    Severity,
    Versions,
)
from models.span import DomainModel, Span, SpanLabel

__all__ = [
    "Administration",
    "AdministrationStatus",
    "AuditFinding",
    "AuditRequest",
    "AuditResult",
    "Claim",
    "ClaimLine",
    "CodingResult",
    "Cue",
    "Diagnosis",
    "DiagnosisMention",
    "DomainModel",
    "Dose",
    "DoseUnit",
    "Drug",
    "EmContent",
    "EmResult",
    "Encounter",
    "EncounterStatus",
    "ErrorCode",
    "Extraction",
    "Finding",
    "Line",
    "LineKind",
    "Ndc",
    "PriorAuthorization",
    "RenderingProvider",
    "Route",
    "RouteValue",
    "Severity",
    "ShotcoderError",
    "Site",
    "Span",
    "SpanLabel",
    "TextValue",
    "Versions",
]
