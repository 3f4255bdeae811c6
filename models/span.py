"""Models layer: ``Span``, the contract's verifiable pointer into the encounter text."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

Offset = Annotated[int, Field(ge=0)]
JsonDecimal = Annotated[
    Decimal,
    PlainSerializer(
        lambda d: int(d) if d == d.to_integral_value() else float(d),
        return_type=float | int,
        when_used="json",
    ),
]


class DomainModel(BaseModel):
    """Base for shared models: immutable and closed to unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SpanLabel(StrEnum):
    """What a span is evidence of."""

    DRUG = "DRUG"
    DOSE = "DOSE"
    VOLUME = "VOLUME"
    CONCENTRATION = "CONCENTRATION"
    ROUTE = "ROUTE"
    SITE = "SITE"
    LOT = "LOT"
    EXPIRATION = "EXPIRATION"
    NDC = "NDC"
    TIME = "TIME"
    ADMINISTERED_BY = "ADMINISTERED_BY"
    ORDER = "ORDER"
    MONITORING = "MONITORING"
    CONSENT = "CONSENT"
    STATUS_CUE = "STATUS_CUE"
    DIAGNOSIS = "DIAGNOSIS"
    EM_HISTORY = "EM_HISTORY"
    EM_EXAM = "EM_EXAM"
    EM_MDM = "EM_MDM"
    EM_TIME = "EM_TIME"
    EM_PATIENT_STATUS = "EM_PATIENT_STATUS"
    EM_PREVENTIVE = "EM_PREVENTIVE"
    EM_PRENATAL = "EM_PRENATAL"
    SETTING = "SETTING"
    PROCEDURE = "PROCEDURE"
    SUPERVISION = "SUPERVISION"
    PRACTITIONER = "PRACTITIONER"
    TEACHING = "TEACHING"
    DEVICE = "DEVICE"
    GUIDANCE = "GUIDANCE"
    SHARED_SYRINGE = "SHARED_SYRINGE"
    SUPPLY = "SUPPLY"
    PATIENT_AGE = "PATIENT_AGE"
    COUNSELING = "COUNSELING"


class Span(DomainModel):
    """Half-open character span ``[start, end)`` in ``Encounter.text``.

    The invariant ``encounter.text[start:end] == text`` is checked against the note by
    :func:`check_spans`; here only the internal consistency of offsets and text is validated.
    """

    start: Offset
    end: Offset
    text: str
    label: SpanLabel

    @model_validator(mode="after")
    def _offsets_match_text(self) -> Self:
        if self.end <= self.start or len(self.text) != self.end - self.start:
            raise ValueError("span offsets and text disagree")
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int, label: SpanLabel) -> Span:
        """Build a span from the source text and offsets, copying the covered text."""
        return cls(start=start, end=end, text=text[start:end], label=label)
