"""Extractor layer: ``shotcoder_drug_matcher``, drug names from the knowledge-base lexicon.

Exact surface forms are matched on characters, not tokens, so "Kenalog-40", "Depo-Medrol®" and
"B12 1,000mcg" match whatever the tokenizer does with them; the matches also become a spaCy span
group (``shotcoder_drug``) that medspaCy's ConText scopes over. Misspellings ("ceftriaxon",
"rocephen") are caught by an optional edit-distance pass restricted to words of six or more
letters that share the first letter with a lexicon term, so short tokens never match fuzzily.
"""

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc

from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.settings import DrugTerm

SPANS_KEY = "shotcoder_drug"
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{5,}")
# "B12 level", "B12 deficiency", "testosterone level": a lab or a condition, not a drug given.
_NOT_DRUG_AFTER = re.compile(
    r"[\s-]*(?:levels?|deficien\w*|lab\w*|assay|panel|results?|was\s+low|is\s+low|"
    r"allerg\w*)\b",
    re.IGNORECASE,
)
# Words that sit within edit distance of a drug name but are ordinary clinical English.
_FUZZY_STOP = frozenset(
    {
        "patient",
        "reports",
        "prednisone",
        "protonix",
        "heparin",
        "insulin",
        "history",
        "medical",
        "medication",
        "medications",
        "deltoid",
        "gluteal",
        "tolerated",
        "lorazepam",
        "diazepam",
        "clonazepam",
        "ondansetron",
        "promethazine",
    }
)


class DrugMatcher:
    """Tag drug names; each mention's value is the matching :class:`DrugTerm`."""

    version = 1

    def __init__(
        self, *, name: str, terms: Sequence[DrugTerm], fuzzy: bool, fuzzy_min_score: float
    ) -> None:
        """Compile the lexicon.

        Args:
            name: Component instance name.
            terms: Surface forms with their canonical drug.
            fuzzy: Whether to run the misspelling pass.
            fuzzy_min_score: rapidfuzz ratio threshold for the misspelling pass.
        """
        register_extensions()
        self.name = name
        self.by_term = {t.term.lower(): t for t in terms}
        parts = sorted(self.by_term, key=len, reverse=True)
        body = "|".join(
            re.escape(p).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for p in parts
        )
        self.pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z])", re.IGNORECASE)
        self.fuzzy = fuzzy
        self.fuzzy_min_score = fuzzy_min_score
        self.fuzzy_choices = [p for p in parts if len(p) >= 6 and " " not in p and "-" not in p]

    def _lookup(self, surface: str) -> DrugTerm | None:
        key = re.sub(r"[\s-]+", " ", surface.lower())
        term = self.by_term.get(surface.lower()) or self.by_term.get(key)
        if term is None:
            squashed = key.replace(" ", "")
            for k, t in self.by_term.items():
                if k.replace(" ", "").replace("-", "") == squashed:
                    return t
        return term

    def __call__(self, doc: Doc) -> Doc:
        """Add DRUG mentions and the ``shotcoder_drug`` span group."""
        text = doc.text
        found: list[Mention] = []
        for m in self.pattern.finditer(text):
            term = self._lookup(m.group(0))
            if term is not None and not _NOT_DRUG_AFTER.match(text, m.end()):
                found.append(Mention(m.start(), m.end(), "DRUG", term, f"{self.name}@exact"))
        if self.fuzzy and self.fuzzy_choices:
            found.extend(self._fuzzy(text, found))
        found.sort(key=lambda x: x.start)
        mentions(doc)["DRUG"] = found
        spans = []
        for mention in found:
            span = doc.char_span(mention.start, mention.end, label="DRUG", alignment_mode="expand")
            if span is not None:
                span._.shotcoder_mention = mention
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def _fuzzy(self, text: str, exact: list[Mention]) -> list[Mention]:
        out = []
        for m in _WORD.finditer(text):
            word = m.group(0).lower().strip("-")
            if word in self.by_term or word in _FUZZY_STOP:
                continue
            if any(e.start < m.end() and m.start() < e.end for e in exact):
                continue
            hit = process.extractOne(
                word, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_min_score
            )
            if hit is None:
                continue
            choice = hit[0]
            if choice[0] != word[0] or abs(len(choice) - len(word)) > 2:
                continue
            out.append(
                Mention(m.start(), m.end(), "DRUG", self.by_term[choice], f"{self.name}@fuzzy")
            )
        return out


@Language.factory(
    "shotcoder_drug_matcher",
    assigns=["doc.spans", "doc._.shotcoder_mentions"],
    default_config={"terms": [], "fuzzy": True, "fuzzy_min_score": 88.0},
)
def make_drug_matcher(
    nlp: Language, name: str, terms: list[dict[str, object]], fuzzy: bool, fuzzy_min_score: float
) -> "DrugMatcher":
    """Build the drug matcher (spaCy factory); ``terms`` are :class:`DrugTerm` dicts."""
    parsed = [DrugTerm.model_validate(t) for t in terms]
    return DrugMatcher(name=name, terms=parsed, fuzzy=fuzzy, fuzzy_min_score=fuzzy_min_score)
