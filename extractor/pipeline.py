"""Extractor layer: ``build_pipeline`` fixes the component order; ``Extractor`` runs it.

Order: tokenizer (blank English) → ``shotcoder_sentencizer`` → ``shotcoder_sectionizer`` →
``shotcoder_drug_matcher`` → ``shotcoder_dose_parser`` → ``shotcoder_route_site`` →
``shotcoder_admin_details`` → ``shotcoder_em_elements`` → medspaCy ``medspacy_context`` (project
status rules over the ``shotcoder_drug`` span group).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date
from importlib import resources

import spacy
from spacy.language import Language

# Importing the component modules registers their factories (entry points do the same once
# the distribution is installed).
from extractor.adapters import doc_to_extraction
from extractor.components import (  # noqa: F401
    admin_details,
    dose_parser,
    drug_matcher,
    em_elements,
    route_site,
    sections,
    sentences,
)
from extractor.extensions import register_extensions
from extractor.ocr import repair
from extractor.settings import DiagnosisTerm, DrugTerm, ExtractorSettings
from models import Extraction

log = logging.getLogger(__name__)

PIPE_NAMES = (
    "shotcoder_sentencizer",
    "shotcoder_sectionizer",
    "shotcoder_drug_matcher",
    "shotcoder_dose_parser",
    "shotcoder_route_site",
    "shotcoder_admin_details",
    "shotcoder_em_elements",
    "medspacy_context",
)


def _context_rules() -> list[object]:
    from medspacy.context import ConTextRule

    raw = json.loads(
        resources.files("extractor.patterns").joinpath("context_rules.json").read_text("utf-8")
    )
    return [
        ConTextRule(
            literal=r["literal"],
            category=r["category"],
            direction=r["direction"],
            max_scope=r.get("max_scope"),
            pattern=r.get("pattern"),
        )
        for r in raw["rules"]
    ]


def build_pipeline(
    settings: ExtractorSettings,
    drug_terms: Sequence[DrugTerm],
    dx_terms: Sequence[DiagnosisTerm] = (),
) -> Language:
    """Assemble the spaCy pipeline.

    Args:
        settings: Extractor settings.
        drug_terms: The drug lexicon (from the knowledge base).
        dx_terms: Diagnosis phrases (from the knowledge base).

    Returns:
        A ``Language`` whose ``pipe_names`` equal :data:`PIPE_NAMES`.
    """
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("shotcoder_sentencizer")
    nlp.add_pipe("shotcoder_sectionizer")
    nlp.add_pipe(
        "shotcoder_drug_matcher",
        config={
            "terms": [t.model_dump(mode="json") for t in drug_terms],
            "fuzzy": settings.fuzzy_drugs,
            "fuzzy_min_score": settings.fuzzy_min_score,
        },
    )
    nlp.add_pipe("shotcoder_dose_parser")
    nlp.add_pipe("shotcoder_route_site")
    nlp.add_pipe("shotcoder_admin_details")
    nlp.add_pipe(
        "shotcoder_em_elements",
        config={"dx_terms": [t.model_dump(mode="json") for t in dx_terms]},
    )
    import medspacy  # noqa: F401  (registers medspacy_context)

    context = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": "shotcoder_drug"},
    )
    context.add(_context_rules())
    log.info("pipeline built: %d drug terms, %d diagnosis phrases", len(drug_terms), len(dx_terms))
    return nlp


class Extractor:
    """A built pipeline plus the adapter: text in, ``Extraction`` out."""

    def __init__(
        self,
        settings: ExtractorSettings,
        drug_terms: Sequence[DrugTerm],
        dx_terms: Sequence[DiagnosisTerm] = (),
    ) -> None:
        """Build the pipeline once.

        Args:
            settings: Extractor settings.
            drug_terms: The drug lexicon.
            dx_terms: Diagnosis phrases.
        """
        self.settings = settings
        self.nlp = build_pipeline(settings, drug_terms, dx_terms)

    def extract(self, text: str, date_of_service: date | None = None) -> Extraction:
        """Run the pipeline over one note.

        Args:
            text: The note.
            date_of_service: When known, a dated earlier injection is recognised as historical.
        """
        fixed = repair(text)
        doc = self.nlp(fixed.text)
        extraction = doc_to_extraction(
            doc, frame_max_chars=self.settings.frame_max_chars, dos=date_of_service
        )
        return fixed.restore(extraction) if fixed.changed else extraction
