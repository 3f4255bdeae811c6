"""Extractor layer: ``shotcoder_admin_details``, the documentation elements of an injection.

Lot, expiration, NDC, time, who administered (credential), the order referenced, post-injection
monitoring, consent/education, on-body injector devices, ultrasound guidance and repeat-dose
cues, each as a mention the adapter attaches to the nearest drug.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.regexes import (
    CREDENTIAL,
    EXPIRATION,
    LINE_TIME,
    LOT,
    MONTH_NAME,
    NDC,
    NDC_CONTEXT,
    ROUTE_TIME,
    SIGNATURE_CREDENTIAL,
    STAMP_BEFORE_TIME,
    SYRINGE_COUNT,
    TIME,
)

# one part of a split dose: "4 mL L", "1.2 million units IM R", "300 mg into the left"
_PART = (
    r"\d[\d.,]*\s*(?:ml|cc|mu|million\s+units|units?|mg)(?:\s*\([^()\n]{0,20}\))?\s+"
    r"(?:(?:im|sc|subq?)\s+)?"
    r"(?:(?:in|into|to)\s+)?(?:the\s+)?(?:l|r|lt|rt|left|right)\.?"
)

CUES: dict[str, list[tuple[str, str]]] = {
    "ORDER": [
        (
            r"per\s+standing\s+orders?|standing\s+orders?|per\s+protocol|per\s+clinic\s+protocol",
            "standing_order",
        ),
        (
            r"per\s+(?:dr\.?|doctor|physician|provider|md|np|pa)\b[^.\n]{0,30}?\border|"
            r"per\s+(?:the\s+)?(?:physician|provider|md|doctor)(?:'s)?\s+order|per\s+order|"
            r"verbal\s+order|ordered\s+by|order\s+(?:from|by)\s+(?:dr\.?|doctor)|as\s+ordered|"
            r"per\s+(?:dr\.?\s+)?[A-Z][a-z]+(?:'s)?\s+order",
            "physician_order",
        ),
    ],
    "MONITORING": [
        (
            r"observed\s+(?:for\s+)?\d+\s*(?:min|minutes)|observ(?:ed|ation)\b|monitored|"
            r"tolerated(?:\s+(?:well|without|procedure|injection))?|no\s+(?:adverse|immediate)\s+"
            r"(?:reaction|effects?|events?)|no\s+reaction|waited\s+\d+\s*(?:min|minutes)|"
            r"post[-\s]injection\s+(?:observation|monitoring)|no\s+signs\s+of\s+(?:anaphylaxis|reaction)",
            "monitoring",
        ),
    ],
    "CONSENT": [
        (
            r"(?:verbal|written|informed)\s+consent|consent(?:ed)?\s+(?:obtained|signed|given)|"
            r"consented|\bvis\b\s+(?:given|provided|reviewed)|vaccine\s+information\s+statement|"
            r"education\s+(?:provided|given|done)|educated\s+(?:on|about|regarding)|"
            r"risks?\s+(?:and|&)\s+benefits|patient\s+agreed|agreeable\s+to",
            "consent",
        ),
    ],
    "DEVICE": [(r"on-?body\s+injector|onpro|wearable\s+injector", "on_body_injector")],
    "GUIDANCE": [
        (
            r"ultrasound[-\s]guid(?:ed|ance)|under\s+ultrasound|us[-\s]guided|"
            r"sonographic(?:ally)?\s+guid",
            "ultrasound",
        )
    ],
    "RECORDING": [
        (
            r"images?\s+(?:were\s+|was\s+)?(?:captured|stored|saved|recorded|archived|retained)|"
            r"permanent(?:ly)?\s+(?:recorded|recording|record|image)|(?:captured|stored|saved)\s+"
            r"(?:images?|in\s+the\s+(?:emr|chart|pacs))|image\s+documentation",
            "image_recording",
        )
    ],
    "SPLIT": [
        (
            r"split\s+(?:for|due\s+to|d/t|b/c|because|between|into|in\b|across|\d[\d.]*\s*(?:ml|cc)\b)|"
            r"split(?=\s*[:-]?\s*\d[\d.,]*\s*(?:mu|million|mg|mcg|units?)\b)|"
            # "Pt is very thin and asked to split it:" over the two rows it lists
            r"split(?:\s+(?:it|the\s+dose))?(?=[ \t]*:)|"
            # "volume too much for one site so divide:" over the two lines it lists
            r"divided?\s+(?:between|into|over|in\s+(?:two|2|half))|divided?(?=[ \t]*:)|"
            r"in(?:to)?\s+each\s+(?:\w+\s+){0,2}?(?:muscle|buttock|(?:dorso|ventro)?gluteal|glute|deltoid|"
            r"thigh|side|hip|vastus)|"
            r"half\s+(?:in|into)\s+each|(?:into|in)\s+both\s+(?:buttocks|gluteals|glutes|deltoids|"
            r"thighs|hips|sides)|(?:given|administered|injected|drawn\s+up)(?:\s+today)?\s+as\s+"
            r"(?:two|2)\b|"
            # "Bicillin L-A stocked as 1,200,000 units/2 mL PFS -> 2 syringes:" over the two
            r"(?:->|=>|\u2192|=)\s*(?:two|2)\s+(?:prefilled\s+)?(?:syringes|injections|pens)\b|"
            # "administered by our nurse ... as two injections because of the volume"
            r"\bas\s+(?:two|2)\s+(?:separate\s+|prefilled\s+)?(?:injections|syringes|shots|pens)\b|"
            # "Administered 2 prefilled syringes, 105 mg/1.17 mL each"
            r"(?:given|administered|injected|gave)\s+(?:two|2)\s+(?:prefilled\s+)?(?:syringes|pens|"
            r"autoinjectors)\b|"
            # "7 mL IM total: 4 mL L ventrogluteal + 3 mL R ventrogluteal", "as 1.2 million units
            # IM R ventrogluteal + 1.2 million units IM L vastus lateralis"
            # "1.2 million units IM in the right buttock (ventrogluteal) and 1.2 million units ..."
            rf"{_PART}\s+[a-z]+(?:\s+[a-z]+)?(?:\s*\([^()\n]{{0,30}}\))?\s*(?:\+|&|and)\s*"
            rf"{_PART}\b|"
            # "927 mg SC today as 2 x 1.5 mL (463.5 mg each): L upper abdomen ... and L lower"
            r"\bas\s+(?:two|2)\s*x\s*\d[\d.,]*\s*(?:mg|mcg|units?|ml|cc|mu)\b|"
            r"(?:two|2)\s*x\s*\d[\d.,]*\s*(?:mg|mcg|units?|ml|mu|million\s+units)\b"
            r"(?:[^.\n]|\.(?=\d)){0,30}?(?:syringes|injections|pens|PFS\b)|"
            r"(?:two|2)\s+(?:separate|different)\s+(?:sites|injections|syringes)|"
            # "1,200,000 units/2 mL prefilled syringe x 2" ("Injection #2:" may be another drug)
            + SYRINGE_COUNT + "|"
            + r"\b(?:two|2)\s+\d[\d.,]*\s*(?:million\s+)?(?:mg|mcg|units?)(?:\s*/\s*(?:\d[\d.]*\s*)?ml)?\s+"
            r"(?:prefilled\s+)?"
            # ("= two 105 mg/1.17 mL PFS")
            r"(?:syringes|pens|injections|autoinjectors|PFS)\b",
            "split",
        )
    ],
    "SHARED_SYRINGE": [
        (
            r"(?:in|into)\s+(?:one|a\s+single|the\s+same|1)\s+(?:\d+(?:\.\d+)?\s*(?:ml|cc)\s+)?"
            r"syringe|drawn\s+up\s+together|(?:as|in)\s+(?:a\s+)?single\s+(?:im\s+|sc\s+|subq?\s+)?"
            r"(?:injection|shot)|combined\s+in\s+(?:one|a|the\s+same)\s+syringe|same\s+syringe",
            "one_syringe",
        )
    ],
    "REPEAT": [
        (
            # "may repeat x1 in 30 min" permits a repeat; it is not one
            r"(?<!may )(?<!can )(?<!ok to )(?<!okay to )(?<!could )"
            r"(?:\brepeat(?:ed)?\b|re-?dos(?:e|ed|ing)\b)|(?:second|2nd|third|3rd)\s+dose|"
            r"additional\s+dose|another\s+dose|again\s+at|given\s+again|dose\s+#?2\b",
            "repeat",
        )
    ],
    "GIVEN_BY": [
        (
            r"(?:given|administered|injected|admin'?d|performed|done)\s+by\b|"
            r"administering\s+(?:nurse|staff|clinician)|given\s+by",
            "given_by",
        )
    ],
}

# a month as a capitalised word: "March", "Mar", "Mar.", "Sept" ("May" only before a day
# written with its ordinal, "May 3rd", since "May 3" could be a sentence's first words)
_MONTH_WORD = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?![A-Za-z])"
    r"|May(?=[ \t]+\d{1,2}(?:st|nd|rd|th)\b)"
)

DATE = re.compile(
    r"(?<![\d/.])(?:(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])(?:/(?P<y>\d{4}|\d{2}))?"
    # a day that cannot be a month puts the day first: "19/02/2026", "23/11/25"
    r"|(?P<fd>3[01]|2\d|1[3-9])/(?P<fm>1[0-2]|0?[1-9])/(?P<fy>\d{4}|\d{2})"
    # ISO "2026-02-19" and US "02-19-2026"
    r"|(?<!-)(?P<iy>20\d{2})-(?P<im>1[0-2]|0[1-9])-(?P<id>3[01]|[12]\d|0[1-9])(?!-)"
    r"|(?<!-)(?P<hm>1[0-2]|0?[1-9])-(?P<hd>3[01]|[12]\d|0?[1-9])-(?P<hy>(?:19|20)\d{2})(?!-)"
    # "19 Feb 2026", "19-Feb-26", "Feb 19, 2026", "February 19th 2026"
    r"|(?P<nd>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?[ \t-](?P<nmon>" + MONTH_NAME
    + r")[ \t,-]+(?P<ny>20\d{2}|\d{2})"
    # no year, day and month hyphenated: "placed 20-SEP 0710"
    r"|(?P<nd5>3[01]|[12]\d|0?[1-9])-(?P<nmon5>" + MONTH_NAME
    + r")(?![A-Za-z]|-\d|[ \t,]+(?:20)?\d{2}\b)"
    r"|(?P<nmon2>" + MONTH_NAME + r")[ \t]+(?P<nd2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?[ \t]+"
    r"(?P<ny2>20\d{2})"
    r"|(?P<m2>1[0-2]|0?[1-9])/(?P<y2>20\d{2})"
    r"|(?P<mon>" + MONTH_NAME + r")\s+(?P<y3>20\d{2})"
    # no year, the month written as a capitalised word: "on March 30th", "Dec 8" (a lower-case
    # "may" is a verb; a following amount or unit makes it no day)
    r"|(?-i:(?P<nmon3>" + _MONTH_WORD + r"))[ \t]+(?P<nd3>3[01]|[12]\d|0?[1-9])"
    r"(?:st|nd|rd|th)?\b(?![ \t]*(?:[\d:.,/-]\d|mg|mcg|units?|ml|cc|mL|%))"
    # a bare year after the event: "MenACWY booster given 2025", "Tdap received in 2019"
    r"|(?:" + "|".join(f"(?<={w} )|(?<={w} in )" for w in (
        "given", "received", "rec'd", "done", "completed", "administered"))
    # (not 1900-1959: "given 1930" is half past seven in the evening)
    + r")(?P<y4>19[6-9]\d|20\d{2}))"
    r"(?![\d/])",
    re.IGNORECASE,
)
_SCORE_BEFORE = re.compile(
    r"(?:pain|score|scale|severity|rated|rates|intensity|nausea|anxiety|cravings?|->|\u2192|"
    r"\bha|\bh/a|headache|discomfort|itch\w*|dizziness|symptoms|\bsx|"
    r"/10\s*(?:to|now)?|"
    # "pain down to 3/10", "pain improved to 2/10", "pain went from 8 to 3/10"
    r"\b(?:pain|nausea|headache)\s+(?:[a-z]+\s+){0,3}(?:to|at|now))\W*$", re.IGNORECASE)
_SCORE_AFTER = re.compile(r"\s*(?:->|\u2192|pain|to\s+\d)", re.IGNORECASE)
# "1/2 cc" is a fraction; so is a needle's length, '27G 1/2"', "27g 1/2in" or "5/8 inch"
_UNIT_AFTER = re.compile(
    r"in\b|\s*(?:cc|ml|mg|mcg|tabs?|units?|amp|vial|of\b|\"|''|inch(?:es)?\b)", re.IGNORECASE)
# "today dose 3/12", "this injection 2/3", "cycle 4/6": a count; "last inj 07/28" is a day
_COUNT_BEFORE = re.compile(
    r"(?:\b(?:(?:today'?s?|this|current)[ \t]+(?:dose|injection|inj|shot)|cycle|"
    r"(?<!last )(?<!next )(?<!prior )(?<!previous )(?<!due )dose)[ \t]*#?"
    # a number sign alone: "Shingrix (RZV) #2/2" is the second of two doses
    r"|(?<![^\s(])#)[ \t]*$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def _year(raw: str | None) -> int | None:
    """A written year; two digits are this century's."""
    if not raw:
        return None
    return int(raw) + (2000 if len(raw) <= 2 else 0)


