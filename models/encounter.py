"""Models layer: ``Encounter``, the input contract (a note plus optional claim-feed metadata)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from models.span import DomainModel

MAX_TEXT_CHARS = 200_000
"""Longest note accepted (about 60 pages); longer input is rejected with ``text_too_long``."""

PosCode = Annotated[str, Field(pattern=r"^\d{2}$", description="2-digit CMS place-of-service code")]
ProcedureCode = Annotated[
    str, Field(pattern=r"^[0-9A-Z]\d{3}[0-9A-Z]$", description="CPT/HCPCS code")
]


class RenderingProvider(DomainModel):
    """Who renders the service on the claim (metadata, not extracted from the note)."""

    credential: str | None = Field(default=None, max_length=40)
    npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    supervising_npi: str | None = Field(default=None, pattern=r"^\d{10}$")


class PriorAuthorization(DomainModel):
    """An authorisation on file: the HCPCS/CPT code it covers."""

    code: ProcedureCode
    number: str | None = Field(default=None, max_length=60)


class Encounter(DomainModel):
    """One encounter to code: the note (required) and what a claim feed would carry.

    Unknown metadata stays ``None``; the rules say what they could not decide instead of
    guessing.
    """

    id: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    date_of_service: date | None = None
    place_of_service: PosCode | None = None
    payer: str | None = Field(default=None, min_length=1, max_length=60)
    patient_status: Literal["new", "established"] | None = None
    billed_em: ProcedureCode | None = None
    rendering_provider: RenderingProvider | None = None
    prior_authorizations: tuple[PriorAuthorization, ...] = ()

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is blank")
        return v

    @field_validator("payer")
    @classmethod
    def _payer_lower(cls, v: str | None) -> str | None:
        return v.strip().lower() if v is not None else None

    @model_validator(mode="after")
    def _default_id(self) -> Encounter:
        if self.id is None:
            digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            object.__setattr__(self, "id", f"enc-{digest}")
        return self

    @property
    def encounter_id(self) -> str:
        """The id, always set (derived from a text digest when the feed gave none)."""
        return self.id or ""
