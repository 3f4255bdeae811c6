"""Repair text damaged by fax OCR and markup before the pipeline reads it.

Faxed and scanned notes reach billing with letters and digits confused ("l000 rncg/rnL",
"Pro1ia 6O rng", "D5l.O"), words broken by a space ("Inve ga Sus tenna") and HTML residue
("500&nbsp;mg<br>"). :func:`repair` returns a text of **the same length** in which such
damage is undone where the result is unambiguous, with a map from each of its characters to
the original; :meth:`Repair.restore` maps every span the pipeline found back to the original
note and copies its text from there, so evidence always quotes the note as it arrived.

A word is changed only when it is not a known word and exactly the repaired form is (the
known-word list is ``patterns/words.txt``, built by ``scripts/build_wordlist.py``); in a number
only the OCR look-alikes l, I and O that touch a real digit become digits.
A repair that shortens the text ("rn" → "m", a rejoined word, "&nbsp;" → " ") moves the rest
of its line left and pads the line's end with spaces, so words keep their single spaces and
line breaks stay where they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from models import Span

_DIGIT_OF = str.maketrans({"l": "1", "I": "1", "O": "0"})
_LETTER_OF = {"1": "l", "0": "o"}  # a digit read inside a lower-case word
_CAPS_LETTER_OF = {"1": "I", "0": "O"}
# a number-like run: digits, look-alike letters and the separators of dates, times and decimals
_NUMBERISH = re.compile(
    r"(?<![A-Za-z0-9])[0-9lIO](?:[0-9lIO.,:/-]*[0-9lIO])?"
    r"(?:(?![A-Za-z0-9])|(?=(?:mg|mcg|mL|ml|cc|kg|units?)(?![A-Za-z0-9])))"
)
# look-alike letters that touch a digit ("l0", "2O26"); "I-131" and "III." stay letters
_LOOKALIKE_BY_DIGIT = re.compile(r"(?<=\d)[lIO]+|[lIO]+(?=\d)")
# look-alikes across a decimal point: "O.5", "l.77", "2.l"; a lone "I" after "2." stays a word
_LOOKALIKE_BY_POINT = re.compile(r"^[lO](?=\.\d)|(?<=\d\.)(?:[lO][lIO]*|I(?=[lIO0-9]))")
# a digit inside a word, between letters or ending it ("c1inic", "wel1", "D0B"), never first
_DIGIT_IN_WORD = re.compile(r"(?<=[A-Za-z])[01](?=[A-Za-z]|$)")
# in an all-capitals word only between letters: "N1" stays a lymph node stage
_DIGIT_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])[01](?=[A-Za-z])")
# a word OCR may have damaged: a look-alike letter or digit, or "rn" for "m"
_SUSPECT = re.compile(r"[lI10]|rn")
# a lone look-alike amount before a unit: "l rnL", "O mg"
_LONE_AMOUNT = re.compile(
    r"(?<![A-Za-z0-9])[lIO](?=\s{1,2}(?:m[gLl]|rn[gLl]|mcg|rncg|cc|units?)\b)"
)
# an ICD-10-CM code with look-alikes after its letter: "D5l.O", "OOO.lO2", "M8l.O"
_ICD = re.compile(
    r"(?<![A-Za-z0-9])([A-Z])([0-9lIO]{2})(?:\.([0-9lIOA-HJ-NP-Z]{1,4}))?(?![A-Za-z0-9])"
)
# an ASCII word, whole: not the "gl" of "glúteo" (a word with an accented letter is no OCR damage)
_WORD = re.compile(r"(?<![^\W_])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?![^\W_])")
_ENTITY = re.compile(r"&(?:nbsp|amp|ndash|mdash|lt|gt|quot|#\d{2,4});")
_ENTITY_CHAR = {"&amp;": "&", "&ndash;": "-", "&mdash;": "-", "&lt;": "<", "&gt;": ">"}
_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|b|i|u|span|font|strong|em|td|tr|table)\b[^<>\n]{0,200}>", re.I
)
_BLOCK_TAG = re.compile(r"</?(?:br|p|div|li|tr)\b", re.I)
# a page banner a printout drops into the middle of the text: a rule, up to three lines with
# "Page 2 of 3" among them, a rule
_RULE = r"[ \t]*[=_*-]{10,}[ \t]*"
_BANNER = re.compile(
    rf"\n{_RULE}\n(?=(?:[^\n]*\n){{0,2}}[^\n]*\bPage \d+ (?:of|/) ?\d+\b)(?:[^\n]*\n){{1,3}}{_RULE}\n",
    re.I,
)
# short words a sentence is made of: "dig it out" is no split "digit"
_FUNCTION_WORDS = frozenset(
    "a an the it is in on at to of or as by be we he me my no so up us do if out and but for "
    "not was are his her its our you all any off".split()
)
# tokens that look like damaged numbers but are words of their own
_NOT_NUMBERS = frozenset({"O2", "lO", "IO", "OI", "ll", "Il", "lI", "II", "I", "O", "l"})


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """The lower-cased known-word list shipped in ``extractor/patterns/words.txt``."""
    raw = resources.files("extractor.patterns").joinpath("words.txt").read_text("utf-8")
    return frozenset(w for w in raw.splitlines() if w and not w.startswith("#"))


@dataclass
class Repair:
    """A repaired text of the original's length and, per character, where it came from."""

    original: str
    text: str
    origin: list[int] | None = None  # None: every character stayed where it was

    @property
    def changed(self) -> bool:
        """Whether any character differs from the original."""
        return self.text != self.original

    def locate(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of a span of the repaired text."""
        if self.origin is None:
            return start, end
        lo, hi = self.origin[start], self.origin[end - 1] + 1
        return (lo, hi) if hi > lo else (lo, lo + 1)

    def restore(self, obj: Any) -> Any:
        """Return ``obj`` with every :class:`Span` inside it re-cut from the original text."""
        if isinstance(obj, Span):
            start, end = self.locate(obj.start, obj.end)
            return obj.model_copy(
                update={"start": start, "end": end, "text": self.original[start:end]}
            )
        if isinstance(obj, BaseModel):
            update = {}
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                new = self.restore(value)
                if new is not value:
                    update[name] = new
            return obj.model_copy(update=update) if update else obj
        if isinstance(obj, (list, tuple)):
            items = [self.restore(v) for v in obj]
            if all(a is b for a, b in zip(items, obj, strict=True)):
                return obj
            return type(obj)(items)
        if isinstance(obj, dict):
            new_d = {k: self.restore(v) for k, v in obj.items()}
            return obj if all(new_d[k] is obj[k] for k in obj) else new_d
        return obj


def _known(word: str) -> bool:
    return word.lower() in known_words()


def _word_candidates(word: str) -> list[str]:
    letters = [c for c in word if c.isalpha() and c not in "lI"]
    caps = bool(letters) and all(c.isupper() for c in letters)
    out: list[str] = []
    letter_of = _CAPS_LETTER_OF if caps else _LETTER_OF
    inside = _DIGIT_BETWEEN_LETTERS if caps else _DIGIT_IN_WORD
    lettered = inside.sub(lambda d: letter_of[d.group()], word)
    out.append(lettered.replace("l", "I") if caps else lettered)
    out.append(word.translate(_DIGIT_OF))
    return out + [c.replace("rn", "m") for c in (word, *out) if "rn" in c]


def _fix_word(word: str) -> str | None:
    if _known(word) or len(word) < 2:
        return None
    for cand in _word_candidates(word):
        if cand != word and _known(cand):
            return cand
    return None


def _assemble(chars: list[str], shrinks: dict[int, tuple[int, str]]) -> tuple[str, list[int]]:
    """Apply the shortening repairs, each line padded at its end back to its length."""
    out: list[str] = []
    origin: list[int] = []
    pad = 0
    i, n = 0, len(chars)
    while i < n:
        if i in shrinks:
            end, new = shrinks[i]
            for j, c in enumerate(new):
                out.append(c)
                origin.append(i + j if j < len(new) - 1 else end - 1)
            pad += end - i - len(new)
            i = end
            continue
        if chars[i] == "\n" and pad:
            out.extend(" " * pad)
            origin.extend([max(i - 1, 0)] * pad)
            pad = 0
        out.append(chars[i])
        origin.append(i)
        i += 1
    out.extend(" " * pad)
    origin.extend([max(n - 1, 0)] * pad)
    return "".join(out), origin


def repair(text: str) -> Repair:
    """Undo OCR and markup damage in ``text`` without changing its length."""
    chars = list(text)
    shrinks: dict[int, tuple[int, str]] = {}

    def put(start: int, end: int, new: str) -> None:
        if len(new) == end - start:
            chars[start:end] = new
        elif not any(start < e and end > s for s, (e, _) in shrinks.items()):
            shrinks[start] = (end, new)

    for m in _BANNER.finditer(text):
        # a sentence the banner cut in two is joined again; otherwise the line break stays
        cut = text[: m.start()].rstrip(" \t")[-1:] not in (".", ":", ";", "")
        put(m.start(), m.end(), " " if cut else "\n")
    if "&" in text or "<" in text:
        for m in _ENTITY.finditer(text):
            put(m.start(), m.end(), _ENTITY_CHAR.get(m.group(), " "))
        tags = list(_TAG.finditer(text))
        first = 0
        for i, m in enumerate(tags):
            if i + 1 < len(tags) and tags[i + 1].start() == m.end():
                continue  # the run of touching tags goes on
            # a block tag breaks the line unless a line break already sits beside its run
            lo, hi = tags[first].start(), m.end()
            beside = text[lo - 1 : lo] in ("\n", "") or text[hi : hi + 1] in ("\n", "")
            for t in tags[first : i + 1]:
                put(t.start(), t.end(), "\n" if _BLOCK_TAG.match(t.group()) and not beside else "")
            first = i + 1
    for m in _ICD.finditer(text):
        body, tail = m.group(2), m.group(3) or ""
        if any(c.isdigit() for c in body + tail) and any(c in "lIO" for c in body + tail):
            start = m.start(2)
            new = body.translate(_DIGIT_OF) + ("." + tail.translate(_DIGIT_OF) if tail else "")
            if new.replace(".", "").isdigit() and not _known(m.group()):
                chars[start : m.end()] = new
    for m in _NUMBERISH.finditer(text):
        tok = m.group()
        if tok in _NOT_NUMBERS or not any(c.isdigit() for c in tok) or _ICD.fullmatch(tok):
            continue
        if m.start() >= 2 and text[m.start() - 1] == "-" and text[m.start() - 2].isalnum():
            continue  # the second half of a range such as "L4-l5" keeps its letter
        new = _LOOKALIKE_BY_DIGIT.sub(lambda r: r.group().translate(_DIGIT_OF), tok)
        new = _LOOKALIKE_BY_POINT.sub(lambda r: r.group().translate(_DIGIT_OF), new)
        chars[m.start() : m.end()] = new
    for m in _LONE_AMOUNT.finditer(text):
        chars[m.start()] = m.group().translate(_DIGIT_OF)
    repaired_words = "".join(chars)
    for m in _WORD.finditer(repaired_words):
        word = m.group()
        if word.isdigit() or not _SUSPECT.search(word):
            continue
        fixed = _fix_word(word)
        if fixed is not None:
            put(m.start(), m.end(), fixed)
    current = "".join(chars)
    for line in re.finditer(r"[^\n]+", current):
        words = list(re.finditer(r"[A-Za-z]+", line.group()))
        i = 0
        while i + 1 < len(words):
            a, b = words[i], words[i + 1]
            gap = line.group()[a.end() : b.start()]
            joined = a.group() + b.group()
            lo, hi = line.start() + a.start(), line.start() + b.end()
            overlaps = any(lo < e and hi > st for st, (e, _) in shrinks.items())
            if (
                not overlaps
                and gap == " "
                and min(len(a.group()), len(b.group())) >= 2
                and not (_known(a.group()) and _known(b.group()))
                and not {a.group().lower(), b.group().lower()} & _FUNCTION_WORDS
                and _known(joined)
            ):
                put(lo, hi, joined)
                i += 2
                continue
            i += 1
    if not shrinks:
        return Repair(original=text, text="".join(chars))
    fixed, origin = _assemble(chars, shrinks)
    return Repair(original=text, text=fixed, origin=origin)
