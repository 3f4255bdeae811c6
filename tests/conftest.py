"""Shared fixtures: the real coder (loaded once per session) and a small fast extractor."""

from __future__ import annotations

import pytest

from api.coder import Coder
from extractor import DiagnosisTerm, DrugTerm, Extractor, ExtractorSettings

SMALL_LEXICON = [
    DrugTerm(term="toradol", name="ketorolac", codes=("J1885",)),
    DrugTerm(term="ketorolac", name="ketorolac", codes=("J1885",)),
    DrugTerm(term="phenergan", name="promethazine", codes=("J2550",)),
    DrugTerm(term="b12", name="cyanocobalamin", codes=("J3420",)),
    DrugTerm(term="cyanocobalamin", name="cyanocobalamin", codes=("J3420",)),
    DrugTerm(term="vivitrol", name="naltrexone", codes=("J2315",)),
    DrugTerm(term="ceftriaxone", name="ceftriaxone", codes=("J0696",)),
    DrugTerm(term="rocephin", name="ceftriaxone", codes=("J0696",)),
    DrugTerm(term="depo-medrol", name="methylprednisolone acetate", codes=("J1010",)),
    DrugTerm(term="kenalog", name="triamcinolone acetonide", codes=("J3301",)),
    DrugTerm(term="lidocaine", name="lidocaine", codes=("J2001",)),
    DrugTerm(term="epinephrine", name="epinephrine", codes=("J0171",)),
    DrugTerm(term="flu shot", name="influenza vaccine", drug_class="vaccine"),
]
SMALL_DX = [DiagnosisTerm(phrase="pernicious anemia", code="D51.0"),
            DiagnosisTerm(phrase="pneumonia", code="J18.9")]


@pytest.fixture(scope="session")
def coder() -> Coder:
    """The real coder on the packaged knowledge base."""
    return Coder.load()


@pytest.fixture(scope="session")
def small_extractor() -> Extractor:
    """The full pipeline over a small lexicon: fast, independent of the knowledge base."""
    return Extractor(ExtractorSettings(), SMALL_LEXICON, SMALL_DX)
