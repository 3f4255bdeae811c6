"""Extractor layer: ``shotcoder_sectionizer``, line-anchored section headers for clinical notes.

medspaCy's Sectionizer matches header literals anywhere in the text and its default rules miss
"Assessment and Plan:"; notes put headers at the start of a line, so this component only accepts
a header there (followed by a colon, or alone on its line), which keeps "plan to give" or "the
exam was normal" from opening sections. Categories come from ``patterns/sections.json``.
"""

import json
import re
from bisect import bisect_right
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from extractor.extensions import register_extensions
from extractor.regexes import alternation


def _load_headers() -> dict[str, str]:
    raw = json.loads(
        resources.files("extractor.patterns").joinpath("sections.json").read_text("utf-8")
    )
    return {h.lower(): cat for cat, heads in raw.items() if cat != "_comment" for h in heads}


def _head(written: str) -> str:
    """A header as the table keys it: lower case, single spaces, "a / p" as "a/p"."""
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", written.lower()))


_LINE_SCOPED = frozenset({"orders", "diagnosis"})
_ALLERGY_HEAD = ("allerg", "drug allerg")
_BLANK = re.compile(r"\n[ \t]*\n")
_RULE = re.compile(r"^[ \t]*[-=_*]{5,}[ \t]*$", re.MULTILINE)
# the next line continues an inline list: an indented or bulleted item, or a bare drug line
_LIST_GOES_ON = re.compile(r"[ \t]+\S|[-*\u2022]|\d{1,2}[.)]\s|[A-Za-z][\w-]*(?:\s+[\w./%-]+){0,4}[ \t]*$",
                           re.MULTILINE)