def writes_day_first(text: str) -> bool:
    """Whether a note writes its dates day first: it has one like "19/02/2026"."""
    return any(m["fd"] for m in DATE.finditer(text))


def _parse_date(m: re.Match[str], day_first: bool = False) -> tuple[int | None, int, int | None]:
    """(year or None, month, day or None): the adapter fills a missing year from the DOS.

    ``day_first``: the note writes its dates day first (it has one like "19/02/2026"), so an
    ambiguous "06/05/2026" is the 6th of May.
    """
    if m["m"]:
        month, day = int(m["m"]), int(m["d"])
        if day_first and m["y"] and day <= 12:
            month, day = day, month
        return _year(m["y"]), month, day
    if m["fd"]:
        return _year(m["fy"]), int(m["fm"]), int(m["fd"])
    if m["iy"]:
        return int(m["iy"]), int(m["im"]), int(m["id"])
    if m["hm"]:
        return int(m["hy"]), int(m["hm"]), int(m["hd"])
    if m["nd"]:
        return _year(m["ny"]), _MONTHS[m["nmon"].lower()[:3]], int(m["nd"])
    if m["nd2"]:
        return int(m["ny2"]), _MONTHS[m["nmon2"].lower()[:3]], int(m["nd2"])
    if m["nd5"]:
        return None, _MONTHS[m["nmon5"].lower()[:3]], int(m["nd5"])
    if m["m2"]:
        return int(m["y2"]), int(m["m2"]), None
    if m["nd3"]:
        return None, _MONTHS[m["nmon3"].lower()[:3]], int(m["nd3"])
    if m["y4"]:
        return int(m["y4"]), 12, None  # the year's last month: only an earlier year is the past
    return int(m["y3"]), _MONTHS[m["mon"].lower()[:3]], None


