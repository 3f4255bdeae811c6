"""Extractor layer: settings and the lexicon entries the pipeline is built from.

The lexicons (drug surface forms, diagnosis phrases) are knowledge-base data; the interface layer
reads them from the knowledge base and passes them in, so the extractor never imports ``rules``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DrugTerm(BaseModel):
    """One way a drug is written in notes, mapped to its canonical name and candidate codes."""

    model_config = ConfigDict(frozen=True)

    term: str
    name: str
    codes: tuple[str, ...] = ()
    drug_class: str = "therapeutic"
    default_unit: str | None = None
    """The drug's billing unit (mg, mcg, units): "Toradol 60 IM" is read as 60 of it."""
    per_ml: float | None = None
    """A strength fixed by the product name ("Kenalog-40" is 40 mg/mL), in ``per_ml_unit``."""
    per_ml_unit: str = "mg"
    routes: tuple[str, ...] = ()
    """The routes the drug is made for (contract route names); empty when not known."""


class DiagnosisTerm(BaseModel):
    """A diagnosis phrase mapped to an ICD-10-CM code."""

    model_config = ConfigDict(frozen=True)

    phrase: str
    code: str


class ExtractorSettings(BaseModel):
    """How the pipeline is built.

    Attributes:
        fuzzy_drugs: Match misspelled drug names (edit-distance guard on words of 6+ letters).
        fuzzy_min_score: Minimum rapidfuzz ratio for a fuzzy drug match.
        frame_max_chars: How far after a drug name its dose, route and site are looked for.
    """

    model_config = ConfigDict(frozen=True)

    fuzzy_drugs: bool = True
    fuzzy_min_score: float = Field(default=88.0, ge=50, le=100)
    frame_max_chars: int = Field(default=320, ge=40, le=2000)