# one line of a list under a header alone on its line: bulleted, numbered or indented
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]+\S|[ \t]+[A-Za-z]")
_NEW_BLOCK = re.compile(r"^[ \t]*(?:\||[A-Z][A-Za-z/&' -]{1,30}:)", re.MULTILINE)
# a line that introduces today's doses and ends in a colon: "Given today by RN D. Osei after my
# review:", "Today (given by K. Ito, CMA, 10:20):", "Administered in clinic today:"
GIVEN_TODAY_LEAD = re.compile(
    r"^[ \t*#>\-\u2022]*(?![^\n]*\b(?:not|no|never|declined|deferred)\b|[^\n]*n't\b)"
    r"(?=[^\n]{0,80}\btoday\b)(?=[^\n]{0,80}\b(?:given|administered|injected)\b)"
    r"[^\n:]{0,100}:[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
UPPER_HEADER = re.compile(r"(?<![A-Za-z])(?P<head>[A-Z][A-Z/&' -]{1,40}[A-Z])\s*:")


def _list_end(text: str, eol: int) -> int | None:
    """The newline before the first line that is not an item of the list after ``eol``.

    Blank lines between items do not end the list. None when the line after ``eol`` is not an
    item (an unmarked list runs to the next header) or when the list runs to the end of the text.
    """
    pos = eol + 1
    if not _LIST_ITEM.match(text, pos):
        return None
    while pos < len(text):
        if _LIST_ITEM.match(text, pos):
            nl = text.find("\n", pos)
            if nl < 0:
                return None
            pos = nl + 1
            continue
        if (blank := _BLANK.match(text, pos - 1)) is not None and _LIST_ITEM.match(
                text, blank.end()):
            pos = blank.end()  # a blank line between items
            continue
        return pos - 1
    return None


@Language.factory("shotcoder_sectionizer", assigns=["doc._.shotcoder_sections"], default_config={})
def make_sectionizer(nlp: Language, name: str) -> "Sectionizer":
    """Build the sectionizer (spaCy factory)."""
    return Sectionizer(name=name)


class Sectionizer:
    """Find section headers and record ``(start_char, category, header_end)`` on the doc."""

    version = 1

    def __init__(self, *, name: str) -> None:
        """Create the component and compile the header pattern.

        Args:
            name: Component instance name.
        """
        register_extensions()
        self.name = name
        self.headers = _load_headers()
        # "ASSESSMENT / PLAN:" is "assessment/plan"
        words = alternation(list(self.headers)).replace("/", r"\s*/\s*")
        self.pattern = re.compile(
            # "Medications (reconciled today):" names its header before a parenthesis, with or
            # without the colon ("CURRENT MEDICATIONS (reconciled)" alone on its line)
            # "Nursing addendum 15:20 - A. Ferreira, LPN:", "MAR 15:40:" name their time before
            # the dash or colon
            # "Nursing (A. Brandt, RN) 10:50" names who and when after the parenthesis
            rf"^[ \t*#>\-\u2022]*(?P<head>{words})[ \t]*(?:\([^)\n]{{0,40}}\)[ \t]*"
            rf"(?:\d{{1,2}}:?\d{{2}}[ \t]*)?(?=:|\n)|"
            rf"\d{{1,2}}:\d{{2}}[ \t]*(?=-|:)|"
            # "DISCHARGE MEDICATIONS / INSTRUCTIONS", "Medications / Allergies:": a header with
            # what goes with it, which names no section of its own ("ORDERS / MEDICATIONS
            # ADMINISTERED" is another section's header, "Allergy & Immunology of ..." a clinic)
            rf"[/&][ \t]*(?:instructions|allergies)[ \t]*(?=:|\n))?"
            rf"(?:(?::|-{{1,2}}|\.|\))[ \t]*|(?=\n|$))",
            re.IGNORECASE | re.MULTILINE,
        )
        # Dictation run together by speech recognition names its headers at a sentence's start,
        # spoken: "No fever. Exam colon respiratory rate 24 ...", "... improved. Assessment and
        # plan. Number one ..."
        self.spoken = re.compile(
            rf"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s))(?P<head>{words})(?:\s+colon\b|\.(?=\s))[ \t]*",
            re.IGNORECASE | re.MULTILINE,
        )

        # unedited dictation keeps the spoken paragraph command before a header: "... period
        # new paragraph exam linear streaks of vesicles ...", "new paragraph assessment"
        self.spoken_paragraph = re.compile(
            rf"\b(?:new|next)\s+paragraph\s+(?P<head>{words})\b(?:\s+colon\b)?[ \t]*",
            re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        """Record sections on ``doc._.shotcoder_sections``."""
        found = []
        # Flattened transcriptions ("MEDICATIONS:,  Lamictal ... PLAN:,  ...") keep their
        # upper-case headers but lose the line breaks: accept those anywhere.
        for m in UPPER_HEADER.finditer(doc.text):
            head = _head(m["head"])
            if head in self.headers and len(head) > 2:
                found.append((m.start("head"), self.headers[head], m.end()))
        for m in (*self.spoken.finditer(doc.text), *self.spoken_paragraph.finditer(doc.text)):
            head = _head(m["head"])
            if len(head) > 2 and head in self.headers:
                found.append((m.start("head"), self.headers[head], m.end()))
        for m in self.pattern.finditer(doc.text):
            head = _head(m["head"])
            rest = doc.text[m.end() : m.end() + 1]
            # A one-letter SOAP header ("S:", "A:") needs its colon.
            if len(head) <= 2 and ":" not in m.group(0) and ")" not in m.group(0):
                continue
            if not m.group(0).rstrip().endswith((":", "-", ".", ")")) and rest not in ("\n", ""):
                continue
            found.append((m.start("head"), self.headers[head], m.end()))
            eol = doc.text.find("\n", m.end())
            if head.startswith(_ALLERGY_HEAD) and eol > 0 and doc.text[m.end():eol].strip():
                # "Allergies: none, no PCN allergy" is a field: it does not open a med list
                found.append((eol, "body", eol))
        for _start, category, end in list(found):
            eol = doc.text.find("\n", end)
            if category == "medications" and eol > 0 and doc.text[end:eol].strip():
                # "Meds: Breo 100/25 daily, montelukast 10 mg" is a field on its line: a table or
                # a labelled line after it ("| Vial | Dose |", "Biologic: Xolair ...") is not
                # part of the list
                if not _LIST_GOES_ON.match(doc.text, eol + 1):
                    found.append((eol, "body", eol))  # the list was its own line
                elif (nxt := _NEW_BLOCK.search(doc.text, eol + 1)) is not None and not any(
                        eol < h <= nxt.start() for h, _, _ in found):
                    found.append((nxt.start(), "body", nxt.start()))
            elif (category == "medications" and eol > 0
                  and (stop := _list_end(doc.text, eol)) is not None
                  and not any(eol < h <= stop for h, _, _ in found)):
                # "Current medications (reviewed):" over "- item" or indented lines: the first
                # line after the list that is not an item closes it, and the prose below
                # ("1,000 mcg ... was administered") is today's note, not the list
                found.append((stop, "body", stop))
        found.extend((m.start(), "procedure", m.end()) for m in GIVEN_TODAY_LEAD.finditer(doc.text))
        # A horizontal rule ("-----", "=====") closes the section above it.
        found.extend((m.start(), "body", m.end()) for m in _RULE.finditer(doc.text))
        # A form field ("Orders: ...", "Diagnosis: ...") covers its own line only.
        for _start, category, end in list(found):
            if category in _LINE_SCOPED:
                eol = doc.text.find("\n", end)
                if eol > 0 and not doc.text[end:eol].strip():
                    # "Orders placed this encounter:" alone on its line heads the block below it
                    blank = _BLANK.search(doc.text, eol)
                    eol = blank.start() if blank else -1
                if eol > 0:
                    found.append((eol, "body", eol))
        doc._.shotcoder_sections = sorted(set(found))
        return doc


def section_at(doc: Doc, char: int) -> str | None:
    """The category of the section containing ``char``, or None before the first header."""
    sections = doc._.shotcoder_sections or []
    i = bisect_right(sections, (char, "\uffff")) - 1
    return sections[i][1] if i >= 0 else None