@Language.factory(
    "shotcoder_admin_details", assigns=["doc._.shotcoder_mentions"], default_config={}
)
def make_admin_details(nlp: Language, name: str) -> "AdminDetailsParser":
    """Build the administration-details parser (spaCy factory)."""
    return AdminDetailsParser(name=name)


class AdminDetailsParser:
    """Tag LOT, EXPIRATION, NDC, TIME, CREDENTIAL and cue mentions."""

    version = 1

    def __init__(self, *, name: str) -> None:
        """Compile the cue patterns.

        Args:
            name: Component instance name.
        """
        register_extensions()
        self.name = name
        self.cues = {
            label: [(re.compile(p, re.IGNORECASE), kind) for p, kind in entries]
            for label, entries in CUES.items()
        }

    def __call__(self, doc: Doc) -> Doc:
        """Add the mentions."""
        text = doc.text
        src = f"{self.name}@{self.version}"
        store = mentions(doc)
        store["LOT"] = [
            Mention(m.start("lot"), m.end("lot"), "LOT", m["lot"], src)
            for m in LOT.finditer(text)
            if any(c.isdigit() for c in m["lot"])
        ]
        store["EXPIRATION"] = [
            Mention(m.start("exp"), m.end("exp"), "EXPIRATION", m["exp"], src)
            for m in EXPIRATION.finditer(text)
        ]
        ndcs = []
        for m in NDC.finditer(text):
            raw = m["ndc"]
            context = text[max(0, m.start() - 20) : m.start()]
            if "-" not in raw and not NDC_CONTEXT.search(context):
                continue  # a bare 10/11-digit number is only an NDC when labelled as one
            if "-" in raw and not NDC_CONTEXT.search(context) and len(raw) not in (12, 13):
                continue
            ndcs.append(Mention(m.start(), m.end(), "NDC", raw, src))
        store["NDC"] = ndcs
        # a time in running text first, then a log line's leading time ("1040 ondansetron ...")
        # and a time written after the route ("IM, 1510"), each once
        times: dict[int, Mention] = {}
        for pattern in (TIME, LINE_TIME, ROUTE_TIME):
            for m in pattern.finditer(text):
                times.setdefault(m.start("time"), Mention(m.start("time"), m.end("time"), "TIME",
                                                          m["time"], src))
        store["TIME"] = list(times.values())
        # a signing or entry stamp is when the note was written, not when the dose was given
        store["TIME"] = sorted(
            (m for m in store["TIME"] if not STAMP_BEFORE_TIME.search(
                text, text.rfind("\n", 0, m.start) + 1, m.start)),
            key=lambda m: m.start)
        dates = []
        found = list(DATE.finditer(text))
        day_first = any(m["fd"] for m in found)
        for m in found:
            if _UNIT_AFTER.match(text, m.end()):
                continue  # "1/2 cc", '25G 5/8"' are fractions, not January 2nd
            if m["m"] and not m["y"] and int(m["m"]) <= int(m["d"]) and _COUNT_BEFORE.search(
                    text, max(0, m.start() - 14), m.start()):
                continue  # "today dose 3/12", "injection 2/3": a count of a series, not a day
            if m.group(0).endswith("/10") and (
                    _SCORE_BEFORE.search(text, max(0, m.start() - 25), m.start())
                    or _SCORE_AFTER.match(text, m.end())):
                continue  # "pain 7/10 -> 2/10" is a score, not July 10th
            dates.append(Mention(m.start(), m.end(), "DATE", _parse_date(m, day_first), src))
        store["DATE"] = dates
        creds = [
            Mention(m.start(), m.end(), "CREDENTIAL", m["cred"].replace(".", "").upper(), src)
            for m in CREDENTIAL.finditer(text)
        ]
        # lower-case signature lines ("... -dd ma", "-b. sousa lpn")
        creds += [
            Mention(m.start("cred"), m.end("cred"), "CREDENTIAL", m["cred"].upper(), src)
            for m in SIGNATURE_CREDENTIAL.finditer(text)
            if not any(c.start == m.start("cred") for c in creds)
        ]
        store["CREDENTIAL"] = sorted(creds, key=lambda c: c.start)
        for label, entries in self.cues.items():
            store[label] = [
                Mention(m.start(), m.end(), label, kind, src)
                for pattern, kind in entries
                for m in pattern.finditer(text)
            ]
        return doc
