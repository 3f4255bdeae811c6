"""Evaluation layer: the labeled corpus: its reader (here) and its build (``build.py``).

``evaluation.corpus`` is a package because the corpus sources and build live beside the reader;
the reader's public names are re-exported here so callers write
``from evaluation.corpus import read_corpus``.
"""

from evaluation.corpus.reader import (
    DEFAULT_CATEGORY,
    Gold,
    GoldAdministration,
    GoldDose,
    GoldEncounter,
    GoldLine,
    GoldSite,
    GoldSpan,
    corpus_sha256,
    parse_record,
    read_corpus,
)

__all__ = [
    "DEFAULT_CATEGORY",
    "Gold",
    "GoldAdministration",
    "GoldDose",
    "GoldEncounter",
    "GoldLine",
    "GoldSite",
    "GoldSpan",
    "corpus_sha256",
    "parse_record",
    "read_corpus",
]
