"""Extractor layer: ``shotcoder_sentencizer``, a fast rule-based sentence splitter for notes.

Clinical notes break on line ends far more than on full stops, and PyRuSH costs ~25 ms a note;
this splitter marks a sentence start after a line break and after ``. ! ?`` or ``;`` followed
by space and an upper-case letter or digit, which is what ConText's scoping needs. In a note
that kept a speech recognizer's spoken commands ("comma", "new paragraph"), "period" and "new
paragraph" end a sentence too.
"""

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from extractor.regexes import ARROW, MASS_UNIT, VOL_UNIT

_BOUNDARY = re.compile(r"\n|[.!?]\s+(?=[A-Z0-9(\[\"'])|;\s+|[.!?]\s*\n|:\s*\n|\s-\s(?=[A-Z])")
_ABBREV = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|St|vs|e\.g|i\.e|approx|pt|Pt|no|No)|\b[A-Z])\.$")
# "epi 0.3mg. IM R lat thigh": a unit's period before the route ends no sentence
_UNIT_PERIOD = re.compile(rf"\d\s*(?:{MASS_UNIT}|{VOL_UNIT})\.$", re.IGNORECASE)
_INDENTED_ARROW = re.compile(rf"[ \t]+(?={ARROW})")
_ROUTE_NEXT = re.compile(r"(?:IM|SQ|SC|IV|ID|subq|SubQ|subcut)\b")
# Dictation commands a speech recognizer left in the text ("... sixty milligrams I am right
# glute period new paragraph plan ..."): in such a note they end the sentence. "period" after
# "a", "the", "grace" or "menstrual" is a span of time, not a command.
_SPOKEN_COMMAND = re.compile(r"\b(?:comma|new\s+paragraph|next\s+paragraph|new\s+line|"
                             r"full\s+stop|semicolon)\b", re.IGNORECASE)
_SPOKEN_STOP = re.compile(
    r"(?<!\ba )(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\bgrace )(?<!\bmenstrual )"
    r"(?<!\bwaiting )(?<!\bobservation )(?<!\blast )(?<!\brefractory )(?<!\bpostpartum )"
    r"\b(?:period|full\s+stop|new\s+paragraph|next\s+paragraph|new\s+line)\b\s*",
    re.IGNORECASE)


@Language.factory("shotcoder_sentencizer", assigns=["token.is_sent_start"], default_config={})
def make_sentencizer(nlp: Language, name: str) -> "Sentencizer":
    """Build the sentence splitter (spaCy factory)."""
    return Sentencizer(name=name)


class Sentencizer:
    """Set ``is_sent_start`` from line breaks and sentence-final punctuation."""

    version = 1

    def __init__(self, *, name: str) -> None:
        """Create the component.

        Args:
            name: Component instance name.
        """
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts on ``doc``."""
        text = doc.text
        starts = {0}
        for m in _BOUNDARY.finditer(text):
            if m.group(0)[0] in ".!?" and "\n" not in m.group(0) and _ABBREV.search(
                text[max(0, m.start() - 8) : m.start() + 1]
            ):
                continue  # "vit D. Given" goes on; "vit D.\n" ends the line as any line does
            if (m.group(0)[0] == "." and _UNIT_PERIOD.search(text, max(0, m.start() - 24),
                                                              m.start() + 1)
                    and _ROUTE_NEXT.match(text, m.end())):
                continue
            arrow = _INDENTED_ARROW.match(text, m.end()) if m.group(0).endswith("\n") else None
            # "attempt.\n   -> Zofran 4 mg IM": an indented arrow line starts at its arrow (spaCy
            # makes the line break and the indent one whitespace token)
            starts.add(arrow.end() if arrow else m.end())
        if len(_SPOKEN_COMMAND.findall(text)) >= 2:
            starts.update(m.end() for m in _SPOKEN_STOP.finditer(text))
        ordered = sorted(starts)
        for token in doc:
            if token.i == 0:
                token.is_sent_start = True
                continue
            prev = doc[token.i - 1]
            pos = bisect_left(ordered, prev.idx + len(prev.text))
            token.is_sent_start = pos < len(ordered) and ordered[pos] <= token.idx
        return doc
