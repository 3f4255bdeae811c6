"""Extractor layer: a spaCy/medspaCy pipeline that finds administrations and E/M content.

``build_pipeline`` assembles the components; ``adapters.doc_to_extraction`` turns the processed
``Doc`` into ``models.Extraction`` with exact character-offset evidence.
"""

from extractor.pipeline import Extractor, build_pipeline
from extractor.settings import DiagnosisTerm, DrugTerm, ExtractorSettings

__all__ = ["DiagnosisTerm", "DrugTerm", "Extractor", "ExtractorSettings", "build_pipeline"]
