"""The clinician a note names for one dose, for telling a same-day repeat's practitioner apart.

A repeat dose given the same day is reported with 76 when the same practitioner repeats it and
77 when another one does (rule MOD-03). Notes say who in three ways, tried in this order:

- after the drug on its line: "naloxone 0.4 mg IM L deltoid given by Dr. Patel";
- before the drug on its line: "Dr. Patel (covering) gave naloxone 0.4 mg IM";
- the header of the block the dose is charted in: "15:10  Priya Menon, MD (covering for ...)".

Only physicians and qualified practitioners count (a title "Dr." or a practitioner credential):
the nurse who pushed the plunger is not the practitioner 76/77 are about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.regexes import PRACTITIONER_CREDENTIALS

_CRED = "|".join(re.escape(c) for c in sorted(PRACTITIONER_CREDENTIALS, key=len, reverse=True))
_SURNAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
# "Dr. Patel", "Dr Anil Patel", "Priya Menon, MD", "A. Whitfield MD", "Menon, Priya MD" is not
# matched (a surname first is read as a given name: the surnames would not compare)
_NAME = re.compile(
    rf"\bDr\.?[ \t]+(?:[A-Z][a-z]*\.?[ \t]+)?(?P<dr>{_SURNAME})\b"
    rf"|\b(?:[A-Z][a-z]*\.?[ \t]+)(?:[A-Z]\.[ \t]+)?(?P<cred>{_SURNAME}),?[ \t]+(?:{_CRED})(?![\w-])"
)
_BY = re.compile(r"\bby[ \t]+$")
# a block header: a line that opens with an optional time or date, then the name
_HEADER = re.compile(r"[ \t]*(?:[\d:/.\-]+[ \t]+)*(?=\S)")
_HEADER_LOOKBACK = 15  # lines


@dataclass(frozen=True)
class NamedPractitioner:
    """A practitioner's name as written, and the surname it is compared by."""

    start: int
    end: int
    surname: str


def _found(m: re.Match[str]) -> NamedPractitioner:
    return NamedPractitioner(m.start(), m.end(), (m.group("dr") or m.group("cred")).lower())


def practitioner_of(text: str, start: int, end: int) -> NamedPractitioner | None:
    """The practitioner the note names for the dose whose drug is ``text[start:end]``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for m in _NAME.finditer(text, end, line_end):
        if _BY.search(text, line_start, m.start()):
            return _found(m)
    before = list(_NAME.finditer(text, line_start, start))
    if before:
        return _found(before[-1])
    pos = line_start
    for _ in range(_HEADER_LOOKBACK):
        if pos == 0:
            break
        prev = text.rfind("\n", 0, pos - 1) + 1
        lead = _HEADER.match(text, prev, pos - 1)
        m = _NAME.match(text, lead.end()) if lead is not None else None
        if m is not None:
            return _found(m)
        pos = prev
    return None
