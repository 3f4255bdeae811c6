"""Extractor layer: the compiled regular expressions the components share.

Everything here works on raw character offsets so that evidence spans stay exact whatever the
tokenizer does with strings like "1,000mcg/1mL" or "Depo-Medrol®". Vocabulary maps (site words,
route words) live in ``patterns/vocabulary.json`` so they can be reviewed without reading code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# Simple number words, for callers that read a single word ("three injections").
NUMBER_WORDS = {w: str(n) for w, n in {**_ONES, **_TENS}.items()} | {"half": "0.5", "one-half": "0.5"}


def _alt(words: dict[str, int]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# Dictated amounts: "sixty", "twenty-five", "one hundred twenty", "a thousand", "one point two",
# "one and a half". The longest reading is tried first so "twenty-five" is never read as "five".
_BELOW_100 = rf"(?:{_alt(_TENS)}(?:[- ]{_alt(_ONES)}\b)?|{_alt(_ONES)})"
_DIGITS = {w: n for w, n in _ONES.items() if n < 10}
# Spoken like a digit string: "two thirty four" is 234, "one fifty" 150, "one oh four" 104
_HUNDREDS_SAID = (rf"{_alt(_DIGITS)}\s+(?:oh\s+{_alt(_DIGITS)}|{_alt(_TENS)}"
                  rf"(?:[- ]{_alt(_DIGITS)})?)\b")
_BELOW_1000 = (rf"(?:(?:{_alt(_ONES)}|a)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?"
               rf"|{_HUNDREDS_SAID}|{_BELOW_100})")
_WORDNUM = (
    rf"(?:(?:{_BELOW_1000}|a)\s+thousand(?:\s+(?:and\s+)?{_BELOW_1000})?"
    rf"|{_BELOW_1000}\s+point(?:\s+{_alt(_ONES)}\b)+|{_BELOW_1000}(?:\s+and\s+a\s+half)?"
    # "point six milligrams per kilo": a dictated decimal without its leading zero
    rf"|point(?:\s+(?:{_alt(_DIGITS)}|zero|oh)\b)+|one-half|half)(?![\w-])"
)

# "1,000", "2.5", ".5", and South Asian grouping ("6,00,000 IU" is 600,000)
# A decimal comma ("0,5 ml", "2,5 mg") has one or two digits after it; a thousands comma has three
_DECIMAL_COMMA = r"\d{1,3},\d{1,2}(?![\d,])"
# thousands grouped by a no-break or thin space ("1\u00a0000"), or by a plain space when the last
# group is 000 ("1 000 mcg", "1 200 000 units"; "2 500" stays two numbers)
_SPACE_GROUPED = (r"\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?![\d,])|"
                  r"\d{1,3}(?: \d{3})*? 000(?![\d,.]| \d)")
_NUM = (rf"(?:{_SPACE_GROUPED}|\d{{1,2}}(?:,\d{{2}})+,\d{{3}}(?!\d)|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|"
        rf"{_DECIMAL_COMMA}|\d+(?:\.\d+)?|\.\d+)")
_VULGAR = {"\u00bd": "1/2", "\u00bc": "1/4", "\u00be": "3/4", "\u2153": "1/3", "\u2154": "2/3"}
_FRACTION = r"(?:1/2|1/4|3/4|1/3|2/3|[\u00bd\u00bc\u00be\u2153\u2154])"
AMOUNT = rf"(?:{_FRACTION}|{_NUM}|{_WORDNUM})"

# Mass/unit words → canonical unit. Order matters only for readability; the regex sorts by length.
UNIT_WORDS: dict[str, str] = {
    "mg": "mg",
    "mgs": "mg",
    "mg's": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "mcg",
    "mcgs": "mcg",
    "mcg's": "mcg",
    "µg": "mcg",
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "g": "g",
    "gm": "g",
    "gms": "g",
    "gram": "g",
    "grams": "g",
    "gr": "g",
    "units": "units",
    "unit": "units",
    "u": "units",
    "iu": "units",
    "ui": "units",  # unidades / unités internationales: "1,200,000 UI"
    "international units": "units",
    # "5,000 USP units" (chorionic gonadotropin, heparin): the pharmacopeia's units
    "usp units": "units",
    "usp unit": "units",
    "million units": "million units",
    "million unit": "million units",
    "million u": "million units",
    "million iu": "million units",
    "mil units": "million units",
    "mil unit": "million units",
    "mil u": "million units",
    "mu": "million units",
    # South Asian notation: a lakh is 100,000 ("24 lakh units" of benzathine penicillin)
    "lakh units": "lakh units",
    "lakh iu": "lakh units",
    "lakhs units": "lakh units",
    "lac units": "lakh units",
    "lakh": "lakh units",
    "meq": "mEq",
    "ml": "mL",
    "mls": "mL",
    "cc": "mL",
    "ccs": "mL",
    "cc's": "mL",
    "milliliter": "mL",
    "milliliters": "mL",
    "millilitre": "mL",
    "millilitres": "mL",
}
_MASS_UNITS = sorted((u for u, c in UNIT_WORDS.items() if c != "mL"), key=len, reverse=True)
_VOL_UNITS = sorted((u for u, c in UNIT_WORDS.items() if c == "mL"), key=len, reverse=True)
# "->", "==>", "→", "⇒": an arrow in a note (a change, a correction, a next step)
ARROW = r"-+>|=+>|\u2192|\u21d2"
# a month written by name or its abbreviation: "Feb", "Sept.", "February"
MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
MASS_UNIT = "(?:" + "|".join(re.escape(u) for u in _MASS_UNITS) + ")"
VOL_UNIT = "(?:" + "|".join(re.escape(u) for u in _VOL_UNITS) + ")"

# "30 mg/mL", "60mg/2mL", "1,000 mcg/1 mL", "40 mg per mL", "1 mg/ml"
CONCENTRATION = re.compile(
    rf"(?<![\w.])(?P<amount>{AMOUNT})\s*(?P<unit>{MASS_UNIT})\.?\s*(?:/|per|in)\s*"
    rf"(?P<vol>{_NUM})?\s*(?P<volunit>{VOL_UNIT})(?![a-z])",
    re.IGNORECASE,
)
# "1% lidocaine", "lidocaine 1%", "0.25% bupivacaine", "Marcaine 0.5% plain": X% is X g per
# 100 mL, i.e. 10*X mg/mL. Only next to a local anaesthetic's name, so "SpO2 96%" is never read.
LOCAL_ANESTHETIC = (
    r"(?:lidocaine|lignocaine|xylocaine|bupivacaine|marcaine|sensorcaine|ropivacaine|naropin|"
    r"mepivacaine|carbocaine|polocaine)"
)
_PERCENT_BEFORE = re.compile(
    rf"(?<![\w.])(?P<pct>\d{{1,2}}(?:\.\d{{1,2}})?)\s*%(?=\s*(?:plain\s+|hcl\s+)?{LOCAL_ANESTHETIC})",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(
    rf"{LOCAL_ANESTHETIC}\s*(?:hcl\s*)?(?P<pct>\d{{1,2}}(?:\.\d{{1,2}})?)\s*%", re.IGNORECASE
)


def percent_concentrations(text: str) -> Iterator[tuple[int, int, Decimal]]:
    """Yield (start, end, mg per mL) of each local anaesthetic strength written as a percent."""
    for rx in (_PERCENT_BEFORE, _PERCENT_AFTER):
        for m in rx.finditer(text):
            yield m.start("pct"), m.end(), Decimal(m["pct"]) * 10


# "last Depo 11/18/25", "Depo NOT given": a bare "Depo", resolved later to the note's one Depo drug
BARE_DEPO = re.compile(
    r"\bdepo(?![\w-])(?!\s?(?:medrol|provera|testosterone|sub|estradiol))", re.IGNORECASE
)
# "[ ] IM", "( ) Invega Trinza": an empty checkbox right before a form's option (unchosen)
# "[ ]", "( )", "\u2610": an empty checkbox
EMPTY_BOX = r"\[\s?\]|\(\s?\)|\u2610"
UNCHECKED_BEFORE = re.compile(rf"(?:{EMPTY_BOX})[ \t]*$")
# "[x]", "[ X ]", "\u2611": a ticked checkbox; ANY_BOX also matches an empty one
CHECKED = r"\[[ \t]*[xX\u2713\u2714][ \t]*\]|\u2611|\u2612"
CHECKED_BOX = re.compile(CHECKED)
ANY_BOX = re.compile(r"\[[ \t]*[xX\u2713\u2714]?[ \t]*\]|\u2610|\u2611|\u2612")
# "1:1000" epinephrine → 1 mg/mL; "1:10,000" → 0.1 mg/mL
RATIO = re.compile(r"(?<![\d:])1\s*:\s*(?P<denom>1,?000|10,?000)(?!,?\d)")
# "30mgIM", "2mlIM": a route typed onto the unit (the route parser reads it too)
GLUED_ROUTE = r"(?:IM|SC|SQ|IV)(?![A-Za-z])"
_ROUTE_GLUED = rf"(?={GLUED_ROUTE})"
# Plain dose: "30 mg", "1,000mcg", "1 g", "two mg", "5 units"; not "mg/dL", not "mg/kg", not the
# "5G" of lot "5G118"
DOSE = re.compile(
    rf"(?<![\w.])(?P<amount>{AMOUNT})\s*-?\s*(?P<unit>{MASS_UNIT})"
    # "trastuzumab 600 mg/hyaluronidase": the antibody's amount in a co-formulation's name
    rf"(?:(?![a-z0-9/])|{_ROUTE_GLUED}|(?=\s*/\s*hyaluronidase\b))\.?"
    rf"(?!\s*/\s*(?:d[lL]|kg|hr|h\b|min|day|m2|L\b))",
    re.IGNORECASE,
)
VOLUME = re.compile(
    rf"(?<![\w./])(?P<amount>{AMOUNT})\s*(?P<unit>{VOL_UNIT})(?:(?![a-z])|{_ROUTE_GLUED})",
    re.IGNORECASE,
)
# "0.6 mg/kg", and dictated "point six milligrams per kilo"
PER_KG = re.compile(rf"(?<![\w.])(?P<amount>{AMOUNT})\s*(?P<unit>{MASS_UNIT})\s*(?:/\s*kg\b|"
                    r"per\s+(?:kg|kilo(?:gram)?)\b)", re.IGNORECASE)
# "50 mg/m2", "50 mg per square meter": a dose per body surface area; the amount worked out
# from the BSA is the dose
PER_BSA = re.compile(
    rf"(?<![\w.])(?P<amount>{AMOUNT})\s*(?P<unit>{MASS_UNIT})\s*(?:/\s*m(?:2|\u00b2|\^2)(?!\w)|"
    r"per\s+(?:square\s+met(?:er|re)|sq\.?\s*m\b|m(?:2|\u00b2)(?!\w)))", re.IGNORECASE)
WEIGHT = re.compile(
    rf"\b(?:weight|wt|weighs|weighing)\s*:?\s*(?:is\s*)?(?P<amount>{_NUM}|{_WORDNUM})\s*"
    r"(?P<unit>kg|kgs|kilos|kilograms|lb|lbs|pounds)\b",
    re.IGNORECASE,
)
RANGE = re.compile(  # not "exp 11/2026 - 40 mg SC": a date's year before the dose, nor
    # "syringe #1 - 150 mg", "Syringe 1 - 300 mg", "pen 2 - 150 mg": a count's number
    r"(?<!syringe )(?<!pen )(?<!injection )(?<!inj )(?<!site )(?<!dose )(?<!shot )"
    rf"(?<![\w/.#])(?P<low>{_NUM})[ \t]*(?:-|to|–)[ \t]*(?P<high>{_NUM})\s*(?P<unit>{MASS_UNIT})\b", re.IGNORECASE
)

NDC = re.compile(
    r"(?<![\d-])(?P<ndc>\d{4,5}-\d{3,4}-\d{1,2}|\d{11}|\d{10})(?![\d-])",
)
NDC_CONTEXT = re.compile(r"\bNDC\b\s*(?:#|no\.?|number|code)?\s*:?\s*", re.IGNORECASE)
LOT = re.compile(
    r"\blot\s*(?:#|no\.?|number|num)?(?:\s*/\s*exp(?:iration|iry)?\.?(?:\s*date)?)?\s*[:|]?\s*#?\s*"
    r"(?P<lot>[A-Z0-9][A-Z0-9-]{2,19})\b",
    re.IGNORECASE,
)  # "Lot: AB12C", "lot #AB12C", "| Lot / Exp | KHG4410 / 08-2027 |"
EXPIRATION = re.compile(
    r"\b(?:exp(?:iration|iry|ires)?\.?(?:\s*date)?|expiring)\s*:?\s*"
    r"(?P<exp>\d{1,2}/\d{2,4}(?:/\d{2,4})?|\d{4}-\d{2}(?:-\d{2})?|[A-Z][a-z]{2,8}\.?\s+\d{4})",
    re.IGNORECASE,
)
# right after the word that says the dose happened: "given 0930", "GIVEN 1015"
_AFTER_GIVEN = r"(?:(?<=(?i:given) )|(?<=(?i:administered) ))"
TIME = re.compile(
    r"(?:(?:\b(?:at|time\s*:?|given at|administered at)|@)\s*|(?<![\d:/.])(?=(?:[01]?\d|2[0-3]):[0-5]\d\b)"
    rf"|{_AFTER_GIVEN}(?=(?:[01]\d|2[0-3])[0-5]\d\b))"
    r"(?P<time>(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*[AaPp]\.?[Mm]\.?)?|(?:[01]\d|2[0-3])[0-5]\d\s*(?:hrs?|hours)"
    r"|(?:1[0-2]|0?[1-9])\s*[AaPp]\.?[Mm]\.?|(?:[01]\d|2[0-3])[0-5]\d(?=\s*(?:-|–|to)\s*(?:[01]\d|2[0-3])"
    r"[0-5]\d\b)|(?<=[@t] )(?:[01]\d|2[0-3])[0-5]\d\b"
    # "Phenergan 1 mL IM L glute given 0930", "GIVEN 1015": a 24-hour time after the word that
    # says it happened (not an amount, "given 1000 mcg"; a year stays a DATE's)
    rf"|{_AFTER_GIVEN}(?:[01]\d|2[0-3])[0-5]\d\b"
    r"(?![ \t]*(?i:mg|mcg|micrograms?|units?|u|iu|ml|cc|g|gm|mu)\b))"
    # "ALLERGENIC EXTRACT vial A 1:10 v/v", "1:20 dilution": a strength, not a clock time
    r"(?!\s*(?i:v/v|w/v|vol/vol|wt/vol|dil\w*|strength)\b)",
)
# A list or log entry that opens with a 24-hour clock time and then words: "- 1040 ondansetron
# 4 mg IV push", "1432 Toradol 60 IM". Not an amount ("1000 mcg B12"): a unit word may not follow.
LINE_TIME = re.compile(
    r"^[ \t]*(?:[-*\u2022][ \t]*)?(?P<time>(?:[01]\d|2[0-3])[0-5]\d)(?:\s*(?:hrs?|h)\b)?[ \t]*[:\-\u2013]?"
    r"[ \t]+(?!(?:mg|mcg|micrograms?|milligrams?|units?|u|iu|ml|cc|g|gm|grams?|meq|mmol|"
    r"tabs?|caps?|puffs?|drops?)\b)(?=[A-Za-z])",
    re.IGNORECASE | re.MULTILINE,
)
# A 24-hour clock time written right after the route: "1.4 mL R ant thigh + L ant thigh, IM, 1140",
# "L VG 1 mL - IM, 1510". Not an amount ("IM - 1000 mcg"): a unit word may not follow.
ROUTE_TIME = re.compile(
    r"\b(?:IM|I\.M\.|IMI|SC|SQ|s/c|sub-?q|subcut)[ \t]*[,\-\u2013][ \t]*"
    r"(?P<time>(?:[01]\d|2[0-3])[0-5]\d)\b(?![ \t]*(?:mg|mcg|micrograms?|units?|u|iu|ml|cc|g|"
    r"gm|mu)\b)",
    re.IGNORECASE,
)
# A clock time that stamps the note rather than the dose: "-- signed T. Mahlangu, RN 03/11/2026
# 10:05", "ADDENDUM (entered 03/11/2026 16:48 by ...)", "Electronically signed by ... at 5:12 PM".
# The word sits earlier on the time's own line.
STAMP_BEFORE_TIME = re.compile(
    r"\b(?:(?:e-|electronically\s+|co-?)?signed|entered|dictated|transcribed|printed|attested)\b"
    r"[^\n]{0,60}\Z"
    # "Provider addendum 16:50:", "RN NOTE 16:02": the entry's own time, right after its label
    r"|\b(?:addendum|(?:rn|nurse|nursing|provider|physician|md|progress)\s+note)[ \t:,-]{0,3}"
    r"(?:at[ \t]+)?(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?[ \t]+)?\Z"
    # an order's schedule: "IM, Once, Routine, Start: 06/23/26 10:05:00 CDT, Stop: ..."
    r"|\b(?:start|stop|scheduled|sched|due)(?:[ \t]+(?:date|time|date/time))?[ \t]*:[ \t]*"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?[ \t]+)?\Z",
    re.IGNORECASE,
)
# Who may bill the visit (a practitioner), who gives shots under supervision (nursing staff), and
# the other credentials a note signs with; CREDENTIAL's value is the credential without dots
PRACTITIONER_CREDENTIALS = frozenset({
    "MD", "DO", "DPM", "NP", "NP-C", "FNP", "FNP-C", "FNP-BC", "PMHNP", "PMHNP-BC", "WHNP",
    "WHNP-BC", "AGNP", "AGNP-BC", "ACNP", "ACNP-BC", "ANP", "ANP-BC", "DNP", "DNP-BC", "APRN", "CNP",
    "PA", "PA-C", "CNM", "PNP", "CPNP", "CPNP-PC", "CPNP-AC",
})
# "RGN", "RMN": registered general and mental health nurses, as UK-trained nurses sign
STAFF_CREDENTIALS = frozenset({"RN", "LPN", "LVN", "MA", "CMA", "RMA", "RGN", "RMN"})
_OTHER_CREDENTIALS = ("PharmD", "RPh", "LCSW", "LMSW", "LPC", "LCPC", "LMFT", "CADC", "LADC")
CREDENTIAL = re.compile(
    r"(?<![\w])(?P<cred>R\.N\.|M\.D\.|D\.O\.|" + "|".join(
        re.escape(c) for c in sorted({*PRACTITIONER_CREDENTIALS, *STAFF_CREDENTIALS,
                                      *_OTHER_CREDENTIALS}, key=len, reverse=True))
    + r")(?![\w-])"
)
ICD10 = re.compile(
    r"(?<![\w.-])(?P<code>[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?|[a-tv-z][0-9][0-9a-z]\.[0-9a-z]{1,4})"
    r"(?![\w-])"
)
SIGNATURE_CREDENTIAL = re.compile(
    r"(?<![\w])(?:-{1,2}|—)\s*[A-Za-z. ]{0,25}?\b(?P<cred>rn|lpn|lvn|ma|cma|md|np|pa|do)\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
EM_TIME = re.compile(
    # the cue, then up to a long clause of what the time included ("Total time on the date of
    # the encounter, including review of the ER records, examination, counseling and
    # documentation: 42 minutes"), never crossing a sentence, a line or another number
    r"(?:total\s+(?:time|of)|spent\s+(?:a\s+total\s+of\s+)?|time\s+spent|^[ \t]*time\s*:)"
    # (dictated, the number may be spelled out: "I spent thirty two minutes total")
    rf"[^.\n\d]{{0,150}}?(?P<minutes>\d{{1,3}}|\b{_BELOW_100})\s*(?:minutes|mins?)\b"
    # or the number first: "40 min total today", "35 minutes were spent with the patient"
    r"|\b(?P<minutes_first>\d{1,3})\s*(?:minutes|mins?)\s+(?:total\b|in\s+total\b|"
    r"(?:were\s+|was\s+)?spent\s+(?:with|on|in|face|today|counsel))",
    re.IGNORECASE | re.MULTILINE,
)


def parse_amount(raw: str) -> Decimal:
    """Turn "1,000", ".5", "two", "1/2" into a Decimal."""
    raw = raw.strip().lower()
    raw = _VULGAR.get(raw, raw)
    if re.fullmatch(_SPACE_GROUPED, raw):
        raw = re.sub(r"\D", "", raw)
    if re.fullmatch(_FRACTION, raw):
        num, den = raw.split("/")
        return (Decimal(num) / Decimal(den)).quantize(Decimal("0.001")).normalize()
    if raw[:1].isalpha():
        return words_to_number(raw)
    if raw.startswith("."):
        raw = "0" + raw
    if re.fullmatch(_DECIMAL_COMMA, raw):
        return Decimal(raw.replace(",", "."))
    return Decimal(raw.replace(",", ""))


def words_to_number(raw: str) -> Decimal:
    """Turn a dictated amount ("twenty-five", "one hundred twenty", "one point two") into a Decimal."""
    words = re.split(r"[\s-]+", raw.strip().lower())
    if words in (["half"], ["one", "half"]):
        return Decimal("0.5")
    if len(words) > 1 and words[0] in _DIGITS and (words[1] == "oh" or words[1] in _TENS):
        # "two thirty four" (234), "one oh four" (104): hundreds said as a digit
        rest = [w for w in words[1:] if w != "oh"]
        return _DIGITS[words[0]] * 100 + words_to_number(" ".join(rest))
    total, current, decimals, frac = 0, 0, None, Decimal(0)
    for word in words:
        if decimals is not None:
            decimals += 1
            frac += Decimal(_ONES.get(word, 0)) / Decimal(10) ** decimals  # "zero", "oh": 0
        elif word in _ONES:
            current += _ONES[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word == "point":
            decimals = 0
        elif word == "half":
            frac += Decimal("0.5")
    return Decimal(total + current) + frac


# Unit words that scale their amount to plain units
SCALED_UNITS = {"million units": 1_000_000, "lakh units": 100_000}


def canonical_unit(raw: str) -> str:
    """Map a unit word ("mgs", "cc", "IU") to the contract's unit vocabulary.

    Case-blind patterns match the Greek mu ("\u03bcg") where they list the micro sign ("\u00b5g"),
    so both (and the capital) read as the micro sign.
    """
    key = re.sub(r"\s+", " ", raw.casefold().rstrip(".")).replace("\u03bc", "\u00b5")
    return UNIT_WORDS[key]


@cache
def vocabulary() -> dict[str, Any]:
    """Route, site and cue vocabularies from ``patterns/vocabulary.json``."""
    text = resources.files("extractor.patterns").joinpath("vocabulary.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# a count of syringes after a per-syringe amount: "1.2 million units/2 mL syringe x 2", "x 2
# injections" (a SPLIT cue, and what tells a per-syringe amount from a total to halve)
# "syringe x 2", "PFS x 2" (prefilled syringe), "x2 injections"
SYRINGE_COUNT = (r"(?:syringes?|injections?|pens?|pfs)\s*x\s*(?:2|two)\b|x\s*(?:2|two)\s+(?:syringes|"
                 r"injections|pens)\b")

def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first, with flexible inner spaces."""
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
