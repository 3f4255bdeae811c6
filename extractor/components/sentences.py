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

# (an accented capital or Spanish opening mark starts one too: "... 09:14. Última dosis ...")
_BOUNDARY = re.compile(r"\n|[.!?]\s+(?=[A-Z\u00c0-\u00d6\u00d8-\u00de0-9(\[\"'¿¡])|;\s+|"
                       r"[.!?]\s*\n|:\s*\n|\s-\s(?=[A-Z])")
_ABBREV = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|St|vs|e\.g|i\.e|approx|pt|Pt|no|No)|\b[A-Z])\.$")
# "epi 0.3mg. IM R lat thigh": a unit's period before the route ends no sentence
_UNIT_PERIOD = re.compile(rf"\d\s*(?:{MASS_UNIT}|{VOL_UNIT})\.$", re.IGNORECASE)
_INDENTED_ARROW = re.compile(rf"[ \t]+(?={ARROW})")
_INDENT = re.compile(r"[ \t]+(?=\S)")
_ROUTE_NEXT = re.compile(r"(?:IM|SQ|SC|IV|ID|subq|SubQ|subcut)\b")
# the route is one field of a dash-separated row: "- IM - right deltoid - lot 7BX2J"
_NEXT_FIELD = re.compile(r"\S+[ \t]+-[ \t]")
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


def _indented_line_starts(text: str, line_start: int, width: int) -> bool:
    """Whether the line at ``line_start``, indented ``width``, starts a sentence.

    spaCy makes a line break and the next line's indent one whitespace token, so an indented
    line starts a sentence only if it is marked at its first word. It does after a blank line,
    and after a line above indented less that ends a sentence ("monitored 15 min." over "   stop
    SL films tomorrow"). A deeper line under any other line goes on from it: the detail line of
    an item ("  lanreotide (SOMATULINE DEPOT) 120 mg/0.5 mL syringe" over "     120 mg, deep
    subcutaneous, R buttock"), a series row under its regimen, a list under its heading. A line
    as deep as the line above starts a sentence unless the head of its block (the first line
    above indented less) ends with a colon: "ORDERS THIS ENCOUNTER:" leads its list of items,
    while in a print-out indented throughout each line is its own.
    """
    pos = line_start - 1  # the line break ending the line above
    above = True
    while pos > 0:
        head_start = text.rfind("\n", 0, pos) + 1
        line = text[head_start:pos]
        if not line.strip():
            return True  # a blank line ends the block
        if len(line) - len(line.lstrip(" \t")) < width:
            end = line.rstrip()
            if above:
                return end.endswith((".", "!", "?"))
            return not end.endswith(":")
        above = False
        pos = head_start - 1
    return True


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
            if (m.group(0).startswith((" -", "\t-")) and _ROUTE_NEXT.match(text, m.end())
                    and _NEXT_FIELD.match(text, m.end())):
                continue  # "Boostrix (Tdap) - 0.5 mL - IM - right deltoid": a row's fields
            arrow = _INDENTED_ARROW.match(text, m.end()) if m.group(0).endswith("\n") else None
            # "attempt.\n   -> Zofran 4 mg IM": an indented arrow line starts at its arrow (spaCy
            # makes the line break and the indent one whitespace token)
            if arrow is None and m.group(0).endswith("\n") and (
                    indent := _INDENT.match(text, m.end())) is not None:
                if _indented_line_starts(text, m.end(), indent.end() - m.end()):
                    starts.add(indent.end())
                continue
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
