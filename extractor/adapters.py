"""Extractor layer: turn a processed ``Doc`` into ``models.Extraction`` (the only spaCy→pydantic step).

Each drug mention opens a *frame*: the text from the drug name to the next drug name, the next
blank line or section header, or ``frame_max_chars``, whichever comes first. Dose, route, site,
lot, NDC and the rest are attached from the frame (nearest first), falling back to the part of
the sentence before the drug name. Status comes from ConText modifiers, each owned by the drug
nearest to it so that "Toradol given and Phenergan declined" does not leak, then from the section
the mention sits in. Frames of one drug are merged into administrations: an order and its
administration are one event; two given frames at two documented sites, or a documented repeat,
are two.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from spacy.tokens import Doc

from extractor.components.admin_details import writes_day_first
from extractor.components.sections import GIVEN_TODAY_LEAD, UPPER_HEADER, section_at
from extractor.extensions import mentions
from extractor.mentions import Mention
from extractor.practitioner import practitioner_of
from extractor.regexes import (
    AMOUNT,
    ANY_BOX,
    ARROW,
    CHECKED,
    CREDENTIAL,
    EMPTY_BOX,
    LOCAL_ANESTHETIC,
    MASS_UNIT,
    MONTH_NAME,
    PRACTITIONER_CREDENTIALS,
    STAFF_CREDENTIALS,
    SYRINGE_COUNT,
    TIME,
    UNCHECKED_BEFORE,
    UNIT_WORDS,
    VOL_UNIT,
    alternation,
    parse_amount,
    vocabulary,
)
from extractor.supply import BROUGHT_IN, BROUGHT_OWN, OWN_PACKAGE, patient_supplied
from models import (
    Administration,
    AdministrationStatus,
    Cue,
    DiagnosisMention,
    Dose,
    DoseUnit,
    Drug,
    EmContent,
    Extraction,
    Ndc,
    Route,
    RouteValue,
    Site,
    Span,
    SpanLabel,
    TextValue,
)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK_END = re.compile(r"\n[ \t]*(?:[-=_*]{5,}[ \t]*)?\n")
_BULLET = r"(?:[-*\u2022]|\d{1,2}[.)])"  # a list item's mark: "-", "*", "•", "2.", "3)"
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d"  # a clock time: "9:05", "13:45"
# "  - ", "2. ", "  #2 " before a drug
_ITEM_OPENING = re.compile(r"[ \t]*(?:" + _BULLET + r"|#\d{1,2}[.):]?)[ \t]+")
# what may open a line before its label or time: indentation and an optional "-", "*" or "•"
_LINE_LEAD = r"[ \t]*(?:[-*\u2022]\s*)?"
_NEXT_ITEM = re.compile(
    r"\n[ \t]*" + _BULLET + r"[ \t]+|,\s*\d{1,2}\.\s+(?=[A-Z])"  # also ",3.  Next item"
)
# a list item that is one field of the drug's record: "Dose: 1000 mcg", "Site: L deltoid"
_DETAIL_ITEM = re.compile(
    r"(?:dose|amount|volume|strength|route|site|location|lot(?:\s*#|\s+no\.?)?|exp\w*|ndc|"
    r"manufacturer|mfr|needle|time(?:\s+given)?|given\s+by|administered\s+by)[ \t]*[:#]",
    re.IGNORECASE,
)
_NUMBERED_STEP = re.compile(r"\n[ \t]*\d{1,2}[.)]")  # "\n  3. 155 units injected IM"
# "Bicillin L-A 1,200,000 units/2 mL prefilled syringe x 2 (NDC ...):" then "- 1.2 million
# units IM R VG 10:12" items: a drug line ending in a colon heads the items that follow it
_HEADS_ITS_ITEMS = re.compile(r"[^\n]*:[ \t]*(?=\n)")
_DILUENT_BEFORE = re.compile(
    r"(?:reconstitut\w*|dilut\w*|mix\w*|dissolv\w*|with|w/|c\u0304|in|and|\+|diluent\s*:)\s*"
    r"(?:\d+(?:\.\d+)?\s*"
    r"(?:ml|cc)\s+(?:of\s+)?)?(?:\d+(?:\.\d+)?\s*%\s*)?(?:plain\s+)?$",
    re.IGNORECASE,
)
_RECONSTITUTION = re.compile(r"reconst|dilut|dissolv", re.IGNORECASE)
# a site written by another shot's place: "1 inch below Tdap", "2 cm from the PCV20 site"
_BESIDE_SHOT_BEFORE = re.compile(
    r"\b(?:inch(?:es)?|in\.?|cm)[ \t]+(?:below|above|from|away\s+from|distal\s+to|"
    r"proximal\s+to|apart\s+from)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
_DILUENT_NAMED_AFTER = re.compile(r"[ \t]+(?:as[ \t]+(?:the[ \t]+)?)?diluent\b", re.IGNORECASE)
_POWDERS = frozenset(vocabulary()["reconstituted_powders"])  # lidocaine after them: diluent
_ADDITIVE_BEFORE = re.compile(
    rf"(?:(?:{LOCAL_ANESTHETIC}|anesthetic)[^.;\n]{{0,30}}?\b(?:with|w/|and|plus|\+)\s*|without\s+|"
    # "lidocaine 1% (no epi)", "w/o epi": the anaesthetic's plain form
    rf"(?:{LOCAL_ANESTHETIC})[^.;\n]{{0,20}}?(?:\(\s*no|w/o|plain,?\s+no)\s+|"
    r"1\s*:\s*\d{2,3},?000\s*)$",
    re.IGNORECASE,
)
_SAME_DRUG_GAP = re.compile(
    r"[\s(),/:-]*(?:(?:er|xr|la|ir|depot|extended[- ]release|inj(?:ection)?\.?|"
    r"(?:\d|one|three|four|six)[- ]?(?:months?|mos?)|"  # "Lupron Depot 3-month (leuprolide)"
    # "Lupron Depot 22.5 mg 3-month kit (leuprolide acetate ...)": the package named between
    r"\d[\d.,]*\s*(?:mg|mcg|ml|cc|g|units?)?|for\s+injection|kit|(?:pre-?filled\s+)?syringe|"
    # "medroxyprogesterone acetate injectable suspension 104 mg/0.65 mL (Depo-SubQ Provera 104)"
    r"injectable|suspension|solution|vial|pen|"
    # "Flublok (recombinant influenza vaccine, trivalent)": a vaccine's kind named in the gloss
    r"recombinant|inactivated|live|adjuvanted|conjugated?|polysaccharide|high[- ]dose|"
    r"(?:tri|quadri)valent)[\s(),/:-]*){0,4}",
    re.IGNORECASE,
)
# "Toradol 60 mg IM R VG (ketorolac 30 mg/mL x 2 mL)": the product restated in parentheses
# after its own dose, route and site on the same line (not "Medroxyprogesterone acetate
# 150 mg/mL (Depo-Provera CI)", a vial's label)
_RESTATED_IN_PARENS = re.compile(
    r"[^.;\n()]{0,30}?\b(?:IM|SC|SQ|subq|intramuscular(?:ly)?|subcut\w*)\b[^.;\n()]{0,30}\(\s*",
    re.IGNORECASE)


def _restates(text: str, end: int, start: int) -> bool:
    """Whether a same-name mention at ``start`` restates the drug mentioned up to ``end``.

    "naltrexone ER (Vivitrol)", "Toradol 60 mg IM R VG (ketorolac ...)": _clean_drugs drops
    the repeat, and _repeat_of finds the drug it repeated by the same test.
    """
    gap = text[end:start]
    if _SLASH_DATE.search(gap):
        return False  # "Last B12 02/28/2026." then "Cyanocobalamin 1000 mcg IM": two mentions
    gap = _ARTICLE_IN_PARENS.sub("(", gap)  # "Prevnar 20 (the pneumonia shot)"
    return bool(_SAME_DRUG_GAP.fullmatch(gap) or _RESTATED_IN_PARENS.fullmatch(gap))


_ARTICLE_IN_PARENS = re.compile(r"\(\s*(?:the|an?)\s+$", re.IGNORECASE)


_DILUENTS = frozenset({"lidocaine", "sterile water", "sodium chloride", "bacteriostatic water"})
_STATUS_FIELD = re.compile(
    r"\b(?:status|given|administered)\s*:\s*(?P<v>given|yes|done|completed|refused|declined|"
    r"not\s+given|held|no)\b",
    re.IGNORECASE,
)
_STATUS_LABEL = re.compile(r"\bstatus\s*:", re.IGNORECASE)
# "Administered: [ ] Yes   [x] No - HELD", "Status: [x] Given [ ] Refused": the checked box
_STATUS_BOX = re.compile(
    r"\b(?:status|given|administered)\s*:?[^\n]{0,40}?(?:\[\s*[xX\u2713\u2714]\s*\]|\u2612|\u2611)"
    r"\s*(?P<v>given|yes|done|completed|refused|declined|not\s+given|held|no)\b",
    re.IGNORECASE,
)
_TEMPORAL_HISTORY = (
    "on intravenous", "on iv", "on subcutaneous", "on sq", "on continuous", "on a heparin",
    "on heparin", "was on", "has been on", "is on", "on chronic", "maintained on", "continued on",
    "was continued", "was started", "was placed", "was treated", "had received", "has received",
    "prior to admission", "before admission", "on admission", "outside hospital",
    "local hospital", "local er", "and transferred", "was transferred", "at the time of",
    "during the hosp", "during his hosp", "during her hosp", "at the outside",
    "ago",
    "yesterday",
    "last",
    "previous",
    "prior to arrival",
    "in the ed",
    "in the er",
    "at urgent care",
    "by ems",
    "outside",
    "another clinic",
)
_STRONG = {"NEGATED_EXISTENCE": 0, "DISCONTINUED": 1, "SELF": 2}
_STATUS_OF = {
    "NEGATED_EXISTENCE": AdministrationStatus.NOT_GIVEN,
    "DISCONTINUED": AdministrationStatus.DISCONTINUED,
    "HISTORICAL": AdministrationStatus.HISTORICAL,
    "HOME": AdministrationStatus.HISTORICAL,
    "SELF": AdministrationStatus.HISTORICAL,
    "HYPOTHETICAL": AdministrationStatus.PLANNED,
    "PRESCRIBED": AdministrationStatus.PLANNED,
    "ORDERED": AdministrationStatus.ORDERED,
    "REGIMEN": AdministrationStatus.HISTORICAL,
    "GIVEN": AdministrationStatus.GIVEN,
}
_ATTACH = (
    "SPLIT",
    "DOSE",
    "CONCENTRATION",
    "VOLUME",
    "PER_KG",
    "RANGE",
    "ROUTE",
    "SITE",
    "JOINT",
    "LOT",
    "EXPIRATION",
    "NDC",
    "TIME",
    "CREDENTIAL",
    "ORDER",
    "MONITORING",
    "CONSENT",
    "DEVICE",
    "GUIDANCE",
    "REPEAT",
    "GIVEN_BY",
    "PROCEDURE",
    "SHARED_SYRINGE",
)
_BACKWARD = (
    "ROUTE",
    "SITE",
    "JOINT",
    "DOSE",
    "VOLUME",
    "CONCENTRATION",
    "ORDER",
    "CREDENTIAL",
    "DEVICE",
    "GUIDANCE",
    "TIME",
    "PROCEDURE",
    "REPEAT",
    "SPLIT",
)
_AMOUNT_LABELS = frozenset({"DOSE", "VOLUME"})
_AMOUNT_OF_NEXT = re.compile(r"\s+of\s+")  # "sixty milligrams of Toradol": the amount's drug
# "diphenhydramine 50 mg, methylprednisolone": the next dose of a list, after its amount
_LIST_NEXT = re.compile(
    r"[ \t]*(?:\([^()\n]{0,40}\)[ \t]*)?(?:\d[\d.,]*[ \t]*(?:" + MASS_UNIT + "|" + VOL_UNIT
    + r")\b\.?[ \t]*)?"
    r"(?:,|&|\+|\band\b)[ \t]*(?:and[ \t]+)?", re.IGNORECASE)
_ROUTE_CHANGED = re.compile(
    r"\binstead\b|\b(?:changed|switched|converted|changing|switching)\s+(?:it\s+)?to\b",
    re.IGNORECASE)
_BEFORE_NAME = re.compile(r"[ \t]+")  # "oral cephalexin": a route written before its drug
# "..., then ", "; and ": a joining word that opens a new drug's phrase
_JOINS_NEXT = re.compile(r"(?:[,;]|\b(?:and|then|plus|followed\s+by))[ \t]*\Z", re.IGNORECASE)
# "  11:05 repeat ": a timeline row's clock time and a word or two before its drug
_ROW_OPENER = re.compile(_LINE_LEAD + r"\d{1,2}:?\d{2}[ \t]+(?:[A-Za-z]+[ \t]+){0,2}")
# "Second naloxone 0.4 mg IM", "repeat promethazine 12.5 mg": the drug given again
_REPEAT_BEFORE = re.compile(r"\b(?:second|2nd|third|3rd|repeat(?:ed)?|another)\s+(?:dose\s+of\s+)?"
                            r"$", re.IGNORECASE)
_ADJACENT_ONLY = frozenset({"VOLUME", "CONCENTRATION"})  # before the drug: "10 mL of 1% lidocaine"
_INJECTION_OF = re.compile(r"(?:\s+(?:injection|inj\.?|shot|dose))?\s+of\s+(?:the\s+)?",
                           re.IGNORECASE)
_AMOUNT_OF = re.compile(
    r"[\s(]*(?:of\s+)?(?:\d+(?:\.\d+)?\s*%\s*|\d[\d.,]*\s*(?:mg|mcg|units?)\s*/\s*(?:ml|cc)\s*)?"
    r"(?:plain\s+|preservative[- ]free\s+)?(?:of\s+)?",
    re.IGNORECASE,
)
_TIGHT_ROUTES = {"IM", "SC", "IV_PUSH", "IV_INFUSION"}
_TAIL_OVERLAP = frozenset({"DOSE", "CONCENTRATION"})  # "Kenalog 40 mg/mL" matched "kenalog 40"
_BEYOND_CHARS = 150  # how far past the drug's sentence a templated form's fields may sit
_SENTENCE_ONLY = frozenset({"PROCEDURE", "REPEAT", "SPLIT", "SHARED_SYRINGE"})


@dataclass
class Frame:
    """One drug mention and what was attached to it."""

    drug: Mention
    start: int
    end: int
    back_start: int
    section: str | None
    sent_start: int = 0
    sent_end: int = 0
    para_end: int = 0
    coordinated_with: Frame | None = None
    regimen: bool = False
    repeat_by_time: bool = False
    section_closed: bool = False
    """Whether another section follows the drug's section (a structured note)."""
    found: dict[str, list[Mention]] = field(default_factory=dict)
    joint_laterality: str | None = None
    """The one side every lateral joint named in the note agrees on ("RIGHT WRIST" in a title)."""
    status: AdministrationStatus | None = None
    status_cue: Mention | None = None
    dated_row: bool = False
    """Whether a log row's own date (not today's) decided the status."""
    next_drug: int = -1
    """Where the next drug mention starts (-1: none follows)."""
    correction_at: int = -1
    """Where the addendum or correction that charts the drug opens (-1: none)."""
    corrects: bool = False
    """Whether the frame corrects the dose charted above it ("correction: the dose actually
    given was 60 mg")."""
    dose_edit: Mention | None = None
    """The amount a later correction or edit says was given instead ("Dose 8 mg -> 4 mg")."""
    tissue: bool = False
    """Whether a tissue procedure named on the drug's line (intralesional, trigger point, a nerve
    block or a tendon sheath injection) injects it (no IM/SC/IV route of its own)."""

    def first(self, label: str) -> Mention | None:
        """The nearest attached mention with ``label`` (forward first, then backward)."""
        items = self.found.get(label) or []
        return items[0] if items else None


_AS_ABOVE = re.compile(r"(?:[ \t]+[\w-]+){0,3}?[ \t]*[(,-]?[ \t]*(?:as|see)[ \t]+(?:(?:noted|charted|"
                       r"documented|listed|recorded|given)[ \t]+)?above\b", re.IGNORECASE)


def _points_above(text: str, end: int) -> bool:
    """Whether the drug named just before ``end`` is followed by "as above" and no given-word."""
    m = _AS_ABOVE.match(text, end)
    return m is not None and not _FRAME_GIVEN.search(text, end, m.end())


_DATED_AFTER = re.compile(r"[ \t]*(?:(?:was|were)[ \t]+)?(?:given|administered|received|done)?"
                          r"[ \t]*(?:on[ \t]+)?\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE)
_BARE_AT_LINE_END = re.compile(r"[ \t]*[.,;)]*[ \t]*(?:\n|$)")
# "EpiPen present [x] Y", "Epi auto-injector: carries, in date", "epi auto-injector with her:
# YES": a pre-screen's check that the patient has the rescue pen, not a dose
_PEN_CHECKED_AFTER = re.compile(
    r"(?:[ \t]+auto-?injector)?[ \t]*:?[ \t]*(?:present|carries|carried|on\s+hand|in\s+date|"
    r"available|with\s+(?:pt|patient|her|him|them)|at\s+bedside)\b", re.IGNORECASE)

def doc_to_extraction(
    doc: Doc, *, frame_max_chars: int = 320, dos: date | None = None
) -> Extraction:
    """Build the contract ``Extraction`` from a processed doc.

    Args:
        doc: A doc processed by the shotcoder pipeline.
        frame_max_chars: How far after a drug name its attributes are looked for.
        dos: The date of service, when known (a dated earlier injection is historical).

    Returns:
        The extraction with every value carrying an exact evidence span.
    """
    text = doc.text
    store = mentions(doc)
    # "(dose 2 given 02/10/2026)": an earlier dose on its date, not a repeat today
    store["REPEAT"] = [m for m in store.get("REPEAT", []) if not _DATED_AFTER.match(text, m.end)]
    # "VIS 01/2026 given": the information sheet's edition, not a dose's date
    store["DATE"] = [m for m in store.get("DATE", [])
                     if not _VIS_EDITION_BEFORE.search(text, max(0, m.start - 24), m.start)]
    drugs = _clean_drugs(text, _bare_depo(_allergen_vials(text, store.get("DRUG", [])),
                                          store.get("BARE_DEPO", [])))
    drugs = _resolve_umbrellas(text, drugs)
    drugs = _vitamin_named(text, drugs)
    drugs = [d for d in drugs if d.value.name not in _IV_FLUIDS or _infused(text, d)]
    # "enoxaparin 1 mg/kg SC q12h bridge to warfarin.\n First dose 80 mg SC given": an oral
    # drug named bare at the end of a line does not take over the injection written under it
    drugs = [d for d in drugs if not (_is_oral_only(d) and _BARE_AT_LINE_END.match(text, d.end))]
    drugs = [d for d in drugs if not (d.value.name == "epinephrine"
                                      and _PEN_CHECKED_AFTER.match(text, d.end))]
    # "13:50 still wheezing -> second epinephrine dose as above": a pointer to the dose charted
    # earlier, not another one ("B12 given as above" under a MAR order is the dose charted)
    drugs = [d for i, d in enumerate(drugs)
             if not (_points_above(text, d.end)
                     and any(x.value.name == d.value.name for x in drugs[:i]))]
    cues = _owned_status_cues(doc, drugs)
    frames = _frames(doc, text, drugs, store, frame_max_chars)
    for frame in frames:
        _route_in_name(frame, store)
        _keep_product_routes(frame)
    home_visit = any(m.value == "12" for m in store.get("SETTING", []))
    if home_visit:  # "treat at home" in a house call is where the dose is given, not elsewhere
        cues = {k: [c for c in v if not (c[0] == "HOME" and text[c[1].start:c[1].end].lower()
                                         == "at home")] for k, v in cues.items()}
    for frame in reversed(frames):  # a coordinated partner (later in the text) decides first
        own = cues.get((frame.drug.start, frame.drug.end), [])
        partner = frame.coordinated_with
        if partner is not None and not own:
            # "Toradol 60 mg and Phenergan 25 mg IM were given": the cue serves both drugs.
            # A frequency belongs to its own drug's sig: "ceftriaxone 500 mg IM + doxycycline
            # 100 mg BID" does not make the ceftriaxone a regimen.
            own = [c for c in cues.get((partner.drug.start, partner.drug.end), [])
                   if c[0] != "REGIMEN"]
        _decide_status(text, frame, own, dos)
        if frame.status in (None, AdministrationStatus.ORDERED) or frame.regimen or (
                frame.status is AdministrationStatus.GIVEN and (
                    frame.status_cue is None or _cue_in_table_below(text, frame))):
            # an order's sig ("1 gram IM q24h x 3 doses") over its dated rows: the rows chart it
            _titled_log(text, frame, dos, store)
        if (partner is not None and frame.status is AdministrationStatus.ORDERED
                and partner.status is AdministrationStatus.GIVEN
                and partner.status_cue is not None):
            # "Ordered haloperidol 5 mg IM + lorazepam 2 mg IM (given by RN 02:25)"
            frame.status, frame.status_cue = partner.status, partner.status_cue
    _charted_med_lines(text, frames)
    _later_statements(text, frames)
    _drugless_given(text, frames, store)
    _mix_contents(text, frames)
    _dose_edits(text, frames, store.get("DOSE", []))
    _procedure_injectate(text, frames, store)
    for a, b in zip(frames, frames[1:], strict=False):
        if (a.status is AdministrationStatus.GIVEN and b.status is AdministrationStatus.HISTORICAL
                and a.status_cue is not None and a.status_cue.end <= a.drug.start
                and b.status_cue is not None and b.status_cue.start >= b.drug.end
                and a.sent_start == b.sent_start
                and b.drug.start - a.drug.end <= 40
                and _COORDINATED.search(text, a.drug.end, b.drug.start)
                and not _FUTURE.search(text, a.drug.end, b.drug.start)
                and not _FRAME_GIVEN.search(text, a.drug.end, b.status_cue.start)):
            # "He received ketorolac 30 mg IV and ondansetron 4 mg IV in the emergency
            # department at about 11 PM": one verb, one place, both drugs
            a.status, a.status_cue = b.status, b.status_cue
        if (b.status is None and a.status is not None and a.drug.value.name == b.drug.value.name
                and not _BRACKETED_ALIAS.fullmatch(text, a.drug.end, b.drug.start)
                and _BRACKETED_ASIDE.fullmatch(text, a.drug.end, b.drug.start)):
            # "I gave glucagon 1 mg IM ... (Lilly glucagon emergency kit, NDC ..., lot ...)": the
            # aside names the product the dose came from
            for label in ("NDC", "LOT", "EXPIRATION"):
                if not a.found.get(label):
                    a.found[label] = list(b.found.get(label, []))
        # a status read from a cue outweighs one assumed from the charted details
        cue_over_assumed = (a.status_cue is not None and b.status is not None
                            and b.status_cue is None)
        if ((a.status is None) != (b.status is None) or cue_over_assumed) and (
                a.drug.value.name == b.drug.value.name
                and _BRACKETED_ALIAS.fullmatch(text, a.drug.end, b.drug.start)):
            # "triamcinolone acetonide 40 milligrams (Kenalog-40, 1 mL) with 0.5% ropivacaine":
            # the bracketed name is the same dose; the status of either reaches the other (and
            # so the drug mixed in after it)
            # ("TST placed 11/02/2026 0710 R volar forearm (Aplisol 0.1 mL ID)" was placed that
            # day, whatever the bracketed product's details would assume)
            src, dst = (a, b) if b.status is None or cue_over_assumed else (b, a)
            dst.status, dst.status_cue = src.status, src.status_cue
            for label in ("ROUTE", "SITE", "JOINT"):
                if not dst.found.get(label):
                    dst.found[label] = list(src.found.get(label, []))
    for a in frames:
        b = a.coordinated_with
        if (b is not None and a.status is None and b.status is AdministrationStatus.GIVEN
                and b.status_cue is not None and b.status_cue.start > b.drug.end):
            # "40 mg of Kenalog mixed with 1 cc of lidocaine ... tolerated both procedures":
            # the cue after the second drug serves the first
            a.status, a.status_cue = b.status, b.status_cue
        if b is not None and b.status is None and a.status is AdministrationStatus.GIVEN:
            # "injected with 40 mg of Kenalog mixed with 4 cc of 1% lidocaine": the cue before
            # the first drug serves the second too
            b.status, b.status_cue = a.status, a.status_cue
            for label in ("ROUTE", "SITE", "JOINT"):
                if not b.found.get(label):
                    b.found[label] = list(a.found.get(label, []))
            b.back_start = min(b.back_start, a.back_start)  # the joint named before both
    for i, b in enumerate(frames):
        if b.status is not None:
            continue
        given = [a for a in frames[:i] if a.status is AdministrationStatus.GIVEN
                 and a.drug.value.name == b.drug.value.name and (
                     a.sent_start == b.sent_start or (
                         not b.found.get("DOSE") and a.sent_end <= b.sent_start
                         and not text[a.sent_end:b.sent_start].strip(" \t-:")))]
        if given:
            # "I give her Rocephin 1 gram and Dexamethasone 10 mg, both IM, Rocephin in left
            # gluteus and Dexamethasone in right deltoid": the drug named again says where, in
            # its sentence or the next ("... 125 mg IM - Benadryl L deltoid, Solu-Medrol R
            # deltoid")
            for label in ("ROUTE", "SITE"):
                if not given[-1].found.get(label):
                    given[-1].found[label] = list(b.found.get(label, []))
    _both_given(text, frames)
    _block_given_by(text, frames, store)
    for frame in frames:
        if frame.status is AdministrationStatus.DISCONTINUED:
            _partial_amount(text, frame, store)
    for lo, hi, header in _carried_forward(text):
        for frame in frames:
            if lo <= frame.drug.start < hi and frame.status in (
                    AdministrationStatus.GIVEN, AdministrationStatus.DISCONTINUED,
                    AdministrationStatus.ORDERED):
                # "*** Problem list / plan (carried forward from 08/26/2026 office visit) ***":
                # "Toradol 60 mg IM given today" in it was that visit's today
                frame.status, frame.status_cue = AdministrationStatus.HISTORICAL, header
    _umbrellas_named(frames)
    _dose_change_orders(text, frames)
    kept = [f for f in frames if f.status is not None]
    for frame in kept:
        if frame.status is not AdministrationStatus.HISTORICAL:
            _drop_earlier_dose_details(text, frame)
            _drop_dated_line_details(text, frame, frames, store.get("DATE", []), dos)
        for label in ("DOSE", "VOLUME"):
            # "45 mg [STRUCK - see correction]": the value charted was struck, and so is the
            # same amount told again ("wrong strength selected (45 mg is the 6-month kit)")
            struck = {m.value for m in frame.found.get(label) or []
                      if _STRUCK_AFTER.match(text, m.end)}
            if struck:
                frame.found[label] = [m for m in frame.found[label] if m.value not in struck]
    _mark_tissue(text, kept, store.get("TISSUE_PROCEDURE", []))
    _split_blocks(text, frames, store)
    _item_lines(text, kept, store)
    _routed_items(text, kept, store)
    _infiltrated_wounds(text, kept)
    signature = _signature(text, store.get("CREDENTIAL", []))
    age, age_mention = _patient_age(text, store, dos)
    counsel = [m for m in store.get("VACCINE_COUNSEL", [])
               # "I reviewed the VIS and the vaccine's risks ...\n- K. Pham, MA": the nurse's
               if not (m.value and _STAFF_SIGNED.search(text))
               # "Counseled pt on what HPV vaccine prevents" under "Provider: T. Wierzbicki,
               # FNP-C": the writer's, a practitioner's only in a note a practitioner heads (and
               # no staff signs, as above)
               and (m.value != "writer" or _practitioner_heading(text))]
    administrations = _note_level_guidance(text, _group(text, kept, signature), store)
    administrations = _site_corrections(text, administrations, store.get("SITE", []))
    administrations = _tissue_procedure(text, administrations, store)
    administrations = _earlier_doses(doc, frames, administrations, store)
    administrations = _next_doses(doc, frames, administrations)
    administrations = patient_supplied(text, administrations, drugs)
    return Extraction(
        administrations=tuple(administrations),
        diagnoses=tuple(_diagnoses(doc, text, store.get("DIAGNOSIS", []))),
        em=_em(text, store, dos),
        setting=tuple(
            Cue(kind=m.value, evidence=_span(text, m, SpanLabel.SETTING))
            for m in store.get("SETTING", [])
        ),
        procedures=tuple(
            Cue(kind="procedure", evidence=_span(text, m, SpanLabel.PROCEDURE))
            for m in store.get("PROCEDURE", [])
        )
        + tuple(
            Cue(kind="image_recording", evidence=_span(text, m, SpanLabel.GUIDANCE))
            for m in store.get("RECORDING", [])[:1]
        )
        + tuple(
            Cue(kind=m.value, evidence=_span(text, m, SpanLabel.PROCEDURE))
            for m in store.get("TISSUE_PROCEDURE", [])
        )
        + tuple(
            Cue(kind=m.value[0], count=m.value[1], evidence=_span(text, m, SpanLabel.PROCEDURE))
            for m in store.get("TISSUE_COUNT", [])
        ),
        patient_age_years=age,
        patient_age_evidence=_span(text, age_mention, SpanLabel.PATIENT_AGE) if age_mention else None,
        vaccine_counseling=tuple(_span(text, m, SpanLabel.COUNSELING) for m in counsel),
    )


# The note's last line is a nursing staff member's signature: "- K. Pham, MA", "J. Ortiz RN 10:40"
_STAFF_SIGNED = re.compile(
    r"^[ \t]*(?:[-\u2013\u2014]+[ \t]*)?(?:(?:electronically\s+)?signed(?:\s+by)?:?[ \t]*)?"
    # a name, never a dose: "Boostrix 0.5 mL IM given by LPN, lot B7K29" is not a signature
    r"[A-Za-z][A-Za-z.' -]{0,40}?,?[ \t]+(?:"
    + "|".join(sorted(STAFF_CREDENTIALS, key=len, reverse=True))
    + r")\b[^\n]{0,20}\s*\Z",
    re.IGNORECASE | re.MULTILINE,
)


# the note's heading names the practitioner who writes it: "Provider: Tomasz Wierzbicki, FNP-C",
# "NP visit - Rowan Achebe, CPNP-PC"; not the doctor a nurse visit names ("Ordering: Dr. ...")
_WRITER_HEADING = re.compile(
    r"^(?![^\n]*\b(?:order\w*|supervis\w*|referr\w*|pcp|attending|nurse|rn|ma|lpn)\b)"
    r"[^\n]*?[A-Z][A-Za-z.'-]+,?[ \t]+(?:"
    + "|".join(sorted(PRACTITIONER_CREDENTIALS, key=len, reverse=True)) + r")(?![\w-])",
    re.MULTILINE)
_WRITER_HEADING_LINES = 4


def _practitioner_heading(text: str) -> bool:
    """Whether the note's heading names a practitioner as the one who writes it."""
    head = "\n".join(text.lstrip().split("\n", _WRITER_HEADING_LINES)[:_WRITER_HEADING_LINES])
    return bool(_WRITER_HEADING.search(head))


# The line that names the procedure performed ("Procedure: Trigger point injections",
# "PROCEDURE - L 1st dorsal compartment injection:") and the line that lists what the procedure
# injected ("Injectate: 1% lidocaine 4 mL", "4. Injectate: dexamethasone 4 mg/mL, 1 mL").
_PROCEDURE_LABEL = re.compile(r"^[ \t]*(?:procedures?(?:\s+(?:performed|note|done))?|"
                              r"name\s+of\s+procedure)[ \t]*[:\-\u2013][ \t]*", re.I | re.M)
_INJECTATE_LABEL = re.compile(r"^[ \t]*(?:[-*\u2022][ \t]*)?(?:\d{1,2}[.)][ \t]*)?(?:injectate|"
                              r"medications?\s+injected|injected|mixture|solution)[ \t]*:",
                              re.I | re.M)
# "PROCEDURE: Intralesional injection - KELOID" then "Medication: triamcinolone 40 mg/mL": the
# procedure form's medication field, within the procedure's own block
_MEDICATION_FIELD = re.compile(r"^[ \t]*(?:[-*\u2022][ \t]*)?(?:medications?|meds?|drugs?|agents?)"
                               r"(?:[ \t]+used)?[ \t]*:", re.I | re.M)
# " - 25g 1.5" needle; injectate: Kenalog-10 ...": the label after the needle on a bullet
_INJECTATE_INLINE = re.compile(r"[;,][ \t]*injectate[ \t]*:", re.I)


# "Both given SC by M. Lopez, RN", "all three injections given": the cue counts the doses before
_BOTH_BEFORE_CUE = re.compile(
    r"\b(?:both|all(?:[ \t]+(?:two|three|four|\d))?|each)[ \t]+(?:(?:vials?|injections?|shots?|"
    r"doses?)[ \t]+)?(?:(?:were|was)[ \t]+)?\Z", re.IGNORECASE)


def _both_given(text: str, frames: list[Frame]) -> None:
    """Rows of one drug that a later "both given" counts are given.

    "A  Trees/grasses/weeds  0.30 mL  L post. arm" and "B  Cat/dog  0.30 mL  R post. arm",
    then "Both given SC by M. Lopez, RN": the cue is the nearest row's, and its "both" (or
    "all", "each") takes in the rows of the same drug charted right before it with no status
    of their own. The route written with the cue reaches them too.
    """
    for i, a in enumerate(frames):
        cue = a.status_cue
        if (a.status is not AdministrationStatus.GIVEN or cue is None or cue.start < a.drug.end
                or not _BOTH_BEFORE_CUE.search(text, max(0, cue.start - 30), cue.start)):
            continue
        for b in reversed(frames[:i]):
            if b.status is not None or b.drug.value.name != a.drug.value.name or not (
                    b.found.get("DOSE") or b.found.get("VOLUME")):
                break
            b.status, b.status_cue = a.status, cue
            if not b.found.get("ROUTE"):
                b.found["ROUTE"] = [m for m in a.found.get("ROUTE", []) if m.start > cue.start
                                    or m.start >= _line_bounds(text, cue.start, cue.end)[0]]


# "    Given by Jonah Pryce, RN, with me in the room 11:10-11:18": a line of its own that says
# who gave the injections listed above it
_GIVEN_BY_LINE = re.compile(r"[ \t]*(?:[-*\u2022][ \t]*)?(?:(?:both|all)[ \t]+)?"
                            r"(?:given|administered)[ \t]+by\b", re.IGNORECASE)
# what opens a line of a list before its drug: "    ", "  * ", "   a. ", "  2) "
_LIST_DRUG_OPENING = re.compile(r"[ \t]*(?:(?:" + _BULLET + r"|[a-z][.)]|#\d{1,2}[.):]?)"
                                r"[ \t]+)?")


def _block_given_by(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """A "Given by" line closing a list of injections charts each of them.

    "RABIES PEP, DAY 0:" over "    HRIG (HyperRAB 300 IU/mL) ... = 1,500 IU = 5 mL" with its
    items "      - 3.5 mL (1,050 IU) IM R ventrogluteal", then "    RabAvert 1 mL IM R deltoid"
    and "    Given by Jonah Pryce, RN, with me in the room 11:10-11:18": the nurse gave both.
    The cue is the nearest drug's. The list is the run of lines right above the cue's line,
    each indented as it and opened by a drug (items indented deeper belong to the line above
    them); a drug of the list with no status of its own and an IM/SC route on its line or its
    items shares the cue.
    """
    opens = {f.drug.start: f for f in frames}
    for frame in frames:
        cue = frame.status_cue
        if frame.status is not AdministrationStatus.GIVEN or cue is None or (
                cue.start < frame.drug.end):
            continue
        ls, le = _line_bounds(text, cue.start, cue.end)
        lead = _GIVEN_BY_LINE.match(text, ls)
        if lead is None or lead.end() <= cue.start or any(ls <= f.drug.start < le
                                                           for f in frames):
            continue
        width = _indent(text, ls)
        listed: list[tuple[Frame, int]] = []  # each drug of the list, and where its entry ends
        entry_end = ls - 1
        for pos, line in _block_lines_above(text, ls, limit=12):
            if _indent(text, pos) > width:
                continue
            opening = _LIST_DRUG_OPENING.match(line)  # (always matches: all of it is optional)
            head = opens.get(pos + opening.end()) if opening and (
                _indent(text, pos) == width) else None
            if head is None:
                break
            listed.append((head, entry_end))
            entry_end = pos - 1
        if len(listed) < 2 or all(f is not frame for f, _ in listed):
            continue
        for other, stop in listed:
            if other.status is None and not other.regimen and any(
                    other.drug.end <= m.start < stop and m.value in ("IM", "SC")
                    for m in store.get("ROUTE", [])):
                other.status, other.status_cue = AdministrationStatus.GIVEN, cue


def _charted_med_lines(text: str, frames: list[Frame]) -> None:
    """A "Meds:" line that charts a shot with its route, site and clock time records today.

    "Meds: Toradol 60 mg IM R ventrogluteal 16:40; Zofran 4 mg IM also given (MA T. Reese)":
    an urgent-care note's list of what was given, not the patient's medication list. Every
    injection on that line is given; a dated or historical cue still wins.
    """
    lines = {line for f in frames
             if f.section == "medications" and f.status is AdministrationStatus.HISTORICAL
             and f.status_cue is None
             and _shot_charted(f, line := _line_bounds(text, f.drug.start, f.drug.end))}
    for f in frames:
        if (f.section == "medications" and f.status is AdministrationStatus.HISTORICAL
                and _line_bounds(text, f.drug.start, f.drug.end) in lines and _injected(f)
                and (f.status_cue is None or f.status_cue.value == "GIVEN")):
            f.status = AdministrationStatus.GIVEN


_JOINT_INJECTION_WORD = re.compile(r"\b(?:injection|inj\.?|arthrocentesis|aspiration)(?!\w)",
                                   re.IGNORECASE)


def _under_injectate_label(text: str, line_start: int) -> bool:
    """Whether the line is an indented row of a list headed by an "Injectate:" label alone.

    "Injectate:" over "   Celestone Soluspan ... 6 mg/mL ... 1 mL" and "   Lidocaine 1% plain
    ... 1 mL": each indented row is one drug the procedure injected.
    """
    if text[line_start:line_start + 1] not in (" ", "\t"):
        return False
    pos = line_start
    while pos > 0:
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev:pos - 1]
        if (label := _INJECTATE_LABEL.match(line)) is not None:
            return not line[label.end():].strip()
        if line[:1] not in (" ", "\t") or not line.strip():
            return False
        pos = prev
    return False


def _procedure_injectate(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """Drugs a performed injection procedure injected were given.

    A procedure note names the procedure on its own labelled line ("Procedure: Trigger point
    injections") and lists the injectate without a verb ("Injectate: 0.25% bupivacaine 2 mL per
    TP"). A drug with no status of its own on that procedure line, or on an injectate line below
    it, is given by the procedure, which is its cue.
    """
    performed = []
    for cue in store.get("TISSUE_PROCEDURE", []):
        line_start = text.rfind("\n", 0, cue.start) + 1
        if _PROCEDURE_LABEL.match(text, line_start) and text.find(
                "\n", line_start, cue.start) == -1:
            performed.append((line_start, cue))
    for joint in store.get("JOINT", []):
        # "PROCEDURE: Ultrasound-guided L greater trochanteric bursa injection": a joint or
        # bursa injection named on the procedure's own line (20610/20611)
        line_start, line_end = _line_bounds(text, joint.start, joint.end)
        if _PROCEDURE_LABEL.match(text, line_start) and (
                word := _JOINT_INJECTION_WORD.search(text, line_start, line_end)) is not None:
            performed.append((line_start, Mention(word.start(), word.end(), "STATUS_CUE",
                                                  "GIVEN")))
    performed.sort(key=lambda p: p[0])
    if not performed:
        return
    for frame in frames:
        if frame.status is not None:
            continue
        start = frame.drug.start
        line_start = text.rfind("\n", 0, start) + 1
        before = [(ls, cue) for ls, cue in performed if ls <= line_start]
        if not before:
            continue
        label_line, cue = before[-1]
        if (line_start == label_line and start - cue.end <= 400
                and not UPPER_HEADER.search(text, cue.end, start)) or _INJECTATE_LABEL.match(
                    text, line_start) or _INJECTATE_INLINE.search(text, line_start, start) or (
                    _under_injectate_label(text, line_start)):
            # on the procedure line itself: not past another heading (a transcription whose
            # line breaks became commas is one long line)
            frame.status, frame.status_cue = AdministrationStatus.GIVEN, cue
        elif (_MEDICATION_FIELD.match(text, line_start) and text.find("\n\n", label_line,
                                                                     line_start) == -1
              and label_line == max(m.start() for m in _PROCEDURE_LABEL.finditer(
                  text, 0, line_start))):
            frame.status, frame.status_cue = AdministrationStatus.GIVEN, cue


# "10:48 Injection given R thigh", "Nursing: shot administered L VG 17:05", "Given as ordered":
# a line that charts an injection without naming the drug
_DRUGLESS_GIVEN = re.compile(
    r"\b(?:(?:inj(?:ection)?|shot|dose)\.?\s+(?:was\s+)?(?:given|administered|done)"
    r"|(?:given|administered)\s+(?:as|per)\s+(?:ordered|order)"
    r"|gave\s+(?:the\s+|an?\s+)?(?:injection|shot)"
    # "Drew up 0.4 mL = 80 mg. Given IM L vastus lateralis": a statement opening on the verb
    # ("Drew up 1 mL (1000 mcg) from her vial, gave IM L deltoid 09:15")
    r"|(?:(?m:^)[ \t]*|(?<=[.;,][ \t]))(?:given|administered|injected|gave)[ \t]+(?:it[ \t]+)?"
    r"(?:IM|SC|SQ|subq|subcut)"
    # "P: - Ceftriaxone 1 g IM x1 today ..." then "Given by C. Dahl, MA 11:52 - L ventrogluteal"
    r"|(?P<by>(?:given|administered)[ \t]+by)"
    # "Order: Somatuline Depot 120 mg every 4 weeks" then "Given 13:41: 120 mg deep SC, R buttock"
    r"|(?P<at>given[ \t]+(?:at[ \t]+)?(?:[01]?\d|2[0-3]):?[0-5]\d)"
    # "Drew 1 mL = 200 mg. IM R ventrogluteal 08:46": the drawn-up dose charted by its route
    r"|(?P<drew>(?m:^)[ \t]*drew(?:[ \t]+up)?[ \t](?:[^\n.;]|\.(?=\d)){1,40}[.;,][ \t]*"
    r"(?:deep[ \t]+)?(?:IM|SC|SQ|subq|subcut)))\b",
    re.IGNORECASE,
)
# "Injection given: [ ]", "Injection given: ___": a template's field left blank
_BLANK_FIELD_AFTER = re.compile(rf"[ \t]*:?[ \t]*(?:{EMPTY_BOX}|_{{2,}}|\*{{3}})")
_DRUGLESS_DETAILS = ("ROUTE", "SITE", "LOT", "EXPIRATION", "TIME", "NDC")
# what the given line says of a dose the patient brought in, which charted none of it
_SUPPLIED_DETAILS = ("DOSE", "VOLUME", "ROUTE")


def _drugless_given(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """A drugless "injection given" line charts the one injection ordered above it.

    "P: Decadron 0.6 mg/kg = 7.2 mg IM x1" ... "10:48 Injection given R thigh. lot DX3319": the
    nurse's line is that order's administration, and its site, lot and time are the dose's. Only
    when one drug is pending by IM/SC and no injection is charted given anywhere in the note. A
    vial the patient brought ("Pt brought his own vial from home: testosterone cypionate 200
    mg/mL") is pending too, and the given line, its only charting, gives its dose and route.
    """
    if any(f.status is AdministrationStatus.GIVEN and _injected(f) for f in frames):
        return
    for hit in _DRUGLESS_GIVEN.finditer(text):
        ls, le = _line_bounds(text, hit.start(), hit.end())
        if (any(ls <= f.drug.start < le for f in frames)
                or ((hit.group("by") or hit.group("at")) and text[ls : hit.start()].strip())
                or _NEGATED_BEFORE.search(text, max(ls, hit.start() - 15), hit.start())
                or _ON_A_DATE.match(text, hit.end()) or _BLANK_FIELD_AFTER.match(text, hit.end())):
            continue
        shot_line = any(ls <= m.start < le and m.value in ("IM", "SC")
                        for m in store.get("ROUTE", []))
        pending = [f for f in frames if f.drug.end < ls and (
            (not f.regimen and f.status in _PENDING and _injected(f))
            # the standing order a nurse's visit carries out ("Order: ... every 4 weeks")
            or (f.regimen and f.section == "orders" and (hit.group("at") or hit.group("drew"))
                and (_injected(f) or shot_line)))]
        brought = [f for f in frames if f.drug.end < ls and f.status is None
                   and (BROUGHT_IN.search(text, f.sent_start, f.drug.start)
                        or OWN_PACKAGE.search(text, f.sent_start, f.drug.start))]
        if len({f.drug.value.name for f in pending + brought}) != 1:
            continue
        cue = Mention(hit.start(), hit.end(), "STATUS_CUE", "GIVEN")
        for f, supplied in [(f, False) for f in pending] + [(f, True) for f in brought]:
            f.status, f.status_cue = AdministrationStatus.GIVEN, cue
            for label in _DRUGLESS_DETAILS + (_SUPPLIED_DETAILS if supplied else ()):
                line = [m for m in store.get(label, []) if ls <= m.start < le]
                if line and (supplied or not f.found.get(label)):
                    f.found[label] = line  # the line is the whole charting of a brought dose
        return


def _later_statements(text: str, frames: list[Frame]) -> None:
    """Apply what the note says later about doses charted earlier in it.

    "No injection today" after a copied-forward injection makes it an earlier visit's; an
    administration section that records nothing leaves an uncharted order ordered; a
    "negative for" cue is a test result, not a refusal; a refusal inside an addendum or
    correction is marked so the merge can withdraw the dose charted above it.
    """
    if (none_today := _NO_INJECTION_TODAY.search(text)) is not None:
        # an addendum's "No injection today" overrules even a plan line that says "today"
        # ("The Toradol line in the plan was carried forward ... No injection today.")
        amends = _CORRECTION.search(text, _para_start(text, none_today.start()),
                                    none_today.start()) is not None
        for frame in frames:
            if (frame.status is AdministrationStatus.GIVEN and frame.drug.end < none_today.start()
                    and not _oral(frame)
                    and (amends or not _TODAY_HERE.search(text, frame.sent_start, frame.sent_end))):
                # a copied-forward "P: Inj Toradol 60mg IM given R gluteal", then "No injection
                # today - not needed": the charted dose was an earlier visit's
                frame.status = AdministrationStatus.HISTORICAL
                frame.status_cue = Mention(none_today.start(), none_today.end(), "STATUS_CUE",
                                           "HISTORICAL")
    if (none_given := _NONE_ADMINISTERED.search(text)) is not None:
        for frame in frames:
            if (frame.status is AdministrationStatus.GIVEN and not _charted(frame)
                    and not _oral(frame)):
                # "semaglutide (WEGOVY) 0.25 mg ... Once, clinic administered" under "Orders
                # Placed", then "Medications Administered This Visit (none recorded)": ordered
                frame.status = AdministrationStatus.ORDERED
                frame.status_cue = Mention(none_given.start(), none_given.end(), "STATUS_CUE",
                                           "ORDERED")
    for none in _DOSE_NOT_RECEIVED.finditer(text):
        before = [f for f in frames if f.drug.end < none.start()
                  and f.status is AdministrationStatus.GIVEN and not _oral(f)]
        # one drug ("Testosterone Cypionate 200 mg/mL ... (X) Given", "his wife read that
        # testosterone ...") charted above, then "pt did not receive injection": not given
        if (len({f.drug.value.name.split()[0] for f in before}) == 1
                and not _EARLIER_DAY.search(text, none.end(), none.end() + 25)
                and not _ANOTHER_DOSE.search(text, max(0, none.start() - 14), none.start())):
            for f in before:
                f.status = AdministrationStatus.NOT_GIVEN
                f.status_cue = Mention(none.start(), none.end(), "STATUS_CUE", "NEGATED_EXISTENCE")
    for err in _IN_ERROR.finditer(text):
        ls, _ = _line_bounds(text, err.start(), err.end())
        if _FIELD_LINE.match(text, ls):
            # "Dose: [10 mg - STRUCK: ENTERED IN ERROR ...]": the field's value is struck, not
            # the entry; what stays is a dose given with its amount unknown
            for f in frames:
                for label in _EARLIER_DOSE_DETAILS:
                    if f.found.get(label):
                        f.found[label] = [m for m in f.found[label]
                                          if not ls <= m.start < err.start()]
            continue
        for f in _erred_entry(text, frames, err):
            # "Ketorolac 60 mg IM R gluteal 10:48\n>> ENTERED IN ERROR: wrong patient's chart",
            # "the 11:05 entry was entered in error": the entry it strikes was never given here
            f.status = AdministrationStatus.NOT_GIVEN
            f.status_cue = Mention(err.start(), err.end(), "STATUS_CUE", "NEGATED_EXISTENCE")
    for frame in frames:
        if frame.status not in (AdministrationStatus.NOT_GIVEN, AdministrationStatus.GIVEN):
            continue
        found = list(_CORRECTION.finditer(text, _para_start(text, frame.drug.start),
                                          frame.drug.start))
        if frame.status is AdministrationStatus.NOT_GIVEN:
            frame.correction_at = found[-1].start() if found else -1
        elif found and _CORRECTS.search(text, found[-1].start(), max(frame.sent_end,
                                                                     frame.drug.end)):
            # "ADDENDUM ...: correction to the plan above - the dose actually given was Kenalog
            # 60 mg": the addendum's dose replaces the one charted above it
            frame.correction_at, frame.corrects = found[-1].start(), True
            for label in ("DOSE", "SITE"):  # "..., not 40 mg", "not the L deltoid"
                frame.found[label] = [m for m in frame.found.get(label) or [] if not
                                      _CORRECTED_AWAY.search(text, max(0, m.start - 20), m.start)]


def _site_corrections(text: str, administrations: list[Administration],
                      sites: list[Mention]) -> list[Administration]:
    """A correction that moves the dose to another site leaves one dose, at the site it names.

    The resident's "Testosterone cypionate ... IM R deltoid by RN today", the RN's MAR row "...
    IM L ventrogluteal", then the attestation's "with one correction: the injection was given
    in the LEFT VENTROGLUTEAL per the RN MAR, not the right deltoid": one dose, not two.
    """
    for fix in _CORRECTS.finditer(text):
        _, line_end = _line_bounds(text, fix.start(), fix.end())
        named = [m for m in sites if fix.start() <= m.start < line_end]
        away = {m.value for m in named
                if _CORRECTED_AWAY.search(text, max(0, m.start - 20), m.start)}
        kept = {m.value for m in named} - away
        if len(kept) != 1 or not away:
            continue
        given = [a for a in administrations if a.status is AdministrationStatus.GIVEN
                 and a.site is not None and fix.start() > a.site.evidence.start]
        moved = [a for a in given if (a.site.laterality, a.site.location) in away and any(
            b.drug.name == a.drug.name and (b.site.laterality, b.site.location) in kept
            for b in given)]
        if moved:
            kept_adms = [a for a in administrations if all(a is not b for b in moved)]
            administrations = [a.model_copy(update={"id": f"a{i}"})
                               for i, a in enumerate(kept_adms, 1)]
    return administrations


# What a correction or an edit says the amount given was, written just before it: "dose 234 mg
# -> 156 mg", "MAR corrected to 1,200,000 units", "the dose drawn and given was 750 mg", "Dose
# actually given: enoxaparin 80 mg/0.8 mL"
_EDITED_TO = re.compile(
    rf"(?:{ARROW}|\b(?:corrected|changed|amended|edited|revised)\s+to|\bshould\s+"
    r"(?:have\s+)?read|\b(?:dose\s+)?(?:actually\s+)?(?:(?:drawn|prepared)\s+(?:up\s+)?and\s+)?"
    r"(?:given|administered|injected)\s*(?:was|were|=|:))\s*(?:[A-Za-z][\w-]*\s+){0,2}?$",
    re.IGNORECASE,
)
_ARROW = re.compile(ARROW)
_FROM_AMOUNT = re.compile(rf"(?P<n>{AMOUNT})\s*[a-z]{{0,5}}\s*$", re.IGNORECASE)  # "8 mg ->"
_DOSE_CHANGE_PLAN = re.compile(r"\b(?:increas|decreas|titrat|reduc|wean|taper|going\s+forward|"
                               r"next\s+(?:dose|time|visit|injection))", re.IGNORECASE)
# ... or just after it: "the MA confirms 500 mg was drawn from a 500 mg vial and given"
_WAS_GIVEN = re.compile(
    r"\s+(?:was|were)\s+(?:(?:drawn|prepared)\b[^.;\n]{0,40}?\band\s+)?(?:given|administered|"
    r"injected)\b",
    re.IGNORECASE,
)
# what marks the statement as a correction of the record, in its line or paragraph before it
_EDIT_CONTEXT = re.compile(
    r"\b(?:correct(?:ion|ed)|edit(?:ed)?|amend(?:ed|ment)|addend(?:um|a)|late\s+entry|"
    r"clarif(?:ied|ication)|"
    rf"verification|should\s+(?:have\s+)?read)\b|{ARROW}",
    re.IGNORECASE,
)


def _dose_edits(text: str, frames: list[Frame], doses: list[Mention]) -> None:
    """Let a later correction's amount replace the dose charted above it.

    "Ondansetron 8 mg IM L deltoid 13:40" then "** Edited by M. Bellweather, RN - Dose 8 mg ->
    4 mg"; "Promethazine 50 mg/mL, 50 mg IM" then "Addendum: Correction to the 10:42 entry - dose
    given was 25 mg". The corrected amount goes to the given entries charted before the
    correction: those of the drug the correction names, else of the one drug given above it.
    """
    for m in doses:
        ls = text.rfind("\n", 0, m.start) + 1
        before = _EDITED_TO.search(text, max(ls, m.start - 80), m.start)
        if before is None and not _WAS_GIVEN.match(text, m.end):
            continue
        para = _para_start(text, m.start)
        if not _EDIT_CONTEXT.search(text, para, m.start if before is None else before.end()):
            continue
        arrow = _ARROW.search(text, before.start(), before.end()) if before else None
        if arrow is not None:
            # the arrow starts from an amount ("Dose 8 mg -> 4 mg") and is no plan ("Increase
            # sertraline 50 -> 100 mg daily")
            was = _FROM_AMOUNT.search(text, max(ls, arrow.start() - 25), arrow.start())
            if was is None or _DOSE_CHANGE_PLAN.search(text, ls, m.start):
                continue
        named = [f for f in frames if ls <= f.drug.start < m.start]
        given = [f for f in frames if f.drug.end <= ls and f.status is AdministrationStatus.GIVEN
                 and f.first("DOSE") is not None
                 and not _oral(f)]
        if named:
            name = named[-1].drug.value.name
            given = [f for f in given if f.drug.value.name == name]
        elif len({f.drug.value.name for f in given}) != 1:
            continue
        if arrow is not None:  # the amount the edit replaced is the one charted
            given = [f for f in given if any(d.value[0] == parse_amount(was["n"])
                                             for d in f.found.get("DOSE") or [])]
        for f in given:
            f.dose_edit = m


def _patient_age(
    text: str, store: dict[str, list[Mention]], dos: date | None
) -> tuple[int | None, Mention | None]:
    """The patient's age in whole years.

    From the date of birth and the date of service, else the first age the note states
    ("15 y/o F", "WELL CHILD 11 YR").
    """
    for m in store.get("DOB", []) if dos is not None else []:
        # "DOB 09/30/1988": the date mention the label heads
        born = next((_mention_day(d, dos) for d in store.get("DATE", [])
                     if m.start <= d.start < m.end and d.value[0]), None)
        if born is not None and born <= dos:
            return dos.year - born.year - ((dos.month, dos.day) < (born.month, born.day)), m
    ages = sorted(store.get("AGE", []), key=lambda m: m.start)
    return (ages[0].value, ages[0]) if ages else (None, None)


# "Last inj 1/14/26", "Prior LAI: 07/29", "last shot 3 weeks ago": an earlier dose of the drug
# the note is about, dated, with no drug name of its own ("since last dose" dates nothing)
_EARLIER_DOSE = re.compile(
    # (and in Spanish: "Última dosis 07/21/2026", "última inyección el 3/5")
    r"(?<!since )\b(?:last|previous|prior|most\s+recent|prev\.?|[úu]ltim[ao])\s+"
    r"(?:[A-Za-z0-9-]+\s+){0,2}?(?P<noun>inj(?:ection)?|shot|dose|LAI|dosis|inyecci[óo]n)\b"
    r"[^.\n]{0,25}?"
    r"(?P<when>\d{1,2}/\d{1,2}|\d+\s*(?:d|days?|wks?|weeks?|mos?|months?)\s+ago"
    rf"|{MONTH_NAME}\s+\d)",
    re.IGNORECASE,
)

# "Here for Depo (last 01/12/2026, wk 12)", "Last given: 12/24/2025", "Last: 04/21/2026 L VG":
# the same, with no noun at all. It counts only beside a drug (in its sentence or earlier on its
# line) or an injection word earlier on its line: "UDS neg x3 (last 08/03)" is not a dose.
_LAST_DATED = re.compile(
    r"(?<!since )\b(?:last|previous|prior)\b[ \t]*(?:given|admin(?:istered)?|received)?[ \t]*"
    r"[:=\-]?[ \t]*(?P<when>\d{1,2}/\d{1,2}(?:/\d{2,4})?)(?![\d/])",
    re.IGNORECASE,
)
# "Last week's site (R deltoid) clear", "previous injection site: L deltoid, no induration": the
# site an earlier dose went to, looked at today
_EARLIER_SITE = re.compile(
    r"\b(?:last|previous|prior)\s+(?:(?:week|month|time|injection|dose|shot)(?:'s|s')?\s+)?"
    r"(?:injection\s+)?sites?\b[^.;\n]{0,6}",
    re.IGNORECASE,
)
_INJECTION_WORD = re.compile(r"\b(?:inj(?:ection)?s?|shots?|doses?|LAI|depot)\b|#[ \t]*\d",
                             re.IGNORECASE)

# A drug in the statement's own sentence that is given today, or whose mention the statement
# made historical ("in for Prolia q6mo (last dose 09/06/2025)"; the regimen then merges into
# today's dose, and the earlier one is still owed its event)
_OWN_SENTENCE = frozenset({None, AdministrationStatus.GIVEN, AdministrationStatus.HISTORICAL})


def _earlier_doses(
    doc: Doc, frames: list[Frame], administrations: list[Administration],
    store: dict[str, list[Mention]],
) -> list[Administration]:
    """A dated earlier dose referred to without a drug name is a historical administration.

    "NURSE VISIT - Depo-Provera CI ... Last injection 02/09/2026" documents two events: today's
    dose and the one before it. The earlier one belongs to the drug named in its sentence when
    that drug is given today ("overdue for his monthly B12 (last shot 01/21)"), else to the
    nearest drug named before it, else (a form's "Last injection: 12/01/2025" above its
    medication block) to the one drug charted today. A medication-list entry that carries its own
    last dose ("Humira 40 mg SC q2wk, last dose 4/13") is already that one historical event, and
    a drug with a historical event of its own keeps it. Said with no noun ("Here for Depo (last
    01/12/2026)"), the statement's evidence is the drug's own mention.
    """
    text = doc.text
    if not frames:
        return administrations
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    out = list(administrations)
    statements = sorted([*_EARLIER_DOSE.finditer(text), *_LAST_DATED.finditer(text)],
                        key=lambda m: m.start())
    for m in statements:
        if _names_a_drug(frames, m.start(), m.end()):
            continue  # "last Kenalog injection 11/20": the drug's own mention decides
        sent = next(((a, b) for a, b in sentences if a <= m.start() < b), (m.start(), m.end()))
        in_sentence = [f for f in frames if sent[0] <= f.drug.start < sent[1]]
        nounless = m.re is _LAST_DATED
        if nounless and not in_sentence:
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not (_INJECTION_WORD.search(text, line_start, m.start())
                    or any(line_start <= f.drug.start < m.start() for f in frames)):
                continue
        if in_sentence:
            if any(f.status not in _OWN_SENTENCE for f in in_sentence):
                continue
            antecedent = min(in_sentence, key=lambda f: abs(f.drug.start - m.start()))
        elif before := [f for f in frames if f.drug.end <= m.start()
                        and f.status is not AdministrationStatus.HISTORICAL]:
            antecedent = before[-1]
        elif len(today := {f.drug.value.name for f in frames if f.status in _TODAYS}) == 1:
            # a form's "Last injection: 12/01/2025" above its medication block
            antecedent = next(f for f in frames if f.drug.value.name in today)
        else:
            continue
        if _has_event(out, antecedent.drug.value.name, AdministrationStatus.HISTORICAL):
            continue
        # the statement's own noun is the drug's evidence; with none, the antecedent's mention
        if nounless:
            drug, start, after = antecedent.drug, m.start(), m.end("when")
        else:
            drug = Mention(m.start("noun"), m.end("noun"), "DRUG", antecedent.drug.value)
            start, after = drug.start, drug.end
        when = Mention(m.start("when"), m.end("when"), "STATUS_CUE", "HISTORICAL")
        sites = [s for s in store.get("SITE", []) if after <= s.start < sent[1]]
        out.append(_referred_dose(text, f"a{len(out) + 1}", drug, antecedent.section, start,
                                  sent, when, {"SITE": sites[:1]} if sites else {}))
    return out


def _names_a_drug(frames: list[Frame], start: int, end: int) -> bool:
    """Whether a drug mention overlaps ``text[start:end]``."""
    return any(f.drug.start < end and start < f.drug.end for f in frames)


def _has_event(adms: list[Administration], name: str, status: AdministrationStatus) -> bool:
    """Whether the drug already has an administration with this status."""
    return any(a.drug.name == name and a.status is status for a in adms)


def _referred_dose(
    text: str, adm_id: str, drug: Mention, section: str | None, start: int,
    sentence: tuple[int, int], cue: Mention, found: dict[str, list[Mention]],
) -> Administration:
    """The administration of a dose the note refers to without naming its drug.

    "Last injection 02/09/2026" or "Next injection due 05/05/2026": one frame from ``start`` to
    the end of ``sentence``, with the status its cue names (HISTORICAL or PLANNED).
    """
    frame = Frame(drug=drug, start=start, end=sentence[1], back_start=start, section=section,
                  sent_start=sentence[0], sent_end=sentence[1], found=found,
                  status=AdministrationStatus(cue.value.lower()), status_cue=cue)
    return _administration(text, adm_id, [frame])


# "Next injection due 05/05/2026", "Next: 06/08/2026", "next due 3/17", "NEXT inj (week 14):
# 04/07/2026", "next injection in 4 weeks": when the next dose is due, without naming the drug
_NEXT_DOSE = re.compile(
    r"(?<![\w-])(?:next|nxt)(?:[ \t]+(?:inj(?:ection)?|shot|dose|depot))?"
    r"[ \t]*(?:\([^()\n]{0,30}\))?(?:[ \t]*(?:is|due|scheduled|window|date|on)\b)*[ \t]*[:=\-]?"
    r"[ \t]*(?:due[ \t]*)?(?P<when>\d{1,2}/\d{1,2}(?:/\d{2,4})?|20\d\d-\d\d-\d\d"
    rf"|{MONTH_NAME}[ \t]+\d{{1,2}}\b"
    r"|in[ \t]+\d+(?:[ \t]*-[ \t]*\d+)?[ \t]*(?:d|days?|wks?|weeks?|mos?|months?)\b)",
    re.IGNORECASE,
)
_TODAYS = frozenset({AdministrationStatus.GIVEN, AdministrationStatus.NOT_GIVEN,
                     AdministrationStatus.DISCONTINUED})


def _next_doses(
    doc: Doc, frames: list[Frame], administrations: list[Administration]
) -> list[Administration]:
    """When the next dose is due, said without naming the drug, is a planned administration.

    "Depo-Provera 150 mg IM given R deltoid ... Next injection due 05/05/2026" documents today's
    dose and the next one. The next one is the drug charted today (given, held or refused) last
    before the statement. A drug that already has a planned event keeps it, and a statement
    that names a drug is that drug's own ("Next Depo 07/03").
    """
    text = doc.text
    out = list(administrations)
    for m in _NEXT_DOSE.finditer(text):
        if _names_a_drug(frames, m.start(), m.end()):
            continue
        before = [f for f in frames if f.drug.end <= m.start() and f.status in _TODAYS]
        if not before or _has_event(out, before[-1].drug.value.name, AdministrationStatus.PLANNED):
            continue
        antecedent = before[-1]
        when = Mention(m.start(), m.end(), "STATUS_CUE", "PLANNED")
        out.append(_referred_dose(text, f"a{len(out) + 1}", antecedent.drug, antecedent.section,
                                  m.start(), (m.start(), m.end()), when, {}))
    return out


_EARLIER_DOSE_DETAILS = ("SITE", "DOSE", "VOLUME", "ROUTE", "LOT", "EXPIRATION")
# what marks a charted value as struck, just after it: "45 mg [STRUCK - see correction]",
# "2 mL (voided)", "80 mg - entered in error"
_STRUCK_AFTER = re.compile(r"[ \t]*[\[(\-][ \t]*(?:struck|strike|voided|deleted|entered\s+in\s+"
                           r"error)\b", re.IGNORECASE)


def _mix_contents(text: str, frames: list[Frame]) -> None:
    """Leave a compounded mix's listed contents out of its dose.

    "MIC+B12 (methionine 25 mg / inositol 50 mg / ... / cyanocobalamin 1,000 mcg per mL), 1 mL
    IM": the amounts in the parenthesis are its ingredients' strengths; the dose is the 1 mL.
    """
    for frame in frames:
        if frame.drug.value.name not in _COMPOUNDED_MIXES:
            continue
        opened = _MIX_PARENS.match(text, frame.drug.end)
        closed = text.find(")", frame.drug.end) if opened else -1
        if closed < 0:
            continue
        for label in ("DOSE", "CONCENTRATION"):
            if frame.found.get(label):
                frame.found[label] = [m for m in frame.found[label]
                                      if not opened.end() <= m.start < closed]


# another numbered dose told in an aside: "(dose 1 given 08/07/2026 L deltoid, here)"
_NUMBERED_ASIDE = re.compile(r"\([ \t]*(?:dose|shot|inj\w*|#)[ \t]*#?[ \t]*(?P<n>\d{1,2})\b[^()\n]*\)",
                             re.IGNORECASE)

def _drop_earlier_dose_details(text: str, frame: Frame) -> None:
    """Leave the details written after "last injection <date>" to that earlier dose.

    "Reason: Depo-Provera q13wk. LAST INJECTION 01/05/2026 (R deltoid)": the right deltoid is
    where the last dose went, not a site for today's; the rest of that line is the earlier
    dose's. In the drug's own sentence ("Prolia is due (last dose 08/22/2025 here, 60 mg SC)"),
    or when the drug's mention is itself the earlier dose ("self-injected at home. Last home
    injection Monday 03/16/2026, 100 mg in the L thigh"), they stay the mention's.
    A site written as the last one ("Last week's site (R deltoid) clear") is the earlier dose's
    wherever it stands.
    """
    reach = max(frame.end, frame.sent_end)
    for m in [*_EARLIER_DOSE.finditer(text, frame.sent_end, reach),
              *_LAST_DATED.finditer(text, frame.sent_end, reach)]:
        line_end = text.find("\n", m.end())
        stop = len(text) if line_end < 0 else line_end
        for label in _EARLIER_DOSE_DETAILS:
            items = frame.found.get(label)
            if items:
                frame.found[label] = [x for x in items if not m.start() <= x.start < stop]
    if (own := _NUMBER_AFTER_DRUG.match(text, frame.drug.end)) is not None:
        # "Shingrix #2 (dose 1 given 08/07/2026 L deltoid, here)": the aside is dose 1's
        for m in _NUMBERED_ASIDE.finditer(text, own.end(), max(reach, own.end())):
            if m["n"] != own["n"]:
                for label in _EARLIER_DOSE_DETAILS:
                    if items := frame.found.get(label):
                        frame.found[label] = [x for x in items
                                              if not m.start() <= x.start < m.end()]
    for m in _EARLIER_SITE.finditer(text, frame.drug.end, reach):
        if frame.found.get("SITE"):
            frame.found["SITE"] = [x for x in frame.found["SITE"]
                                   if not m.start() <= x.start < m.end() + 2]


_TODAY_WORD = re.compile(r"\b(?:today|now|this\s+visit)\b", re.IGNORECASE)


def _drop_dated_line_details(
    text: str, frame: Frame, frames: list[Frame], dates: list[Mention], dos: date | None
) -> None:
    """Leave the details of a later, drugless line dated before the visit to that earlier dose.

    "Reason for visit: Invega Sustenna initiation - DAY 8 dose." over "Day 1 dose: 234 mg IM L
    deltoid on 02/02/2026.": the line under the drug is the first dose's, given on its own date;
    today's dose is charted further down. So is a dated sentence after the drug's on its line.
    A line naming a drug, or today, speaks for itself.
    """
    if dos is None:
        return
    for m in dates:
        if not frame.sent_end <= m.start < frame.end:
            continue
        when = _mention_day(m, dos)
        if when is None or None in m.value or when >= dos:
            continue  # a full date only: "27g 1/2\"" is a needle, not January 2
        ls, le = _line_bounds(text, m.start, m.end)
        if ls < frame.sent_end:
            # "Day 8 Invega Sustenna (2nd initiation dose). Day 1 234mg L delt 02/02/26.": on
            # the drug's own line, the dated sentence after the drug's
            stop = max(text.rfind(". ", frame.sent_end, m.start),
                       text.rfind("; ", frame.sent_end, m.start))
            ls = stop + 2 if stop >= 0 else frame.sent_end
        if any(ls <= f.drug.start < le for f in frames) or _TODAY_WORD.search(text, ls, le):
            continue
        for label in _EARLIER_DOSE_DETAILS:
            items = frame.found.get(label)
            if items:
                frame.found[label] = [x for x in items if not ls <= x.start < le]
    for m in _PAST_YEAR_ASIDE.finditer(text, frame.drug.end, max(frame.end, frame.sent_end)):
        if int(m.group("year")) >= dos.year or _TODAY_WORD.search(m.group(0)):
            continue
        # "Stelara maintenance q8wk (IV induction 2025)": the aside is an earlier year's dose
        for label in _EARLIER_DOSE_DETAILS:
            items = frame.found.get(label)
            if items:
                frame.found[label] = [x for x in items if not m.start() <= x.start < m.end()]


# a parenthesis dated by a year alone or a date: "(IV induction 2025)", "(loading 600 mg 1/2025)";
# not a lot or expiry ("(lot 24C881, exp 2025)")
_PAST_YEAR_ASIDE = re.compile(
    r"\((?![^()\n]*\b(?:lot|exp|ndc)\b)[^()\n]{0,60}?(?<![\d-])(?P<year>(?:19|20)\d{2})"
    r"(?![\d-])[^()\n]{0,30}\)",
    re.IGNORECASE,
)


def _mark_tissue(text: str, frames: list[Frame], procedures: list[Mention]) -> None:
    """Mark the frames an intralesional or trigger-point procedure on their line injects.

    "Procedure: intralesional injection, 4 lesions ... Kenalog-10 1.2 mL": the drug goes into
    the lesions, unless its own route is IM, SC or IV ("Kenalog-40 40 mg IM" on a later line).
    """
    for frame in frames:
        route = frame.first("ROUTE")
        ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
        # (or the drug a procedure's injectate or medication field gave: its cue is the procedure)
        frame.tissue = (route is None or route.value == "OTHER") and any(
            ls <= m.start < max(le, frame.sent_end) or m == frame.status_cue
            for m in procedures)


def _tissue_procedure(
    text: str, administrations: list[Administration], store: dict[str, list[Mention]]
) -> list[Administration]:
    """Drugs injected in a tissue procedure (trigger point, lesion, nerve, tendon sheath) are its.

    "PM&R procedure - trigger point injections ... Kenalog-40 1 mL + 0.25% bupivacaine 4 mL":
    a drug given today with no IM/SC/IV/joint route of its own is injected by the procedure
    the note names, which gives its route (another route: into the lesion or trigger point).
    """
    cues = sorted(store.get("TISSUE_PROCEDURE", []), key=lambda m: m.start)
    if not cues:
        return administrations
    out = []
    for adm in administrations:
        route = adm.route.value if adm.route is not None else None
        if (adm.status is not AdministrationStatus.GIVEN or route not in (None, Route.OTHER)
                or adm.procedure is not None):
            out.append(adm)
            continue
        start = adm.drug.evidence.start
        cue = next((m for m in reversed(cues) if m.start < start), cues[0])
        span = _span(text, cue, SpanLabel.PROCEDURE)
        update: dict[str, Any] = {"procedure": Cue(kind=cue.value, evidence=span)}
        if adm.route is None:
            update["route"] = RouteValue(value=Route.OTHER,
                                         evidence=_span(text, cue, SpanLabel.ROUTE))
        out.append(adm.model_copy(update=update))
    return out


# a study of an earlier day: "colonoscopy 2025 nl", "EGD 3 yrs ago", "prior colonoscopy"
_STUDY_DATED_AFTER = re.compile(
    r"[ \t]*(?:\(|,|-)?[ \t]*(?:in[ \t]+|on[ \t]+|was[ \t]+|done[ \t]+)?(?:(?:19|20)\d\d\b|"
    r"\d{1,2}/\d{2,4}\b|\d{1,2}/\d{1,2}/\d{2,4}\b|\d+[ \t]*(?:y|yrs?|years?|mos?|months?|wks?|"
    r"weeks?)[ \t]+ago\b|last[ \t]+(?:year|month|week)\b)", re.IGNORECASE)
_STUDY_EARLIER_BEFORE = re.compile(
    r"\b(?:prior|previous|last|hx(?:\s+of)?|history\s+of)[ \t]+(?:[\w-]+[ \t]+)?$",
    re.IGNORECASE)


def _earlier_study(text: str, m: Mention) -> bool:
    """Whether the study named at ``m`` is dated to an earlier day (history, not this visit)."""
    return bool(_STUDY_DATED_AFTER.match(text, m.end)
                or _STUDY_EARLIER_BEFORE.search(text, max(0, m.start - 30), m.start))


def _note_level_guidance(
    text: str, administrations: list[Administration], store: dict[str, list[Mention]]
) -> list[Administration]:
    """A procedure note states ultrasound guidance once ("US-guided L glenohumeral injection")."""
    study = next((m for m in store.get("STUDY") or [] if not _earlier_study(text, m)), None)
    if study is not None:
        # the IV push of a stress agent or sedation during a study is part of the study
        administrations = [
            a.model_copy(update={"procedure": Cue(
                kind="study", evidence=_span(text, study, SpanLabel.PROCEDURE))})
            if a.procedure is None and a.route is not None
            and a.route.value in (Route.IV_PUSH, Route.IV_INFUSION) else a
            for a in administrations
        ]
    guidance = (store.get("GUIDANCE") or [None])[0]
    if guidance is None:
        return administrations
    out = []
    for adm in administrations:
        joint = (adm.route is not None and adm.route.value is Route.INTRA_ARTICULAR) or (
            adm.site is not None and adm.site.joint)
        if joint and adm.guidance is None:
            adm = adm.model_copy(update={"guidance": Cue(
                kind="ultrasound", evidence=_span(text, guidance, SpanLabel.GUIDANCE))})
        out.append(adm)
    return out


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) of the line or lines holding ``text[start:end]``, newlines excluded."""
    le = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if le < 0 else le


def _span(text: str, m: Mention, label: SpanLabel) -> Span:
    return Span.of(text, m.start, m.end, label)


_SC = r"(?:\bSC|\bSQ|\bsubq|\bsubcut\w*|\bs/c)\b"
_VIAL_LINE = re.compile(
    r"(?im)\b(?:vial|set|extract)\s*(?:#?\s*[A-Z0-9]{1,3}\b)[^\n]{0,80}?" + _SC
    # a named mix with its own volume: "tree-grass-weed mix 0.5 mL subcutaneously"
    + r"|\b[a-z][\w/-]*[ \t]+mix(?:ture)?\b\)?[ \t]*\d*\.?\d+[ \t]*(?:ml|cc)\b[^\n]{0,30}?" + _SC
    # a row of a vial list, given or not: "Vial 2 (mold mix) - HELD per protocol"
    + r"|^[ \t]*(?:[-*\u2022][ \t]*)?vial[ \t]*#?[ \t]*[A-Z0-9]{1,3}\b"
)


_WORD = re.compile(r"[A-Za-z][\w/-]*")


def _allergen_vials(text: str, drugs: list[Mention]) -> list[Mention]:
    """Allergy injection logs name vials, not drugs: "Vial A 1:10 - 0.30 mL SC - L arm".

    In a note that documents allergen immunotherapy, each vial given SC is one injection.
    """
    allergen = next((d for d in drugs if d.value.drug_class == "allergen"), None)
    if allergen is None:
        return drugs
    words = (_WORD.search(text, m.start(), m.end()) for m in _VIAL_LINE.finditer(text))
    extra = [
        Mention(w.start(), w.end(), "DRUG", allergen.value, "allergen-vial")
        for w in words
        if w is not None and not any(d.start <= w.start() < d.end for d in drugs)
    ]
    taken = [(d.start, d.end) for d in drugs + extra]
    for start, end in _vial_table_rows(text):
        # "Vial | Contents | Dose | Route ..." then "A | trees/grass | 0.50 mL | SC ...",
        # "B | cat/dog | HELD | --": each row is one vial, given or not
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if not any(a < line_end and start < b for a, b in taken):
            extra.append(Mention(start, end, "DRUG", allergen.value, "allergen-vial"))
    return sorted(drugs + extra, key=lambda d: d.start)


# "Vial | Contents | Dose ...", or "| Venom | Conc | Volume | Route ..." whose rows name them
_VIAL_HEADER = re.compile(
    r"(?im)^[ \t|]*(?:vial|(?P<named>venom|extract))s?\b[^\n]*(?:\||\t| {2,})[^\n]*$")
# "A |", "#2 |", "Red #1 |", "A: trees/grass/weeds |"
_VIAL_ROW_ID = re.compile(r"[ \t|]*(?P<id>(?:[a-z]{3,8}\s)?#?[A-Z0-9]{1,3})\b(?:[:.)][^|\t\n]{0,40})?"
                          r"[ \t]*(?:\||\t| {2,})", re.IGNORECASE)
# "Honeybee |", "Wasp (Polistes) |", "Mixed vespid |"
_NAMED_ROW_ID = re.compile(r"[ \t|]*(?P<id>[a-z][a-z -]{2,24}?)[ \t]*(?:\([^()|\t\n]{0,30}\))?"
                           r"[ \t]*(?:\||\t| {2,})", re.IGNORECASE)


def _vial_table_rows(text: str) -> list[tuple[int, int]]:
    """The row labels of a vial table: a header whose first column is "Vial", then its rows.

    Under a "Venom" or "Extract" first column, a row may instead name what it held ("Honeybee").
    """
    out = []
    for header in _VIAL_HEADER.finditer(text):
        pos = header.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            if _RULE_LINE.match(line) and line.strip():
                pos = end + 1
                continue  # "|---|---|"
            row = _VIAL_ROW_ID.match(text, pos, end) or (
                _NAMED_ROW_ID.match(text, pos, end) if header["named"] else None)
            if row is None:
                break
            out.append((row.start("id"), row.end("id")))
            pos = end + 1
    return out


_DEPO_FAMILY = frozenset(vocabulary()["depo_family"])
_IV_FLUIDS = frozenset(vocabulary()["iv_fluids"])
# What makes a fluid an infusion rather than a diluent, vehicle or flush
_INFUSION_CONTEXT = re.compile(
    r"\b(?:bolus|infus\w*|drip|wide\s+open|ivf|over\s+\d+\s*(?:min|minutes|h|hr|hrs|hours)|"
    r"\d+\s*(?:ml|cc)\s*/\s*(?:h|hr|hour)|\d{3,4}\s*(?:ml|cc)\b|\d(?:\.\d)?\s*(?:l|liters?|litres?)\b)",
    re.IGNORECASE,
)


def _bare_depo(drugs: list[Mention], bare: list[Mention]) -> list[Mention]:
    """Read a bare "Depo" ("last Depo 11/18/25", "Depo shot") as the note's one Depo drug.

    "Depo" alone names Depo-Provera, Depo-Medrol or Depo-Testosterone; it is resolved only when
    the note names exactly one of them in full, or names none and is about contraception (the
    drug matcher then gives the bare mention Depo-Provera), and is left unmatched otherwise.
    """
    family = {d.value.name: d.value for d in drugs if d.value.name in _DEPO_FAMILY} or {
        m.value.name: m.value for m in bare if m.value is not None}
    if len(family) != 1:
        return drugs
    (term,) = family.values()
    extra = [
        Mention(m.start, m.end, "DRUG", term, "bare-depo")
        for m in bare  # found by the drug matcher (ConText scopes over them too)
        if not any(d.start <= m.start < d.end for d in drugs)
    ]
    return sorted(drugs + extra, key=lambda d: d.start) if extra else drugs


def _infused(text: str, fluid: Mention) -> bool:
    """Whether a fluid's own line calls it an infusion ("NS 1,000 mL IV bolus over 60 min").

    Saline that dilutes a drug ("Depo-Medrol 120 mg with normal saline for a total of 6 mL"),
    flushes a line or carries an epidural is not an administration of its own.
    """
    start = max(text.rfind("\n", 0, fluid.start) + 1, fluid.start - 25)
    end = text.find("\n", fluid.end)
    end = min(len(text) if end < 0 else end, fluid.end + 60)
    return _INFUSION_CONTEXT.search(text, start, end) is not None


def _resolve_umbrellas(text: str, drugs: list[Mention]) -> list[Mention]:
    """Read an unspecific name as the note's one specific product written with that name.

    "Order: Bicillin L-A 2.4 million units IM ... Bicillin not given": the bare "Bicillin" is
    the L-A product named before, so the refusal belongs to it; "here for scheduled
    testosterone injection" is the "Testosterone cypionate 200 mg/mL" charted below, a
    product whose generic name extends the unspecific one. When the note names no specific
    product, or two ("testosterone cypionate" and "testosterone enanthate"), the unspecific
    name stays what it is (DOC-01).
    """
    out = []
    for m in drugs:
        if getattr(m.value, "drug_class", None) != "unspecified":
            out.append(m)
            continue
        surface = text[m.start : m.end].lower()
        specific = {
            d.value.name: d.value
            for d in drugs
            if d is not m and d.value.drug_class != "unspecified"
            and ((text[d.start : d.end].lower().startswith(surface)
                  and len(text[d.start : d.end]) > len(surface))
                 or d.value.name.startswith(m.value.name + " "))
        }
        if len(specific) == 1:
            (term,) = specific.values()
            m = replace(m, value=term, source=f"{m.source}+umbrella")
        out.append(m)
    return out


# "Vit. B12", "B-12": the vitamin, whichever form of it
_B12_WORD = re.compile(r"b\s*-?\s*12", re.IGNORECASE)


def _vitamin_named(text: str, drugs: list[Mention]) -> list[Mention]:
    """Read "B12" as the form of the vitamin the note names when it names only hydroxocobalamin.

    "here for scheduled monthly Vit. B12 inj." then "Administered Hydroxocobalamin 1000mcg IM"
    is one dose of hydroxocobalamin (J3425), not a cyanocobalamin dose beside it.
    """
    hydroxo = next((d for d in drugs if d.value.name == "hydroxocobalamin"), None)
    if hydroxo is None or any(re.search(r"cyano", text[d.start:d.end], re.IGNORECASE)
                              for d in drugs):
        return drugs
    return [replace(d, value=hydroxo.value, source=f"{d.source}+vitamin")
            if d.value.name == "cyanocobalamin" and _B12_WORD.search(text, d.start, d.end)
            else d for d in drugs]


# "DECREASE Abilify Maintena from 400 mg to 300 mg IM q monthly", "Retacrit INCREASE from 10,000
# units to 20,000 units SC weekly": the order that changes the dose
_CHANGE_VERB = re.compile(r"\b(?:increas|decreas|rais|lower|reduc|titrat|adjust)(?:e|es|ed|ing)?\b",
                          re.IGNORECASE)
_FROM_TO = re.compile(rf"[^\n]{{0,60}}?\bfrom\s+{AMOUNT}\s*(?:[a-z]+\s+)?to\s+\d", re.IGNORECASE)


def _dose_change_orders(text: str, frames: list[Frame]) -> None:
    """A dose-change order is the order, not a dose: the dose given under it is charted apart.

    The drug named in "DECREASE Abilify Maintena from 400 mg to 300 mg IM q monthly" is given
    today only where a line charts it ("Dose given: 300 mg = 1.5 mL  Route: IM ..."); with no
    cue of its own the order's frame is dropped when another frame charts that drug given,
    and is an order otherwise.
    """
    for frame in frames:
        if frame.status is not AdministrationStatus.GIVEN or frame.status_cue is not None:
            continue
        ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
        change = next((m for v in _CHANGE_VERB.finditer(text, max(ls, frame.drug.start - 40), le)
                       if (m := _FROM_TO.match(text, v.end())) is not None
                       and v.start() - 40 <= frame.drug.start < m.end()), None)
        if change is None:
            continue
        charted = any(f is not frame and f.status is AdministrationStatus.GIVEN
                      and f.drug.value.name == frame.drug.value.name for f in frames)
        frame.status = None if charted else AdministrationStatus.ORDERED


def _umbrellas_named(frames: list[Frame]) -> None:
    """Drop a class word whose product the note charts as given today.

    "Discussed IM steroid vs joint injection ... Kenalog-40 40 mg IM L gluteal given" and
    "IM antibiotic per order: ceftriaxone 1 g IM ... given" name one dose, the product's; a
    route, site or joint the class word's sentence names and the product's does not is the
    dose's. A steroid shot of another day, or a declined joint injection, is an event of its
    own.
    """
    todays = {AdministrationStatus.GIVEN, AdministrationStatus.DISCONTINUED}
    for frame in frames:
        members = _UMBRELLA_MEMBERS.get(frame.drug.value.name)
        if not members or frame.status in (AdministrationStatus.HISTORICAL,
                                           AdministrationStatus.NOT_GIVEN):
            continue
        named = [f for f in frames
                 if f.status in todays and f.drug.value.name.split()[0] in members]
        if not named:
            continue
        if frame.status in todays:
            near = min(named, key=lambda f: abs(f.drug.start - frame.drug.start))
            for label in ("ROUTE", "SITE", "JOINT"):
                if not near.found.get(label):
                    near.found[label] = list(frame.found.get(label, []))
        frame.status = None


# the products an umbrella class word ("IM steroid", "antibiotic shot") may refer to, by the
# first word of their names
_UMBRELLA_MEMBERS = {k: frozenset(v) for k, v in vocabulary()["umbrella_members"].items()}


# "(w/ pyridoxine)", "(+ B12)": what a compounding pharmacy added to the drug named before
_ADDITIVE_IN_PARENS = re.compile(r"\(\s*(?:w/|with|\+|plus)\s*$", re.IGNORECASE)
# compounded mixes named for what they do, whose contents a note may list in parentheses
_COMPOUNDED_MIXES = frozenset(vocabulary()["compounded_mixes"])
# the parenthesis right after a mix's name ("MIC+B12 (", "Lipo-B + (")
_MIX_PARENS = re.compile(r"[^\S\n]*(?:\+[^\S\n]*)?\(")
# the parenthesis lists several ingredients ("methionine 25 mg / inositol 50 mg / ...")
_INGREDIENTS = re.compile(r"[^()\n]*?\bper\s+mL\b|[^()\n]*?/[^()\n]*?/", re.IGNORECASE)
# "insulin syringe", "insulin pen needles": the device named for the drug
_SYRINGE_AFTER = re.compile(r"[ \t]*(?:syringes?|(?:pen[ \t]+)?needles?)\b", re.IGNORECASE)
# a Vaccine Information Statement named for its vaccine: "VIS (Shingrix, 02/04/2022)",
# "VIS for Gardasil given", "Tdap VIS 4/2/24"
# ("... after VIS:\n  Boostrix 0.5 mL IM" heads a list of doses: the colon ends its line)
_VIS_BEFORE = re.compile(r"\bVIS(?:\s+(?:for|re)|\s*[(:\-])[ \t]*$")
_VIS_AFTER = re.compile(r"\s*\)?\s*VIS\b")
_VIS_EDITION_BEFORE = re.compile(r"\bVIS(?:\s+(?:edition|ed\.?|dated|date|version))?\s*[:#]?\s*$")


# "Pt has epinephrine autoinjector", "carries her own EpiPen": a rescue device the patient owns
# ("brought her own Ozempic pen" to be taught on is a dose of the visit)
_RESCUE_DRUGS = frozenset(vocabulary()["rescue_drugs"])
_POSSESSES_BEFORE = re.compile(
    r"\b(?:has|have|carries|carry|carrying|owns|keeps)\s+(?:an?\s+|her\s+|his\s+|"
    r"their\s+|the\s+)?(?:own\s+)?(?:working\s+|unexpired\s+|current\s+)?$",
    re.IGNORECASE,
)
_OWN_DEVICE_AFTER = re.compile(
    r"[ \t]*(?:\([^)\n]{0,30}\)[ \t]*)?(?:auto-?injectors?|auto-?inj\b|pens?\b|kit\b|"
    r"with\s+(?:her|him|them)\b|on\s+(?:her|his|their)\s+person|at\s+home)",
    re.IGNORECASE,
)
_OWN_DEVICE_NAME = re.compile(r"auto-?inject|\bepi-?pen|\bauvi-?q", re.IGNORECASE)


# a lab result named after the drug it measures: "Testosterone (ng/dL)", "B12 level"
_LAB_AFTER = re.compile(
    r"[ \t]*(?:\([ \t]*(?:(?:ng|pg|nmol|pmol|mmol|mIU|mcg|ug|mg|g)[ \t]*/[ \t]*d?L"
    r"|(?:ng|pg|mIU)[ \t]*/[ \t]*mL)[ \t]*\)"
    r"|,?[ \t]*(?:levels?|lvls?)\b)", re.IGNORECASE)


def _clean_drugs(text: str, drugs: list[Mention]) -> list[Mention]:
    """Drop overlapping matches (keep the longest), diluents and repeated names of one drug.

    "Rocephin 500 mg reconstituted w/ 1% lidocaine" names a diluent, not a second drug (but
    "Kenalog 40 mg mixed with 4 mL 1% lidocaine" into a joint gives both drugs);
    "naltrexone ER (Vivitrol)" names one drug twice.
    """
    out: list[Mention] = []
    unchosen: Mention | None = None
    for m in sorted(drugs, key=lambda d: (d.start, -(d.end - d.start))):
        if out and m.start < out[-1].end:
            continue
        if UNCHECKED_BEFORE.search(text, max(0, m.start - 8), m.start) or (
                unchosen is not None and unchosen.value.name == m.value.name
                and _SAME_DRUG_GAP.fullmatch(text, unchosen.end, m.start)):
            # "[x] Invega Sustenna  [ ] Invega Trinza": the form's unchosen option, and its
            # generic after it ("[ ] Evenity (romosozumab)")
            unchosen = m
            continue
        if (out and out[-1].value.name in _COMPOUNDED_MIXES
                and "(" in text[out[-1].end:m.start]
                and ")" not in text[text.index("(", out[-1].end):m.start]
                and _INGREDIENTS.search(text, m.start)):
            # "MIC+B12 (503B compounded: methionine 25 mg / inositol 50 mg / ... /
            # cyanocobalamin 1,000 mcg per mL)": an ingredient of the mix, whose contents are
            # then documented (an unlisted drug, not an unnamed one)
            out[-1] = replace(out[-1], value=out[-1].value.model_copy(
                update={"drug_class": "compounded"}))
            continue
        if (out and _ADDITIVE_IN_PARENS.search(text, max(0, m.start - 12), m.start)
                and re.search(r"\bcompound", text[_line_bounds(text, out[-1].start, m.start)[0]:
                                                   m.start], re.IGNORECASE)
                and "\n" not in text[out[-1].end:m.start]):
            continue  # "compounded semaglutide 2.5 mg/mL (w/ pyridoxine)": part of the mix
        if _LAB_AFTER.match(text, m.end):
            continue  # "Testosterone (ng/dL) | 18 | 14": a lab result's row, not a drug
        if m.value.name.startswith("insulin") and _SYRINGE_AFTER.match(text, m.end):
            continue  # "0.1 mL = 10 units on U-100 insulin syringe": the syringe, not a drug
        if (_VIS_BEFORE.search(text, max(0, m.start - 12), m.start)
                or _VIS_AFTER.match(text, m.end)):
            continue  # "VIS (Shingrix, 02/04/2022) given": the information sheet's edition
        if (m.value.name in _RESCUE_DRUGS
                and _POSSESSES_BEFORE.search(text, max(0, m.start - 40), m.start)
                and (_OWN_DEVICE_AFTER.match(text, m.end)
                     or _OWN_DEVICE_NAME.search(text, m.start, m.end))):
            continue  # "Pt has epinephrine autoinjector": the patient's rescue kit, not a dose
        if (
            m.value.name in _DILUENTS
            and out
            and m.start - out[-1].end < (
                # "(reconst w/ 1% lidocaine)" on the next row of a MAR table reaches further
                200 if _RECONSTITUTION.search(text[max(0, m.start - 40) : m.start]) else 80)
            and (_DILUENT_BEFORE.search(text[max(0, m.start - 40) : m.start])
                 # "Ceftriaxone 1 g (2.1 mL 1% lidocaine diluent) IM"
                 or _DILUENT_NAMED_AFTER.match(text, m.end))
            and (
                m.value.name != "lidocaine"
                or out[-1].value.name in _POWDERS
                or _RECONSTITUTION.search(text[out[-1].end : m.start])
            )
        ):
            continue  # lidocaine mixed with a steroid for a joint is given too; for a powder not
        if _BESIDE_SHOT_BEFORE.search(text, max(0, m.start - 30), m.start):
            continue  # "L deltoid, 1 inch below Tdap": where the needle went, not a dose
        if m.value.name == "epinephrine" and (
            _ADDITIVE_BEFORE.search(text[max(0, m.start - 45) : m.start])
        ):
            continue  # "lidocaine with epinephrine", "1:100,000 epinephrine", "without epinephrine"
        if out and out[-1].value.name == m.value.name and not m.source.endswith("allergen-vial"):
            # a vial row under "Allergen immunotherapy" is one of its injections, not its name
            if _restates(text, out[-1].end, m.start):
                if m.value.codes and not out[-1].value.codes:
                    out[-1] = m  # "MenACWY (MenQuadfi)": the product's own name, with its code
                elif m.value.per_ml and not out[-1].value.per_ml:
                    # "Triamcinolone acetonide (Kenalog-40) 1.5 ml IM": the bracketed brand
                    # gives the strength its name fixes
                    out[-1] = replace(out[-1], value=out[-1].value.model_copy(update={
                        "per_ml": m.value.per_ml, "per_ml_unit": m.value.per_ml_unit}))
                continue
        if out and (narrow := _narrower(out[-1].value.name, m.value.name)) is not None and (
                _restates(text, out[-1].end, m.start)):
            # "Depo-Medrol (methylprednisolone)", "Sandostatin LAR Depot (octreotide)": the
            # bracket names the product's base drug; the narrower name is the product given
            if narrow == m.value.name:
                out[-1] = m
            continue
        out.append(m)
    return out


def _narrower(a: str, b: str) -> str | None:
    """The narrower of two drug names when one is the other's base: "octreotide depot".

    A combination ("cabotegravir and rilpivirine") is not a form of its first part.
    """
    if " and " in a + b or "/" in a + b:
        return None
    if a != b and b.startswith(a + " "):
        return b
    if a != b and a.startswith(b + " "):
        return a
    # "Prevnar 20 (the pneumonia shot)": a vaccine and its kind ("pneumococcal vaccine" in
    # "pneumococcal conjugate vaccine 20-valent")
    wa, wb = set(a.split()), set(b.split())
    if "vaccine" in wa and "vaccine" in wb and wa != wb and (wa < wb or wb < wa):
        return b if wa < wb else a
    return None


_BY_SYRINGE = re.compile(r"\b(?:pre-?filled\s+syringe|PFS|syringe)\b", re.IGNORECASE)


def _is_local_anesthetic(drug: Mention) -> bool:
    return getattr(drug.value, "drug_class", None) == "local_anesthetic"


def _is_oral_only(drug: Mention) -> bool:
    routes = getattr(drug.value, "routes", ())
    return bool(routes) and set(routes) == {"ORAL"}


def _route_in_name(frame: Frame, store: dict[str, list[Mention]]) -> None:
    """A route written into the drug's own name is its route: "IM steroid 80 mg given"."""
    if not frame.found.get("ROUTE"):
        frame.found["ROUTE"] = [m for m in store.get("ROUTE", [])
                                if frame.drug.start == m.start and m.end <= frame.drug.end]


def _keep_product_routes(frame: Frame) -> None:
    """A drug only made for the mouth keeps no injection route, site or joint from its frame.

    "despite PT and naproxen. Depo-Medrol 40 mg injected into R subacromial bursa": the
    procedure's route and site belong to the steroid, not to the oral NSAID named before it.
    A fluid only made for infusion given as an "IV bolus" is an infusion, not an IV push.
    """
    routes = set(getattr(frame.drug.value, "routes", ()) or ())
    if routes == {"IV_INFUSION"}:
        frame.found["ROUTE"] = [
            replace(m, value="IV_INFUSION") if m.value == "IV_PUSH" else m
            for m in frame.found.get("ROUTE", [])
        ]
    if not _is_oral_only(frame.drug):
        return
    frame.found["ROUTE"] = [m for m in frame.found.get("ROUTE", []) if m.value == "ORAL"]
    for label in ("SITE", "JOINT", "PROCEDURE", "GUIDANCE", "DEVICE"):
        frame.found.pop(label, None)


_NOT_CONDITIONAL = re.compile(
    r"(?<=IF)\s*(?:ab|antibod\w*|blocking|binding)\b|(?<=due)\s*(?:today|now|this\s+visit)\b"
    r"|(?<=prn)\s+(?:order|protocol)\b",  # "Haldol 5mg IM R glut @0215 per PRN order"
    re.IGNORECASE,
)


def _owned_status_cues(
    doc: Doc, drugs: list[Mention]
) -> dict[tuple[int, int], list[tuple[str, Mention, int]]]:
    """ConText modifiers per drug, each modifier kept only by the drug nearest to it."""
    spans = doc.spans["shotcoder_drug"] if "shotcoder_drug" in doc.spans else []
    by_modifier: dict[int, list[tuple[int, Any, Any]]] = {}
    for span in spans:
        for mod in getattr(span._, "modifiers", ()) or ():
            ms, me = mod.modifier_span
            dist = ms - span.end if ms >= span.end else span.start - me
            by_modifier.setdefault(id(mod), []).append((max(dist, 0), span, mod))
    owned: dict[tuple[int, int], list[tuple[str, Mention, int]]] = {}
    names: dict[tuple[int, int], str | None] = {}
    for entries in by_modifier.values():
        dist, span, mod = min(entries, key=lambda e: e[0])
        ms, me = mod.modifier_span
        cue_span = doc[ms:me]
        if mod.category == "GIVEN" and (
            _QUERIED.match(doc.text, cue_span.end_char)
            or _no_dose_given(doc.text, cue_span.start_char, cue_span.end_char)
            or (cue_span.text == "Given" and cue_span.start == cue_span.sent.start
                and not _GIVEN_FIELD.match(doc.text, cue_span.end_char))
            or _no_dose_before(doc.text, cue_span.start_char)
        ):
            continue  # "given the history", "Given severity and ...", "self-administered"
        if mod.category == "NEGATED_EXISTENCE" and _SUBSTITUTE_FOR.search(
                doc.text, max(0, cue_span.start_char - 40), cue_span.start_char):
            # "(imported Lentocilin 1.2 MU vials x2 - licensed product out of stock)": the usual
            # product was out, so this one was given
            continue
        if mod.category == "NEGATED_EXISTENCE" and _NO_RECORD_OF.match(
                doc.text, cue_span.start_char):
            # "No documented MMR/varicella doses (records from Brazil incomplete)": earlier
            # doses missing from the record, not a dose refused today
            continue
        if mod.category == "NEGATED_EXISTENCE" and _HELD_IN_PLACE.match(
                doc.text, cue_span.start_char):
            # "Held 5 sec after push, no leakage", "pressure held x 2 min": the needle or the
            # site held in place, a step of giving the dose, not a held dose
            continue
        if mod.category == "HYPOTHETICAL" and _NOT_CONDITIONAL.match(doc.text, cue_span.end_char):
            # "IF Ab neg" (intrinsic factor), "due today: cyanocobalamin ... given", "per PRN
            # order" (the order the dose was given under)
            continue
        if mod.category == "HYPOTHETICAL" and _schedule_noun(
                doc.text, cue_span.start_char, cue_span.end_char):
            # "Vaccines (immunocompromised schedule): Shingrix dose 1 ... given by me": the
            # schedule the doses follow, not a dose to be scheduled
            continue
        if _in_unticked_option(doc.text, cue_span.start_char):
            # "TB test: [X] TST placed   [ ] IGRA drawn   [ ] CXR ordered": the order of an
            # option left unticked is no order
            continue
        mention = Mention(cue_span.start_char, cue_span.end_char, "STATUS_CUE", mod.category)
        key = (span.start_char, span.end_char)
        owned.setdefault(key, []).append((mod.category, mention, dist))
        if (found_as := getattr(span._, "shotcoder_mention", None)) is not None:
            names[key] = found_as.value.name if found_as.value is not None else None
    # The span group is token-aligned; map back to the exact drug mentions.
    exact: dict[tuple[int, int], list[tuple[str, Mention, int]]] = {}
    for (s, e), items in owned.items():
        kept = [d for d in drugs if s <= d.start and d.end <= e]
        if not kept and (repeated := _repeat_of(doc.text, drugs, s, names.get((s, e)))):
            # "triamcinolone acetonide (Kenalog-40) 40 mg IM - ordered": the name written again
            # was dropped as a repeat; what it owns is the drug's
            kept = [repeated]
            # its row's own verdict, not a regimen or history phrase ("Xolair (omalizumab) 300
            # mg SC q4wk - dose #14" is today's dose of the regimen)
            items = [c for c in items if c[0] in _ROW_VERDICTS]
        for d in kept:
            exact.setdefault((d.start, d.end), []).extend(items)
    return exact


# "schedule" as a noun: a determiner or modifier before it ("the schedule", "per schedule",
# "catch-up schedule", "immunocompromised schedule") or a heading's close after it
_SCHEDULE_MODIFIER = re.compile(
    r"\b(?:the|a|an|this|per|on|her|his|their|your|our|same|usual|standard|dosing|dose|"
    r"vaccine|vaccination|immunization|series|catch-?up|accelerated|routine|recommended|cdc|"
    r"acip|adult|childhood|\w+(?:ed|al|ic))\s+$", re.IGNORECASE)
_HEADING_CLOSE = re.compile(r"[ \t]*[):]")


def _schedule_noun(text: str, start: int, end: int) -> bool:
    """Whether the cue at ``start:end`` is the noun "schedule", not a plan to schedule."""
    if text[start:end].lower() != "schedule":
        return False
    return bool(_SCHEDULE_MODIFIER.search(text, max(0, start - 30), start)
                or _HEADING_CLOSE.match(text, end))


def _in_unticked_option(text: str, start: int) -> bool:
    """Whether the word at ``start`` belongs to an option its empty box leaves unchosen.

    The boxes of a "[x] A  [ ] B" line go before their options: the last box before the word
    is its option's. A line that ends with a box puts its boxes after the options.
    """
    ls, le = _line_bounds(text, start, start)
    boxes = list(ANY_BOX.finditer(text, ls, le))
    before = [b for b in boxes if b.end() <= start]
    if not before or not text[boxes[-1].end() : le].strip():
        return False
    return re.fullmatch(CHECKED, before[-1].group(0)) is None


_ROW_VERDICTS = frozenset({"ORDERED", "NEGATED_EXISTENCE", "DISCONTINUED"})
# the product that was out when a substitute is given: "licensed product out of stock",
# "usual brand unavailable", "our regular formulation on backorder", another strength's
# package ("(500 mg vials on backorder)")
_SUBSTITUTE_FOR = re.compile(
    r"(?:\b(?:licensed|usual|regular|normal|branded|preferred|formulary|US|UK|domestic)\s+"
    r"(?:product|brand|formulation|presentation|supplier|version)"
    r"|\d[\d.,]*\s*(?:mg|mcg|g|gm|mL|units?)\s+(?:vials?|syringes?|pens?|kits?|ampoules?))"
    r"\s+(?:is\s+|was\s+|are\s+|were\s+|currently\s+|being\s+)*$", re.IGNORECASE)


def _repeat_of(text: str, drugs: list[Mention], start: int, name: str | None) -> Mention | None:
    """The kept drug a dropped mention at ``start`` repeats ("naltrexone ER (Vivitrol)")."""
    before = [d for d in drugs if d.end <= start]
    if (not before or name is None or before[-1].value.name != name
            or not _restates(text, before[-1].end, start)):
        return None
    return before[-1]


_ROW_TEXT = re.compile(r"[^\n]*[A-Za-z]")


def _opens_line(text: str, m: Mention) -> bool:
    """Whether only indentation and an optional bullet come before ``m`` on its line."""
    line_start = text.rfind("\n", 0, m.start) + 1
    return not text[line_start : m.start].strip(" \t-*\u2022")


def _opens_later_row(text: str, drug: Mention, m: Mention) -> bool:
    """Whether ``m`` opens a later line that goes on with words of its own ("16:20 POC ...")."""
    return (text.rfind("\n", 0, m.start) + 1 > drug.end and _opens_line(text, m)
            and bool(_ROW_TEXT.match(text, m.end)))


def _own_rows(
    text: str, drug: Mention, bullet: int, end: int, store: dict[str, list[Mention]]
) -> bool:
    """Whether the indented list under an unbulleted drug line is that drug's own rows.

    "emgality 240mg loading dose = 2 x 120mg/mL pens" then " - pen 1: 120mg subQ L abd" and
    " - pen 2: ...": a split dose written on the drug's line lists its injections, and a single
    indented row ("Kenalog 40 mg" then "  - 1 mL IM R glute 0932") is the dose. Rows of
    different injections with no split stated stay items of their own.
    """
    line_start, line_end = _line_bounds(text, drug.start, drug.end)
    if (text[bullet] != "\n" or text[bullet + 1] not in " \t"
            or _ITEM_OPENING.match(text, line_start) is not None):
        return False
    if any(line_start <= m.start < line_end for m in store.get("SPLIT", [])):
        return True
    return sum(1 for _ in _NEXT_ITEM.finditer(text, bullet, end)) == 1


def _names_next(text: str, route: Mention, drug: Mention, named: set[int]) -> bool:
    """Whether ``route`` is written before another drug's name, in a new phrase after ``drug``.

    "first dose of ceftriaxone here, then oral cephalexin": the route is the cephalexin's, even
    when that bare oral drug is dropped from the frames.
    """
    ahead = _BEFORE_NAME.match(text, route.end)
    if (of := _INJECTION_OF.match(text, route.end)) is not None and of.end() in named:
        # "while the methotrexate takes effect I gave her an intramuscular injection of
        # triamcinolone": the injection's route is the drug it is an injection of
        return True
    return (ahead is not None and ahead.end() in named
            and _JOINS_NEXT.search(text, drug.end, route.start) is not None)


def _order_fields(text: str, sections: list[tuple[int, str, int]], named: set[int]) -> set[int]:
    """Where an order field that names no drug opens, and where the section after it resumes.

    "Medication .... estradiol valerate 20 mg/mL" over "Order ..... 15 mg IM every 7 days" and
    "Volume drawn .... 0.75 mL": a form's order field is one row of the drug's record, so it does
    not end the drug's reach; an order field that names a drug is that drug's own statement.
    """
    out: set[int] = set()
    for start, category, end in sections:
        eol = text.find("\n", end)
        if category != "orders" or eol < 0 or not text[end:eol].strip():
            continue  # "Orders placed this encounter:" alone on its line heads a block
        if not any(start <= x < eol for x in named):
            out.update((start, eol))
    return out


def _indent(text: str, line_start: int) -> int:
    """How many spaces or tabs open the line starting at ``line_start``."""
    end = text.find("\n", line_start)
    line = text[line_start : len(text) if end < 0 else end]
    return len(line) - len(line.lstrip(" \t"))


def _indented_block_end(text: str, line_start: int, limit: int) -> int:
    """The end of the run of lines, from an indented line on, indented at least as deep.

    Returns 0 when the line at ``line_start`` is not indented. The run stops at a blank line, a
    line indented less, or ``limit``.
    """
    width = len(text[line_start:limit]) - len(text[line_start:limit].lstrip(" \t"))
    if width == 0:
        return 0
    end = text.find("\n", line_start)
    while 0 <= end < limit:
        nxt = text.find("\n", end + 1)
        line = text[end + 1 : len(text) if nxt < 0 else nxt]
        if not line.strip() or len(line) - len(line.lstrip(" \t")) < width:
            break
        end = len(text) if nxt < 0 else nxt
    return min(limit, len(text) if end < 0 else end)


def _frames(
    doc: Doc, text: str, drugs: list[Mention], store: dict[str, list[Mention]], max_chars: int
) -> list[Frame]:
    sections = doc._.shotcoder_sections or []
    named = {x.start for x in store.get("DRUG", [])}  # where each drug name opens
    order_rows = _order_fields(text, sections, named)
    header_starts = sorted(s[0] for s in sections if s[0] not in order_rows)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    sent_starts = [s[0] for s in sentences]
    sides = {m.value[0] for m in store.get("JOINT", []) if m.value[0]}
    joint_side = next(iter(sides)) if len(sides) == 1 else None
    frames = []
    for i, d in enumerate(drugs):
        end = min(len(text), d.end + max_chars)
        if i + 1 < len(drugs):
            end = min(end, drugs[i + 1].start)
            # "10:10 promethazine 12.5 mg IM R VG" ... "11:05 repeat promethazine 12.5 mg": what
            # opens the next drug's line is that drug's
            next_line = text.rfind("\n", 0, drugs[i + 1].start) + 1
            if d.end < next_line < end and _ROW_OPENER.fullmatch(text, next_line,
                                                                  drugs[i + 1].start):
                end = next_line
        blank = _BLANK_LINE.search(text, d.end, end)
        if blank:
            end = blank.start()
        bullet = _NEXT_ITEM.search(text, d.end, end)
        own_indent = _indent(text, text.rfind("\n", 0, d.start) + 1)
        while bullet and (_DETAIL_ITEM.match(text, bullet.end()) or (
                # "  Ceftriaxone ... 670 mg IM x1 today" over "   - 1 g vial reconstituted ..."
                # and "   - given R anterolateral thigh ...": items indented under the drug's
                # line are its details
                # (an item that states its own route is an injection of its own: "- 3 mL (900
                # IU) infiltrated subcutaneously", "- 2 mL (600 IU) IM L thigh")
                bullet.group().startswith("\n")
                and _indent(text, bullet.start() + 1) > own_indent
                and not any(bullet.end() <= m.start < _line_bounds(text, bullet.end(),
                                                                  bullet.end())[1]
                            for m in store.get("ROUTE", [])))):
            # "• Med: Cyanocobalamin 1000 mcg/mL" then "• Dose: 1000 mcg", "• Site: L deltoid":
            # an item that opens with a detail's field label is a row of the drug's record
            bullet = _NEXT_ITEM.search(text, bullet.end(), end)
        if bullet and not _HEADS_ITS_ITEMS.match(text, d.end, bullet.start() + 1) and not (
                _own_rows(text, d, bullet.start(), end, store)) and not (
                # "Procedure: 1. Consent ... 2. Botox reconstituted 100 units/2 mL. 3. 155 units
                # injected IM ...": a procedure's numbered steps are one drug's until another
                # drug is named
                section_at(doc, d.start) == "procedure"
                and _NUMBERED_STEP.match(text, bullet.start()) is not None):
            end = bullet.start()  # a new list item is a new statement
        for h in header_starts:
            if d.end < h < end:
                end = h
                break
        table_end = _form_table_end(text, d)
        if table_end is None:
            table_end = _checked_form_end(text, d)
        if table_end is None:
            table_end = _field_form_end(text, d)
        if table_end is None and (titled := _titled_form_end(text, d)) is not None:
            # the titled drug's fields run to the next drug named, whatever its name: a log
            # under the title names each dose again
            title_end = _line_bounds(text, d.start, d.end)[1]
            table_end = next((x.start for x in drugs[i + 1:] if x.start > title_end), titled)
        if table_end is not None:
            # "| Product | Invega Sustenna |" ... "| Route / Site | IM / L deltoid |": a two-column
            # form table's rows all speak of its one drug, however wide their padding
            # "Pre-injection: last Hafyera 09/04/2025" in the form names the same product again
            end = min(table_end, next((x.start for x in drugs[i + 1:] if (
                x.value.name, x.value.codes) != (d.value.name, d.value.codes)), table_end))
        k = bisect_right(sent_starts, d.start) - 1
        sent_start, sent_end = sentences[k] if k >= 0 else (d.start, d.end)
        sent_end = max(sent_end, d.end)
        if 0 <= k < len(sentences) - 1 and re.fullmatch(r"[ \t]*-[ \t]*", text[d.end:sent_end]):
            sent_end = sentences[k + 1][1]  # "Tdap - Boostrix 0.5 mL IM": the name, then its line
        back = max(sent_start, drugs[i - 1].end if i else 0)
        line_start = text.rfind("\n", 0, d.start) + 1
        item_end = 0
        if i and drugs[i - 1].end <= line_start and not text[line_start:d.start].strip(" \t"):
            # "  ceftriaxone 500 mg ... - IM - R gluteal" over "  Bicillin L-A 2,400,000
            # units/4 mL - IM - L gluteal": a row opened by its drug; the row above is the
            # drug above's, though no stop ends its sentence
            back = max(back, line_start)
        if _ITEM_OPENING.fullmatch(text, line_start, d.start):
            # "...(resulted 2:40 PM): no infiltrate.\n  - dexamethasone IM now": a list item is a
            # statement of its own; the line above it is not this drug's
            back = max(back, line_start)
            # "- Ceftriaxone 50 mg/kg IM x1." and its indented lines down to "Given 900 mg IM R
            # vastus lateralis": all of the item is the drug's, however long its arithmetic
            item_end = end
        # "   Drug: Bicillin L-A 1,200,000 units/2 mL prefilled syringe x 2" over "   Inj #1:
        # 1.2 MU  Route: IM  Site: [x] R dorsogluteal" and "   Inj #2: ...": the lines of an
        # indented block are the drug's record, each line its own sentence
        block_end = _indented_block_end(text, line_start, end)
        # Earlier words of the sentence belong to the previous drug when it is in the same
        # sentence ("Depo-Medrol 80 mg IM ... while MTX titrated").
        prev_in_sentence = i > 0 and drugs[i - 1].end > sent_start
        frame = Frame(
            drug=d,
            start=d.start,
            end=end,
            back_start=back,
            section=section_at(doc, d.start),
            section_closed=any(h > d.end for h in header_starts),
            sent_start=sent_start,
            sent_end=sent_end,
            # "Injection not given" after "would rather take ibuprofen at home" still speaks of
            # the injection: an oral drug named in between does not end the paragraph's reach
            para_end=_para_end(text, d.end, next(
                (x.start for x in drugs[i + 1:] if not _is_oral_only(x)), len(text))),
            joint_laterality=joint_side,
            next_drug=drugs[i + 1].start if i + 1 < len(drugs) else -1,
        )
        for label in _ATTACH:
            items = store.get(label, [])
            fwd = sorted(
                (m for m in items if (d.end <= m.start < end
                 or (label in _TAIL_OVERLAP and m.start < d.end < m.end))
                 # "sixty milligrams of Toradol IM ... and twenty-five milligrams of Phenergan":
                 # an amount written just before the next drug ("N mg of X") is that drug's
                 and not (label in _AMOUNT_LABELS and i + 1 < len(drugs)
                          and _AMOUNT_OF_NEXT.fullmatch(text, m.end, drugs[i + 1].start))
                 # "first dose of ceftriaxone here, then oral cephalexin": a route written
                 # just before the next drug, after a joining word, is that drug's
                 and not (label == "ROUTE" and _names_next(text, m, d, named))),
                key=lambda m: m.start,
            )
            bwd = []
            if label in _BACKWARD and not prev_in_sentence:
                bwd = sorted(
                    (m for m in items if back <= m.start and m.end <= d.start
                     and (label not in _ADJACENT_ONLY
                          or _AMOUNT_OF.fullmatch(text, m.end, d.start))),
                    key=lambda m: -m.start,
                )
            elif label in _AMOUNT_LABELS:
                bwd = [m for m in items if back <= m.start and m.end <= d.start
                       and _AMOUNT_OF_NEXT.fullmatch(text, m.end, d.start)]
            elif label == "ROUTE":
                # "... while the methotrexate takes effect I gave her an intramuscular injection
                # of triamcinolone": the route that names this drug's injection
                bwd = [m for m in items if back <= m.start and m.end <= d.start
                       and _INJECTION_OF.fullmatch(text, m.end, d.start)]
            # Nearest in the drug's own sentence first, then earlier in that sentence, then
            # later lines of the same block (templated forms put the dose on the next line).
            in_sentence = [m for m in fwd if m.start < sent_end]
            beyond = [m for m in fwd if sent_end <= m.start < max(
                sent_end + _BEYOND_CHARS, table_end or 0, item_end, block_end)]
            if label == "SPLIT":
                # "Rocephin 1 gm reconstituted with 3.6 mL 1% lidocaine; split into two
                # syringes ...", "BICILLIN L-A 2.4 MU IM X1 - SPLIT 1.2 MU ...": the split
                # written on the drug's own line
                beyond = [m for m in beyond[:1] if "\n" not in text[sent_end : m.start]]
            elif label in _SENTENCE_ONLY or (
                label == "ROUTE" and any(m.value in ("ORAL", "OTHER") for m in beyond[:1])
            ):
                beyond = []
            elif label == "DEVICE" and _BY_SYRINGE.search(text, d.start, sent_end):
                # "Neulasta 6 mg/0.6 mL prefilled syringe SC given ... Failed Onpro returned to
                # manufacturer": the dose went in by syringe, the device is another event's
                beyond = []
            elif label == "TIME":
                # "14:20 insulin regular ... 10 units SC" then "16:20 POC glucose 268": a time
                # opening a later row is that row's
                beyond = [m for m in beyond if not _opens_later_row(text, d, m)]
                in_sentence = [m for m in in_sentence if not _opens_later_row(text, d, m)]
            frame.found[label] = in_sentence + bwd + beyond
        frame.found["DATE"] = [
            m for m in store.get("DATE", []) if sent_start <= m.start < sent_end
        ]
        frame.found["WEIGHT"] = list(store.get("WEIGHT", []))  # the patient's, note-wide
        lead_time = [m for m in store.get("TIME", []) if line_start <= m.start and m.end <= d.start
                     and d.start - m.end <= 30 and _opens_line(text, m)]
        if lead_time:
            # "11:45  ondansetron 4 mg IV push": the time that opens the drug's row is its own
            frame.found["TIME"] = lead_time[:1] + [m for m in frame.found.get("TIME") or []
                                                   if m is not lead_time[0]]
        elif (prev_in_sentence and frames and frames[-1].drug is drugs[i - 1]
              and not frame.found.get("TIME") and _LIST_NEXT.fullmatch(text, drugs[i - 1].end,
                                                                        d.start)):
            # "12:58 diphenhydramine 50 mg, methylprednisolone 125 mg IM": the clock time that
            # leads a comma- or "and"-joined list of doses is every listed dose's
            frame.found["TIME"] = [m for m in frames[-1].found.get("TIME") or []
                                   if m.end <= drugs[i - 1].start][:1]
        if not frame.found.get("REPEAT") and (
                again := _REPEAT_BEFORE.search(text, max(back, d.start - 30), d.start)):
            # "10:47 Minimal response (RR 8). Second naloxone 0.4 mg IM L deltoid"
            frame.found["REPEAT"] = [Mention(again.start(), again.end(), "REPEAT", "repeat",
                                             d.source)]
        for label in ("NDC", "LOT", "EXPIRATION"):
            if not frame.found.get(label):
                # "Indication: ...\nNDC 70069-0383-01   Lot HD7734": the product's identifiers
                # further down its paragraph, past a field header, before any other drug
                stop = min(frame.para_end, frame.next_drug if frame.next_drug > 0 else len(text),
                           d.end + 400)
                frame.found[label] = [m for m in store.get(label, []) if d.end <= m.start < stop]
        if not frame.found.get("ROUTE"):
            # "Procedure: R knee intra-articular injection, ... prep. Injected 2 mL of
            # triamcinolone": the procedure's title names the route a sentence earlier
            para = _para_start(text, d.start)
            routes = store.get("ROUTE", [])
            frame.found["ROUTE"] = [
                m for m in reversed(routes)
                if (m.value == "INTRA_ARTICULAR" or _INJECTED_INTO.search(text, m.start, m.end))
                and para <= m.start and m.end <= d.start
                and (d.start - m.end < 250 or (
                    # a dictated procedure note: "Procedure: ultrasound-guided right hip
                    # intra-articular injection." and, paragraphs of technique later, the drug
                    _PROCEDURE_TITLE.match(text, text.rfind("\n", 0, m.start) + 1)
                    and not any(m.end <= r.start < d.start for r in routes)))
                # no injectable named in between ("despite therapy and acetaminophen" is not,
                # nor the lidocaine that numbed the skin)
                and not any(m.start < x.start and x.end <= d.start and not _is_oral_only(x)
                            and not _is_local_anesthetic(x) for x in drugs[:i])
            ][:1]
        missing = [x for x in ("ROUTE", "SITE") if not frame.found.get(x)]
        if _FIELD_LABEL.search(text, max(0, d.start - 45), d.start):
            # "Medication: Eylea 2 mg/0.05 mL" ... "Injection: 30G needle, ... intravitreal.",
            # "Medication: denosumab" ... "Route: subcut  Site: L upper arm": a form's route and
            # site fields, further down its block (to a blank or ruled line)
            block = _BLOCK_END.search(text, d.end)
            after = [x.start for x in drugs[i + 1:] if not _is_local_anesthetic(x)]
            stop = min(block.start() if block else len(text), d.end + 600,
                       after[0] if after else len(text))
            for label in missing:
                frame.found[label] = [m for m in store.get(label, [])
                                      if d.end <= m.start < stop][:1]
            if not frame.found.get("DOSE") and not frame.found.get("VOLUME"):
                # "Medication: Depo-Provera CI 150 mg/mL" / "Indication: ..." / "Dose: 150 mg":
                # the form's own dose field, below a field that closed the drug's section
                for label in _AMOUNT_LABELS:
                    frame.found[label] = [m for m in store.get(label, []) if d.end <= m.start < stop
                                          and _DOSE_FIELD.search(text, max(0, m.start - 30),
                                                                 m.start)][:1]
            if "ROUTE" not in missing:
                # "Drug: B12 1000 mcg  Route: IM" ... "Administered SQ without difficulty": the
                # form's other route statement is kept, so the two conflict (see _route)
                frame.found["ROUTE"] += [
                    m for m in store.get("ROUTE", []) if frame.found["ROUTE"][-1].end <= m.start
                    < stop and m.value in _TIGHT_ROUTES and m not in frame.found["ROUTE"]]
        if not frame.found.get("JOINT"):
            # "Left thumb CMC joint injection ... Triamcinolone 10 mg injected": the joint is
            # named earlier in the note (nearest first); it is used only when the route is
            # intra-articular (see _site).
            earlier = [m for m in store.get("JOINT", []) if m.start < d.start]
            frame.found["JOINT"] = sorted(earlier, key=lambda m: -m.start)
        frames.append(frame)
    _share_coordinated(text, frames)
    _share_leading_syringe(text, frames, store.get("SHARED_SYRINGE", []))
    return frames


def _form_table_end(text: str, drug: Mention) -> int | None:
    """Where the two-column form table whose value cell holds ``drug`` ends, if it does.

    "| Product | Invega Sustenna (paliperidone palmitate) |": a label cell, then the drug. The
    table runs over the following lines that are pipe rows too.
    """
    ls, le = _line_bounds(text, drug.start, drug.end)
    cells = _cells(text[ls:le], ls)
    if cells and not text[cells[0][0]:cells[0][1]].strip():
        cells = cells[1:]  # "| a | b |": the opening pipe closes no cell
    if len(cells) != 2 or text[ls:le].count("|") < 2:
        return None
    if not (cells[0][1] <= drug.start and cells[1][0] <= drug.start < cells[1][1]):
        return None
    if not _TABLE_LABEL.fullmatch(text, cells[0][0], cells[0][1]):
        return None
    pos = le
    while pos < len(text) and pos - le < 1500:
        nxt = text.find("\n", pos + 1)
        nxt = len(text) if nxt < 0 else nxt
        if text[pos + 1 : nxt].count("|") < 2:
            break
        pos = nxt
    return pos


# a line that opens with a ticked box, after a bullet or a field label ("Agent:  [X] Prolia")
_TICKED_LINE = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*|[A-Za-z][\w /]{0,25}:[ \t]*)?(?:" + CHECKED + ")")


def _checked_form_end(text: str, drug: Mention) -> int | None:
    """Where the checkbox form whose checked option is ``drug`` ends, if it does.

    "[X] Invega Hafyera (paliperidone palmitate, 6-month)  dose 1092 mg / 3.5 mL", then "Order:
    ...", "Route: [X] IM [ ] SC", "Site: ... [X] R gluteal", "Lot: ...": the form's fields below
    the chosen drug all speak of it, up to the form's end (a blank or ruled line). The box may
    follow the field's label ("Agent:  [X] Prolia (denosumab) 60 mg/mL   [ ] Evenity").
    """
    ls = text.rfind("\n", 0, drug.start) + 1
    box = _TICKED_LINE.match(text, ls)
    if box is None or text[box.end() : drug.start].strip():
        return None
    block = _BLOCK_END.search(text, drug.end)
    end = block.start() if block else len(text)
    if sum(1 for _ in ANY_BOX.finditer(text, ls, end)) < 3:
        return None  # one ticked line is a list item, not a form
    return min(end, drug.end + 1500)


# the value of a form's drug field: "Medication/strength: Medroxyprogesterone acetate 150 mg/mL"
_DRUG_FIELD_OPENING = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?(?:medications?|drugs?|meds?|products?)(?:[ \t]*/[ \t]*\w+)?"
    r"(?:[ \t]+(?:name|given|administered))?[ \t]*:[ \t]*", re.IGNORECASE)
# a form's field line: "Dose: 150 mg   Route: [x] IM [ ] SC", "Order: [x] Standing order ..."
_FIELD_LINE_OPENING = re.compile(r"[ \t]*(?:[-*\u2022][ \t]*)?[A-Za-z][\w /()#.&'-]{0,40}:")
# a section's heading among field lines: "PROCEDURE: Intramuscular injection", "Plan:"
_HEADING_OPENING = re.compile(
    r"[ \t]*(?:procedures?|assessment|plan|impression|exam(?:ination)?|objective|subjective|"
    r"history|hpi|diagnos[ie]s|a/p|follow[- ]?up)\b[^:\n]{0,30}:", re.IGNORECASE)
_DOSE_ROUTE_SITE_FIELD = re.compile(r"(?:^|[ \t])(?:dose|route|site)[ \t]*:", re.IGNORECASE | re.M)


def _field_form_end(text: str, drug: Mention) -> int | None:
    """Where the form whose drug field holds ``drug`` ends, if it does.

    "Medication/strength: Medroxyprogesterone acetate 150 mg/mL (Depo-Provera CI ...)", then
    "Order: [x] Standing order # SO-11 DMPA continuation ...", "Dose: 150 mg  Route: [x] IM",
    "Site: R deltoid", "Lot: ...": the field lines below the drug's all speak of it (the order
    field names it again), down to the first line that is no field. The form must have a dose,
    route or site field.
    """
    ls, le = _line_bounds(text, drug.start, drug.end)
    if _DRUG_FIELD_OPENING.fullmatch(text, ls, drug.start) is None:
        return None
    end, has_fields = le, False
    while end < len(text) and end - le < 1500:
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        if (_FIELD_LINE_OPENING.match(text, end + 1, nxt) is None
                or _HEADING_OPENING.match(text, end + 1, nxt) is not None
                or _DRUG_FIELD_OPENING.match(text, end + 1, nxt) is not None):
            break  # not a field; a heading ("PROCEDURE: ..."); another drug's field
        has_fields = has_fields or _DOSE_ROUTE_SITE_FIELD.search(text, end + 1, nxt) is not None
        end = nxt
    return end if has_fields else None


# a note's title that names the record it is: "AVEED (testosterone undecanoate) ADMINISTRATION -
# REMS CHECKLIST", "Depo-Provera Injection Record"
_RECORD_TITLE = re.compile(
    r"[^\n]*\b(?:administration|injection|checklist|record)s?\b[^\n]*", re.IGNORECASE)
_TITLE_CHARS = 100  # a title is a heading; a dictation written as one line is not
# a title over a log of many dates ("FIRMAGON (degarelix) ADMINISTRATION LOG"): its fields are
# each row's, not the titled drug's
_LOG_TITLE = re.compile(r"\b(?:logs?|flowsheets?|history|series|schedule)\b", re.IGNORECASE)


def _titled_form_end(text: str, drug: Mention) -> int | None:
    """Where the form that a drug named in the note's title heads ends, if it does.

    "AVEED (testosterone undecanoate) ADMINISTRATION - REMS CHECKLIST" on the first line, then
    "Dose: 750 mg/3 mL", "Route: IM ...", "Site: R gluteus medius ...", "Time: 10:05": the
    form's fields all speak of the titled drug (the caller stops them at the next drug named
    below the title).
    """
    first = len(text) - len(text.lstrip())
    ls, le = _line_bounds(text, drug.start, drug.end)
    if (ls != first or le - ls > _TITLE_CHARS or _RECORD_TITLE.fullmatch(text, ls, le) is None
            or _LOG_TITLE.search(text, ls, le)):
        return None
    return min(len(text), drug.end + 1500)


# the label of a form field that holds the drug's name: "Drug:", "| Product |", "Medication ...."
_DRUG_FIELD = r"(?:medication|drug|med|vaccine|product|injection|antigen)"
_TABLE_LABEL = re.compile(rf"[\s|]*(?:{_DRUG_FIELD}|item)s?(?:\s+name)?\s*", re.I)


_BRACKETED_ALIAS = re.compile(r"[^()\n.;]{0,60}\(\s*")
# "I gave glucagon 1 mg IM ... at 10:52 (Lilly glucagon emergency kit, NDC ..., lot ...)"
_BRACKETED_ASIDE = re.compile(r"[^()\n;]{0,120}\([^()\n]{0,30}")
_PROCEDURE_TITLE = re.compile(r"[ \t]*(?:procedures?(?:\s+performed)?|operation)\s*:", re.I)


def _para_start(text: str, pos: int) -> int:
    """Where the paragraph holding ``pos`` starts (after the last blank line before it)."""
    blank = text.rfind("\n\n", 0, pos)
    return blank + 2 if blank >= 0 else 0


def _para_end(text: str, start: int, limit: int) -> int:
    blank = _BLANK_LINE.search(text, start, limit)
    return min(blank.start() if blank else limit, start + 600)


_COORDINATED = re.compile(
    r"(?P<connector>\band|&|\+|,|/|\bwith|\bw/|\bmixed\s+w(?:ith|/))\s*"
    # any volume word, as dictation spells it too: "with 3 milliliters of 1 percent lidocaine"
    r"(?:\d+(?:\.\d+)?\s*" + VOL_UNIT + r"\s+(?:of\s+)?)?"
    r"(?:\d+(?:\.\d+)?\s*(?:%|percent)\s*)?(?:plain\s+)?"
    # "Inj Dexamethasone 8mg + Inj Phenergan 25mg IM stat": the form word the list repeats
    r"(?:inj(?:ection)?\.?\s*(?:of\s+)?)?$",
    re.IGNORECASE,
)


# the unit words dictation spells out ("milligrams", "microgram", "milliliters") and "percent"
_SPELLED_UNIT = re.compile(
    r"\b(?:" + alternation([u for u in UNIT_WORDS if u.startswith(("millig", "millil", "microg"))]
                           + ["percent"]) + r")\b", re.IGNORECASE)


def _share_coordinated(text: str, frames: list[Frame]) -> None:
    """Let a drug cut short by a coordinated name borrow the next frame's route and site.

    "Toradol 60 mg and Phenergan 25 mg IM given": the Toradol frame ends at "Phenergan"; the
    route, site and given cue written after the second drug apply to both.
    """
    # Last pair first: in "A + B + C given IM" the route C lends to B reaches A too
    for k, (a, b) in reversed(list(enumerate(zip(frames, frames[1:], strict=False)))):
        if any(f.drug.value.name == b.drug.value.name != a.drug.value.name
               and f.drug.start >= a.sent_start for f in frames[:k]):
            # "Rocephin 1 gram and Dexamethasone 10 mg, both IM, Rocephin in left gluteus and
            # Dexamethasone in right deltoid": a drug named again opens its own statement
            continue
        between = text[a.drug.end : b.drug.start]
        joined = _COORDINATED.search(between)
        # "Kenalog-40 (triamcinolone acetonide 40 mg/mL) 1 mL mixed with 1% lidocaine": the
        # bracketed generic name is part of the first drug's name, not distance between
        # (units spelled out by dictation count as their abbreviations)
        if len(_SPELLED_UNIT.sub("u", re.sub(r"\([^()\n]{0,120}\)", "", between))) > 40 or (
                joined is None):
            continue
        # "Toradol 60 mg. + Decadron 10 mg.": a unit's period ends no sentence
        if re.search(r"[;\n]|\.(?!\d)", re.sub(r"\b(mg|mcg|ml|cc|g|units?|u)\.", r"\1", between,
                                                 flags=re.IGNORECASE)):
            continue
        # "Depo-Medrol 40 mg + 4 mL 1% lidocaine": the amount after the connector is the
        # second drug's
        cut = a.drug.end + joined.end("connector")
        for label in ("DOSE", "VOLUME", "CONCENTRATION"):
            moved = [m for m in a.found.get(label, []) if cut <= m.start < b.drug.start]
            if moved:
                a.found[label] = [m for m in a.found[label] if m not in moved]
                b.found[label] = moved + [m for m in b.found.get(label, []) if m not in moved]
        a.coordinated_with = b
        for label in ("ROUTE", "SITE", "JOINT", "GIVEN_BY", "CREDENTIAL", "TIME"):
            if not a.found.get(label):
                a.found[label] = [m for m in b.found.get(label, [])
                                  # "toradol 30 rt hip ... and zofran odt 4 mg po": a shot with
                                  # its own site takes no oral route from the next drug
                                  if not (label == "ROUTE" and m.value == "ORAL"
                                          and a.found.get("SITE"))]
        _respectively(text, a, b)
        _slash_pair(text, a, b)


# A number written with no unit after a drug's name: "Toradol 60 IM", "Compazine/Benadryl 10/25"
_BARE_NUMBER = r"\d{1,4}(?:\.\d+)?"
# "Compazine/Benadryl 10/25 mg IM L/R deltoid": two amounts (and sides) in the names' order
_SLASH_GAP = re.compile(r"[ \t]*/[ \t]*")
_SLASH_AMOUNTS = re.compile(rf"[ \t]*(?P<a>{_BARE_NUMBER})[ \t]*/[ \t]*(?P<b>{_BARE_NUMBER})")


def _slash_pair(text: str, a: Frame, b: Frame) -> None:
    """Give two slash-joined drugs their slash-joined amounts and sides in order.

    "Compazine/Benadryl 10/25 mg IM L/R deltoid", "Reglan/Benadryl 10/25mg": the first amount
    and side are the first drug's; the unit written after the second amount serves both.
    """
    if not _SLASH_GAP.fullmatch(text, a.drug.end, b.drug.start) or a.found.get("DOSE"):
        return
    pair = _SLASH_AMOUNTS.match(text, b.drug.end)
    if pair is None:
        return
    second = next((m for m in b.found.get("DOSE") or [] if m.start == pair.start("b")), None)
    if second is None:
        return  # the unit is the second drug's parsed amount's ("25 mg"); none, no guess
    a.found["DOSE"] = [Mention(pair.start("a"), pair.end("a"), "DOSE",
                               (parse_amount(pair["a"]), second.value[1]), "slash-pair")]
    site = next((m for m in b.found.get("SITE") or [] if b.drug.end <= m.start < b.sent_end),
                None)
    side = _SLASH_SIDES.search(text, max(b.drug.end, site.start - 12), site.start) if site else None
    if site is not None and side is not None:
        a.found["SITE"] = [Mention(side.start(), site.end, "SITE",
                                   (_SIDE_OF[side["side"].lower()], site.value[1]), "slash-pair")]


_OPENS_LIST = re.compile(r"[\s:,\-\u2013]*(?:of\s+)?")


def _share_leading_syringe(text: str, frames: list[Frame], cues: list[Mention]) -> None:
    """Give a syringe cue that opens a list to every drug listed after it in its sentence.

    "B52 combined in one syringe: haloperidol 5 mg + lorazepam 1 mg + diphenhydramine 50 mg,
    given IM": one injection of three drugs.
    """
    for cue in cues:
        listed = [f for f in frames if f.sent_start <= cue.start and cue.end <= f.drug.start
                  < f.sent_end]
        if len(listed) < 2 or not _OPENS_LIST.fullmatch(text, cue.end, listed[0].drug.start):
            continue
        for f in listed:
            f.found["SHARED_SYRINGE"] = [cue]


_RESPECTIVELY = re.compile(
    r"\b(?:respectively\b|in\s+that\s+order\b|"
    r"resp\b\.?(?!\s*(?:rate|rr|distress|effort|status|sx)))", re.IGNORECASE)
_SIDE_OF = {w.rstrip("."): side for side in ("left", "right")
            for w in vocabulary()["laterality"][side]}
_SIDE = re.compile(
    r"\b(?P<side>" + "|".join(sorted(map(re.escape, _SIDE_OF), key=len, reverse=True))
    + r")\b\.?", re.IGNORECASE)
_SLASH_SIDES = re.compile(_SIDE.pattern + r"[ \t]*/[ \t]*$", re.IGNORECASE)  # "L/R deltoid"


def _respectively(text: str, a: Frame, b: Frame) -> None:
    """Assign sides and amounts to two drugs in the order written.

    "Toradol 60mg and phenergan 25mg IM, R and L glute respectively", "Rocephin and Decadron,
    1 g and 10 mg respectively".
    """
    line_end = text.find("\n", b.sent_end)
    end = _RESPECTIVELY.search(text, b.drug.end, len(text) if line_end < 0 else line_end)
    if end is None or (end.start() > b.sent_end
                       and _SENTENCE_BREAK.search(text, b.sent_end, end.start())):
        # "... by RN M. Soto - L glute / R glute, in that order": the split sentence's rest of
        # the line, but not a later sentence
        return
    doses = [m for m in b.found.get("DOSE") or [] if m.start < end.start()]
    if len(doses) == 2 and not a.found.get("DOSE"):
        # "Rocephin and Decadron, 1 g and 10 mg respectively": the amounts in order too
        a.found["DOSE"] = doses[:1]
        b.found["DOSE"] = [m for m in b.found["DOSE"] if m is not doses[0]]
    site = next((m for m in b.found.get("SITE") or [] if b.drug.end <= m.start < end.start()),
                None)
    if site is None:
        return
    sides = list(_SIDE.finditer(text, b.drug.end, end.start()))
    if len(sides) != 2:
        return
    location = site.value[1]
    for frame, side in zip((a, b), sides, strict=True):
        laterality = _SIDE_OF[side["side"].lower()]
        stop = max(side.end(), site.end) if side.start() <= site.start else side.end()
        frame.found["SITE"] = [Mention(side.start(), stop, "SITE", (laterality, location),
                                       "respectively")]


_NEG_INJECTION = re.compile(
    r"\b(?:(?:declined|refused|deferred|held|defers|declines|refuses)\s+(?:the\s+|her\s+|his\s+|"
    r"today's\s+|this\s+month's\s+)?(?:injection|inj\.?|shot|dose)|no\s+(?:injection|shot)\s+(?:was\s+)?"
    r"given|(?:injection|inj\.?|shot|dose)\s+(?:was\s+)?(?:not\s+given|held|deferred|declined|refused)|"
    r"hold\s+(?:the\s+)?(?:injection|inj\.?|shot|dose)|"
    # "needle guard deployed before the plunger was pressed ... NO drug delivered"
    r"(?:no|nothing)\s+(?:medication|drug|med|medicine|dose)?\s*(?:was\s+)?(?:injected|"
    r"administered|delivered)|"
    r"(?:medication|drug|dose)\s+(?:was\s+)?not\s+(?:injected|administered|given|delivered)|"
    r"withdrawn\s+before\s+(?:the\s+|any\s+)?(?:plunger|medication|meds?|injection|drug)|"
    r"before\s+any\s+(?:medication|meds?|drug)\s+(?:was\s+|were\s+)?(?:injected|given))\b",
    re.IGNORECASE,
)
_REGIMEN = re.compile(
    r"\b(?:q\.?\s?\d{1,2}\s?h(?:ours?|rs?)?\.?|q\.?\s?(?:am|pm|hs|d|day|wk|week|month|mo|"
    r"nightly|night)\b|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?h\.?s\.?|nightly|at\s+bedtime|"
    r"daily|twice\s+(?:a\s+)?day|(?:once|twice)\s+(?:a|per)\s+(?:day|week|month)|"
    # "every 4 weeks", "every two weeks", "every 2-4 wks", "every other week", "biweekly"
    rf"every\s+(?:other|{AMOUNT}(?:\s*[-\u2013]\s*{AMOUNT})?)\s+"
    r"(?:hours?|hrs?|days?|weeks?|wks?|months?|mos?)|"
    r"bi-?weekly|fortnightly|every\s+fortnight|"
    r"q\.?o\.?d\.?|q\.?\s?m\b|tiw|three\s+times\s+(?:a|per)\s+week|h\.s\.|"
    r"(?:every|each)\s+(?:monday|week|month|morning|evening|night)|"
    r"per\s+sliding\s+scale|sliding\s+scale|prn(?!\s+(?:order|protocol)\b))(?![a-z])",
    re.IGNORECASE,
)
_FRAME_STOPPED = re.compile(
    r"\b(?:(?:injection|dose|administration)\s+(?:was\s+)?(?:stopped|discontinued|aborted|halted)|"
    r"stopped\s+(?:the\s+)?(?:injection|administration)|"
    r"(?P<rest>remainder)\s+(?:of\s+the\s+dose\s+)?(?:was\s+)?(?:not\s+given|wasted|discarded)|"
    r"partial\s+dose|"
    # "pt jerked and pulled away with a sharp pain; needle came out"
    r"(?:pulled|twisted|jerked|yanked|moved)\s+(?:away|back|(?:his|her|their|the)\s+arm\s+away)"
    r"\b[^.\n]{0,40}?\bneedle\s+"
    r"(?:came\s+|was\s+|pulled\s+)?out\b(?![^.;\n]{0,12}\bbefore\b))",
    re.IGNORECASE,
)
# "2.14 mL drawn up, remainder discarded", "drew 0.89 mL from the 100 mg/1 mL vial, remainder
# discarded": the vial's rest after the dose was drawn is waste (JW), not a dose cut short
_VIAL_WORD = re.compile(r"\b(?:vials?|reconstitut\w*|drawn\s+up|drew\s+up)\b", re.IGNORECASE)
_DRAWN_FROM_VIAL = re.compile(r"\b(?:drawn|drew|vial)\b[^.;\n]{0,60}$", re.IGNORECASE)
_ORDER_WORD = re.compile(r"\borders?\b", re.IGNORECASE)  # "Bicillin order ... DISCONTINUED"
_STATEMENT_END_BEFORE = re.compile(r"[.;][ \t]*\Z")


def _stopped(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first statement in ``text[start:end]`` that an injection was stopped part way."""
    for m in _FRAME_STOPPED.finditer(text, start, end):
        if not (m["rest"] and (
                _DRAWN_FROM_VIAL.search(text, max(0, m.start() - 80), m.start())
                # "5,000 unit vial reconstituted ... Given: 0.75 mL ... Remainder discarded":
                # the vial's rest, charted lines after the vial (on the vial's own line, "pt
                # pulled away after 0.6 mL, remainder discarded" is a dose cut short)
                or (not re.search(r"\bdose\b|not\s+given", m.group(), re.IGNORECASE)
                    and _VIAL_WORD.search(text, max(start, m.start() - 400),
                                          max(start, text.rfind("\n", 0, m.start()))))
                # "ceftriaxone 1 g vial ... reconstituted ...; 600 mg (1.7 mL) IM R vastus
                # lateralis 20:05. Remainder discarded.": a statement of its own after the dose
                # drawn from the vial on that line
                or (_STATEMENT_END_BEFORE.search(text, max(0, m.start() - 4), m.start())
                    and _VIAL_WORD.search(text, max(start, text.rfind("\n", 0, m.start()) + 1),
                                          m.start())))):
            return m
    return None


# "held 5 sec", "held for 10 seconds", "held x 2 min", "held in place": a step of the technique
_HELD_FOR = (r"\s+(?:(?:for|x|\u00d7)\s*)?\d+(?:-\d+)?\s*(?:s|secs?|seconds?|mins?|minutes?)\b"
             r"|\s+in\s+place\b")
_HELD_IN_PLACE = re.compile(rf"held(?:{_HELD_FOR})", re.IGNORECASE)
# "In for her Prolia ... Held today - rang Dr Moore. Not given.": a sentence of its own that
# says the visit's drug was held
_NEG_SENTENCE = re.compile(
    r"(?:^|(?<=[.;!]\s))[ \t*-]*(?:held|withheld|not\s+given|not\s+administered)\b"
    r"(?!\s*(?:reason|by|:|\(|\[|_))"  # "Not given reason: ___" is a form's blank field
    # "Held skin fold, slow 30 sec", "held pressure 1 min": how the shot was given
    r"(?!\s+(?:(?:the|a)\s+)?(?:skin|pressure|firm|gauze|pinch|arm|leg|child|infant)\b)"
    rf"(?!{_HELD_FOR})"  # "Held 5 sec after push, no leakage"
    # "Held from mat", "held out of practice x 72 h": an activity restriction
    r"(?!\s+(?:from|out\s+of)\b)",
    re.IGNORECASE | re.MULTILINE,
)
# the next numbered item of a list ("\n4. Held from mat ..."): another problem's plan
_NEXT_NUMBERED = re.compile(r"\n[ \t]*\d{1,2}[.)][ \t]+")
_FRAME_GIVEN = re.compile(
    r"\b(?:given|administered|injected|infiltrated|tolerated|rec'?d|received|gave|admin'?d|done|"
    r"tol'd|tol\.?\s+(?:ok|well|fine))\b|"
    r"\d{1,2}:?\d{2}\s+by\s+[A-Z][\w.' -]{0,25}?,?\s+(?:RN|LPN|LVN|MA|CMA|MD|DO|NP|PA-C|PA)\b",
    re.IGNORECASE,
)
_GIVEN_IDIOM = re.compile(
    r"\s+(?:the|his|her|their|that|this|its|these|those|how|what|which|recent|concerns?|"
    r"ongoing|prior|current|known|significant|long[-\s]term|chronic|continued|persistent|"
    r"recurrent|elevated|low|high|limited|poor|good)\b", re.IGNORECASE
)
# "given neuro findings", "given family history of ...", "given worsening symptoms": given as
# "considering", up to two describing words before a reason noun (no route, time or preposition)
_GIVEN_REASON = re.compile(
    r"\s+(?:(?!(?:for|to|at|in|by|on|with|per|as|and|of|or|today|now|im|iv|sc|sq|po)\b)"
    r"[a-z][a-z-]*\s+){0,2}(?:findings|symptoms|history|age|risks?|allerg(?:y|ies)|pregnancy|"
    r"comorbidit(?:y|ies)|severity|presentation|exam(?:ination)?|results|labs|response|"
    r"intolerance|preference|involvement|deficits?|contraindications?)\b", re.IGNORECASE)
_GIVEN_ADJECTIVE = re.compile(r"\b(?:a|any|each)\s+$", re.IGNORECASE)  # "at a given meal"
# "walk as tolerated", "advance diet as tolerated": an activity order, not a dose tolerated
_AS_TOLERATED = re.compile(r"\bas\s+tolerated\b", re.IGNORECASE)
# "info on Depo-Provera and Nexplanon given", "wants to think about it, info given": what was
# given is information
_INFO_BEFORE = re.compile(
    r"\b(?:info|information|education|handouts?|literature|instructions?|leaflets?|pamphlets?|"
    r"brochures?|reassurance|advice|precautions)\b"
    r"(?:(?!\b(?:given|administered|injected|gave)\b)[^.;,\n]){0,60}$", re.IGNORECASE)
# "RhoGAM would be given after delivery", "can be given at the next visit": not a dose given
_MODAL_BEFORE = re.compile(
    r"\b(?:would|will|could|should|may|might|can|must|shall|to)\s+(?:(?:not|then|also|only)\s+)?"
    r"(?:be|have\s+been)\s+$", re.IGNORECASE)
# "Two sample autoinjectors were given to take home": handed over for later use
_GIVEN_FOR_HOME = re.compile(
    r"\s+(?:to\s+(?:take|use|bring)\s+(?:home|with)|for\s+(?:home|later)\b|to\s+(?:the\s+)?"
    r"(?:patient|pt|her|him|them|mom|parent)\s+(?:to\s+take|for\s+home))", re.IGNORECASE)
# "Narcan nasal 4 mg kit x2 placed in property", "placed in his discharge bag": put away with
# the patient's things
_PLACED_AWAY = re.compile(
    r"\s+(?:in|into)\s+(?:(?:the|his|her|their|pt'?s|patient'?s)\s+)?(?:\w+\s+)?(?:property|"
    r"belongings|bags?|packet|backpack|purse|envelope)\b", re.IGNORECASE)

# "UC note received by fax", "records received from QuickCare", "if auth received": paper
# that came in, not a dose
_PAPER_BEFORE = re.compile(
    r"\b(?:notes?|records?|reports?|results?|labs?|letters?|fax(?:es)?|paperwork|documentation|"
    r"summary|message|referral|authori[sz]ation|auth|approval|PA|images?|films?)\s+"
    r"(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+)?$", re.IGNORECASE)
# "received by fax"; "Received report from day RN re: pending Rocephin": a hand-off received
_PAPER_AFTER = re.compile(
    r"\s+(?:(?:by|via|per)\s+(?:e-?)?fax\b|(?:a\s+|the\s+|verbal\s+|bedside\s+)?(?:report|"
    r"hand-?off|sign-?out|call|message|records?|results?)\b)", re.IGNORECASE)
# "I'm done with shots", "she's done with the Depo": a person who is done is stopping
_PERSON_DONE = re.compile(
    r"\b(?:I'?m|I\s+am|(?:s?he|we|they|you)(?:'re|'s|\s+(?:is|are)))\s+(?:all\s+|so\s+|just\s+)?$",
    re.IGNORECASE)


def _no_dose_given(text: str, start: int, end: int) -> bool:
    """Whether the given word at ``text[start:end]`` reports no dose given.

    "given the history" and "given neuro findings" are idioms ("considering"), "at a given meal"
    an adjective, "would be given after delivery" a possibility, "given to take home" something
    handed over, "info on Depo-Provera given" information, "walk as tolerated" an activity order,
    "UC note received by fax" paper that came in and "I'm done with shots" a refusal.
    """
    return bool(_GIVEN_IDIOM.match(text, end) or _GIVEN_REASON.match(text, end)
                or _GIVEN_FOR_HOME.match(text, end)
                or (text[start:end].lower() == "placed" and bool(_PLACED_AWAY.match(text, end)))
                or _MODAL_BEFORE.search(text, max(0, start - 30), start)
                or _GIVEN_ADJECTIVE.search(text, max(0, start - 6), start)
                or _INFO_BEFORE.search(text, max(0, start - 80), start)
                or _AS_TOLERATED.search(text, max(0, start - 4), end)
                or (text[start:end].lower() == "done"
                    and bool(_PERSON_DONE.search(text, max(0, start - 20), start)))
                or (text[start:end].lower().startswith("receiv")
                    and bool(_PAPER_BEFORE.search(text, max(0, start - 40), start)
                             or _PAPER_AFTER.match(text, end))))


# "VIS given", "Rh card given", "work note given": something handed over, not a dose
_OBJECT_GIVEN = re.compile(
    r"\b(?:vis|avs|after[-\s]visit\s+summary|card|handouts?|instructions?|education|"
    r"information|info|rx|prescriptions?|options|alternatives|resources?|"
    r"paperwork|sheets?|leaflets?|literature|letter|precautions|counsel(?:l)?ing|copy|brochures?|"
    r"kit|strainer|crutches|sling|splint|ice(?:\s+pack)?|water|juice|crackers|snack|referral|"
    # "Sharps container given", "Titration plan given to pt": supplies and plans handed over
    r"(?:sharps\s+)?container|supplies|glucometer|meter|diary|calendar|pamphlets?|band-?aids?|"
    r"stickers?|"
    r"(?:titration|treatment|care|action|written|diet|exercise|sliding[-\s]scale)\s+plan|"
    r"(?:work|school)\s+(?:note|excuse)|excuse|receipt|appointment|reminder|teaching|"
    # "EMS arrived, report given": a hand-off to the next team
    r"report|hand-?off|sign-?out)"
    # a bracketed aside between: "VIS (Shingrix, 02/04/2022) given"
    r"(?:\s*\([^()\n]{1,40}\))?(?:\s*:\s*|\s+(?:was\s+|were\s+)?)$", re.IGNORECASE)
# "self-administered"; "clinic-administered", "provider-administered": a kind of regimen
_SELF_BEFORE = re.compile(
    r"\bself[-\s]?$|\b(?:clinic|office|in-office|provider|practice|facility)[-\s]$", re.IGNORECASE)


# "no documented MMR doses", "no record of prior Tdap", "no proof of varicella vaccination"
_NO_RECORD_OF = re.compile(
    r"no\s+(?:(?:documented|recorded|written)\b|(?:record|records|proof|evidence|documentation)"
    r"\s+of\b|(?:prior|previous|earlier)\s+(?:records?|doses?|documentation)\b)", re.IGNORECASE)
# "Phenergan 25 IM given?? - order in, no MAR entry": a question, not a charted dose
_QUERIED = re.compile(r"[ \t]*\?")
_GIVEN_ASKED = re.compile(r"\b(?:given|administered|injected|done)[ \t]*\?+", re.IGNORECASE)


# "pt left before medication given", "prior to the injection being given": a time named by
# the dose, not the dose
_BEFORE_GIVEN = re.compile(
    r"\b(?:before|prior\s+to|until)\s+(?:the\s+|her\s+|his\s+|any\s+)?(?:(?:medications?|"
    r"meds?|injections?|shots?|doses?|it)\s+)?(?:was\s+|were\s+|could\s+be\s+|being\s+)?$",
    re.IGNORECASE)


def _no_dose_before(text: str, start: int) -> bool:
    """Whether the words before a given-word make it no dose: "VIS given", "left before given".

    Also "self-administered" and "clinic-administered" (a kind of regimen).
    """
    return bool(_SELF_BEFORE.search(text, max(0, start - 12), start)
                or _OBJECT_GIVEN.search(text, max(0, start - 70), start)
                or _BEFORE_GIVEN.search(text, max(0, start - 40), start))
_GIVEN_FIELD = re.compile(r"\s*(?::|by\b|at\b|in\b|to\b|today\b|IM\b|SC\b|\d)")
_FIELD_LABEL = re.compile(
    rf"\b{_DRUG_FIELD}\s*(?::|\.{{2,}}|_{{2,}}|-{{2,}}|\|)\s*$", re.I
)  # "Drug: ...", "Drug ........ ..." (a flowsheet's dotted leader), "| Product | ..."
# "Dose: 150 mg", "Amount given - 1 mL": a form's dose field, just before its value
_DOSE_FIELD = re.compile(
    r"(?:^|[ \t]{2}|\|)[ \t]*(?:dose|amount)(?:[ \t]+(?:given|administered))?[ \t]*[:\-][ \t]*$",
    re.IGNORECASE | re.MULTILINE)
# an empty field: "Given: ____", "[ ]", "n/a", "Time given: --" (dashes only)
_BLANK_FIELD = re.compile(r"\s*:?\s*(?:_{2,}|\[\s*\]|n/?a\b|-{2,}[ \t]*(?:$|\n)|$|\n)",
                          re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"\b(?:not|no|none|nothing|never|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


_LIST_LINE = re.compile(r"[ \t]+\S|[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]+\S")
# the word that says a dose went in: a "Given today ...:" lead, a split line's "given as 2 ..."
_GIVEN_WORD = re.compile(r"\b(?:given|administered|injected)\b", re.IGNORECASE)


def _given_today_lead(text: str, frame: Frame) -> Mention | None:
    """The "given" of a line that introduces today's doses, above the drug's list item.

    "Given today, Dr. Adeyemi in clinic:" then "  - Heplisav-B 0.5 mL IM R deltoid" and
    "  - cyanocobalamin IM L deltoid (monthly)": the items between are list lines too.
    """
    line_start = _line_bounds(text, frame.drug.start, frame.drug.end)[0]
    if not _LIST_LINE.match(text, line_start):
        return None
    for hs, _ in _block_lines_above(text, line_start):
        if (lead := GIVEN_TODAY_LEAD.match(text, hs)) is not None:
            word = _GIVEN_WORD.search(text, lead.start(), lead.end())
            return Mention(word.start(), word.end(), "STATUS_CUE", "GIVEN") if word else None
        if not _LIST_LINE.match(text, hs):
            return None
    return None


# "last 10:38", "next due 10:30": a clock time that names another dose's time
_LAST_BEFORE = re.compile(r"\b(?:last|prior|previous|since|next|due|until)\b[\s:,-]*(?:dose\s*)?"
                          r"[\s:,-]*(?:at\s+)?$", re.IGNORECASE)


# a line that opens today's dose of a regimen: "Dose 1 today:", "Today's dose:", "Today -"
_TODAY_DOSE_LINE = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?(?:(?:dose|injection|shot)[ \t]*#?[ \t]*\d{0,2}[ \t]+today"
    r"|today(?:'s)?(?:[ \t]+(?:dose|injection|shot))?)[ \t]*[:\-\u2013]", re.IGNORECASE)


def _today_dose_line(text: str, frame: Frame) -> Mention | None:
    """The opening of a line below the drug's that charts the regimen's dose of today.

    The line is in the drug's frame (before any other drug) and charts the shot: an IM/SC route
    and a site after its opening.
    """
    stop = frame.end if frame.next_drug < 0 else min(frame.end, frame.next_drug)
    at = _line_bounds(text, frame.drug.start, frame.drug.end)[1] + 1
    while at < stop:
        end = _line_bounds(text, at, at)[1]
        if (m := _TODAY_DOSE_LINE.match(text, at, end)) is not None:
            charted = [any(m.end() <= x.start < end for x in frame.found.get(label) or [])
                       for label in ("ROUTE", "SITE")]
            opening = m.end() - len(m[0].lstrip(" \t-*\u2022"))
            return (Mention(opening, m.end(), "STATUS_CUE", "GIVEN")
                    if _injected(frame) and all(charted) else None)
        at = end + 1
    return None


def _sentence_charted_time(text: str, frame: Frame) -> Mention | None:
    """The clock time that charts today's shot in the drug's own sentence, if one does.

    The sentence also charts the shot's IM/SC route and its site ("... 100 mg IM to the R deltoid
    at 10:38"); a time named as another dose's ("last 10:38") charts nothing of today's.
    """
    if not _shot_charted(frame, (frame.sent_start, frame.sent_end)):
        return None
    time = frame.first("TIME")
    if _LAST_BEFORE.search(text, max(frame.sent_start, time.start - 12), time.start):
        return None
    return time


# A line labelled as the regimen: "Maintenance: Aristada 882 mg IM q6 weeks, gluteal",
# "Maintenance dose: ...", "Dosing schedule: ..." ("Regimen:" heads today's infusion or
# initiation as often: "Regimen: infliximab-dyyb 5 mg/kg q8wk = 400 mg - infusion #6")
_REGIMEN_LABEL = re.compile(
    r"[ \t]*(?:[-*\u2022][ \t]*)?(?:current\s+|usual\s+)?(?:maintenance(?:\s+(?:dose|dosing|regimen|"
    r"schedule))?|dosing\s+schedule)[ \t]*:", re.IGNORECASE)


# A form's given field holding an amount: "Given: 50 mg / 1 mL", "Amount given: 0.5 mL"
# (or opening its line with no colon: "   Given 700 mg IM R anterolateral thigh by ... @ 16:05")
_GIVEN_AMOUNT_FIELD = re.compile(
    r"(?:^|(?<=\n)|(?<=[ \t]{2})|(?<=\|))[ \t]*(?P<field>(?:(?:dose|amount|volume)[ \t]+)?"
    r"(?:given|administered|admin'?d)[ \t]*:)[ \t]*(?=\d)"
    r"|(?:^|(?<=\n))[ \t]*(?P<opening>given|administered)[ \t]+"
    r"(?=\d[\d.,]*[ \t]*(?:mg|mcg|g|ml|cc|units?)\b)", re.IGNORECASE)


def _given_amount_field(text: str, frame: Frame, after: int) -> Mention | None:
    """A given field holding an amount after ``after``, in the drug's own frame."""
    stop = frame.end if frame.next_drug < 0 else min(frame.end, frame.next_drug)
    if (m := _GIVEN_AMOUNT_FIELD.search(text, after, stop)) is None:
        return None
    start, end = m.span("field" if m["field"] else "opening")
    return Mention(start, end, "STATUS_CUE", "GIVEN")


def _own_regimen(text: str, frame: Frame) -> Mention | None:
    """A frequency ("q6h PRN", "BID", "every 4 weeks") right after the drug's own dose."""
    end = min(frame.sent_end, frame.drug.end + 60, frame.end)
    stop = re.compile(r"[.;\n](?:\s|$)").search(text, frame.drug.end, end)
    reg = _REGIMEN.search(text, frame.drug.end, stop.start() if stop else end)
    if reg is None:
        ls = text.rfind("\n", 0, frame.drug.start) + 1
        if (label := _REGIMEN_LABEL.match(text, ls)) is not None and (
                label.end() <= frame.drug.start
                and not re.search(r"[.;]\s", text[label.end():frame.drug.start])):
            return Mention(label.start(), label.end(), "STATUS_CUE", "REGIMEN")
        return None
    doses = [m for m in frame.found.get("DOSE") or [] if frame.drug.end <= m.start < reg.start()]
    if len(doses) > 1:
        return None  # "ceftriaxone 500 mg IM + doxycycline 100 mg BID": another drug's regimen
    return Mention(reg.start(), reg.end(), "STATUS_CUE", "REGIMEN")


# A prescription: "Rx Depo-SubQ Provera 104 ... #1, 3 refills", "script for X, disp #4"
# ("Rx:" heads a treatment list as often as a prescription, so the colon form is not one)
# ("Rx# 7711302  ENOXAPARIN 40MG/0.4ML SYR": a pharmacy's numbered prescription)
_RX_BEFORE = re.compile(r"\b(?P<w>rx|script|prescription)(?:\s*#\s*\d{4,})?\s+(?:for\s+)?$",
                        re.IGNORECASE)
_RX_AFTER = re.compile(
    r"\b(?:\d+|no)\s+refills?\b|\brefills?\s*[:x#]?\s*\d|\bdisp(?:ense)?\b\.?\s*[:#]?\s*\d"
    # "cefixime 800 mg Rx for partner given to pt", "azithromycin 1 g eRx'd"
    r"|\b(?:e-?)?rx(?:'?d|\s+(?:for|to|sent|given|written|printed)\b)", re.IGNORECASE)


def _prescription(text: str, frame: Frame) -> Mention | None:
    """A prescription written for the drug: "Rx" just before it, or refills in its sentence."""
    ls = text.rfind("\n", 0, frame.drug.start) + 1
    if (m := _RX_BEFORE.search(text, max(ls, frame.drug.start - 24), frame.drug.start)):
        return Mention(m.start("w"), m.end("w"), "STATUS_CUE", "PRESCRIBED")
    if (m := _RX_AFTER.search(text, frame.drug.end, min(frame.sent_end, frame.end))):
        return Mention(m.start(), m.end(), "STATUS_CUE", "PRESCRIBED")
    return None


# "self-administered at home" (not "she will self-inject at home weekly from next week")
# "(gave) it himself", "(injected) the dose herself"
_HIMSELF = r"(?:it|the\s+(?:dose|injection|shot))\s+(?:to\s+)?(?:him|her|them)sel(?:f|ves)\b"
_SELF_GIVEN = re.compile(
    # not the plan to start ("Plans to start self-injecting at home next week")
    r"(?<!will\s)(?<!to\s)(?<!can\s)(?<!then\s)(?<!start\s)(?<!begin\s)(?<!starting\s)"
    r"(?<!beginning\s)\bself[-\s]?(?:administ\w*|inject\w*|admin'?d)"
    # "pt gave it himself from his own pen"
    rf"|\b(?:gave|injected|administered)\s+{_HIMSELF}",
    re.IGNORECASE)
# "  [ ] First dose ": a line opened by an empty checkbox, up to a word on it
_UNTICKED_ITEM = re.compile(rf"[ \t*\-]*(?:{EMPTY_BOX})[^\n\[\]\u2610-\u2612]{{0,40}}")
# "Last administered here: 11/10/2026": the given-word of an earlier dose
_LAST_BEFORE = re.compile(r"\blast[ \t]+\Z", re.IGNORECASE)
# "gave her own pen": the patient gave it
_GAVE_BEFORE = re.compile(r"\b(?:gave|injected|administered|used)\s*\Z", re.IGNORECASE)
# "gave it himself": the given-word of a dose the patient gave
_HIMSELF_AFTER = re.compile(rf"\s+{_HIMSELF}", re.IGNORECASE)


def _unticked_item(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` sits on a line opened by an empty checkbox.

    "[ ] First dose given in clinic": the form's unticked option.
    """
    return _UNTICKED_ITEM.fullmatch(text, text.rfind("\n", 0, pos) + 1, pos) is not None


def _frame_given(text: str, frame: Frame) -> Mention | None:
    """A given-type word later in the drug's own frame (templated forms, MAR lines)."""
    for m in _FRAME_GIVEN.finditer(text, frame.drug.end, frame.end):
        if (_BLANK_FIELD.match(text, m.end()) or _QUERIED.match(text, m.end())
                or _no_dose_given(text, m.start(), m.end())
                or _no_dose_before(text, m.start())
                or UNCHECKED_BEFORE.search(text, max(0, m.start() - 6), m.start())
                or _unticked_item(text, m.start())
                or _LAST_BEFORE.search(text, max(0, m.start() - 8), m.start())):
            # "Given: ___" is an empty form field; "given the history" an idiom; "[ ] done"
            # and "[ ] First dose given in clinic" unticked boxes
            continue
        if frame.next_drug >= m.end() and _VERB_OBJECT_GAP.fullmatch(text, m.end(),
                                                                       frame.next_drug):
            # "while the methotrexate and Enbrel get back on board, she received Depo-Medrol
            # eighty milligrams": the verb's object is the next drug
            break
        if (m.start() >= frame.sent_end and frame.next_drug >= m.end()
                and not _BREAK_PAST_INITIALS.search(text, m.end(), frame.next_drug)):
            # "... urgent care gave him a Toradol shot", "Given by J. Whitaker, FNP:
            # medroxyprogesterone ...": the next sentence's own drug
            break
        if m.start() >= frame.sent_end and (_ON_A_DATE.match(text, m.end())
                                            or _earlier_day_follows(text, m.end())):
            # "here for 2nd dose of Shingrix. Dose 1 given 11/20/2025": that date's; "Reason:
            # ceftriaxone dose 2 of 2 ... First dose given here yesterday 16:30": that day's
            continue
        if m.start() >= frame.sent_end and m.group(0).lower() == "done":
            lead = text[_sentence_start_before(text, m.start()) : m.start()]
            if not _DONE_LEAD.fullmatch(lead):
                # "Stop lorazepam. Call son re: hospice referral - done": the call's
                continue
        if not _NEGATED_BEFORE.search(text[max(0, m.start() - 15) : m.start()]):
            return Mention(m.start(), m.end(), "STATUS_CUE", "GIVEN")
    return None


# the dose carried out, after a plan in the same sentence: "which was administered by Marcy",
# "given by me today", "was given at 10:40" (not "will be given", "to be given by the RN")
_PLAN_CARRIED_OUT = re.compile(
    r"\b(?:(?:was|were)\s+(?:then\s+)?(?:given|administered|injected)|(?<!be\s)(?:given|"
    r"administered|injected)\s+(?:by\s+(?:me|myself|our|(?-i:[A-Z]))|today\s+by))",
    re.IGNORECASE)
# what may lead a "done" in a sentence after the drug's: nothing, or the shot it says was done
_DONE_LEAD = re.compile(
    r"[\W_]*(?:(?:injection|inj|shot|dose|administration|admin|vaccine|med(?:ication)?s?|"
    r"status|action|given)\b[^.\n]{0,20})?", re.IGNORECASE)


def _sentence_start_before(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts: after the last break before it."""
    breaks = [m.end() for m in _BREAK_PAST_INITIALS.finditer(text, max(0, pos - 200), pos)]
    return breaks[-1] if breaks else max(0, pos - 200)


# "EPINEPHrine 1 mg/mL injection 0.3 mg IM - PRN recurrence - Action: Not Given (not needed)"
_ROW_NOT_GIVEN = re.compile(r"\b(?:not|never)\s+(?:given|administered|injected|done)\b",
                            re.IGNORECASE)


_FULL_STOP = re.compile(r"(?<!\b[A-Z])[.!?](?:\s|$)")


def _row_not_given(text: str, frame: Frame) -> Mention | None:
    """A "not given" later on the drug's own line, sentence and frame (a MAR row's action).

    "100 mL of intravenous Isovue-300 contrast administration.  Oral contrast was not
    administered." is another drug's sentence on a long line.
    """
    stop = min(frame.end, _line_bounds(text, frame.drug.start, frame.drug.end)[1])
    if (full_stop := _FULL_STOP.search(text, frame.drug.end, stop)) is not None:
        stop = full_stop.start()  # a row's fields split sentences at " - ", never at a period
    for m in _ROW_NOT_GIVEN.finditer(text, frame.drug.end, stop):
        if not _BLANK_FIELD.match(text, m.end()):  # "Reason not given: ____" is a blank field
            return Mention(m.start(), m.end(), "STATUS_CUE", "NEGATED_EXISTENCE")
    return None


_SENTENCE_BREAK = re.compile(r"[.!?;](?:\s|$)|\n")
# what stands between a given-type verb and the drug it governs ("received Depo-Medrol", "gave
# him the Toradol")
_VERB_OBJECT_GAP = re.compile(r"[ \t]+(?:(?:him|her|them|the|a|an|pt|patient|one|our)[ \t]+)*",
                              re.IGNORECASE)
# a sentence break that is not the period of an initial ("by J. Whitaker, FNP:")
_BREAK_PAST_INITIALS = re.compile(r"(?<!\b[A-Z])[.!?;](?:\s|$)|\n")


def _earlier_day_follows(text: str, at: int) -> bool:
    """Whether an earlier day ("yesterday", "last week") follows ``at`` in the same clause."""
    word = _EARLIER_DAY.search(text, at, at + 30)
    return word is not None and not _CLAUSE_BREAK.search(text, at, word.start())


# a clause's end, not a clock time's colon ("given there at 10:15 yesterday")
_CLAUSE_BREAK = re.compile(r"[,;.!?\n]|(?<!\d):|:(?!\d)")
_COMMA_BREAK = re.compile(r"[,;\n]|(?<!\d):|:(?!\d)")
_ON_BEFORE = re.compile(r"\bon[ \t]+$", re.IGNORECASE)  # "on" written just before a date
# a written month/day date, with or without its year: "11/20/2025", "3/5"
_MDY = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{2,4}))?\b"
# "given 11/20/2025", "given here on 01/28/2026", "administered in clinic 3/5"
_ON_A_DATE = re.compile(r"\s+(?:(?:here|in\s+(?:the\s+)?(?:clinic|office))\s+)?(?:on\s+)?" + _MDY,
                        re.IGNORECASE)


# what may stand before a dated entry's date on its line, and between the date and the drug:
# "Day 1 (07/20): Rocephin", "- 06/02/2026 - B12 1000 mcg IM", "Dose #2 07/20 09:15 ceftriaxone"
_DATED_ROW_LABEL = re.compile(
    r"[ \t]*(?:[-*\u2022>][ \t]*)?(?:(?:day|dose|inj(?:ection)?|visit|wk|week|shot)[ \t]*#?[ \t]*"
    r"\d{1,2}[ \t]*(?::[ \t]*)?"
    # a field for the last dose: "Last ESA: 12/16/2025 Retacrit", "Last shot ...... 12/16/2025"
    r"|(?:last|prior|previous)(?:[ \t]+[A-Za-z]{2,12})?[ \t]*(?::|\.{2,})[ \t]*)?[(\[]?[ \t]*",
    re.IGNORECASE)
# "Day 1 (07/20): Rocephin", "Wk 1: 08/04/2026 Bicillin L-A 2.4 MU", "11/02/2025 B12 1000 mcg"
_DATED_ROW_TAIL = re.compile(
    r"(?:/\d{2,4})?[ \t]*[)\]]?[ \t]*(?:(?:at[ \t]+)?\d{1,2}:?\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t]*)?"
    r"(?:[:\-\u2013\u2014][ \t]*)?", re.IGNORECASE)


# a year alone just after the drug's name, or after the word that says what happened then
_BARE_YEAR_AFTER = re.compile(
    r"[ \t]*(?:\(|[-,:][ \t]*)?[ \t]*(?:(?:placed|given|received|done|last|inserted|completed|in)"
    r"[ \t]+)?(?P<year>(?:19[89]\d|20[0-4]\d))\b"
    r"(?![ \t]*(?:[-/.,]\d|%|(?:mg|mcg|\u00b5g|ug|g|units?|u|iu|ml|cc|meq)\b))",
    re.IGNORECASE)


def _heads_later_row(text: str, frame: Frame, m: Mention) -> bool:
    """Whether a date opens a row below the drug's own dated row: that row's date, not the drug's.

    "Day 3   09/16/2026   due 09:00" under "Day 2   09/15/2026 09:05   ceftriaxone 880 mg IM".
    Under a header that names the drug ("MAR - denosumab (Prolia) 60 mg SC q6 months"), the
    dated rows are the drug's.
    """
    line_start = _line_bounds(text, m.start, m.end)[0]
    if line_start <= frame.drug.start or not _DATED_ROW_LABEL.fullmatch(text, line_start, m.start):
        return False
    own_start = _line_bounds(text, frame.drug.start, frame.drug.end)[0]
    return any(own_start <= d.start and d.end <= frame.drug.start
               and _DATED_ROW_LABEL.fullmatch(text, own_start, d.start)
               for d in frame.found.get("DATE") or [])


# what may follow a line label's date before its colon: "03/02/2026 19:30):", "04/14 (prior):"
_LABEL_DATE_END = re.compile(
    r"(?:[ \t]*(?:@|at)?[ \t]*\d{1,2}:\d{2}(?:[ \t]*[ap]\.?m\.?)?)?[^\n:.;]{0,25}?:[ \t]",
    re.IGNORECASE)
# a label that dates something other than a dose given that day: an order, a plan, a due date
_NOT_EVENT_LABEL = re.compile(
    r"\b(?:dob|d\.o\.b|birth|born|order\w*|plan\w*|rx|prescri\w*|due|next|last|since|per|"
    r"protocol|standing|labs?|results?|exp\w*|lot|until|through)\b", re.IGNORECASE)


def _dated_label(text: str, frame: Frame, dos: date) -> Mention | None:
    """The date of a line label that dates the drug's line to an earlier day.

    "Background (from Northside Urgent Care record, 03/02/2026 19:30): ... ceftriaxone 600 mg
    IM L thigh given 20:10": what the line after the label tells happened that day. A label
    that dates an order, a lab or a due date ("Ordered 03/02/2026:") does not date a dose.
    """
    ls = text.rfind("\n", 0, frame.drug.start) + 1
    if _TODAY_HERE.search(text, ls, frame.drug.start):
        return None  # the line says today
    for m in _SLASH_DATE.finditer(text, ls, frame.drug.start):
        # the label may open a later sentence of the line: "... removed from play by ATC. ED
        # 09/12: CT head neg, Zofran 4 mg IVP x1"
        breaks = list(re.finditer(r"(?<=[A-Za-z]{3})[.!?][ \t]+(?=[A-Z])", text[ls:m.start()]))
        lead = text[ls + breaks[-1].end() if breaks else ls : m.start()]
        end = _LABEL_DATE_END.match(text, m.end(), frame.drug.start)
        if end is None or len(lead) > 80 or re.search(r":[ \t]", lead) or (
                _NOT_EVENT_LABEL.search(lead)
                or re.search(r"[.!?](?:\s|$)", text[end.end():frame.drug.start])):
            continue  # "Per plan from last visit (07/07): repletion. Cholecalciferol ... given"
        when = _written_date(m, dos)
        if when is not None and when < dos:
            return Mention(m.start(), m.end(), "DATE", (when.year, when.month, when.day))
    return None


# a banner line that opens a printed block: "---- DISCHARGE INSTRUCTIONS (last updated 03/02) ----"
_BANNER = re.compile(r"[ \t]*(?:[-=*#_~>]{3,}|<{3,})[^\n]*$")
_BANNER_LINES = 15
# not a banner that dates the block: a copy-forward the writer edits today ("carried forward
# from 03/04/2026 visit; reviewed and updated where marked", "- edit as needed"), or a fax
# transmission header ("RightFax 2/27/2026 5:48 PM  PAGE 1/2")
_BANNER_UNDATED = re.compile(
    r"\bedit(?:ed)?\s+(?:as|where|if|for|today)\b|\b(?:reviewed|updated|revised)\s+"
    r"(?:and|where|as|today|for)\b|\bpage\s*\d+\s*(?:/|of)\s*\d+", re.IGNORECASE)


def _dated_banner(text: str, frame: Frame, dos: date) -> Mention | None:
    """The earlier date on the banner that heads the block the drug's line sits in.

    "---- DISCHARGE INSTRUCTIONS (last updated 03/02/2026 14:12) ----" over "Medications given
    in clinic: Ceftriaxone (Rocephin) 1 g injection": a block carried forward from the visit of
    that date. Only the nearest banner above counts, within a screenful of lines.
    """
    end = _line_bounds(text, frame.drug.start, frame.drug.end)[0]
    for _ in range(_BANNER_LINES):
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end - 1) + 1
        if _BANNER.match(text, start, end - 1):
            if _BANNER_UNDATED.search(text, start, end - 1):
                return None
            if (found := _earlier_date(text, dos, start, end - 1)) is None:
                return None
            m, when = found
            return Mention(m.start(), m.end(), "DATE", (when.year, when.month, when.day))
        end = start
    return None


_LIST_ITEM_START = re.compile(r"\n[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]")  # a list item opens

def _past_date(text: str, frame: Frame, dos: date | None) -> Mention | None:
    """A calendar date of the drug's dose before the date of service.

    The date follows the drug in its sentence ("Last Depo-Provera 150 mg IM 10/27/2025"), opens
    the drug's dated row ("Wk 1: 08/04/2026 Bicillin L-A 2.4 MU"), is a year alone just after
    its name ("Tdap 2021;"), or is led by "on" before the drug in a sentence that does not say
    today ("When I saw her on January 6 we injected ... Kenalog 40 mg"). "per standing order
    dated 01/05/2026: cyanocobalamin ..." dates the order, not the injection; the date that
    opens the next dated row is that row's.
    """
    if dos is None:
        return None
    if (year := _BARE_YEAR_AFTER.match(text, frame.drug.end)) is not None and int(
            year["year"]) < dos.year:
        # "Immunizations: Tdap 2022; influenza 10/2025", "Nexplanon (placed 2024)"
        when = (int(year["year"]), None, None)
        return Mention(year.start("year"), year.end("year"), "DATE", when)
    if (label := _dated_label(text, frame, dos)) is not None:
        return label
    if (banner := _dated_banner(text, frame, dos)) is not None:
        return banner
    for m in frame.found.get("DATE") or []:
        if m.end <= frame.drug.start and _DATED_ROW_LABEL.fullmatch(
                text, _line_bounds(text, m.start, m.end)[0], m.start) and _DATED_ROW_TAIL.fullmatch(
                text, m.end, frame.drug.start):
            # "Day 1 (07/20): Rocephin 1 gm IM L ventrogluteal - given": a dated entry
            when = _mention_day(m, dos)
            if when is not None and m.value[2] is not None and when < dos:
                return m
            continue
        if (frame.sent_start <= m.start and m.end <= frame.drug.start
                and _ON_BEFORE.search(text, max(0, m.start - 4), m.start)
                and not _LIST_ITEM_START.search(text, m.end, frame.drug.start)
                and m.value[2] is not None and (when := _mention_day(m, dos)) is not None
                and when < dos and not _TODAY_HERE.search(text, frame.sent_start, frame.sent_end)):
            # "When I saw her on January 6 we injected her right subacromial bursa with Kenalog
            # 40 mg": the sentence tells that day's care (not a list item's above the drug's:
            # " - shingrex dose #2 (dose 1 on 05/12/2026) ..." over " - boostrics (Tdap) ...")
            return m
        if (frame.sent_start <= m.start and m.end <= frame.drug.start
                and _DATE_THEN_PAREN.fullmatch(text, m.end, frame.drug.start)
                and _DOSE_WORD_BEFORE.search(text, max(frame.sent_start, m.start - 40), m.start)
                and m.value[2] is not None and (when := _mention_day(m, dos)) is not None
                and when < dos and not _TODAY_HERE.search(text, frame.sent_start, frame.sent_end)):
            # "1st shot was 06/02/2026 here (Bicillin L-A 2.4 million units ...)", "Last
            # injection 04/01/2026 (Depo-Provera 150 mg)": the dose of that date, named after it
            return m
        if m.start < frame.drug.end or m.start > frame.sent_end:
            continue
        if _DATE_NOT_EVENT.search(text[max(0, m.start - 25) : m.start]) or _not_event_column(
                text, m.start) or _heads_later_row(text, frame, m):
            continue
        ls, le = _line_bounds(text, m.start, m.end)
        if text[ls:le].count("|") >= 2:
            continue  # a table's dates speak through their column (see _table_row_status)
        between = text[frame.drug.end : m.start]
        paren = between.rfind("(")
        if paren > between.rfind(")") and not (
                _OWN_DATE_ASIDE.fullmatch(between, paren + 1)
                and _NAME_THEN_ASIDE.fullmatch(between, 0, paren + 1)):
            # "(dose 1 given 10/07/2025)" dates another dose; "TST READ (placed 04/12/2026
            # 07:05, L volar forearm ...)", the aside right after the name, dates the drug's own
            continue
        if (other := _NUMBERED_DOSE_BEFORE.search(text, max(0, m.start - 22), m.start)) and (
                own := _NUMBER_AFTER_DRUG.match(text, frame.drug.end)
                or _NUMBERED_DOSE_BEFORE_DRUG.search(
                    text, _line_bounds(text, frame.drug.start, frame.drug.end)[0],
                    frame.drug.start)) and own["n"] != other["n"]:
            continue  # "Hep B series #3: Engerix-B ... #1 03/02/2026, #2 04/06/2026": the others'
        if (other := _SERIES_DOSE_BEFORE.search(text, max(frame.drug.end, m.start - 24),
                                                m.start)) is not None and any(
                own["n"] != other["n"] for own in _SERIES_DOSE.finditer(
                    text, frame.drug.end, other.start())):
            # "Bicillin L-A 2.4 million units IM L dorsoglut, wk 2 of 3 ... wk 1 given 6/30 R
            # dorsoglut": the date of the series' other dose
            continue
        year, _, day = m.value
        if (when := _mention_day(m, dos)) is None:
            continue
        if year is None and (when - dos).days > 183:
            when = when.replace(year=dos.year - 1)  # "12/15" written in January is last year
        if (when < dos and day is not None) or (day is None and (when.year, when.month) < (
                dos.year, dos.month)):
            return m
    return None


# an aside that opens with the drug's own given word and its date: "(placed 04/12/2026"
# ... or with the dose's own amount and route: "Stelara IV induction (390 mg IV 05/12/2026"
_OWN_DATE_ASIDE = re.compile(
    r"[ \t]*(?:(?:placed|given|administered|done|injected)[ \t]+"
    r"|\d[\d,.]*[ \t]*(?:mg|mcg|g|mL|units?)[ \t,]+(?:(?:IV|IM|SC|SQ|subq)[ \t,]+)?)"
    r"(?:on[ \t]+)?", re.IGNORECASE)
# the aside opens right after the name, at most two words between: "TST READ (", "Stelara IV
# induction ("
_NAME_THEN_ASIDE = re.compile(r"[ \t]*(?:[A-Za-z]+[ \t]*){0,2}\(")
# a date, then the drug it dates in a parenthesis: "was 06/02/2026 here (Bicillin ..."
# "#1 03/02/2026", "dose 2: 04/06": a numbered dose's date; the drug's own number before it
_DOSE_NUMBER = r"(?:#|\bdose\s*#?)[ \t]*(?P<n>\d{1,2})"
_NUMBERED_DOSE_BEFORE = re.compile(  # ... or told: "#1 was 6/2/26 here", "dose 1 given on 05/02"
    _DOSE_NUMBER + r"[ \t]*[:,\-]?[ \t]*(?:(?:was|given|done|on)[ \t]+){0,2}$", re.IGNORECASE)
_NUMBERED_DOSE_BEFORE_DRUG = re.compile(_DOSE_NUMBER + r"\b(?!.*#)", re.IGNORECASE)
# a dose's place in its series: "wk 2 of 3", "week 1", "inj #2", "dose 3", "shot 1", and that
# number written just before a date ("wk 1 given 6/30", "dose 1 on 05/02")
_SERIES_DOSE = re.compile(r"\b(?:dose|wk|week|inj(?:ection)?|shot)[ \t]*#?[ \t]*(?P<n>\d{1,2})\b"
                          r"(?![ \t]*(?:mg|mcg|ml|cc|units?|days?|wks?|weeks?)\b)", re.IGNORECASE)
_SERIES_DOSE_BEFORE = re.compile(
    _SERIES_DOSE.pattern + r"[ \t]*[:,\-]?[ \t]*(?:(?:was[ \t]+)?given[ \t]+|on[ \t]+)?$",
    re.IGNORECASE)
# "Engerix-B #1 10/14/25": the number right after the name is the mention's own
_NUMBER_AFTER_DRUG = re.compile(r"[ \t]*" + _DOSE_NUMBER + r"\b", re.IGNORECASE)
_DATE_THEN_PAREN = re.compile(r"[ \t]*(?:here|there|in\s+(?:the\s+)?(?:clinic|office))?[ \t]*,?"
                              r"[ \t]*[(\[][ \t]*", re.IGNORECASE)
# what that date is of: "1st shot was", "Last injection", "dose #2 given"
_DOSE_WORD_BEFORE = re.compile(
    r"\b(?:shot|injection|inj|dose|vaccine|depo)s?\b(?:\s+#?\d)?\s*(?:was\s+|given\s+|on\s+|:\s*)?"
    r"(?:on\s+)?$", re.IGNORECASE)


_LATER_DAY = (r"\b(?:tomorrow|next\s+(?:week|visit|appointment|appt)|booked|scheduled\s+for|"
              r"re-?scheduled)\b")
_LATER_WORDS = re.compile(_LATER_DAY, re.IGNORECASE)
# after the drug only: "warfarin 5 mg tonight" is taken at home; "no PO abx tonight ->
# ceftriaxone IM" before it is why the shot is given now
_LATER_AFTER = re.compile(rf"{_LATER_DAY}|\b(?:tonight|this\s+evening)\b", re.IGNORECASE)
_EARLIER_DAY = re.compile(
    r"\b(?:yesterday|yest\b|last\s+(?:night|week|month|visit)|(?:\d+|a|one|two|three)\s+"
    r"(?:days?|weeks?|months?)\s+ago|the\s+day\s+before)\b",
    re.IGNORECASE,
)


# a season or year behind the visit: "last year", "this past winter", "earlier this spring",
# "in polyclinic this spring" (the last only dates a past-tense sentence's event)
_EARLIER_SEASON = re.compile(
    r"\b(?:last|this\s+past|earlier\s+this|this|over\s+the|in\s+the)\s+"
    r"(?:spring|summer|fall|autumn|winter)\b|\b(?:last|earlier\s+this)\s+year\b",
    re.IGNORECASE)
_LISTED_WITH = re.compile(r"\s*(?:,|\+|&|\band\b|\bwith\b)\s*", re.IGNORECASE)
_PAST_VERB = re.compile(r"\b(?:was|were|had|received|got|did)\b", re.IGNORECASE)


def _mention_day(m: Mention, dos: date) -> date | None:
    """The day of a DATE mention; a missing year is the date of service's, a missing day the 1st."""
    year, month, day = m.value
    try:
        return date(year or dos.year, month, day or 1)
    except ValueError:
        return None


def _leads_into_next(text: str, frame: Frame, pos: int) -> bool:
    """Whether the words ending at ``pos`` open the next drug mention's own clause.

    "Enoxaparin dose: 80 mg every 12 hours. ... First dose given by me: enoxaparin 80 mg SC":
    the "first dose given" is said of the mention it leads into.
    """
    return 0 < frame.next_drug - pos <= 25 and not _BREAK_PAST_INITIALS.search(
        text, pos, frame.next_drug)


def _own_reach(frame: Frame, limit: int | None = None) -> int:
    """Where the drug's own words end: its frame, ``limit`` and the next drug's name."""
    stop = frame.end if limit is None else min(frame.end, limit)
    return min(stop, frame.next_drug) if frame.next_drug > 0 else stop


_NEXT_VISIT = re.compile(r"\b(?:next|nxt|due|return|rtn|f/u|follow|rtc|recheck|appt)\b",
                         re.IGNORECASE)


# "28 wk visit IN PERSON 03/17/2026 09:00: ..., then RhoGAM 300 mcg IM": a visit's date
_VISIT_BEFORE_DATE = re.compile(r"\b(?:visit|appointment|appt)\b[^.;:\n]{0,20}$", re.IGNORECASE)
# "Keep Botox appt 09/30/2026", "Prolia appointment on 3/4": the drug's own booked visit
_BOOKED_AFTER = re.compile(r"[ \t]+(?:appt|appointment|visit)[ \t]+(?:on[ \t]+|for[ \t]+)?"
                           r"\d{1,2}/\d{1,2}\b", re.IGNORECASE)


def _booked_after(text: str, frame: Frame) -> Mention | None:
    """The drug's own appointment on a date, written right after its name."""
    m = _BOOKED_AFTER.match(text, frame.drug.end)
    return None if m is None else Mention(m.start(), m.end(), "STATUS_CUE", "PLANNED")


def _later_date(text: str, frame: Frame, dos: date | None) -> Mention | None:
    """A later day in the drug's sentence, when nothing says it was given: a planned dose."""
    stop = _own_reach(frame, frame.sent_end)
    if (word := _LATER_AFTER.search(text, frame.drug.end, stop)) is not None:
        return Mention(word.start(), word.end(), "STATUS_CUE", "PLANNED")
    # "OK to come in tomorrow AM for nurse visit, Toradol 60 mg IM x1": the later day leads
    # the drug's own clause
    lead = max(frame.back_start, frame.drug.start - 60)
    if (word := _LATER_WORDS.search(text, lead, frame.drug.start)) is not None and not re.search(
            r"[.;]\s", text[word.end() : frame.drug.start]):
        return Mention(word.start(), word.end(), "STATUS_CUE", "PLANNED")
    if dos is None:
        return None
    for m in frame.found.get("DATE") or []:
        # "RTC 2/24 for UPT, and Depo 150 mg IM that day": the return visit leads the clause
        if not lead <= m.start < frame.drug.start or m.value[2] is None or re.search(
                r"[.;]\s", text[m.end : frame.drug.start]) or not (_NEXT_VISIT.search(
                text, max(lead, m.start - 12), m.start) or _VISIT_BEFORE_DATE.search(
                text, max(0, m.start - 30), m.start)):
            continue
        when = _mention_day(m, dos)
        if when is not None and 0 < (when - dos).days <= 366:
            return m
    for m in frame.found.get("DATE") or []:
        if not frame.drug.end <= m.start < stop or m.value[2] is None:
            continue
        if _DATE_NOT_EVENT.search(text[max(0, m.start - 25) : m.start]) or _NEXT_VISIT.search(
                text, max(frame.drug.end, m.start - 20), m.start) or _not_event_column(
                text, m.start) or _heads_later_row(text, frame, m):
            continue  # "exp 10/30/2027"; "next inj 3/5" dates the next dose, not this one
        when = _mention_day(m, dos)
        if when is not None and 0 < (when - dos).days <= 366:
            return m
    return None


# "Order (J. Whitfield PA-C 8/10): Bicillin L-A ...", "Orders - ceftriaxone 1 g IM": a line
# that opens with an order label and names the drug in it documents the order, not the dose
_ORDER_LABEL = re.compile(
    _LINE_LEAD + r"(?:new\s+|verbal\s+|telephone\s+)?(?:orders?)\b[^:\n]{0,45}[:\-]",
    re.IGNORECASE,
)
# "Per Dr. Haddad order Bicillin L-A 600,000 units IM today": a relayed order opens the sentence
_PER_ORDER_LEAD = re.compile(
    _LINE_LEAD + r"per\s+(?:dr\.?\s+|doctor\s+|provider\s+)?[A-Z][\w'.-]*(?:'s)?\s+"
    r"(?:verbal\s+|telephone\s+|phone\s+)?orders?\b[ \t]*[:,\-]?[ \t]*",
    re.IGNORECASE,
)
_VERBAL_ORDER_BEFORE = re.compile(
    r"(?:\bV\.O\.|\bT\.O\.|\bV/O\b|\b(?:verbal|telephone|phone)\s+order"
    # "14:00 Called Dr. Pillai: order morphine 5 mg subcut now"
    r"|\b(?:called|paged|phoned|spoke\s+(?:with|to))\b[^\n:]{0,40}:[ \t]*(?:new[ \t]+)?orders?)"
    # "phone order read back: furosemide 60 mg IM x1 now"
    r"(?:\s+(?:read\s+back|received|rec'?d|taken|given))?(?:\s+(?:for|from|per|by)\b"
    r"[^:,;\n]{0,40})?[ \t]*[:,\-]?[ \t]*$",
    re.IGNORECASE,
)
# "GIVEN 1030", "given @ 10:30": the clock time a charted dose went in
_CLOCK_AFTER = re.compile(
    r"\s*(?:@|at)?\s*(?:[01]?\d|2[0-3]):?[0-5]\d\b(?!\s*(?:mg|mcg|units?|ml|/))", re.IGNORECASE)
_TODAY_AFTER = re.compile(
    r"\s+(?:today|now|this\s+(?:visit|morning|afternoon)|in\s+(?:the\s+)?(?:office|clinic))\b",
    re.IGNORECASE,
)
_DATE_NOT_EVENT = re.compile(
    r"(?:order\w*|dated|rx|prescri\w*|exp\w*|lot|drawn|labs?|level|result\w*|since|due|"
    r"next|until|through|opened|punctured|reconstituted|bud|beyond\s+use|discard\w*(?:\s+by)?|"
    # a skin test's reading: "Tubersol 5 TU/0.1 mL intradermal L forearm - read 03/14 or 03/15"
    r"\bread(?:ing)?(?:\s+(?:on\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?\s+(?:or|to))?|"
    r"(?:switched|changed|converted|transitioned)\s+(?:from|to)\s+\w+|"
    # a lab or scan result with its value: "Ca 9.4 on 08/04", "A1c 7.2% (3/1)", "T-score -2.7"
    r"\b(?:Ca|calcium|A1c|HbA1c|Hgb|Hb|Hct|TSH|PSA|Cr|creatinine|e?GFR|INR|glucose|K|Na|"
    r"ferritin|WBC|plts?|platelets|[TZ]-score|LDL|ALT|AST|vit(?:amin)?\.?\s*D|25-OH\s*D)"
    r"\s*(?:level\s*)?(?:[:=]|was|of|is)?\s*-?\d+(?:\.\d+)?\s*(?:%|[A-Za-z]+/[A-Za-z]+)?\s*)"
    r"\W*(?:dated|on|of|in)?\W*$",
    re.IGNORECASE,
)


# "| 01/13/2026 |", "| 2026-05-05 |" (an export's ISO date)
_CELL_DATE = re.compile(r"\s*(?:" + _MDY + r"|(?P<iy>(?:19|20)\d{2})-(?P<im>\d{2})-(?P<id>\d{2})\b)"
                        r"\s*-?\s*")
_CELL_GIVEN = re.compile(r"\b(?:given|done|administered|adm(?:in)?'?d|yes|completed)\b", re.I)
_CELL_NOT_GIVEN = re.compile(
    r"\b(?:not\s+given|refused|declined|held|omitted|not\s+administered|teaching\s+only|"
    r"wasted|no\s+show|cancell?ed|not\s+performed|not\s+done|in\s+error|voided|struck)\b",
    re.I)  # "| ENTERED IN ERROR |": the row was charted, then struck
_CELL_SELF = re.compile(r"\b(?:self|patient|pt|partner|spouse|caregiver|home)\b", re.I)
_CELL_PLANNED = re.compile(r"\b(?:to\s+start|due|next|scheduled|will\s+start)\b", re.I)
# "Ordered 15:52" in a status column with nothing charted given: the order alone
_CELL_ORDERED = re.compile(r"\b(?:ordered|pending)\b", re.I)
_RULE_LINE = re.compile(r"^[\s|:+=-]*$")


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    """The (start, end) of each pipe-separated cell of a line, in note offsets."""
    out, start = [], 0
    for i, ch in enumerate(line + "|"):
        if ch == "|":
            out.append((offset + start, offset + i))
            start = i + 1
    if len(out) > 1 and not line[out[-1][0] - offset:].strip():
        out.pop()  # "| a | b |": the closing pipe opens no cell
    return out


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """A cell's bounds without its padding ("|  05/01/2026 |" is the date itself)."""
    value = text[a:b]
    if not value.strip():
        return a, b
    return a + len(value) - len(value.lstrip()), b - (len(value) - len(value.rstrip()))


# A note that writes one date day first ("19/05/2026") writes them all so; asked once a note
_writes_day_first = functools.lru_cache(maxsize=4)(writes_day_first)


def _written_date(m: re.Match[str], dos: date, text: str | None = None) -> date | None:
    """The date of an "m/d" or "m/d/yy(yy)" match; a missing year is the date of service's.

    A first number that cannot be a month puts the day first: "19/02/2026", and so does a note
    (``text``, else the text matched) that writes another date so: its "12/05/2026" is the 12th
    of May. An ISO cell date ("2026-05-05") is year, month, day.
    """
    if "iy" in m.re.groupindex and m["iy"]:
        try:
            return date(int(m["iy"]), int(m["im"]), int(m["id"]))
        except ValueError:
            return None
    year = int(m["y"]) if m["y"] else dos.year
    year += 2000 if year < 100 else 0
    month, day = int(m["m"]), int(m["d"])
    if m["y"] and (month > 12 or day <= 12 and _writes_day_first(
            m.string if text is None else text)):
        month, day = day, month
    try:
        return date(year, month, day)
    except ValueError:
        return None


# "| VIS date |", "| Exp date |": a column of dates that are not the dose's
_NOT_EVENT_DATE_COLUMN = re.compile(
    r"\b(?:vis|exp\w*|publication|pub|dob|birth|lot|order\w*|next|due)\b", re.IGNORECASE)


def _not_event_column(text: str, pos: int) -> bool:
    """Whether the date at ``pos`` sits in a space-aligned column such as "VIS date" or "Exp"."""
    head = _spaced_column_head(text, pos)
    return head is not None and _NOT_EVENT_DATE_COLUMN.search(head) is not None


def _event_date_column(name: str) -> bool:
    """Whether a table column (lower-case header) holds the dates the doses were given."""
    return ("date" in name or name in ("day", "dt", "dos")) and not _NOT_EVENT_DATE_COLUMN.search(
        name)


def _earlier_date(text: str, dos: date | None, start: int = 0, end: int | None = None,
                  with_year: bool = False) -> tuple[re.Match[str], date] | None:
    """The first written date in ``text[start:end]`` before the date of service, and its day.

    ``with_year`` skips a date written without its year ("05/02").
    """
    if dos is None:
        return None
    for m in _SLASH_DATE.finditer(text, start, len(text) if end is None else end):
        if (m["y"] or not with_year) and (when := _written_date(m, dos)) is not None and (
                when < dos):
            return m, when
    return None


def _table_row_status(text: str, frame: Frame, dos: date | None) -> tuple[str, Mention] | None:
    """The status a pipe table gives the drug of one of its rows.

    Medication administration records and flowsheets put the drug, its date or dates and its
    status in columns: "2/11 | Gonal-f 75 IU | SQ | abd | patient (home) | self-admin"; an eMAR
    grid has a column per day ("| 04/06 | 04/07 |") and only the date of service's column
    speaks of this encounter. Returns the category and the cell that decided it, or ``None``
    when the line is not a table row or its columns say nothing about status.
    """
    ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
    line = text[ls:le]
    if line.count("|") < 2:
        return None
    cells = _cells(line, ls)
    col = next((i for i, (a, b) in enumerate(cells) if a <= frame.drug.start < b), None)
    if col is None:
        return None
    header = None
    pos = ls
    for _ in range(12):  # walk up the table to its header row
        if pos <= 0:
            break
        ps = text.rfind("\n", 0, pos - 1) + 1
        prev = text[ps : pos - 1]
        pos = ps
        if _RULE_LINE.match(prev):
            continue  # "|----|----|" or a dashed rule between the header and the rows
        if "|" not in prev:
            above = text[text.rfind("\n", 0, max(ps - 1, 0)) + 1 : max(ps - 1, 0)]
            if prev[:1] in (" ", "\t") and prev.strip() and above.count("|") >= 2:
                # "   reconstituted w/ lidocaine 1% 2.1 mL" under the row above: its
                # indented continuation, inside the table
                continue
            break
        header = (prev, ps)
    if header is None:
        return None
    hcells = _cells(*header)
    if len(cells) > len(hcells) or len(cells) < 2:
        return None  # a row may leave its last cells out, never add cells

    def cell(i: int) -> tuple[str, int, int]:
        a, b = cells[i]
        return text[a:b], a, b

    def mention(i: int, cat: str, m: re.Match[str] | None = None) -> tuple[str, Mention]:
        value, a, b = cell(i)
        if m is not None:
            a, b = a + m.start(), a + m.end()
        else:
            a, b = _trimmed(text, a, b)
        return cat, Mention(a, b, "STATUS_CUE", cat)

    def cell_date(value: str) -> date | None:
        m = _CELL_DATE.fullmatch(value)
        if m is None and (m := _CELL_DATE.match(value)) is not None and not _TIME_CELL.fullmatch(
                value[m.end():].strip()):
            m = None  # "05/05/26 10:40": a date and its time in an "Admin Date/Time" cell
        return _written_date(m, dos, text) if m is not None and dos is not None else None

    names = [text[a:b].strip().lower() for a, b in hcells]
    day_cols = [i for i, (a, b) in enumerate(hcells) if i != col and cell_date(text[a:b])]
    if len(day_cols) >= 2:  # an eMAR grid: one column per day
        today = next((i for i in day_cols if cell_date(text[hcells[i][0]:hcells[i][1]]) == dos),
                     None)
        if today is None:
            return None
        day_cols = [i for i in day_cols if i < len(cells)]  # a row may stop short: blank days
        value = cell(today)[0] if today < len(cells) else ""
        if (m := _CELL_NOT_GIVEN.search(value)) is not None:
            return mention(today, "NEGATED_EXISTENCE", m)
        if (m := _CELL_GIVEN.search(value)) is not None:
            return mention(today, "GIVEN", m)
        others = [i for i in day_cols if i != today and _CELL_GIVEN.search(cell(i)[0])]
        return mention(others[0], "HISTORICAL") if others else None
    found: list[tuple[str, Mention]] = []
    for i, name in enumerate(names[: len(cells)]):
        if i == col:
            continue
        value = cell(i)[0]
        if not value.strip() or value.strip() in ("--", "-"):
            continue
        if _event_date_column(name):
            when = cell_date(value)
            if when is None or dos is None:
                pass
            elif when < dos:
                found.append(mention(i, "HISTORICAL"))
            elif when > dos:
                found.append(mention(i, "HYPOTHETICAL"))
            elif value.strip().endswith("-"):  # "04/01 -": from today on
                found.append(mention(i, "HYPOTHETICAL"))
        elif "status" in name or name in ("given", "admin", "administered", "outcome", "action",
                                          "mar action", "admin action"):
            if (m := _CELL_NOT_GIVEN.search(value)) is not None:
                found.append(mention(i, "NEGATED_EXISTENCE", m))
            elif (m := _CELL_PLANNED.search(value)) is not None:
                found.append(mention(i, "HYPOTHETICAL", m))
            elif (m := re.search(r"\bself[-\s]?admin\w*|\breported\b", value, re.I)):
                found.append(mention(i, "SELF", m))
            elif (early := _earlier_date(value, dos, with_year=True)) is not None:
                # "| Tdap | given at Mercy ED 05/02/2026 (hand laceration) - up to date |": a
                # health-maintenance status told with the day and place it was given
                found.append(mention(i, "HISTORICAL", early[0]))
            elif (m := _GIVEN_ELSEWHERE.search(value)) is not None:
                found.append(mention(i, "HISTORICAL", m))
            elif (m := _CELL_GIVEN.search(value)) is not None:
                found.append(mention(i, "GIVEN", m))
        elif name in ("by", "given by", "administered by", "admin by", "who"):
            if (m := _CELL_NOT_GIVEN.search(value)) is not None:
                # "| -- | DECLINED - cost |": the row's refusal written where the nurse signs
                found.append(mention(i, "NEGATED_EXISTENCE", m))
            elif (m := _CELL_SELF.search(value)) is not None:
                found.append(mention(i, "SELF", m))
            elif name != "who" and CREDENTIAL.search(value):
                # "| 10:52 | T. Haines, MA |": the row names who gave the dose
                found.append(mention(i, "GIVEN"))
    if not found:
        return _blank_charting(text, cells, hcells, names, header[1], le)
    order = ("NEGATED_EXISTENCE", "SELF", "HISTORICAL", "HYPOTHETICAL", "GIVEN")
    return min(found, key=lambda f: order.index(f[0]))


_CHARTING_COLUMNS = frozenset({"time", "time given", "admin time", "by", "given by",
                               "administered by", "admin by", "initials", "init"})


def _blank_charting(text: str, cells: list[tuple[int, int]], hcells: list[tuple[int, int]],
                    names: list[str], header_start: int, row_end: int) -> tuple[str, Mention] | None:
    """An ordered row never charted: its route filled, time and by blank, other rows charted.

    "| Ketorolac | 30 mg | IM | L VG | 13:12 | B. Soto, MA |" over "| Promethazine | 12.5 mg |
    IM | | | |": the order's dose and route fill the row; no one charted giving it. The cue is
    the blank column's header.
    """

    def filled(row: list[tuple[int, int]], i: int) -> bool:
        return i < len(row) and bool(text[row[i][0] : row[i][1]].strip(" -"))

    charting = [i for i, name in enumerate(names) if name in _CHARTING_COLUMNS]
    route = next((i for i, name in enumerate(names) if name == "route"), None)
    row = text[cells[0][0] : cells[-1][1]]
    if (not charting or route is None or not filled(cells, route)
            or any(filled(cells, i) for i in charting)
            or _CELL_NOT_GIVEN.search(row) or _CELL_PLANNED.search(row)):
        return None  # the order fills dose and route; the row says nothing of a dose given
    pos = text.find("\n", header_start) + 1
    while 0 < pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if "|" not in line:
            break
        if end != row_end and not _RULE_LINE.match(line) and all(
                filled(_cells(line, pos), i) for i in charting):
            a, b = _trimmed(text, *hcells[charting[0]])
            return "ORDERED", Mention(a, b, "STATUS_CUE", "ORDERED")
        pos = end + 1
    return None


_SPACED_CELL = re.compile(r"\S+(?:[ ]{1,2}\S+)*")  # a cell of a space-aligned table
_STATUS_HEAD = re.compile(r"(?:admin(?:istration)?\s+)?status|action|result|given",
                          re.IGNORECASE)
_BLANK_CELL = re.compile(r"_{2,}")
_TIME_CELL = re.compile(r"\d{1,2}:?\d{2}(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)


_LOG_LEAD_LINES = 4  # detail lines an order may write between its drug line and its rows
# the heading a MAR export writes over an order's administration rows: "ADMINISTRATIONS",
# "Administration history:"
_LOG_HEADING = re.compile(r"(?:[A-Z][A-Z /&-]{2,40}|[A-Z][A-Za-z /&-]{2,40}:)")
_LOG_DETAILS = ("DOSE", "VOLUME", "CONCENTRATION", "RANGE", "ROUTE", "SITE", "LOT",
                "EXPIRATION", "TIME", "CREDENTIAL", "NDC")


# a log row's date, the date's cell (start, end) and the row's (start, end)
_DatedRow = tuple[date, int, int, tuple[int, int]]


def _cue_in_table_below(text: str, frame: Frame) -> bool:
    """Whether the drug's given-word is a pipe table's cell below the drug's own line.

    "Invega Sustenna ... day 1 / day 8 / monthly" over "Date | Dose | ... | Given by": the
    header's "Given by" names a column; the log's rows say which dose was given when.
    """
    cue = frame.status_cue
    if cue is None:
        return False
    le = _line_bounds(text, frame.drug.start, frame.drug.end)[1]
    cs, ce = _line_bounds(text, cue.start, cue.end)
    return cs > le and text.count("|", cs, ce) >= 2


def _titled_log(
    text: str, frame: Frame, dos: date | None, store: dict[str, list[Mention]]
) -> None:
    """Read an injection log whose title names the drug and whose rows are dates.

    "INJECTION FLOWSHEET - testosterone cypionate 200 mg/mL" over "| Date | Dose | Route |
    Site | By |" rows: the row dated the date of service is today's dose (its dose, route and
    site are the drug's); with no such row, and every row earlier, the log is the drug's
    history. A table with a drug column is read row by row elsewhere.
    """
    if dos is None:
        return
    ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
    if "|" in text[ls:le]:
        return
    rows: list[tuple[int, int]] = []
    dated: list[_DatedRow] = []
    pos, skipped, blank = le + 1, 0, False
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        if "|" not in line:
            if not rows and (spaced := _spaced_log_rows(text, pos, end, dos)):
                dated = spaced
                break
            if not rows and not blank and not line.strip():
                # "Order (09/02/2025): cyanocobalamin 1000 mcg IM every month", a blank line,
                # then the log's header and rows: one blank line may set the log off
                blank = True
                pos = end + 1
                continue
            if rows or skipped == _LOG_LEAD_LINES or not line.strip() or (
                    pos <= frame.next_drug < end):
                break
            if blank and not _LOG_HEADING.fullmatch(line.strip()):
                break  # past the blank line, only the log's own heading ("ADMINISTRATIONS")
            # "ORDER: cefTRIAXone 1 gram IM q24h x 3 doses" then "  Ordered 02/16/2026 21:40
            # (tel. order ...)" over the administration rows: the order's own detail line
            skipped += 1
        else:
            rows.append((pos, end))
        pos = end + 1
    if not dated:
        dated = _pipe_log_rows(text, rows, le, dos)
    _log_status(text, frame, dos, store, dated, (ls, le))


def _pipe_log_rows(
    text: str, rows: list[tuple[int, int]], le: int, dos: date
) -> list[_DatedRow]:
    """The dated rows of a pipe table below a drug's line (see :func:`_titled_log`)."""
    if len(rows) < 2:
        return []
    header = _cells(text[rows[0][0]:rows[0][1]], rows[0][0])
    names = [text[a:b].strip().lower() for a, b in header]
    col = next((i for i, n in enumerate(names) if _event_date_column(n)), None)
    body = rows[1:]
    if col is None and rows[0][0] > le + 1:
        return []  # a header row names the columns; only the drug's own line may stand for it
    if col is None:
        # rows with no header of their own ("ORDER: cyanocobalamin 1000 mcg IM monthly" then
        # "| 02/01 | 0910 | 1000 mcg | L delt | MS | Given |"): the column of dates
        col = next((i for i, (a, b) in enumerate(header) if _CELL_DATE.fullmatch(text[a:b])), None)
        if col is None:
            return []
        body = rows
    if any(_TABLE_LABEL.fullmatch(n) for n in names):
        return []
    dated: list[_DatedRow] = []
    for rs, re_ in body:
        if _RULE_LINE.match(text[rs:re_]):
            continue
        cells = _cells(text[rs:re_], rs)
        if col >= len(cells):
            continue
        a, b = cells[col]
        cell = text[a:b]
        m = _CELL_DATE.fullmatch(cell)
        when = _written_date(m, dos) if m is not None else None
        if when is not None:  # the cue is the date, without the cell's padding
            dated.append((when, *_trimmed(text, a, b), (rs, re_)))
    return dated


_NAMES_DRUGS_HEAD = re.compile(rf"\b(?:{_DRUG_FIELD}|item|intervention|treatment)s?\b", re.I)


def _spaced_log_rows(
    text: str, hs: int, he: int, dos: date
) -> list[_DatedRow]:
    """The dated rows of a space-aligned log whose header is the line ``text[hs:he]``.

    "  DATE     TIME   DOSE      SITE      INIT   COMMENT" over "  08/25    1005   200 mg    L VG
    BS": each row whose cell under the date column opens with a date, up to the first line
    that has none. A header names at least three columns, one of them the dates the doses were
    given, and holds no date itself.
    """
    heads = list(_SPACED_CELL.finditer(text, hs, he))
    if len(heads) < 3 or re.search(_MDY, text[hs:he]):
        return []
    if any(_NAMES_DRUGS_HEAD.search(m.group(0)) for m in heads):
        # "Date  Time  Medication / conc  Dose ...", "DATE/TIME  COWS  ...  INTERVENTION": the
        # rows name their own drugs and are read row by row
        return []
    col = next((m.start() - hs for m in heads if _event_date_column(m.group(0).lower())), None)
    if col is None:
        return _timed_action_rows(text, heads, hs, he, dos)
    dated: list[_DatedRow] = []
    for rs, re_ in _lines_below(text, he + 1):
        if not dated and text[rs:re_].strip() and _RULE_LINE.match(text[rs:re_]):
            continue  # "----------  -----  ------" under the header
        cell = next((m for m in _SPACED_CELL.finditer(text, rs, re_)
                     if abs(m.start() - rs - col) <= 2), None)
        m = _CELL_DATE.match(cell.group(0)) if cell is not None else None
        if cell is None or m is None or (when := _written_date(m, dos)) is None:
            break
        a = cell.start() + len(m.group(0)) - len(m.group(0).lstrip())
        dated.append((when, a, cell.start() + len(m.group(0).rstrip(" \t-")), (rs, re_)))
    return dated


def _timed_action_rows(
    text: str, heads: list[re.Match[str]], hs: int, he: int, dos: date
) -> list[_DatedRow]:
    """The rows of a one-day MAR print whose header has a time and an action column, no date.

    "Time  Action  Dose  Volume  Route  Site  User" over "1105  Given  80 mg  2 mL ...": the
    printout is the visit's, so each row timed in it is dated the date of service; its action
    cell is the cue (a "Held" or "Not Given" row is read as not given by its cell).
    """
    time_col = next((m.start() - hs for m in heads if m.group(0).lower() == "time"), None)
    action_col = next((m.start() - hs for m in heads if _STATUS_HEAD.fullmatch(m.group(0))), None)
    if time_col is None or action_col is None:
        return []
    dated: list[_DatedRow] = []
    for rs, re_ in _lines_below(text, he + 1):
        if not dated and text[rs:re_].strip() and _RULE_LINE.match(text[rs:re_]):
            continue  # "-------------" under the header
        cells = {m.start() - rs: m for m in _SPACED_CELL.finditer(text, rs, re_)}
        when = next((c for at, c in cells.items() if abs(at - time_col) <= 2), None)
        action = next((c for at, c in cells.items() if abs(at - action_col) <= 2), None)
        if when is None or action is None or not _TIME_CELL.fullmatch(when.group(0)):
            break
        dated.append((dos, action.start(), action.end(), (rs, re_)))
    return dated


def _log_status(
    text: str, frame: Frame, dos: date, store: dict[str, list[Mention]],
    dated: list[_DatedRow], own_line: tuple[int, int],
) -> None:
    """Set a drug's status from its log's rows: today's row is the dose, else its history."""
    ls, le = own_line
    today = [d for d in dated if d[0] == dos]
    if today:
        _, a, b, (rs, re_) = today[0]
        row = {label: [m for m in store.get(label, []) if rs <= m.start < re_]
               for label in _LOG_DETAILS}
        if _CELL_NOT_GIVEN.search(text, rs, re_) or not (
                row["DOSE"] or row["ROUTE"] or row["VOLUME"]):
            return  # a blank or refused row for today is not a dose given
        frame.status = AdministrationStatus.GIVEN
        frame.status_cue = Mention(a, b, "STATUS_CUE", "GIVEN")
        if not row["ROUTE"]:  # the route the order's own line states ("1 gram IM q24h")
            row["ROUTE"] = [m for m in frame.found.get("ROUTE") or [] if ls <= m.start < le]
        if not row["CONCENTRATION"]:
            # "Vial: testosterone cypionate 200 mg/mL" over "09/22/2026  0.7 mL  IM ...": the
            # product's strength, which the row's volume is drawn from
            del row["CONCENTRATION"]
        frame.found.update(row)
    elif dated and all(d[0] < dos for d in dated):
        _, a, b, _ = dated[-1]
        frame.status = AdministrationStatus.HISTORICAL
        frame.status_cue = Mention(a, b, "STATUS_CUE", "HISTORICAL")


def _lines_below(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """The (start, end) of the rest of the line at ``pos``, then of each line below it."""
    while pos < len(text):
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        yield pos, stop
        pos = stop + 1


def _block_lines_above(text: str, ls: int, limit: int = 8) -> Iterator[tuple[int, str]]:
    """The (start, text) of each line above the one starting at ``ls``, nearest first.

    The walk stops at a blank line, the start of the text or after ``limit`` lines.
    """
    for _ in range(limit):
        if ls <= 0:
            return
        hs = text.rfind("\n", 0, ls - 1) + 1
        head = text[hs : ls - 1]
        ls = hs
        if not head.strip():
            return
        yield hs, head


def _spaced_column_head(text: str, pos: int) -> str | None:
    """The header of the space-aligned table column the cell at ``pos`` starts.

    "Vaccine  Dose  Route  Site  Lot  VIS date" over "Adacel (Tdap)  0.5 mL  IM  L deltoid  AD5512
    08/06/2024": the date's column is "VIS date". The header is the nearest line above, within
    the block, with a cell of no digits starting at the same column.
    """
    ls = text.rfind("\n", 0, pos) + 1
    if "|" in text[ls:pos]:
        return None
    col = pos - ls
    for _, head in _block_lines_above(text, ls):
        cell = next((m.group(0) for m in _SPACED_CELL.finditer(head) if abs(m.start() - col) <= 2),
                    None)
        if cell is not None and not any(c.isdigit() for c in cell):
            return cell
    return None


def _spaced_row_status(text: str, frame: Frame) -> tuple[str, Mention] | None:
    """The status column of a space-aligned table row ("Medication ... Status ... By / Time").

    EHR exports line an order list up in columns: "ketorolac 60 mg/2 mL inj - 60 mg IM once
    CANCELLED (provider)" under a header whose "Status" starts where that cell does.
    """
    ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
    if "|" in text[ls:le]:
        return None
    cells = [(m.start(), m.end()) for m in _SPACED_CELL.finditer(text, ls, le)]
    own = next((k for k, (a, b) in enumerate(cells[:2]) if a <= frame.drug.start < b + 1), None)
    if len(cells) < 2 or own is None or (own == 1 and not _TIME_CELL.fullmatch(
            text, *cells[0])):
        return None  # the drug opens the row, or follows its scheduled time ("0900   ...")
    for _, head in _block_lines_above(text, ls):  # up to the header row that names a status column
        for m in _SPACED_CELL.finditer(head):
            if not _STATUS_HEAD.fullmatch(m.group(0)):
                continue
            col = m.start()
            cell = next(((a, b) for a, b in cells[own + 1:] if abs((a - ls) - col) <= 2), None)
            if cell is None:
                return None
            value = text[cell[0] : cell[1]]
            # an order row names its dose; "Testosterone total, Hct   Ordered (future)" is a lab
            dosed = any(ls <= d.start < le for d in frame.found.get("DOSE") or [])
            if dosed and _BLANK_CELL.fullmatch(value):
                # "medroxyprogesterone acetate 150 mg IM x1   0900   _____   ____": the MAR
                # row's "Given" was never charted
                return "ORDERED", Mention(cell[0], cell[1], "STATUS_CUE", "ORDERED")
            for cat, rx in (("NEGATED_EXISTENCE", _CELL_NOT_GIVEN), ("HYPOTHETICAL", _CELL_PLANNED),
                            ("GIVEN", _CELL_GIVEN), ("ORDERED", _CELL_ORDERED)):
                if (v := rx.search(value)) is not None and (cat != "ORDERED" or dosed):
                    return cat, Mention(cell[0] + v.start(), cell[0] + v.end(), "STATUS_CUE", cat)
            return None
    return None


# "  12/07 16:00  ceftriaxone 1 g IM  L VG  given": a log or MAR line that opens with its date
# ("2026-02-12 09:20,cyanocobalamin,1000,mcg,IM,...": an export's ISO row date)
_LINE_DATE = re.compile(
    _LINE_LEAD + r"(?:" + _MDY + r"|(?P<iy>20\d{2})-(?P<im>1[0-2]|0[1-9])-(?P<id>3[01]|[12]\d|0[1-9])\b)" +
    r"(?:\s*[@,-]?\s*\d{1,2}:?\d{2}\s*(?:[ap]\.?m\.?|h|hrs)?)?[ \t:,-]*",
    re.IGNORECASE,
)


_DOSE_NUMBER_CELL = re.compile(r"[ \t]*#?\d{1,2}\.?[ \t]{2,}(?=\d)")
# "Previous dose: 02/02/2026 - Abilify Maintena 400 mg IM": a row labelled as another visit's
_OTHER_VISIT_LABEL = re.compile(
    r"[ \t*\-\u2022]*(?:previous|prior|last|most[ \t]+recent|next)(?:[ \t]+(?:dose|injection|"
    r"shot|inj\.?|visit|due|given|administered))?[ \t]*:(?=[ \t]*\d)", re.IGNORECASE)


def _row_date(text: str, frame: Frame, dos: date) -> tuple[int, re.Match[str], date] | None:
    """The date that opens the drug's own log row: its line start, the match and the day.

    A row dated without a year more than six months after the date of service is last year's.
    """
    ls = text.rfind("\n", 0, frame.drug.start) + 1
    # a series log's dose-number column may come first: "  2      02/02/2026   Heplisav-B"
    if (numbered := _DOSE_NUMBER_CELL.match(text, ls)) is not None:
        ls = numbered.end()
    elif (label := _OTHER_VISIT_LABEL.match(text, ls)) is not None:
        ls = label.end()
    m = _LINE_DATE.match(text, ls)
    if m is None or frame.drug.start - m.end() > 12:
        return None  # the date must open the very row the drug is charted on
    if (when := _written_date(m, dos)) is None:
        return None
    if m["y"] is None and m["iy"] is None and (when - dos).days > 183:
        when = when.replace(year=dos.year - 1)
    return ls, m, when


def _dated_today_row(text: str, frame: Frame, dos: date | None) -> bool:
    """Whether the drug's row opens with the date of service.

    "05/30/2026 09:11 cyanocobalamin 1000 mcg IM R deltoid" under "Injection history:" is
    today's row of the log.
    """
    return dos is not None and (row := _row_date(text, frame, dos)) is not None and row[2] == dos


# "Given: cyanocobalamin 1000 mcg/1 mL IM R deltoid 08:52": a line labelled as the dose given
_GIVEN_LABEL_LEAD = re.compile(
    r"[ \t*\-\u2022]*(?:given|administered|admin'?d)(?:[ \t]+today)?[ \t]*:[ \t]*", re.IGNORECASE)


# "09:14  Heplisav-B 0.5 mL IM R deltoid": a row that opens with a clock time, then the drug
_CLOCK_LEAD = re.compile(r"[ \t*\-\u2022]*" + _CLOCK + r"[ \t]+")


def _clocked_row(text: str, frame: Frame, dos: date | None) -> bool:
    """Whether the drug opens a row timed today that charts its route and site or lot.

    Below "IMMUNIZATION HISTORY" (a table of past dates), "09:12 Tubersol 0.1 mL intradermal L
    volar forearm ... Lot T2A61" charts today's dose. Rows under a heading dated before the
    date of service ("08/01/2026" then "09:10 B12 ...") stay that day's, and so does a row
    that writes an earlier date.
    """
    if dos is None:
        return False
    ls, le = _line_bounds(text, frame.drug.start, frame.drug.end)
    lead = _CLOCK_LEAD.match(text, ls)
    if lead is None or lead.end() != frame.drug.start:
        return False
    route = frame.first("ROUTE")
    detail = frame.first("SITE") or frame.first("LOT")
    if route is None or detail is None or not (ls <= route.start < le and ls <= detail.start < le):
        return False
    if any(ls <= m.start < le and (day := _mention_day(m, dos)) is not None and day < dos
           for m in frame.found.get("DATE") or []):
        return False
    above = ls
    while above > 0:
        above = text.rfind("\n", 0, above - 1) + 1
        if _CLOCK_LEAD.match(text, above) is None:
            break
    head = _LINE_DATE.match(text, above)
    return head is None or (day := _written_date(head, dos, text)) is None or day >= dos


def _given_label_row(text: str, frame: Frame) -> bool:
    """Whether the drug opens a "Given:" line that charts the shot's route, site and time.

    Below the medication list's table ("| cyanocobalamin ... | 03/24/2026 |"), such a line is
    today's dose, not another row of the list.
    """
    line = _line_bounds(text, frame.drug.start, frame.drug.end)
    return (_GIVEN_LABEL_LEAD.fullmatch(text, line[0], frame.drug.start) is not None
            and _shot_charted(frame, line))


def _cue_dated_today(text: str, cue: Mention | None, dos: date | None) -> bool:
    """Whether the given-word is dated the date of service: "Administered 08/04/2026 11:20"."""
    if dos is None or cue is None:
        return False
    m = _CELL_DATE.match(text, cue.end)
    # the date right after the word, on its line ("_CELL_DATE" opens with any whitespace)
    return (m is not None and re.match(r"[ \t]{0,2}\d", m.group(0)) is not None
            and _written_date(m, dos, text) == dos)


def _line_date_status(text: str, frame: Frame, dos: date | None) -> tuple[str, Mention] | None:
    """A dated log row speaks of its own day: earlier is history, later is still to come."""
    if dos is None or (row := _row_date(text, frame, dos)) is None or row[2] == dos:
        return None
    ls, m, when = row
    start = ls + len(text[ls:m.end()]) - len(text[ls:m.end()].lstrip())
    cat = "HISTORICAL" if when < dos else "HYPOTHETICAL"
    end = ls + len(text[ls:m.end()].rstrip(" \t:,-"))
    return cat, Mention(start, end, "STATUS_CUE", cat)


# an addendum or correction written after the note ("Addendum 04/14 16:10:", "Late entry",
# "Correction:"); what it says about a drug charted above it replaces the earlier entry
_CORRECTION = re.compile(
    r"\b(?:addend(?:um|a)\b|correction\s*[:(\-\u2013]|corrected\s+entry\b|late\s+entry\b|"
    r"amendment\b|amended\s+(?:note|entry|record)\b|amended\s*(?::|\d|by\b))",
    re.IGNORECASE,
)
# what says an addendum corrects an entry rather than charting another dose
_CORRECTS = re.compile(
    r"\bcorrect(?:ion|ed)\b|\bactually\s+(?:given|administered|injected)\b|\bshould\s+"
    r"(?:have\s+)?read\b|\bentered\s+in\s+error\b|\bpre-?charted\b|\btyped\s+from\s+the\s+plan\b",
    re.IGNORECASE,
)
_CORRECTED_AWAY = re.compile(r"\bnot\s+(?:the\s+)?(?:into\s+(?:the\s+)?)?$", re.IGNORECASE)
# An EHR's administration section that records nothing: "Medications Administered This Visit
# (none recorded)", "Meds given in clinic: none"
_NONE_ADMINISTERED = re.compile(
    r"^[ \t]*(?:medications?|meds|injections?)\s+(?:administered|given)\b[^\n:(]{0,30}"
    r"[:\s]*\(?\s*(?:none(?:\s+(?:recorded|documented|charted|given))?|no\s+medications?)"
    r"\s*\)?[ \t.]*$"
    # "MEDICATION ADMINISTRATION RECORD" over its blank form line, then "(no entries)"
    r"|^[ \t]*(?:medication\s+administration\s+record|MAR)[ \t]*:?[ \t]*\n"
    r"(?:[^\n]*_{3,}[^\n]*\n)?[ \t]*\(?[ \t]*(?:no\s+entries|none(?:\s+recorded)?)[ \t]*\)?"
    r"[ \t.]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "No injection today - not needed", "no shots given this visit"; not "no other injections"
_NO_INJECTION_TODAY = re.compile(
    r"\bno\s+(?:injections?|shots?|jabs?|injectables?)\s+(?:(?:was|were)\s+)?"
    r"(?:given\s+|administered\s+|needed\s+|indicated\s+)?(?:today|this\s+visit|at\s+this\s+visit)\b",
    re.IGNORECASE,
)
# An entry struck after it was charted: "ENTERED IN ERROR", "charted in error", "documented in
# the wrong patient's chart", "documented before administration in error"
_IN_ERROR = re.compile(
    # "CORRECTION ...: wrong medication selected in MAR. The drug given at 11:20 was ..."
    r"\bwrong\s+(?:medication|med|drug|product)\s+(?:was\s+)?(?:selected|charted|documented|"
    r"entered|scanned|picked)\b|"
    r"\b(?:entered|charted|documented|recorded|signed)\s+(?:(?:before|prior\s+to)\s+"
    r"(?:administration|admin|giving)\s+)?"
    # "documented in this patient's chart in error"
    r"(?:(?:in|on|into)\s+(?:this|the|her|his|their|that)\s+(?:patient'?s\s+)?"
    r"(?:chart|record)\s+)?"
    r"(?:in\s+error|erroneously|on\s+the\s+"
    r"wrong\s+(?:patient|chart)|in\s+the\s+wrong\s+(?:patient|chart))",
    re.IGNORECASE,
)
# the values of a charted entry that an error note can strike on their own
_ENTRY_VALUE = r"dose|amount|strength|site|route"
# a form's field line ("Dose: ...", "Site - ...") whose value an error note strikes
_FIELD_LINE = re.compile(r"[ \t]*(?:" + _ENTRY_VALUE + r"|lot(?:\s*#)?|time(?:\s+given)?)"
                         r"[ \t]*[:\-\u2013]", re.IGNORECASE)
# a value of the entry named before "entered in error": "route and site entered in error",
# "dose 30 mg entered in error"
_STRUCK_FIELD = re.compile(r"\b(?:" + _ENTRY_VALUE + r"|lot|date)\b[^.;\n]{0,20}$", re.IGNORECASE)
# "the 11:05 entry was entered in error": the clock time that names the struck entry
_ENTRY_TIME = re.compile(r"\bthe\s+(\d{1,2}:?\d{2})\s*(?:[ap]\.?m\.?\s*)?"
                         # "the 10:42 medication administration entry"
                         r"(?:(?:medication|med|injection|MAR)\s+(?:administration\s+)?)?"
                         r"(?:entry|dose|"
                         r"injection|administration|documentation|note)\b", re.IGNORECASE)


def _charted(frame: Frame) -> bool:
    """Whether a site, time or lot charts the dose (a drug named bare is a reason or an order)."""
    return any(frame.first(x) for x in ("SITE", "TIME", "LOT"))


def _oral(frame: Frame) -> bool:
    """Whether the frame's route is oral (a dose taken by mouth is no injection)."""
    return (route := frame.first("ROUTE")) is not None and route.value == "ORAL"


def _injected(frame: Frame) -> bool:
    """Whether the frame's route is IM or SC."""
    return (route := frame.first("ROUTE")) is not None and route.value in ("IM", "SC")


def _shot_charted(frame: Frame, within: tuple[int, int] | None = None) -> bool:
    """Whether an IM/SC route, a site and a clock time chart the shot (all ``within`` a range)."""
    found = [frame.first(x) for x in ("ROUTE", "SITE", "TIME")]
    return (_injected(frame) and all(found)
            and (within is None or all(within[0] <= m.start < within[1] for m in found)))


def _erred_entry(text: str, frames: list[Frame], err: re.Match[str]) -> list[Frame]:
    """The given entries an "entered in error" line strikes.

    The entry its line names by clock time ("the 11:05 entry was entered in error"), else the
    charted entry right above it (no blank line between). A drug named earlier on its own line
    is the line's own entry, and the strike is that row's, unless it names a value of the entry
    ("route entered in error") or points back at another entry ("the prior entry").
    """
    ls, _ = _line_bounds(text, err.start(), err.end())
    if any(ls <= f.drug.start < err.start() for f in frames):
        if (_STRUCK_FIELD.search(text, max(ls, err.start() - 40), err.start())
                or _POINTS_BACK.search(text, ls, err.start())):
            return []  # "dose 30 mg entered in error", "the prior entry was charted in error"
        # "cefTRIAXone 1 g IM R gluteal 10:14 (A. Pruitt, MA)   *** ENTERED IN ERROR 10:31 -
        # wrong patient": the row it ends is struck, however far the row runs before it
        return [f for f in frames if f.status is AdministrationStatus.GIVEN
                and ls <= f.drug.start < err.start()]
    given = [f for f in frames if f.status is AdministrationStatus.GIVEN and f.drug.end <= ls]
    if (named := _ENTRY_TIME.search(text, ls, err.start())) is not None:
        clock = named.group(1).replace(":", "")
        return [f for f in given if clock in text[slice(*_line_bounds(
            text, f.drug.start, f.drug.end))].replace(":", "")]
    if not given:
        return _headed_entry(text, frames, err)
    last = _line_bounds(text, given[-1].drug.start, given[-1].drug.end)
    if _BLANK_LINE.search(text, last[1], ls):
        return _headed_entry(text, frames, err)
    struck = [f for f in given if _line_bounds(text, f.drug.start, f.drug.end) == last]
    names = {f.drug.value.name for f in struck}
    # "P: Toradol 60 mg IM x1 now" above the struck entry is the order it charted
    return struck + [f for f in given if f not in struck and f.drug.value.name in names
                     and f.status_cue is None and not _charted(f)]


def _headed_entry(text: str, frames: list[Frame], err: re.Match[str]) -> list[Frame]:
    """The given entry on the line right below an error header that names no drug.

    "ENTRY 1 - 09:41 - ENTERED IN ERROR (see correction below)" over "Invega Sustenna 234 mg
    IM": the header strikes the entry it heads. Not when the header points back ("the previous
    entry was charted in error"), the line below is the correction ("Correction: ...") or it
    has a clock time of its own, a later entry.
    """
    ls, le = _line_bounds(text, err.start(), err.end())
    if _POINTS_BACK.search(text, ls, le) or le >= len(text):
        return []
    ns, ne = _line_bounds(text, le + 1, le + 1)
    if ns == ne or _CORRECTION.search(text, ns, ne) or _CORRECTS.search(text, ns, ne):
        return []
    if {t["time"] for t in TIME.finditer(text, ns, ne)} - {
            t["time"] for t in TIME.finditer(text, ls, le)}:
        return []  # "10:05 entry ENTERED IN ERROR\nKetorolac ... 10:20": a later entry of its own
    return [f for f in frames
            if f.status is AdministrationStatus.GIVEN and ns <= f.drug.start < ne]


# an error line that points back at an entry above it rather than heading the one below it
_POINTS_BACK = re.compile(r"\b(?:above|previous(?:ly)?|prior|preceding|earlier|last|"
                          r"original(?:ly)?)\b",
                          re.IGNORECASE)


# "Given box was defaulted ... - pt did not receive injection", "Today's planned injection: NOT
# GIVEN": the dose charted above never happened
_DOSE_NOT_RECEIVED = re.compile(
    r"\b(?:did\s+not|didn'?t|never)\s+(?:receive|get)\s+(?:the\s+|his\s+|her\s+|their\s+"
    r"|an?\s+|any\s+|today'?s\s+)?(?:injection|shot|dose)\b"
    r"|\b(?:injection|shot|dose)(?:\s*[:\-\u2013]\s*|\s+(?:was\s+)?)(?:not|never)\s+"
    r"(?:given|administered|drawn\s+up)\b(?!\s+(?:yet|until|before|at\s+home))"
    # "pt self-injected today's dose ... under my observation. I did not administer."
    # (no other object: "we did not give the flu shot" is that vaccine's refusal)
    r"|\b(?:I|we)\s+(?:did\s+not|didn'?t)\s+(?:administer|give|inject)"
    r"(?:\s+(?:it|this\s+dose|the\s+(?:dose|injection|shot)))?\s*(?:[.;,)]|$)",
    re.IGNORECASE,
)
_ANOTHER_DOSE = re.compile(r"\b(?:second|2nd|third|3rd|other|another|repeat|remaining|booster)"
                           r"\s+$", re.IGNORECASE)  # "Second dose NOT given": not the first one
_OFFERED = re.compile(r"\b(?:offered|recommended|suggested)\b", re.IGNORECASE)
_OFFER_REFUSED = re.compile(r"\b(?:declined|declines|refused|refuses|deferred|defers|"
                            r"did\s+not\s+want|does\s+not\s+want|doesn't\s+want)\b", re.IGNORECASE)
_ACCEPTED = re.compile(
    r"\b(?:agree[sd]?|accept\w*|consent\w*|given|administered|adm(?:in)?'?d|injected|"
    r"tolerated|tol)\b", re.IGNORECASE)
# A refusal that opens the sentence after the drug's own and names nothing else
_NEXT_REFUSAL = re.compile(
    r"[\s\-\u2013*>]*(?:(?:however|but|then|ultimately),?\s+)?"
    r"(?:(?:the\s+)?(?:pt|patient|she|he|they|mom|mother|father|dad|parents?|family|guardian|"
    r"resident|client|caregiver|order|injection|shot|dose)\s+(?:then\s+|ultimately\s+|"
    r"subsequently\s+|now\s+|however\s+|was\s+|were\s+)?)?"
    r"(?P<cue>declined|refused|declines|refuses|did\s+not\s+want|does\s+not\s+want|"
    r"doesn'?t\s+want|didn'?t\s+want|opted\s+(?:out|against)|wishe[sd]\s+to\s+(?:defer|wait)|"
    r"prefers?\s+to\s+(?:defer|wait)|deferred|not\s+given|not\s+administered|"
    rf"held(?!{_HELD_FOR})|"  # not "Held 5 sec after push": the needle held in place
    r"left\s+(?:before|prior\s+to)|changed\s+(?:her|his|their)\s+mind|cancell?ed|voided|"
    r"(?:entered|charted|documented)\s+in\s+error)"
    r"(?=\s*(?:[.,;:!\-\u2013(]|$)|\s+\d|\s+(?:the\s+|this\s+|that\s+|today'?s\s+)?"
    # "Pt declines the IM shot"
    r"(?:(?:IM|SC|SQ|sub-?q|intramuscular|subcutaneous)\s+(?=injection|shot|dose))?"
    r"(?:injection|shot|dose|medication|med|it|administration|at\s+this\s+time|today|for\s+now|"
    r"due|because|as|since|stating|saying|citing|per|by|until|after|following|despite)\b)",
    re.IGNORECASE,
)


def _next_sentence_refusal(text: str, frame: Frame) -> Mention | None:
    """The refusal in the sentence right after the drug's, when that sentence has no drug."""
    m = _NEXT_REFUSAL.match(text, frame.sent_end)
    if m is None or "\n\n" in text[frame.sent_end : m.start("cue")]:
        return None
    brk = _SENTENCE_BREAK.search(text, m.end("cue"))
    stop = brk.start() if brk else len(text)
    if frame.next_drug >= 0 and frame.next_drug < stop:
        return None  # "Declined the flu shot": another drug's refusal
    return Mention(m.start("cue"), m.end("cue"), "STATUS_CUE", "NEGATED_EXISTENCE")


_GOING_ON = re.compile(
    r"\b(?:continue|cont\.?|start(?:ing)?|begin|resume|will|plan(?:ned)?|to\s+start|initiate)\b",
    re.IGNORECASE,
)
# "will start testosterone ... once insurance approves; first dose in office": not yet
_FUTURE = re.compile(r"\b(?:will|once|when|until|plan(?:ned|s)?|to\s+start|if)\b", re.IGNORECASE)
# before the drug, "until" ends the condition of the alternative dropped ("Apixaban not
# covered until PA -> enoxaparin ...")
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|once|when|plan(?:ned|s)?\s+(?:to|for)|to\s+start|if)\b", re.IGNORECASE)
# "Methotrexate will be switched to ...", "will start at the next visit": a change or start to
# come (not "Toradol 60 mg IM to be given now", an order whose administration DOC-16 looks for)
_WILL_AFTER = re.compile(r"[ \t]+(will|is\s+going\s+to)[ \t]+(?:be[ \t]+)?(?:switch|chang|convert|"
                         r"start|begin|transition)\w*", re.IGNORECASE)
_TODAY_HERE = re.compile(r"\b(?:today|now|by\s+me)\b", re.IGNORECASE)
# "Planned Depo-Medrol 80 mg IM today": the drug the plan meant to give
_PLANNED_BEFORE = re.compile(r"\b(planned|intended|proposed)[ \t]+(?:[\w-]+[ \t]+){0,2}?\Z",
                             re.IGNORECASE)
# not "first dose booked in clinic 05/19", "first dose ordered today, to be given by nursing"
_NOT_YET = r"booked|scheduled|planned"
_FIRST_DOSE_HERE = re.compile(
    rf"\bfirst\s+dose\b(?:(?!\b(?:{_NOT_YET}|ordered|due|to\s+be|will)\b)[^.;\n])"
    r"{0,30}?\b(?:given|taken|in\s+(?:the\s+)?(?:clinic|office)|here)\b",
    re.IGNORECASE,
)
# "Vivitrol 380 mg IM gluteal q4 weeks - first dose ordered today", "Omalizumab 375 mg SC q2wk.
# ... First dose booked in clinic 05/19/2026": the regimen's first dose, not given yet
_FIRST_DOSE_LATER = re.compile(
    r"\bfirst\s+dose\s+(?:(?:is|was|has\s+been|been)\s+)?"
    rf"(?:(?P<ordered>ordered)|{_NOT_YET}|to\s+be\s+given)\b", re.IGNORECASE)
# "Tylenol 195 mg PO (15 mg/kg) for fever at 11:30", "Colchicine 0.6 mg PO x1 in clinic"
_ORAL_HERE = re.compile(
    r"\b(?:in\s+(?:the\s+)?(?:clinic|office|ED|ER|department|triage)\b|x\s?1\b|stat\b|now\b)"
    r"|(?P<clock>(?:\bat\s*|@\s*)(?:\d{1,2}:\d{2}|\d{4})\b)",
    re.IGNORECASE,
)
# "capsule #1 swallowed PO here with cool water", "taken in clinic, observed": a dose by mouth
# watched in the encounter, whatever its amount
_SWALLOWED_HERE = re.compile(
    r"\b(?:swallowed|taken|chewed)\b[^.\n]{0,40}?\b(?:here|in\s+(?:the\s+)?(?:clinic|office)|"
    r"observed)\b", re.IGNORECASE)
# a timed log row: "15:25 | ibuprofen | ...", "| 1630 | amoxicillin-clavulanate | 875 mg | PO |"
_ROW_CLOCK = re.compile(r"[ \t|]*(?:\d{1,2}:\d{2}\b|(?:[01]\d|2[0-3])[0-5]\d[ \t]*\|)")


def _oral_dose_taken_here(text: str, frame: Frame) -> bool:
    """A dose by mouth or inhaled, with no given word, taken in the encounter.

    "Tylenol 195 mg PO ... at 11:30", "Colchicine 0.6 mg PO x1 in clinic", "albuterol 2.5 mg neb
    x1 @ 1120", a timed log row. "Other" routes count only for products that are never injected
    (lidocaine "infiltrated" belongs to a procedure). Outside medication lists and orders; a drug
    with a regimen never gets here.
    """
    route = frame.first("ROUTE")
    routes = set(getattr(frame.drug.value, "routes", ()) or ())
    inhaled = (route is not None and route.value == "OTHER" and bool(routes)
               and routes <= {"ORAL", "OTHER", "INTRANASAL"})
    if (route is None or not (route.value == "ORAL" or inhaled)
            or frame.section in ("medications", "past_history", "orders")):
        return False
    line_start, line_end = _line_bounds(text, frame.drug.start, frame.drug.end)
    if not line_start <= route.start < line_end:
        return False
    if _ROW_CLOCK.match(text, line_start):
        return True
    stop = _own_reach(frame, min(frame.sent_end, line_end))
    watched = _SWALLOWED_HERE.search(text, frame.drug.end, stop)
    if watched is not None and not _NEGATED_BEFORE.search(
            text[max(0, watched.start() - 15) : watched.start()]):
        return True
    here = list(_ORAL_HERE.finditer(text, frame.drug.end, stop))
    # timed, or a dose taken "x1" / "now" / "in clinic"
    return any(m["clock"] for m in here) or (bool(here) and _frame_dose(text, frame) is not None)


_SINCE_BEFORE = re.compile(r"\bsince[ \t]+(?:the[ \t]+|her[ \t]+|his[ \t]+|their[ \t]+)?$",
                           re.IGNORECASE)
_LAST_ASIDE = re.compile(r"\([ \t]*(?:last|prior|previous)\b[^()\n]*$", re.IGNORECASE)


def _in_last_dose_aside(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a parenthesis about the last dose: "(last 05/12, given here)"."""
    return _LAST_ASIDE.search(text, _line_bounds(text, pos, pos)[0], pos) is not None


_FOR_PARTNER_AFTER = re.compile(
    r"[ \t]+(?:to|for)[ \t]+(?:(?:his|her|their|the|pt's|patient's)[ \t]+)?(?:sex(?:ual)?[ \t]+)?"
    r"(?:partners?|spouse|husband|wife|boyfriend|girlfriend)\b", re.IGNORECASE)

_RX_HANDED = re.compile(r"\b(?:e-?rx|rx|prescriptions?|scripts?)\b[^.;\n]{0,40}$", re.IGNORECASE)

# "... IM x1 per NP order", "... per Dr. Osei's orders": the order, right after the drug's sig
_PER_ORDER_AFTER = re.compile(
    r"[^\n.;]{0,30}?\bper\s+(?:(?:the|my|[A-Z][\w.]*(?:'s)?)\s+){1,3}orders?\b")
_PER_ORDERS = re.compile(
    r"\bper\s+(?:(?:my|the|his|her|their|[A-Za-z.]+'s|standing|verbal|written|telephone|"
    r"provider|physician|MD|NP|PA|Dr\.?\s+[A-Z][\w-]*(?:'s)?)\s+){0,3}orders?$", re.IGNORECASE)


def _orders_over_timed_row(text: str, cue: Mention, frame: Frame) -> bool:
    """Whether an order heading's cue stands over the drug's row of today's timeline."""
    ls, le = _line_bounds(text, cue.start, cue.end)
    row = _line_bounds(text, frame.drug.start, frame.drug.end)[0]
    return (le < row and text[ls:le].rstrip().endswith(":") and not frame.dated_row
            and _CLOCK_ROW.match(text, row) is not None and frame.drug.start - row < 40
            and not _EARLIER_DAY.search(text, row, frame.drug.start))


def _self_given(text: str, frame: Frame) -> re.Match[str] | None:
    """The words saying the patient gave the dose: in the drug's sentence or its site's.

    "Switch to testosterone cypionate ... SC weekly at home. Teaching today: pt drew up 0.4 mL
    and self-injected SC R lower abdomen at 10:40 under my observation": the site the frame
    found past its sentence is that of the patient's own injection.
    """
    own = _SELF_GIVEN.search(text, frame.drug.end, min(frame.sent_end, frame.end))
    site = frame.first("SITE")
    if own is not None or site is None or site.start < frame.sent_end or site.start >= frame.end:
        return own
    start = max(_sentence_start_before(text, site.start), frame.sent_end)
    stop = brk.start() if (brk := _SENTENCE_BREAK.search(text, site.end)) else len(text)
    return _SELF_GIVEN.search(text, start, stop)


def _decide_status(
    text: str, frame: Frame, cues: list[tuple[str, Mention, int]], dos: date | None = None
) -> None:
    row = (_table_row_status(text, frame, dos) or _line_date_status(text, frame, dos)
           or _spaced_row_status(text, frame))
    if row is not None:
        frame.status, frame.status_cue = _STATUS_OF[row[0]], row[1]
        frame.dated_row = True
        return
    # "Pt brought her own Depo-Provera vial": who supplied the dose, not who gave it (unless the
    # note goes on to say she injected it herself)
    cues = [c for c in cues if not (
        c[0] == "SELF" and BROUGHT_OWN.search(text, max(0, c[1].start - 20), c[1].end)
        and not _SELF_GIVEN.search(text, frame.drug.end, max(frame.end, frame.para_end)))]
    # "PATIENT SUPPLIED - her own vial from her pharmacy": whose vial, likewise (not "gave her
    # own first dose", nor "self-administered ... (her own pharmacy supply)")
    cues = [c for c in cues if not (
        c[0] == "SELF" and (own := OWN_PACKAGE.match(text, c[1].start)) is not None
        and not own.group().lower().endswith(("dose", "doses"))
        and not _GAVE_BEFORE.search(text, max(0, c[1].start - 16), c[1].start)
        and not _SELF_GIVEN.search(text, frame.sent_start, max(frame.end, frame.para_end)))]
    # "on haloperidol decanoate q4wk (last 05/12/2026, R gluteal, given here)": the aside's
    # "given" is the last dose's
    cues = [c for c in cues if not (c[0] == "GIVEN" and _in_last_dose_aside(text, c[1].start))]
    # "cefixime 800 mg Rx for partner given to pt": the prescription was handed over
    cues = [c for c in cues if not (
        c[0] == "GIVEN" and frame.drug.end <= c[1].start
        and _RX_HANDED.search(text, frame.drug.end, c[1].start) is not None)]
    # "EPT pack (cefixime 800 mg) given for partner": handed over for the partner to take
    cues = [("PRESCRIBED", c[1], c[2]) if c[0] == "GIVEN" and _FOR_PARTNER_AFTER.match(
        text, c[1].end) else c for c in cues]
    # "given by A. Lowry, RN at 11:40 per my orders:": the authority for the dose, not an order
    # still waiting to be given
    cues = [c for c in cues if not (c[0] == "ORDERED" and _PER_ORDERS.search(
        text, max(0, c[1].start - 40), c[1].end) is not None)]
    # "Orders per NP:" over " 1422  Solu-Medrol 125 mg IM L ventrogluteal": the heading's
    # orders charted as carried out, each on its row of today's timeline
    cues = [c for c in cues if not (c[0] == "ORDERED" and _orders_over_timed_row(text, c[1],
                                                                                 frame))]
    # "(dirty wound, > 5 yrs since last dose): tetanus booster 0.5 mL IM": time since a dose
    cues = [c for c in cues if not (
        c[0] == "HISTORICAL" and c[1].end <= frame.drug.start
        and text[c[1].start:c[1].end].lower().startswith("last")
        and _SINCE_BEFORE.search(text, max(0, c[1].start - 12), c[1].start))]
    cues = [c for c in cues if not (c[0] == "GIVEN" and _HIMSELF_AFTER.match(text, c[1].end))]
    # "LAI order on file: haloperidol decanoate 100 mg IM q4 weeks" over "Last administered
    # here: 11/10/2026": the last dose's given-word says when the last one was
    cues = [("HISTORICAL", c[1], c[2]) if c[0] == "GIVEN" and _LAST_BEFORE.search(
        text, max(0, c[1].start - 8), c[1].start) else c for c in cues]
    # "[ ] First dose given in clinic": the form's unticked option
    cues = [c for c in cues if not (c[0] == "GIVEN" and _unticked_item(text, c[1].start))]
    strong = [c for c in cues if c[0] in _STRONG]
    if not strong and not any(c[0] == "GIVEN" for c in cues) and (own_self := _self_given(
            text, frame)) is not None:
        # "Testosterone cypionate 200 mg/mL, 1 mL IM, R VG, lot ..., self-administered at home"
        strong = [("SELF", Mention(own_self.start(), own_self.end(), "STATUS_CUE", "SELF"), 0)]
    temporal = [
        c
        for c in cues
        if c[0] == "HISTORICAL"
        and text[c[1].start : c[1].end].lower().startswith(_TEMPORAL_HISTORY)
    ]
    given = [c for c in cues if c[0] == "GIVEN"]
    weak = [
        c
        for c in cues
        if c[0] in ("HYPOTHETICAL", "PRESCRIBED", "HOME", "ORDERED", "REGIMEN", "HISTORICAL")
        and c not in temporal
    ]
    field_end = frame.end
    if (own := _STATUS_LABEL.search(text, frame.drug.end, frame.end)) is not None:
        # "cefTRIAXone ... IM   Status: Ordered" then "XR Chest ...   Status: Completed": the
        # drug's first status field is its own; a later row's is another order's
        field_end = _line_bounds(text, own.start(), own.end())[1]
    field_match = (_STATUS_BOX.search(text, frame.drug.end, field_end)
                   or _STATUS_FIELD.search(text, frame.drug.end, field_end))
    if not (strong or given or temporal or field_match):
        item = _NEXT_NUMBERED.search(text, frame.drug.end, frame.para_end)
        item_end = item.start() if item is not None else frame.para_end
        if (neg := _NEG_INJECTION.search(text, frame.drug.end, item_end)
                or _NEG_SENTENCE.search(text, frame.drug.end, item_end)) is not None:
            strong = [("NEGATED_EXISTENCE", Mention(neg.start(), neg.end(), "STATUS_CUE",
                                                    "NEGATED_EXISTENCE"), 0)]
        elif (refusal := _next_sentence_refusal(text, frame)) is not None:
            # "Offered Toradol 60 mg IM for pain. Patient declined, prefers oral meds."
            strong = [("NEGATED_EXISTENCE", refusal, 0)]
        elif ((offer := _OFFERED.search(text, frame.sent_start, frame.sent_end)) is not None
              and (no := _OFFER_REFUSED.search(text, max(offer.end(), frame.drug.end),
                                               frame.sent_end)) is not None
              and (frame.next_drug < 0 or no.end() <= frame.next_drug)):
            # "Toradol 60 mg IM offered for post-injection soreness - pt declined (GI upset)"
            strong = [("NEGATED_EXISTENCE", Mention(no.start(), no.end(), "STATUS_CUE",
                                                    "NEGATED_EXISTENCE"), 0)]
        elif (offer is not None
              and not _ACCEPTED.search(text, frame.sent_start, max(frame.end, frame.para_end
                                       if frame.next_drug < 0 else min(frame.para_end,
                                                                       frame.next_drug)))):
            # offered, and nothing says it was accepted and given
            weak.append(("HYPOTHETICAL", Mention(offer.start(), offer.end(), "STATUS_CUE",
                                                 "HYPOTHETICAL"), 0))
    chosen: tuple[str, Mention, int] | None = None
    if strong:
        chosen = min(strong, key=lambda c: (_STRONG[c[0]], c[2]))
    elif (past := _past_date(text, frame, dos)) is not None:
        chosen = ("HISTORICAL", past, 0)
    elif temporal:
        chosen = min(temporal, key=lambda c: c[2])
    elif field_match:
        v = field_match["v"].lower()
        cat = "GIVEN" if v in ("given", "yes", "done", "completed") else "NEGATED_EXISTENCE"
        chosen = (cat, Mention(field_match.start(), field_match.end(), "STATUS_CUE", cat), 0)
    elif not given and (first := _FIRST_DOSE_HERE.search(
            text, frame.drug.end, _own_reach(frame))) is not None and not (
            UNCHECKED_BEFORE.search(text, max(0, first.start() - 6), first.start())  # "[ ] First"
            or _FUTURE.search(text, frame.drug.end, first.start())
            or _LATER_AFTER.search(text, frame.drug.end, first.start())  # "warfarin 5 mg tonight"
            or _FUTURE_BEFORE.search(text, frame.sent_start, frame.drug.start)
            or _leads_into_next(text, frame, first.end())):
        # "cephalexin 500 mg QID x 7d (first dose PO in clinic)": the regimen's first dose
        chosen = ("GIVEN", Mention(first.start(), first.end(), "STATUS_CUE", "GIVEN"), 0)
        for label in ("DOSE", "ROUTE"):  # "First dose 80 mg SC given": that dose, not the 82 mg
            inside = [m for m in frame.found.get(label, []) if first.start() <= m.start < first.end()]
            if inside:
                frame.found[label] = inside + [m for m in frame.found[label] if m not in inside]
    elif not given and (later := _FIRST_DOSE_LATER.search(
            text, frame.drug.end, _own_reach(frame))) is not None:
        cat = "ORDERED" if later["ordered"] else "HYPOTHETICAL"
        chosen = (cat, Mention(later.start(), later.end(), "STATUS_CUE", cat), 0)
    elif not given and (reg := _own_regimen(text, frame)) is not None:
        chosen = ("REGIMEN", reg, 0)
    elif not given and (rx := _prescription(text, frame)) is not None:
        chosen = ("PRESCRIBED", rx, 0)
    elif (today := next((c for c in given if _TODAY_AFTER.match(text, c[1].end)), None)):
        chosen = today  # "Continue haloperidol decanoate 100 mg IM q4wk - given today by me"
    elif given or weak:
        chosen = min(given + weak, key=lambda c: (c[0] == "REGIMEN", c[2], c[0] != "GIVEN"))
        if (chosen[0] == "GIVEN" and text[chosen[1].start:chosen[1].end].lower().startswith(
                "tolerat") and (reg := _own_regimen(text, frame)) is not None
                and reg.end <= chosen[1].start):
            # "Oral paliperidone 3 mg daily tolerated since 07/14": the regimen is tolerated
            chosen = ("REGIMEN", reg, 0)
        if chosen[0] == "ORDERED" and (done := _frame_given(text, frame)) is not None:
            chosen = ("GIVEN", done, 0)  # "ordered repeat: naloxone 0.4 mg IM ... by K. Osei, RN"
        elif (chosen[0] == "REGIMEN" and (done := _frame_given(text, frame)) is not None
              and (_TODAY_HERE.search(text, frame.sent_start, frame.sent_end)
                   or (_CLOCK_AFTER.match(text, done.end)
                       and done.start < _line_bounds(text, frame.drug.start, frame.drug.end)[1]))):
            # "Brixadi monthly 96 mg SC R posterior upper arm today 14:35 by me ... Tolerated",
            # "[x] Xgeva 120 mg SC q4wk - give if Ca >= 8.5   GIVEN 1030 SC R posterior upper
            # arm": the regimen's dose of today, charted on its row with the time
            chosen = ("GIVEN", done, 0)
        elif (chosen[0] in ("REGIMEN", "HOME") and (done := _frame_given(text, frame)) is not None
              and _TODAY_AFTER.match(text, done.end)):
            # "continue monthly vitamin B12 1000 mcg IM. The injection was given today by myself
            # in the left deltoid": the continued therapy's dose of today
            chosen = ("GIVEN", done, 0)
    elif (stop := _stopped(text, frame.drug.end, frame.end)) is not None:
        chosen = ("DISCONTINUED", Mention(stop.start(), stop.end(), "STATUS_CUE", "stop"), 0)
    elif (booked := _booked_after(text, frame)) is not None:
        # "Keep Botox appt 09/30/2026." over "Meds given by T. Ngata, RN": the drug's own
        # booked visit, not the other meds' "given"
        chosen = ("HYPOTHETICAL", booked, 0)
    elif (done := _frame_given(text, frame)) is not None:
        chosen = ("GIVEN", done, 0)
    elif (missed := _row_not_given(text, frame)) is not None:
        chosen = ("NEGATED_EXISTENCE", missed, 0)
    if (chosen is not None and chosen[0] == "HYPOTHETICAL" and chosen[1].end <= frame.drug.start
            and (done := _PLAN_CARRIED_OUT.search(text, frame.drug.end, frame.sent_end))
            is not None and (frame.next_drug < 0 or done.end() <= frame.next_drug)
            and not _NEGATED_BEFORE.search(text, max(0, done.start() - 15), done.start())):
        # "so we will give Toradol 30 milligrams in the muscular ... today which was administered
        # by Marcy": a dictated run-on sentence states the plan, then that it was carried out
        chosen = ("GIVEN", Mention(done.start(), done.end(), "STATUS_CUE", "GIVEN"), 0)
    if (chosen is not None and chosen[0] == "REGIMEN"
            and (lead := _given_today_lead(text, frame)) is not None):
        # "Given today, Dr. Adeyemi in clinic:" over "- cyanocobalamin IM L deltoid (monthly)":
        # today's dose of the regimen
        chosen = ("GIVEN", lead, 0)
    elif (chosen is not None and chosen[0] == "REGIMEN"
          and (field := _given_amount_field(text, frame, chosen[1].end)) is not None):
        # "Ordered: 50 mg IM daily (Dr. Hsu)" over "Given: 50 mg / 1 mL   Route: IM": the
        # order's regimen, and the form's given field charting today's dose of it
        chosen = ("GIVEN", field, 0)
    elif (chosen is not None and chosen[0] == "REGIMEN"
          and (line := _today_dose_line(text, frame)) is not None):
        # "Ceftriaxone 50 mg/kg/dose ... = 870 mg IM daily x 3 doses." over "Dose 1 today: 1 g
        # vial ...; 2.5 mL (870 mg) IM R anterolateral thigh 15:05 - Kim Dao, RN": the
        # regimen's first dose, charted on the line that says it is today's
        chosen = ("GIVEN", line, 0)
    elif (chosen is not None and chosen[0] == "REGIMEN"
          and (time := _sentence_charted_time(text, frame)) is not None):
        # "Haloperidol decanoate, her usual monthly depot, 100 mg IM to the R deltoid at 10:38"
        chosen = ("GIVEN", Mention(time.start, time.end, "STATUS_CUE", "GIVEN"), 0)
    if (chosen is not None and chosen[0] == "DISCONTINUED"
            and _stopped(text, frame.sent_start, frame.end) is None
            and _frame_given(text, frame) is None):
        # "the methotrexate must be discontinued", "his insulin was stopped": a therapy ended,
        # not an injection started and stopped today (MOD-04)
        chosen = ("HISTORICAL", chosen[1], chosen[2])
    if (chosen is not None and chosen[0] == "DISCONTINUED"
            and _ORDER_WORD.search(text, frame.drug.end, chosen[1].start)):
        # "Bicillin order from the intake protocol DISCONTINUED 13:05": the order was cancelled
        # before any dose went in
        chosen = ("NEGATED_EXISTENCE", chosen[1], chosen[2])
    if chosen is not None:
        frame.status, frame.status_cue = _STATUS_OF[chosen[0]], chosen[1]
        frame.regimen = chosen[0] == "REGIMEN"
        if frame.regimen and (frame.section in ("assessment", "plan") or _GOING_ON.search(
                text, frame.sent_start, frame.drug.start)):
            # "P: Continue Lovenox 40 mg SC daily", "start enoxaparin 40 mg SC daily POD 1":
            # a regimen the plan carries forward is planned; a list of what the patient takes
            # is history
            frame.status = AdministrationStatus.PLANNED
        if frame.status is AdministrationStatus.GIVEN and (
            (frame.section in ("medications", "past_history")
             and not _dated_today_row(text, frame, dos)
             and not _cue_dated_today(text, frame.status_cue, dos)
             and not _given_label_row(text, frame)
             and not _clocked_row(text, frame, dos))
            or _narrated_history(text, frame)
            or _that_earlier_visit(text, frame, dos)
            or _given_elsewhere(text, frame)
            or _earlier_day_word(text, frame) is not None
        ):
            # the history of present illness narrates earlier care ("was started on X")
            frame.status = AdministrationStatus.HISTORICAL
        return
    if (asked := _GIVEN_ASKED.search(text, frame.drug.end, _own_reach(frame, frame.sent_end))):
        # "15:45 Phenergan 25 IM given?? - order in, no MAR entry - pls clarify": whether the
        # ordered dose went in is asked, not charted
        frame.status = AdministrationStatus.ORDERED
        frame.status_cue = Mention(asked.start(), asked.end(), "STATUS_CUE", "ORDERED")
        return
    if (lead := _GIVEN_LEAD.search(text, max(frame.sent_start, frame.drug.start - 90),
                                   frame.drug.start)) is not None:
        # "our nurse gave the first dose in clinic today - methotrexate 25 mg/mL, 0.6 mL SC"
        frame.status = AdministrationStatus.GIVEN
        frame.status_cue = Mention(lead.start(), lead.end(), "STATUS_CUE", "GIVEN")
        return
    if (earlier := _earlier_day_before(text, frame)) is not None:
        # "Seen at Mercy ED yesterday (1/18) for vomiting: got Zofran 4 mg IV push there"
        frame.status = AdministrationStatus.HISTORICAL
        frame.status_cue = earlier
        return
    if (earlier := _earlier_day_word(text, frame)) is not None and not _charted(frame):
        # "he was made course of injections of Milgamma (... B12 ...) intramuscular ... this
        # spring": no given-word, and the sentence dates the course behind the visit
        frame.status, frame.status_cue = AdministrationStatus.HISTORICAL, earlier
        return
    if (later := _later_date(text, frame, dos)) is not None:
        # "Start cyanocobalamin 1000 mcg IM - nurse visit booked for tomorrow 10/06"
        frame.status, frame.status_cue = AdministrationStatus.PLANNED, later
        return
    line_start = text.rfind("\n", 0, frame.drug.start) + 1
    lead_from = max(line_start, frame.sent_start)
    # a site, time or lot written with the drug charts a dose, whatever leads it
    charted_here = _charted(frame)
    cond = _CONDITIONAL_BEFORE.search(text, lead_from, frame.drug.start)
    if cond is None and not charted_here:
        # "We request erenumab 140 mg SC monthly" in an appeal letter: asked of a payer
        cond = _REQUEST_BEFORE.search(text, lead_from, frame.drug.start)
    if cond is not None:
        # "- If HA not improved in 30-45 min will add promethazine 25 mg IM"
        frame.status = AdministrationStatus.PLANNED
        frame.status_cue = Mention(cond.start(), cond.end(), "STATUS_CUE", "HYPOTHETICAL")
        return
    if not charted_here and _STANDING_ORDER.match(text, line_start) is not None:
        # "Standing order: testosterone cypionate 200 mg IM q14 days": the authority the visit's
        # doses are given under, not a dose of its own
        frame.status, frame.regimen = AdministrationStatus.HISTORICAL, True
        return
    route = frame.first("ROUTE")
    if _oral_dose_taken_here(text, frame):
        # "HPI: ... Took sumatriptan 50 mg PO (friend's) at 0900": taken before the visit
        frame.status = (AdministrationStatus.HISTORICAL if _narrated_history(text, frame)
                        else AdministrationStatus.GIVEN)
        return
    # An oral or topical mention with no given cue is a medication reference, not an event;
    # so is a drug named in running prose whose route is only found in later sentences.
    form = frame.section in ("procedure", "orders") or _FIELD_LABEL.search(
        text[max(0, frame.drug.start - 45) : frame.drug.start]) is not None
    near = route is not None and (frame.sent_start <= route.start < frame.sent_end or form)
    has_route = near and route is not None and (
        route.value not in ("ORAL", "OTHER") or _INJECTED_INTO.search(text, route.start, route.end)
        # "RotaTeq (RV5) 2 mL PO" among the vaccines given: an oral vaccine's amount by mouth
        # is its administration, as an injection's route is
        or (route.value == "ORAL" and getattr(frame.drug.value, "drug_class", None) == "vaccine"
            and bool(frame.first("DOSE") or frame.first("VOLUME"))))
    has_detail = any(frame.first(x) for x in ("DOSE", "SITE", "VOLUME", "LOT", "NDC"))
    # the label opens the drug's line, or its sentence ("... by phone 2225. Verbal order: ...")
    order_label = any(_ORDER_LABEL.match(text, at, frame.drug.start) is not None
                      for at in {line_start, lead_from})
    if not order_label and not any(frame.first(x) for x in ("SITE", "LOT", "MONITORING")):
        # "Per Dr. Haddad order Bicillin L-A 600,000 units IM today": relayed, not yet given; a
        # site, lot or observation written with it documents the dose ("Per Dr. S order B12
        # 1000 mcg IM L deltoid")
        order_label = any(_PER_ORDER_LEAD.fullmatch(text, at, frame.drug.start) is not None
                          for at in {line_start, lead_from})
        # "Called Dr. Haines 1030: V.O. ketorolac 30 mg IM x1 now": a verbal order read back
        order_label = order_label or _VERBAL_ORDER_BEFORE.search(
            text, max(line_start, frame.drug.start - 60), frame.drug.start) is not None
        # "Reason: ceftriaxone IM x1 per NP order from this morning's video visit": the order
        # the visit carries out, named after the drug with no given word between
        order_label = order_label or ((after := _PER_ORDER_AFTER.match(
            text, frame.drug.end, min(_line_bounds(text, frame.drug.start, frame.drug.end)[1],
                                      frame.drug.end + 50))) is not None
            and not _FRAME_GIVEN.search(after.group()))
    # "Rx label: medroxyprogesterone 150 mg/mL ... / L VG 1 mL - IM, 1510": an injection route,
    # a site and a clock time in the drug's own entry chart the dose, whatever line they are on
    charted = _shot_charted(frame)
    if frame.section in ("medications", "past_history") and not (
            _dated_today_row(text, frame, dos) or _clocked_row(text, frame, dos)):
        frame.status = AdministrationStatus.HISTORICAL if (has_route or has_detail) else None
    elif frame.section == "orders" or order_label:
        if frame.first("LOT") or (frame.first("TIME") and (
                frame.first("SITE") or frame.first("MONITORING"))):
            # "Orders (Dr. V, on unit): 2. RhoGAM 300 mcg IM - L deltoid - 09:50 - lot RG6120":
            # an order list that records its execution documents the doses
            frame.status = AdministrationStatus.GIVEN
        else:
            frame.status = AdministrationStatus.ORDERED if has_route or has_detail else None
    elif frame.section in ("assessment", "plan") and (planned := _PLANNED_BEFORE.search(
            text, frame.sent_start, frame.drug.start)) is not None:
        # "P: Planned Depo-Medrol 80 mg IM today for the flare - POC glucose 318 at 10:40 ->
        # ... HELD": the plan's intent, not a charted dose (the clock time is the glucose's)
        frame.status = AdministrationStatus.PLANNED
        frame.status_cue = Mention(planned.start(1), planned.end(1), "STATUS_CUE", "HYPOTHETICAL")
    elif frame.section in ("assessment", "plan"):
        # "P: Toradol 60 mg IM now, R glute" documents the shot; a bare "Toradol IM" is an order.
        # an oral vaccine has no site: its amount by mouth is the whole entry ("RotaTeq (RV5)
        # 2 mL PO" under the injections charted with their sites)
        oral_entry = has_route and route.value == "ORAL"
        if ((has_route and (frame.first("SITE") or frame.first("TIME"))) or charted
                or oral_entry or _route_at_site(text, frame)
                # "P: 13:45 diphenhydramine 50 mg R deltoid (RN P. Nguyen)": a row timed by the
                # clock that opens it, with the dose and where it went, charts it (no route)
                or (frame.first("DOSE") and frame.first("SITE") and _CLOCK_BEFORE.search(
                    text, max(0, frame.drug.start - 12), frame.drug.start) is not None)):
            frame.status = AdministrationStatus.GIVEN
        elif has_route and (will := _WILL_AFTER.match(text, frame.drug.end)) is not None:
            # "Methotrexate will be switched to the subcutaneous route, 20 mg weekly": the
            # plan's future, not an order for today
            frame.status = AdministrationStatus.PLANNED
            frame.status_cue = Mention(will.start(1), will.end(1), "STATUS_CUE", "HYPOTHETICAL")
        elif has_route:
            frame.status = AdministrationStatus.ORDERED
    elif has_route and not (frame.first("SITE") or frame.first("TIME")) and (
            own_use := _OWN_USE.search(text, frame.drug.end, _own_reach(frame, frame.sent_end))):
        # "Acute: sumatriptan 6 mg SC autoinjector works within 30 min, uses about 6/month": the
        # patient's own supply, described; no site or time charts a dose
        frame.status = AdministrationStatus.HISTORICAL
        frame.status_cue = Mention(own_use.start(), own_use.end(), "STATUS_CUE", "HOME")
    elif has_route or charted or (frame.first("SITE") and (frame.first("DOSE") or (
            # "Bicillin L-A 1,200,000 units/2 mL, NDC ..., lot 2MA041 - to R anterolateral thigh
            # 15:42": a site, a clock time and the product's lot chart the dose (not "TST READ
            # (placed 04/12/2026 07:05, L volar forearm, Tubersol lot T55190)": that day's)
            frame.first("TIME") and frame.first("LOT") and not (dos is not None and any(
                m.value[2] is not None and (day := _mention_day(m, dos)) is not None
                and day < dos for m in frame.found.get("DATE") or []))))):
        # the history of present illness narrates earlier care, as in the cue branch above
        frame.status = (AdministrationStatus.HISTORICAL if _narrated_history(text, frame)
                        or _given_elsewhere(text, frame) else AdministrationStatus.GIVEN)
    elif frame.first("DOSE") and (frame.first("LOT") or frame.first("NDC")) and (
            done := _paragraph_given(text, frame)) is not None:
        # "Product: Botox 200 Units vial ... Lot C7781C4" and, after the injection map,
        # "Total 200 U injected": a procedure note's product, given in its paragraph
        frame.status, frame.status_cue = AdministrationStatus.GIVEN, done


# "13:45 " right before the drug's name
_CLOCK_BEFORE = re.compile(r"(?<![\d:/])" + _CLOCK + r"[ \t]+\Z")


def _route_at_site(text: str, frame: Frame) -> bool:
    """Whether an IM/SC route and the site it went into sit together on the drug's own line.

    "P: Bicillin L-A 1,200,000 units (wt >= 27 kg). Prefilled 2 mL syringe; ... 1 mL IM R vastus
    lateralis and ... 1 mL IM L vastus lateralis": a plan that says where the needle went, past
    the drug's sentence, documents the dose.
    """
    route, site = frame.first("ROUTE"), frame.first("SITE")
    return (_injected(frame) and route is not None and site is not None
            and 0 <= site.start - route.end <= 3
            and site.end <= _line_bounds(text, frame.drug.start, frame.drug.end)[1])


_OWN_USE = re.compile(
    r"\b(?:auto-?injectors?|(?:she|he|they|pt|patient)\s+(?:uses|takes)|uses\s+(?:about|~|it|"
    r"\d)|works\s+(?:within|well|for)|left\s+at\s+home|(?:supply|refills?)\s+(?:at\s+home|"
    r"sent|left))\b", re.IGNORECASE)


def _paragraph_given(text: str, frame: Frame) -> Mention | None:
    """A given word past the drug's frame, in its paragraph, before another drug is named."""
    stop = min(frame.para_end, frame.next_drug) if frame.next_drug >= 0 else frame.para_end
    for m in _FRAME_GIVEN.finditer(text, frame.end, stop):
        if _NEGATED_BEFORE.search(text[max(0, m.start() - 15) : m.start()]):
            return None
        if m[0].lower() in ("given", "administered", "injected"):
            return Mention(m.start(), m.end(), "STATUS_CUE", "GIVEN")
    return None


# Routes of an injection procedure that the route vocabulary files under OTHER: "Eylea 2 mg/0.05
# mL intravitreal" documents an injection as surely as "IM" does
_INJECTED_INTO = re.compile(r"\b(?:" + alternation(vocabulary()["injected_into"]) + r")\b",
                            re.IGNORECASE)


# "09:52 GlucaGen ...": a row of today's timeline (not a "02:00-05:00" range)
# "09:52 GlucaGen 1 mg IM", "0950 fenergan 25mg IM": a military time without its colon only
# where it cannot be a year (not 1900-2099), and followed by a word
_CLOCK_ROW = re.compile(
    _LINE_LEAD + r"(?:" + _CLOCK + r"\b(?!\s*(?:am|pm)?\s*-)"
    r"|(?:0\d|1[0-8]|2[1-3])[0-5]\d(?=[ \t]+[a-z]))",
    re.IGNORECASE,
)


_THAT_VISIT = re.compile(r"\b(?:(?:at\s+)?that|the\s+same)\s+(?:visit|day|appointment)\b",
                         re.IGNORECASE)
_SLASH_DATE = re.compile(r"\b" + _MDY)


_EARLIER_DAY_LEAD = re.compile(r"(?:since|from|until|till|before|than|due|overdue|as\s+of)\s*$",
                               re.IGNORECASE)


# a full stop that ends a sentence on the drug's line (a semicolon only joins its clauses)
_FULL_STOP = re.compile(r"[.!?](?:\s|$)")


def _earlier_day_before(text: str, frame: Frame) -> Mention | None:
    """An earlier day written before the drug in its sentence, semicolon clauses included.

    "Valley Regional ED last night (01/14/2026, 23:10): croup with stridor; got Decadron 8 mg
    IM": the dose was given then. "Pain since yesterday" dates the pain, not the dose.
    """
    line_start = _line_bounds(text, frame.drug.start, frame.drug.end)[0]
    stops = [m.end() for m in _FULL_STOP.finditer(text, line_start, frame.drug.start)]
    start = min(frame.sent_start, max([line_start, *stops]))
    for word in _EARLIER_DAY.finditer(text, start, frame.drug.start):
        if not _EARLIER_DAY_LEAD.search(text, max(start, word.start() - 12), word.start()):
            return Mention(word.start(), word.end(), "STATUS_CUE", "HISTORICAL")
    return None


def _earlier_day_word(text: str, frame: Frame) -> Mention | None:
    """The earlier day that closes the drug's own clause, if any.

    "Received cefTRIAXone (ROCEPHIN) 1 g IM L dorsogluteal yesterday at 4:40 PM": the dose was
    given the day before. "Toradol 60 mg IM for pain since yesterday" dates the pain, and a
    sentence that also says today is about today's dose.
    """
    stop = _own_reach(frame, frame.sent_end)
    if 0 < frame.next_drug < frame.sent_end and _LISTED_WITH.fullmatch(
            text, frame.drug.end, frame.next_drug):
        stop = frame.sent_end  # "B12 with lidocaine ... this spring": the list shares its date
    word = _EARLIER_DAY.search(text, frame.drug.end, stop)
    if word is None and _PAST_VERB.search(text, frame.sent_start, frame.drug.start):
        # "he was made course of injections of Milgamma (... B12 ...) intramuscular ... in
        # polyclinic this spring": a season the past-tense sentence dates the course to
        word = _EARLIER_SEASON.search(text, frame.drug.end, stop)
    if (word is None or _COMMA_BREAK.search(text, frame.drug.end, word.start())
            or _EARLIER_DAY_LEAD.search(text, frame.drug.end, word.start())
            or _TODAY_HERE.search(text, frame.sent_start, frame.sent_end)):
        return None
    return Mention(word.start(), word.end(), "STATUS_CUE", "HISTORICAL")


def _that_earlier_visit(text: str, frame: Frame, dos: date | None) -> bool:
    """Whether "that visit" after the drug points back to an earlier date on its line.

    "Pt seen in clinic 03/02/2026 by Dr. H; received Depo-Medrol 80 mg IM ..., that visit": the
    dose belongs to the earlier visit.
    """
    if dos is None or _THAT_VISIT.search(text, frame.drug.end, frame.sent_end) is None:
        return False
    ls = text.rfind("\n", 0, frame.drug.start) + 1
    return _earlier_date(text, dos, ls, frame.drug.start) is not None


# "States she got it at CVS Pharmacy on 01/20/2026", "Immunization record updated as historical
# (administered elsewhere)", "attended walk-in 02/06; treated there with ceftriaxone": the dose
# was given somewhere else
_GIVEN_ELSEWHERE = re.compile(
    r"\b(?:(?:administered|given|received|done|treated|got\s+(?:it|them|one|the\s+(?:shot|vaccine|"
    r"dose))|had\s+it(?:\s+done)?)\s+(?:elsewhere|outside|there\b|at\s+(?:the\s+|a\s+|an\s+|her\s+|his\s+"
    r"|their\s+|local\s+)?(?:(?:outside|other|another)\s+\w+|pharmacy|drugstore|CVS|Walgreens"
    r"|Rite\s*Aid|Costco|Walmart|Kroger|Publix|health\s+(?:dept|department)|work(?:place)?"
    r"|employer|school)))"
    # 'asks for "the allergy shot" she got elsewhere in prior years'
    r"|\b(?:she|he|they|pt|patient)\s+(?:got|had|received)\s+(?:elsewhere|outside)\b"
    r"|\b(?:outside|pharmacy)\s+(?:record|documentation|administration)\b"
    # "Received ceftriaxone 515 mg IV infusion in ED ~22:15": the emergency department's dose
    # ("Tdap | given at Mercy ED 05/02/2026 (hand laceration)": a named hospital's ED)
    r"|\b(?:received|got|given|administered)\b[^.\n|]{0,60}?\b(?:in|at)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'.-]*\s+){0,3}?(?:ED|ER|emergency\s+(?:department|room))\b",
    re.IGNORECASE,
)


def _given_elsewhere(text: str, frame: Frame) -> bool:
    """Whether the drug's sentence, or the one before or after it, says it was given elsewhere.

    Its own sentence saying "today", "now" or "by me" keeps it this visit's dose.
    """
    if _TODAY_HERE.search(text, frame.sent_start, frame.sent_end):
        return False
    para_start = _para_start(text, frame.drug.start)
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, para_start, frame.sent_start - 1)]
    start = breaks[-1] if breaks else para_start
    after = _SENTENCE_BREAK.search(text, frame.sent_end + 1, frame.para_end)
    end = after.end() if after else frame.para_end
    return _GIVEN_ELSEWHERE.search(text, start, max(end, frame.sent_end)) is not None


# "... and in clinic at 10:40 I gave Aristada Initio 675 mg IM": the narrative reaches today's visit
_HERE_WE_GAVE = re.compile(
    r"\b(?:in\s+(?:the\s+)?(?:clinic|office)|here)\b(?:\s+today)?(?:\s*,?\s*at\s+\d{1,2}:?\d{2}"
    r"(?:\s*[ap]\.?m\.?)?)?\s*,?\s+(?:I|we|(?:the\s+|our\s+)?(?:nurse|RN|LPN|MA))\s+"
    r"(?:gave|administered|injected)\b",
    re.IGNORECASE,
)


def _narrated_history(text: str, frame: Frame) -> bool:
    """Whether the drug is narrated in a history of present illness that a later section closes.

    Such a history tells earlier care ("was started on X"), except on a line of the visit's own
    clock-time log ("09:52 GlucaGen 1 mg IM R deltoid, by RN at my direction") and where its
    sentence reaches the visit itself ("... and in clinic at 10:40 I gave Aristada Initio").
    """
    if frame.section != "history" or not frame.section_closed:
        return False
    if _HERE_WE_GAVE.search(text, frame.sent_start, frame.drug.start) is not None:
        return False
    ls = text.rfind("\n", 0, frame.drug.start) + 1
    le = _line_bounds(text, frame.drug.start, frame.drug.end)[1]
    if any(m.end <= le for m in frame.found.get("LOT") or []) and any(
            m.end <= le for m in frame.found.get("TIME") or []):
        # "Depo-Provera ... 150 mg/1 mL IM, deltoides izquierdo, 15:12. NDC ..., lot GH4521"
        # under "Reason for visit:": a line charting its time and lot records the dose
        return False
    if (form_end := _field_form_end(text, frame.drug)) is not None and any(
            le < m.start < form_end for x in ("TIME", "LOT") for m in frame.found.get(x) or []):
        # "Medication: Medroxyprogesterone acetate 150 mg/mL" over "Lot: ...", "Time given:
        # 13:31": a nurse-visit form's fields chart the dose of the visit
        return False
    timed_today = (not frame.dated_row and _CLOCK_ROW.match(text, ls) is not None
                   and frame.drug.start - ls < 40
                   and not _EARLIER_DAY.search(text, ls, frame.drug.start))
    return not timed_today


# "Approx 1 mL (40 mg) given; remaining 1 mL discarded", "only 0.5 mL was injected"
_PARTIAL_GIVEN = re.compile(
    r"\b(?:approx(?:imately|\.)?\s*|about\s+|only\s+|~\s*)?(?P<amount>\d+(?:\.\d+)?\s*"
    r"(?:mL|ml|cc|mg|mcg|units?)(?:\s*\(\s*\d[\d.,]*\s*(?:mg|mcg|units?)\s*\))?)\s+"
    r"(?:was\s+|were\s+|had\s+been\s+)?(?:given|administered|injected|delivered|in)\b"
    # "about half of the dose (~0.5 mL = ~50 mg) was in", "About halfway (~0.5 mL, ~100 mg)"
    r"|\bhalf(?:way|\s+(?:of\s+)?the\s+(?:dose|syringe))?\s*\((?P<half>\s*~?\s*\d[\d.]*\s*"
    r"(?:mL|ml|cc|mg|mcg|units?)(?:\s*[,=/]\s*~?\s*\d[\d.]*\s*(?:mg|mcg|units?))?)\s*\)",
    re.IGNORECASE,
)


def _partial_amount(text: str, frame: Frame, store: dict[str, list[Mention]]) -> None:
    """A dose started then stopped: the amount the note says went in is the dose (MOD-04)."""
    cue = frame.status_cue
    if cue is None:
        return
    # from the start of the cue's own sentence: "About halfway (~0.5 mL, ~100 mg) pt jerked and
    # pulled away"
    lead = max(text.rfind(". ", 0, cue.start) + 1, text.rfind("\n", 0, cue.start) + 1,
               frame.drug.end)
    m = _PARTIAL_GIVEN.search(text, min(lead, cue.end), max(frame.end, frame.para_end))
    if m is None:
        return
    group = "amount" if m["amount"] else "half"
    lo, hi = m.start(group), m.end(group)
    inside = {k: [x for x in store.get(k) or [] if lo <= x.start < hi] for k in ("DOSE", "VOLUME")}
    if inside["DOSE"]:
        frame.found.update(DOSE=inside["DOSE"], VOLUME=[], RANGE=[])
    elif inside["VOLUME"]:
        frame.found.update(DOSE=[], VOLUME=inside["VOLUME"], RANGE=[])


_GIVEN_LEAD = re.compile(
    r"\b(?:gave|given|administered|injected)\b[^.;\n]{0,40}?\b(?:today|in\s+(?:the\s+)?"
    r"(?:clinic|office)|now|here)\b[^\w.;\n]*$", re.IGNORECASE)
_CONDITIONAL_BEFORE = re.compile(
    r"\b(?:if|unless|should)\b[^.;\n]{0,80}?\b(?:will|would|may|can|then|plan\s+to|to)\s+"
    r"(?:\w+\s+){0,2}?(?:add|give|try|repeat|consider|administer|use)\b[^.;\n]{0,20}$",
    re.IGNORECASE,
)

# "Standing order: ...", "- Protocol (RN B12): ...": a line that names the authority
_STANDING_ORDER = re.compile(_LINE_LEAD + r"(?:standing\s+orders?|protocol)\b[^:\n]{0,30}:",
                             re.IGNORECASE)
# "We request erenumab-aooe (Aimovig) 140 mg subcutaneously once monthly" (an appeal letter),
# "requesting authorization for Xolair 300 mg SC": asked of a payer, not ordered for today
_REQUEST_BEFORE = re.compile(
    r"\b(?:we\s+(?:are\s+)?|i\s+(?:am\s+)?)?request(?:s|ed|ing)?\s+(?:(?:prior\s+)?"
    r"(?:authori[sz]ation|approval|coverage)\s+(?:of|for)\s+|that\s+\w+\s+(?:approve|cover)\s+)?"
    r"[^.;\n]{0,12}$", re.IGNORECASE)


_CARRIED_FORWARD = re.compile(
    # "copied over", "carried over from last visit"; not "cuttings she brought over"
    r"(?:carried|copied|pulled|brought)\s+forward|copied\s+over|(?:carried|pulled|brought)\s+"
    r"over\s+from\s+(?:the\s+)?(?:prior|previous|last|\d)|copy[-\s]?forward(?:ed)?|"
    r"(?:copied|pasted)\s+from\s+(?:prior|previous|last|(?:the\s+)?(?:(?:office\s+)?(?:visit|"
    r"note|encounter)\s+(?:of\s+|on\s+|dated\s+|from\s+)?)?\d{1,2}/\d{1,2}\b)", re.IGNORECASE)
_EDITED_BANNER = re.compile(r"\b(?:edit(?:ed)?|updated?|revis(?:e|ed))\s+(?:as\s+needed|for\s+today|"
                            r"today)|\band\s+(?:edited|updated|revised)\b", re.IGNORECASE)
# 'Plan (carried forward from 1/27): "Continue', "[Copied forward from 10/13/2026 note -
# reviewed] Uzedy 100 mg SC monthly ...": the pasted text follows the banner on its line
_INLINE_PASTE = re.compile(r":\s*[\"“\w]|\][ \t]*\w")
_CARRIED_END = re.compile(r"\bend\s+(?:of\s+)?(?:carried|copied|copy|pulled)", re.IGNORECASE)


def _carried_forward(text: str) -> list[tuple[int, int, Mention]]:
    """Blocks pasted from an earlier visit: (start, end, the words that say so).

    A block opens on the line that says it was carried forward and runs to the line that ends
    it ("*** end carried forward ***") or to the next blank line; a line that carries its own
    pasted text ('Plan (carried forward from 1/27): "Continue ..."') is the whole block.
    """
    out = []
    for m in _CARRIED_FORWARD.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        if _CARRIED_END.search(text, ls, m.end()) or (out and ls < out[-1][1]):
            continue
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        if _EDITED_BANNER.search(text, m.end(), le):
            continue  # "*** Copied forward from 03/27 visit - edit as needed ***": then edited
        end = _CARRIED_END.search(text, m.end())
        blank = _BLANK_LINE.search(text, m.end())
        stop = min(end.start() if end else len(text), blank.start() if blank else len(text))
        if _INLINE_PASTE.search(text, m.end(), le):
            stop = le  # 'Plan (carried forward from 1/27): "Continue ..."': that line only
        out.append((ls, stop, Mention(m.start(), m.end(), "STATUS_CUE", "HISTORICAL")))
    return out


def _key_site(frame: Frame) -> tuple[str | None, str | None] | None:
    """The injection's site, or the joint its own sentence names ("Left knee: Kenalog 40 mg")."""
    m = frame.first("SITE") or next(
        (j for j in frame.found.get("JOINT") or [] if frame.sent_start <= j.start < frame.sent_end),
        None)
    return tuple(m.value) if m is not None else None  # type: ignore[return-value]


def _signature(text: str, creds: list[Mention]) -> Mention | None:
    """The credential of the note's signature line ("- K. Pham, MA" at the end)."""
    tail = len(text.rstrip()) - 80
    late = [c for c in creds if c.start >= tail]
    return late[-1] if late else None


def _group(text: str, frames: list[Frame], signature: Mention | None = None) -> list[Administration]:
    """Merge frames of the same drug into administration events."""
    events: list[list[Frame]] = []
    for frame in frames:
        target = _merge_target(frame, events)
        if target is None:
            events.append([frame])
        else:
            target.append(frame)
    events.sort(key=lambda ev: min(f.drug.start for f in ev))
    built = [_administration(text, "", ev, signature) for ev in events]
    out: list[Administration] = []
    for i, ev in enumerate(events):
        adm = built[i].model_copy(update={"id": f"a{len(out) + 1}"})
        others = [b.dose for j, b in enumerate(built) if j != i and b.drug.name == adm.drug.name
                  and b.status in _ACTIVE]
        if (part := _part_of_total(text, ev, adm, others)) is not None:
            adm = adm.model_copy(update={"dose": part})
        split = next((f.first("SPLIT") for f in ev
                      if f.first("SPLIT") and f.status in _ACTIVE), None)
        if split is not None and any(
                g.drug.value.name != ev[0].drug.value.name and g.sent_start <= split.start
                < g.sent_end and g.drug.start < split.start and not _is_oral_only(g.drug)
                for g in frames):
            split = None  # "Toradol and Phenergan given as two injections": two drugs
        if split is not None and not _split_sites(text, ev, split):
            split = None  # MOD-02: two injections only where both sites are documented
        if split is not None and _split_of_a_dated_line(text, ev, split):
            split = None  # "Loading 03/02/26: 240 mg as 2 x 120 mg SC (R + L abd)"
        if parts := _routed_parts(text, adm, ev):
            out += [p.model_copy(update={"id": f"a{len(out) + i + 1}"})
                    for i, p in enumerate(parts)]
            continue
        if split is None and (parts := _listed_injections(text, adm, ev)):
            out += [p.model_copy(update={"id": f"a{len(out) + i + 1}"})
                    for i, p in enumerate(parts)]
            continue
        if split is None or adm.status not in _ACTIVE:
            out.append(adm)
            continue
        first, second = _split_dose(text, adm, ev, split)
        out.append(first.model_copy(update={"id": f"a{len(out) + 1}"}))
        out.append(second.model_copy(update={"id": f"a{len(out) + 1}"}))
    return out


def _item_lines(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """Record under each given drug the item lines below its line: one amount and one site each.

    "Given (clinic stock, Nucala 100 mg/mL autoinjectors):" over "Pen 1: 100 mg SC abdomen,
    left of umbilicus 09:31", "Pen 2: ..." and "Pen 3: 100 mg SC R anterior thigh 09:33". An
    item line names no drug and no date (a dated row logs a past dose); the list ends at the
    first other line. A line with both an amount and its volume ("150 mg (1 mL)") ends it too.
    _listed_injections decides whether the items are the dose's injections.
    """
    drug_starts = [f.drug.start for f in frames]
    for frame in frames:
        if frame.status is not AdministrationStatus.GIVEN:
            continue
        own_end = _line_bounds(text, frame.drug.start, frame.drug.end)[1]
        amounts, sites = [], []
        skipped = 0
        for ls, le in _lines_below(text, own_end + 1):
            own = [m for label in ("DOSE", "VOLUME") for m in store.get(label, [])
                   if ls <= m.start < le]
            at = [m for m in store.get("SITE", []) if ls <= m.start < le]
            if (not amounts and not own and not at and skipped < 2
                    and not any(ls <= d < le for d in drug_starts)
                    and not _SLASH_DATE.search(text, ls, le)):
                # "[x] Allergies reviewed  [x] Syringes at room temp 30 min" between the drug
                # and its "Injection 1: 225 mg SC L abdomen 09:20" lines
                skipped += 1
                continue
            if (len(own) != 1 or len(at) != 1 or own[0].start > at[0].start
                    or any(ls <= d < le for d in drug_starts) or _SLASH_DATE.search(text, ls, le)):
                break
            amounts.append(own[0])
            sites.append(at[0])
        if not amounts:
            amounts, sites = _inline_items(frame)
        frame.found["LISTED_DOSE"], frame.found["LISTED_SITE"] = amounts, sites


# "2 mL (600 IU) infiltrated subcut into and around the R calf wounds": the part of a dose
# infiltrated into a wound, and the wound it went into
_INFILTRATED = re.compile(r"\binfiltrat\w*", re.IGNORECASE)
_WOUND_SITE = re.compile(
    r"\b(?P<side>L|R|left|right)\.?[ \t]+(?:[A-Za-z]+[ \t]+){0,3}?(?:wounds?|bites?|"
    r"lacerations?|punctures?)\b", re.IGNORECASE)


def _routed_items(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """Record under each given drug the items below its line that each give a part by a route.

    "HRIG (HyperRAB 300 IU/mL) 20 IU/kg x 72 kg = 1,440 IU = 4.8 mL" over "    * 2.8 mL (840 IU)
    infiltrated SC into and around the L forearm bite wounds" and "    * remaining 2 mL (600 IU)
    IM L ventrogluteal": each item, indented under the drug's line and naming no drug, states
    one amount in the dose's unit and its own route, the routes differ, and together they are
    the dose. Each item is a Mention over its line whose value is its (amount, route, site or
    None).
    """
    drug_starts = [f.drug.start for f in frames]
    for frame in frames:
        if frame.status is not AdministrationStatus.GIVEN:
            continue
        ls0, le0 = _line_bounds(text, frame.drug.start, frame.drug.end)
        total = next((m for m in frame.found.get("DOSE") or [] if ls0 <= m.start < le0), None)
        if total is None:
            continue
        width = _indent(text, ls0)
        items: list[Mention] = []
        for ls, le in _lines_below(text, le0 + 1):
            amounts = [m for m in store.get("DOSE", []) if ls <= m.start < le]
            on_line = [m for m in store.get("ROUTE", []) if ls <= m.start < le]
            if (_indent(text, ls) <= width or len(amounts) != 1
                    or amounts[0].value[1] != total.value[1] or not on_line
                    or any(ls <= d < le for d in drug_starts)):
                break
            route = on_line[0]
            if route.value not in ("IM", "SC") and not (
                    route.value == "OTHER" and _INFILTRATED.search(text, ls, le)):
                break
            site = next((m for m in store.get("SITE", []) if ls <= m.start < le), None)
            if site is None:
                site = _wound_site(text, route.end, le)
            items.append(Mention(ls, le, "ROUTED_ITEM", (amounts[0], route, site)))
        routes = {_part_route(m.value[1]) for m in items}
        if (len(items) >= 2 and len(routes) > 1
                and sum(m.value[0].value[0] for m in items) == total.value[0]):
            # (items by one route are one dose's syringes: see _split_blocks, _item_lines)
            frame.found["ROUTED_ITEM"] = items


def _part_route(route: Mention) -> str:
    """An item's route, IM or SC.

    A part infiltrated into a wound is a subcutaneous injection (CDC rabies PEP: the immune
    globulin is infiltrated around the wound, the rest given IM).
    """
    return "SC" if route.value == "OTHER" else str(route.value)


def _wound_site(text: str, start: int, end: int) -> Mention | None:
    """The wound a drug was infiltrated into, between ``start`` and ``end``, as a site.

    "infiltrated subcut into and around the R cheek wounds": the right side; the location is
    "other" (a wound is no named injection site).
    """
    wound = _WOUND_SITE.search(text, start, end)
    if wound is None:
        return None
    side = "left" if wound["side"].lower().startswith("l") else "right"
    return Mention(wound.start(), wound.end(), "SITE", (side, "other"))


def _infiltrated_wounds(text: str, frames: list[Frame]) -> None:
    """A given dose infiltrated into a wound, with no site written, was given at the wound.

    "HRIG ... = 480 IU = 1.6 mL, infiltrated subcut into and around the R cheek wounds by me".
    """
    for frame in frames:
        if frame.status is not AdministrationStatus.GIVEN or frame.found.get("SITE"):
            continue
        stop = _own_reach(frame, frame.sent_end)
        if (word := _INFILTRATED.search(text, frame.drug.end, stop)) is not None and (
                site := _wound_site(text, word.end(), min(stop, word.end() + 60))) is not None:
            frame.found["SITE"] = [site]


def _routed_parts(text: str, adm: Administration, event: list[Frame]) -> list[Administration]:
    """The injections a given dose's routed items list, one per item (see _routed_items)."""
    if adm.status is not AdministrationStatus.GIVEN or adm.dose is None:
        return []
    items = next((f.found["ROUTED_ITEM"] for f in event if f.found.get("ROUTED_ITEM")), [])
    if not items or any(m.value[0].value[1] != adm.dose.unit.value for m in items):
        return []
    parts = []
    for item in items:
        amount, route, site = item.value
        parts.append(adm.model_copy(update={
            "dose": Dose(value=amount.value[0], unit=adm.dose.unit,
                         evidence=_span(text, amount, SpanLabel.DOSE)),
            "route": RouteValue(value=Route(_part_route(route)),
                                evidence=_span(text, route, SpanLabel.ROUTE)),
            "site": None if site is None else Site(
                laterality=site.value[0], location=site.value[1],
                evidence=_span(text, site, SpanLabel.SITE))}))
    return parts


def _inline_items(frame: Frame) -> tuple[list[Mention], list[Mention]]:
    """The amounts and sites listed after the dose in its own sentence, one site per amount.

    "gave the Xolair 375 milligram dose as three prefilled syringes, 150 milligrams subcutaneous
    left posterior upper arm, 150 milligrams subcutaneous right posterior upper arm and 75
    milligrams subcutaneous left lower abdomen": the dictated form of an item list. Each amount
    has its site right after it (a route may sit between); any gap ends the list.
    """
    end = min(frame.sent_end, frame.end)
    # the dose written after the drug's name first (the total), then the listed amounts
    doses = sorted((m for m in frame.found.get("DOSE") or [] if frame.drug.end <= m.start < end),
                   key=lambda m: m.start)
    all_sites = frame.found.get("SITE") or []
    amounts: list[Mention] = []
    sites: list[Mention] = []
    for i, amount in enumerate(doses[1:], start=1):
        stop = doses[i + 1].start if i + 1 < len(doses) else end
        at = next((m for m in all_sites if amount.end <= m.start < stop
                   and m.start - amount.end <= 30), None)
        if at is None:
            break
        amounts.append(amount)
        sites.append(at)
    return amounts, sites


def _listed_injections(
    text: str, adm: Administration, event: list[Frame]
) -> list[Administration] | None:
    """One dose given as three or more injections, one per item line under its drug (MOD-02).

    Each item's amount is in the dose's unit and its site differs from the others'; a dose on
    the drug's own line is their sum. DRUG-11 adds the amounts back for the drug line.
    """
    if adm.status is not AdministrationStatus.GIVEN or adm.dose is None:
        return None
    unit = adm.dose.unit.value
    head = next((f for f in sorted(event, key=lambda f: f.drug.start)
                 if f.found.get("LISTED_DOSE")), None)
    if head is None:
        return None
    items = list(zip(head.found["LISTED_DOSE"], head.found["LISTED_SITE"], strict=True))
    if (len(items) < 3 or any(a.value[1] != unit for a, _ in items)
            or len({tuple(s.value) for _, s in items}) < len(items)):
        return None
    total = sum(a.value[0] for a, _ in items)
    ls, le = _line_bounds(text, head.drug.start, head.drug.end)
    stated = [m for m in head.found.get("DOSE") or [] if ls <= m.start < le
              and m.value[1] == unit]
    if stated and stated[0].value[0] != total:
        return None
    return [adm.model_copy(update={
        "dose": Dose(value=a.value[0], unit=adm.dose.unit, evidence=_span(text, a, SpanLabel.DOSE)),
        "site": Site(laterality=site.value[0], location=site.value[1],
                     evidence=_span(text, site, SpanLabel.SITE))}) for a, site in items]


def _split_of_a_dated_line(text: str, event: list[Frame], split: Mention) -> bool:
    """Whether a split sits on a line of its own that a date opens: that day's dose was split.

    "Degarelix maintenance #1 today." then "Loading 03/02/26: 240 mg as 2 x 120 mg SC (R + L
    abd)": the loading dose was given as two injections, not today's.
    """
    ls, le = _line_bounds(text, split.start, split.end)
    return not any(ls <= f.drug.start < le for f in event) and bool(
        _SLASH_DATE.search(text, ls, split.start))  # "03/02/26", "3/2"


def _part_of_total(
    text: str, event: list[Frame], adm: Administration, others: list[Dose | None]
) -> Dose | None:
    """A charted row's own amount when the event's dose is the total of several rows.

    "Bicillin L-A 2.4 million units IM x1, given as two 1.2 million unit syringes" merges with
    the first charted row "Bicillin L-A 1.2 million units IM, R dorsogluteal"; the second row,
    at the other site, is an event of its own. The row's 1.2 million units is this injection's
    dose when it and the other given rows of the drug (``others``, their doses) add up to the
    stated total.
    """
    dose = adm.dose
    if dose is None or adm.status not in _ACTIVE or not others or any(
            d is None or d.unit is not dose.unit for d in others):
        return None
    rest = [d for d in others if d is not None]
    for f in event:
        own = _frame_dose(text, f) if f.status in _ACTIVE else None
        if (own is not None and own.unit is dose.unit and own.value < dose.value
                and own.value + sum(d.value for d in rest) == dose.value):
            return own
    return None


_BOTH_SIDES = re.compile(
    r"\b(?:(?:r|rt|right)\.?\s*(?:and|&|\+|/)\s*(?:l|lt|left)|(?:l|lt|left)\.?\s*(?:and|&|\+|/)\s*"
    r"(?:r|rt|right)|bilateral(?:ly)?|each\s+(?:arm|thigh|deltoid|buttock|glute\w*|side|hip)|"
    r"the\s+other\s+(?:in(?:to)?\s+)?(?:the\s+)?(?:r|rt|right|l|lt|left))\b",
    re.IGNORECASE)


def _split_sites(text: str, frames: list[Frame], split: Mention) -> bool:
    """Whether the note documents both sites of a split dose.

    Two sites, "R and L upper arm", "one into the right ... the other into the left", or
    "in each ..." document them.
    """
    if re.search(r"\b(?:each|both)\b", text[split.start : split.end], re.IGNORECASE):
        return True
    own = [f for f in frames if f.first("SPLIT") is split] or frames
    for f in own:
        le = text.find("\n", max(split.end, f.drug.end))
        if _BOTH_SIDES.search(text, f.drug.start, le if le >= 0 else len(text)):
            return True
    sites = {(m.start, m.end) for f in own
             for m in (f.found.get("SPLIT_SITE") or f.found.get("SITE") or [])}
    return len(sites) >= 2


def _split_items(
    text: str, split: Mention, store: dict[str, list[Mention]], drug_starts: list[int]
) -> tuple[list[Mention], list[Mention]]:
    """The sites and amounts a split statement lists.

    They sit on the rest of its line and on the item lines under it that each name a site
    ("Given as 2 injections because of volume:" then "1.2 million units IM R ventrogluteal
    11:02" and "1.2 million units IM L ventrogluteal 11:04"). A line that names a drug ends the
    list.
    """
    sites: list[Mention] = []
    doses: list[Mention] = []
    for i, (pos, stop) in enumerate(_lines_below(text, split.end)):
        line_sites = [m for m in store.get("SITE", []) if pos <= m.start < stop]
        if i == 1 and not line_sites and text[pos:stop].rstrip().endswith(":") and not any(
                pos <= d < stop for d in drug_starts):
            continue  # "Loading dose 600 mg:" heads the syringe rows under it
        if i and (not line_sites or any(pos <= d < stop for d in drug_starts)):
            break
        sites += line_sites
        # "GamaSTAN 8.4 mL IM, split for volume:" then "4.2 mL R gluteal": a row's volume is
        # its amount when the row writes no other ("1.2 million units (2 mL)" is the units)
        doses += next((found for label in ("DOSE", "VOLUME")
                       if (found := [m for m in store.get(label, []) if pos <= m.start < stop])),
                      [])
    return sites, doses


def _split_blocks(text: str, frames: list[Frame], store: dict[str, list[Mention]]) -> None:
    """Give each split dose the sites and amounts its statement lists (MOD-02).

    A split written on a line of its own that names no drug ("Supplied as 1,200,000 units/2 mL
    prefilled syringes; dose split into 2 syringes due to volume:") divides the last dose given
    before it, when its listed amounts (if any) add up to that dose.
    """
    drug_starts = sorted(f.drug.start for f in frames)
    attached = {(m.start, m.end) for f in frames for m in f.found.get("SPLIT") or []}
    for split in store.get("SPLIT", []):
        sites, doses = _split_items(text, split, store, drug_starts)
        if len({(m.start, m.end) for m in sites}) < 2:
            continue
        if (split.start, split.end) in attached:
            for f in frames:
                if any(m is split for m in f.found.get("SPLIT") or []):
                    f.found["SPLIT_SITE"], f.found["SPLIT_DOSE"] = sites, doses
            continue
        line_start, line_end = _line_bounds(text, split.start, split.end)
        if any(line_start <= d < line_end for d in drug_starts):
            continue  # a drug on the split's own line would have claimed it
        line = text[line_start:line_end]
        given = _GIVEN_WORD.search(line)
        target = next((f for f in reversed(frames) if f.drug.start < split.start
                       and (f.status in _ACTIVE or (given and f.status in _PENDING))
                       and not _is_oral_only(f.drug)), None)
        if target is None or target.found.get("SPLIT"):
            continue
        dose = target.first("DOSE")
        parts = [m.value[0] for m in doses if dose is not None and m.value[1] == dose.value[1]]
        if dose is not None and len(parts) >= 2 and sum(parts[:2]) != dose.value[0]:
            continue  # "2 x 150 mg" under "Xolair 300 mg"; other amounts are another dose's
        target.found["SPLIT"] = [split]
        target.found["SPLIT_SITE"], target.found["SPLIT_DOSE"] = sites, doses
        if given and target.status in _PENDING:
            # "Orders: Bicillin L-A 2.4 million units IM" then "Given as 2 injections d/t
            # volume:" and the two sites: the order, carried out
            target.status = AdministrationStatus.GIVEN
            target.status_cue = Mention(line_start + given.start(), line_start + given.end(),
                                        "STATUS_CUE", "GIVEN")


def _split_dose(
    text: str, adm: Administration, frames: list[Frame], split: Mention
) -> tuple[Administration, Administration]:
    """One dose given as two injections at two sites because of its volume (MOD-02).

    "2.4 million units IM - given as 1.2 million units in each dorsogluteal muscle" and
    "split for volume: 1.2 million units IM R VG + 1.2 million units IM L VG" are two
    injections of half the dose each; DRUG-11 adds them back for the drug line.
    """
    own = [f for f in frames if f.first("SPLIT") is split] or frames
    # the two amounts written in the sentence, or in the items a drug line heads
    listed = next((f for f in own if f.found.get("SPLIT_SITE")), None)
    if listed is not None:  # the sites and amounts the split's own list names
        doses = list(listed.found.get("SPLIT_DOSE") or [])
    else:
        doses = sorted((m for f in own for m in f.found.get("DOSE") or []
                        if f.sent_start <= m.start < max(f.sent_end, f.end)),
                       key=lambda m: m.start)
    half = None
    # "2.4 MILLION UNITS TOTAL, SPLIT FOR VOLUME - 1.2 MU R DORSOGLUTEAL + 1.2 MU L ...": the
    # two equal amounts, wherever the total sits
    pair = next((a for a, b in zip(doses, doses[1:], strict=False) if a.value == b.value), None)
    if pair is not None and pair.value[1] == "mL" and adm.dose is not None and (
            adm.dose.unit is not DoseUnit.ML):
        pair = None  # "1.5 mL IM into the right gluteal and 1.5 mL IM into the left": half of 300 mg
    # "18 mcg SC - split due to volume: 2.5 mL (10 mcg) L lower abdomen + 2.0 mL (8 mcg) R
    # lower abdomen": two listed amounts that add up to the dose are its parts
    listed_parts = [m for m in doses if adm.dose is not None
                    and m.value[1] == adm.dose.unit.value]
    parts: tuple[Dose | None, Dose | None] = (None, None)
    if pair is not None:
        amount, unit = pair.value
        half = Dose(value=amount, unit=DoseUnit(unit), evidence=_span(text, pair, SpanLabel.DOSE))
    elif adm.dose is not None and len(listed_parts) == 2 and (
            sum(m.value[0] for m in listed_parts) == adm.dose.value):
        a, b = (Dose(value=m.value[0], unit=adm.dose.unit,
                     evidence=_span(text, m, SpanLabel.DOSE)) for m in listed_parts)
        parts = (a, b)
    elif adm.dose is not None and adm.dose.unit is not DoseUnit.ML and not _per_syringe(
            text, adm.dose, split):
        half = adm.dose.model_copy(update={"value": _q(adm.dose.value / 2)})
    if half is None and parts == (None, None):
        parts = _unequal_parts(text, adm, own, split)
    sites = list(listed.found.get("SPLIT_SITE") or []) if listed is not None else [
        m for f in own for m in f.found.get("SITE") or [] if f.sent_start <= m.start < f.sent_end]
    evidence = _span(text, split, SpanLabel.SITE)
    location = adm.site.location if adm.site else None

    def site_for(i: int, laterality: str) -> Site:
        if i < len(sites) and sites[i].value[0]:
            lat, loc = sites[i].value
            return Site(laterality=lat, location=loc, evidence=_span(text, sites[i],
                                                                    SpanLabel.SITE))
        return Site(laterality=laterality, location=location,
                    evidence=adm.site.evidence if adm.site else evidence)

    first = adm.model_copy(update={"dose": half or parts[0] or adm.dose,
                                   "site": site_for(0, "right")})
    second = adm.model_copy(update={"dose": half or parts[1] or adm.dose,
                                    "site": site_for(1, "left")})
    return first, second


def _unequal_parts(
    text: str, adm: Administration, frames: list[Frame], split: Mention
) -> tuple[Dose | None, Dose | None]:
    """The two amounts a split names, when they add up to the dose.

    "7 mL IM total: 4 mL L ventrogluteal + 3 mL R ventrogluteal" is 4 mL and 3 mL.
    """
    if adm.dose is None:
        return None, None
    found = {(m.start, m.end): m for f in frames for label in ("DOSE", "VOLUME")
             for m in f.found.get(label) or [] if split.start <= m.start < split.end}
    amounts = [m for _, m in sorted(found.items())]
    if len(amounts) != 2 or any(m.value[1] != adm.dose.unit.value for m in amounts) or (
            sum(m.value[0] for m in amounts) != adm.dose.value):
        return None, None
    a, b = (Dose(value=m.value[0], unit=adm.dose.unit, evidence=_span(text, m, SpanLabel.DOSE))
            for m in amounts)
    return a, b


_PER_SYRINGE_SPLIT = re.compile(SYRINGE_COUNT, re.IGNORECASE)


def _per_syringe(text: str, dose: Dose, split: Mention) -> bool:
    """Whether the dose is one syringe's amount: "1.2 million units/2 mL syringe x 2".

    A count of syringes right after the amount multiplies it; the same amount with "split" or
    "in each buttock" after it is the total to halve.
    """
    ev = dose.evidence
    split_text = text[split.start : split.end]
    return (ev is not None and ev.end <= split.start
            and _line_bounds(text, ev.start, ev.end) == _line_bounds(text, split.start, split.end)
            and split.start - ev.end <= 30 and bool(_PER_SYRINGE_SPLIT.fullmatch(split_text)))


_ACTIVE = {AdministrationStatus.GIVEN, AdministrationStatus.DISCONTINUED}
_PENDING = {AdministrationStatus.ORDERED, AdministrationStatus.PLANNED}


def _names_shot(frame: Frame) -> bool:
    """Whether the frame is an injection (not oral; a body site, IM/SC, or "B12 injection")."""
    return not _oral(frame) and (frame.first("SITE") is not None or _injected(frame)
                                 or _SHOT_TERM.search(frame.drug.value.term) is not None)


_SHOT_TERM = re.compile(r"\b(?:inj\w*|shots?)\b", re.IGNORECASE)


def _pills(event: list[Frame]) -> bool:
    """Whether every mention of the event is oral (the drug's pills, not a shot)."""
    return all(_oral(f) for f in event)


def _is_pending(f: Frame) -> bool:
    """Ordered, planned, or a regimen statement ("B12 1000 mcg IM monthly")."""
    return f.status in _PENDING or f.regimen


def _merge_target(frame: Frame, events: list[list[Frame]]) -> list[Frame] | None:
    name = frame.drug.value.name
    same = [ev for ev in events if ev[0].drug.value.name == name]
    if not same:
        return None
    active = [ev for ev in same if any(f.status in _ACTIVE for f in ev)]
    pending = [ev for ev in same if all(_is_pending(f) for f in ev)]
    if frame.status in _ACTIVE:
        if frame.corrects and active and all(
                f.drug.end <= frame.correction_at for f in active[-1]):
            return active[-1]  # the correction and the entry it corrects are one dose
        if active:
            ev = active[-1]
            times = {str(t.value) for f in ev if (t := _stated_time(f))}
            own_time = _stated_time(frame)
            site, prev_sites = _key_site(frame), {_key_site(f) for f in ev} - {None}
            if own_time is not None and times and str(own_time.value) not in times and (
                    _minutes_apart(str(own_time.value), times) != 0):
                # ("08:52" in the chart and "8:52 AM" in the discharge copy are one time)
                # The same drug again at a later time. It is a re-dose (MOD-03) when it repeats
                # the same product, dose and route; otherwise a separate injection. Minutes
                # apart at another site ("Syringe A ... R gluteal 11:02", "Syringe B ... L
                # gluteal 11:04") is one dose given in two syringes.
                frame.repeat_by_time = _same_injection(frame, ev) and not (
                    site is not None and prev_sites and site not in prev_sites
                    and _minutes_apart(str(own_time.value), times) <= _SPLIT_MINUTES)
                return None
            if frame.first("REPEAT") or (
                site is not None and prev_sites and site not in prev_sites
            ):
                return None
            route, routes = frame.first("ROUTE"), {f.first("ROUTE").value for f in ev
                                                    if f.first("ROUTE")}
            own_dose = any(m.start < frame.sent_end for m in frame.found.get("DOSE") or [])
            injection = {"IM", "SC"}
            shot = ev if frame.tissue else [frame]
            if own_dose and frame.tissue != any(f.tissue for f in ev) and any(
                    (r := f.first("ROUTE")) is not None and r.value in injection for f in shot):
                # "Intralesional injection ... Kenalog-10 1.2 mL into 4 keloids" and "Kenalog-40
                # 40 mg IM L gluteal" for the rash: the procedure's drug and a separate shot
                # (the shot the plan ordered: "Kenalog IM today as a bridge")
                orders = [ev for ev in pending if not frame.tissue and any(
                    (r := f.first("ROUTE")) is not None and r.value in injection for f in ev)]
                return orders[-1] if orders else None
            if (route is not None and routes and route.value not in routes and own_dose
                    and not ({route.value} | routes) <= injection):
                # "Narcan 4 mg intranasal" then "naloxone 0.4 mg IM": two events. IM in one
                # place and SC in another stays one event with a route conflict (DOC-17).
                return None
            return ev
        if (frame.status is AdministrationStatus.GIVEN and frame.status_cue is None
                and not frame.dated_row and not _charted(frame)):
            held = [ev for ev in same if any(f.status is AdministrationStatus.NOT_GIVEN
                                             and f.status_cue is not None for f in ev)]
            if held:
                # "[ ] Given  [x] Held - reason: ..." above "Drug: Depo-Provera 150 mg/mL
                # Route: IM  Site: n/a": a bare mention of the dose the note holds is that dose
                frame.status = AdministrationStatus.NOT_GIVEN
                return held[-1]
        if frame.tissue:
            # "Kenalog IM today as a bridge" in the plan, then the keloid procedure's
            # triamcinolone: the procedure's drug is not the shot the plan ordered
            pending = [ev for ev in pending if not any(
                (r := f.first("ROUTE")) is not None and r.value in ("IM", "SC") for f in ev)]
        if not _oral(frame):
            # "Meds: furosemide 40 mg PO q AM" then "Furosemide 40 mg given R deltoid now": the
            # home pills are not the dose injected today; a dose with no route of its own
            # ("RN 11:05 - Ondansetron: ... give 4 mg") is the injection ordered, not the
            # "then ondansetron ODT 4 mg q8h prn" written after the order
            shots = [ev for ev in pending if not _pills(ev)]
            if shots or _names_shot(frame):
                pending = shots
        return pending[-1] if pending else None
    refused = [ev for ev in same if all(f.status is AdministrationStatus.NOT_GIVEN for f in ev)]
    if _is_pending(frame):
        if active and not frame.dated_row and (
                frame.status is not AdministrationStatus.PLANNED or frame.regimen):
            # an order merges into the dose it ordered; "next due 04/22" is a later event
            return active[-1]
        if refused and frame.status is AdministrationStatus.ORDERED and not frame.regimen:
            return refused[-1]  # "Toradol ... ordered", then the MAR's "Not Given": one event
        # "Taking oral B12 1000 mcg daily" and "Next B12 injection 06/11/2026": the planned
        # shot is no dose of the pills
        if _names_shot(frame):
            pending = [ev for ev in pending if not _pills(ev)]
        elif _oral(frame):
            pending = [ev for ev in pending if not any(_names_shot(f) for f in ev)]
        return pending[-1] if pending else None
    if frame.status is AdministrationStatus.NOT_GIVEN:
        orders = [ev for ev in pending
                  if all(f.status is AdministrationStatus.ORDERED and not f.regimen for f in ev)]
        if orders:
            return orders[-1]
        # "Pt here for q2wk testosterone cypionate 200 mg IM" then "Testosterone cypionate NOT
        # given today - held for Hct": the visit's reason names the dose the note then holds
        # (beside a regimen or order of the drug: "On B12 1000 mcg IM monthly; due today:
        # cyanocobalamin 1000 mcg IM", then "cyanocobalamin held today")
        reasons = [ev for ev in active if all(
            f.status is AdministrationStatus.GIVEN and f.status_cue is None and not f.dated_row
            and not _charted(f) for f in ev if not _is_pending(f))]
        if reasons:
            for f in reasons[-1]:
                if f.status is AdministrationStatus.GIVEN:
                    f.status = AdministrationStatus.NOT_GIVEN
            return reasons[-1]
        corrected = [ev for ev in active if all(
            f.status is AdministrationStatus.GIVEN and f.drug.end <= frame.correction_at
            for f in ev if f.status in _ACTIVE)]
        if corrected:
            # "Addendum 16:10: Vivitrol was NOT administered today ... entered from the plan in
            # advance": the later correction withdraws the dose charted above it
            for f in corrected[-1]:
                f.status = AdministrationStatus.NOT_GIVEN
            return corrected[-1]
    for ev in same:
        if all(f.status == frame.status and not f.regimen for f in ev) and not (
                frame.status is AdministrationStatus.HISTORICAL and frame.dated_row
                and all(f.dated_row for f in ev)):
            # (each dated row of an earlier day's log is a dose of its own)
            return ev
    return None


_SPLIT_MINUTES = 3  # syringes of one split dose go in back to back; a re-dose waits 5+ min
_CLOCK = re.compile(r"(?P<h>\d{1,2}):?(?P<m>\d{2})\s*(?P<ap>[ap])?", re.IGNORECASE)


def _stated_time(frame: Frame) -> Mention | None:
    """The frame's time when its own sentence states it.

    A time in a later sentence may be another event's ("Toradol 60 mg IM now. CT today
    (imaging 16:30)"), so it does not make the dose a second one given at another time.
    """
    m = frame.first("TIME")
    return m if m is not None and m.start < frame.sent_end else None


def _clock_minutes(value: str) -> int | None:
    """Minutes after midnight of a charted time ("11:02", "1510", "2:15 pm")."""
    if (m := _CLOCK.match(value.strip())) is None:
        return None
    hour = int(m["h"])
    if m["ap"]:
        hour = hour % 12 + (12 if m["ap"].lower() == "p" else 0)
    return hour * 60 + int(m["m"])


def _minutes_apart(time: str, others: set[str]) -> float:
    """The fewest minutes between a clock time and any of ``others`` (infinite if unreadable)."""
    mine = _clock_minutes(time)
    if mine is None:
        return float("inf")
    return min((abs(mine - t) for t in map(_clock_minutes, others) if t is not None),
               default=float("inf"))


def _same_injection(frame: Frame, event: list[Frame]) -> bool:
    def key(label: str, frames: list[Frame]) -> set[Any]:
        return {str(f.first(label).value) for f in frames if f.first(label)}

    for label in ("ROUTE", "DOSE"):
        mine, theirs = key(label, [frame]), key(label, event)
        if mine and theirs and not mine & theirs:
            return False
    return frame.drug.value.codes == event[0].drug.value.codes


def _pick(frames: list[Frame], label: str) -> Mention | None:
    for f in frames:
        m = f.first(label)
        if m is not None:
            return m
    return None


def _status_of(frames: list[Frame]) -> tuple[AdministrationStatus, Mention | None]:
    order = [
        AdministrationStatus.DISCONTINUED,
        AdministrationStatus.GIVEN,
        AdministrationStatus.NOT_GIVEN,  # an order, then "Not Given": the order was not given
        AdministrationStatus.ORDERED,
        AdministrationStatus.PLANNED,
        AdministrationStatus.HISTORICAL,
    ]
    for status in order:
        for f in frames:
            if f.status is status:
                return status, f.status_cue
    return frames[0].status or AdministrationStatus.HISTORICAL, frames[0].status_cue


def _administration(
    text: str, adm_id: str, frames: list[Frame], signature: Mention | None = None
) -> Administration:
    # a correction's values come first; then the given frames, earliest first
    frames = sorted(frames, key=lambda f: (f.status not in _ACTIVE, not f.corrects, f.drug.start))
    status, cue = _status_of(frames)
    head = frames[0]
    term = _most_specific_term([f.drug.value for f in frames]) or head.drug.value
    stand = _corrected(frames)
    route = _route(text, stand)
    site = _site(text, stand, route)
    if (
        site is not None
        and site.joint
        and (route is None or route.value in (Route.INTRA_ARTICULAR,))
    ):
        route = RouteValue(
            value=Route.INTRA_ARTICULAR,
            evidence=site.evidence.model_copy(update={"label": SpanLabel.ROUTE}),
        )
    ndc = _pick(frames, "NDC")
    return Administration(
        id=adm_id,
        status=status,
        status_evidence=_span(text, cue, SpanLabel.STATUS_CUE) if cue else None,
        drug=Drug(
            name=term.name, hcpcs=tuple(term.codes), drug_class=term.drug_class, evidence=_span(text, head.drug, SpanLabel.DRUG)
        ),
        dose=_dose(text, frames),
        route=route,
        site=site,
        lot=_text_value(text, _pick(frames, "LOT"), SpanLabel.LOT),
        expiration=_text_value(text, _pick(frames, "EXPIRATION"), SpanLabel.EXPIRATION),
        ndc=Ndc(value=ndc.value, normalized=None, evidence=_span(text, ndc, SpanLabel.NDC))
        if ndc
        else None,
        time=_text_value(text, _pick(frames, "TIME"), SpanLabel.TIME),
        administered_by=_who(text, frames) or (
            Cue(credential=signature.value, evidence=_span(text, signature,
                                                            SpanLabel.ADMINISTERED_BY))
            if signature is not None and status in _ACTIVE and signature.value in STAFF_CREDENTIALS
            else None),
        order=_cue(text, _pick(frames, "ORDER"), SpanLabel.ORDER),
        monitoring=_cue(text, _pick(frames, "MONITORING"), SpanLabel.MONITORING),
        consent=_cue(text, _pick(frames, "CONSENT"), SpanLabel.CONSENT),
        device=_cue(text, _pick(frames, "DEVICE"), SpanLabel.DEVICE),
        guidance=_cue(text, _pick(frames, "GUIDANCE"), SpanLabel.GUIDANCE),
        procedure=_cue(text, _pick(frames, "PROCEDURE"), SpanLabel.PROCEDURE)
        or next((Cue(kind="anesthesia_section", evidence=_span(text, f.drug, SpanLabel.PROCEDURE))
                 for f in frames if f.section == "anesthesia"), None),
        shared_syringe=_cue(text, _pick(frames, "SHARED_SYRINGE"), SpanLabel.SHARED_SYRINGE),
        repeat=_cue(text, _pick(frames[1:], "REPEAT") or head.first("REPEAT"), SpanLabel.TIME)
        if any(f.first("REPEAT") for f in frames)
        else _cue(text, head.first("TIME"), SpanLabel.TIME)
        if any(f.repeat_by_time for f in frames)
        else None,
        practitioner=_practitioner(text, head) if status in _ACTIVE else None,
    )


def _practitioner(text: str, head: Frame) -> TextValue | None:
    """The practitioner the note names for the dose, compared by surname (MOD-03's 76/77)."""
    named = practitioner_of(text, head.drug.start, head.drug.end)
    if named is None:
        return None
    return TextValue(value=named.surname, evidence=Span.of(
        text, named.start, named.end, SpanLabel.ADMINISTERED_BY))


def _corrected(frames: list[Frame]) -> list[Frame]:
    """The frames whose route and site stand once a correction restates the route.

    "Zofran 4 mg IM L deltoid" then "AMENDED ...: route/site corrected - ondansetron 4 mg was
    given IV push ... NOT IM": the correction's route replaces the struck entry's, and the site
    charted for the struck route goes with it. A correction of the dose alone keeps them.
    """
    head = frames[0]
    route = head.first("ROUTE")
    if not head.corrects or route is None or len(frames) < 2:
        return frames
    if all((r := f.first("ROUTE")) is None or r.value == route.value for f in frames[1:]):
        return frames
    return [head]


def _most_specific_term(terms: list[Any]) -> Any | None:
    """The product-specific term among one drug's mentions ("MenQuadfi" over "MenACWY").

    A term with its own codes, or its own class, is the product's. Of two such terms, one that
    extends the other names the narrower product: "Aristada Initio 675 mg" under "Aristada
    initiation regimen today" is Initio's code.
    """
    generic = next((t for t in terms if t.term == t.name), None)
    own = [t for t in terms
           if t.codes or (generic is not None and t.drug_class != generic.drug_class)]
    if not own:
        return None
    return next((t for t in own if all(o.term in t.term for o in own)), own[0])


def _text_value(text: str, m: Mention | None, label: SpanLabel) -> TextValue | None:
    return TextValue(value=str(m.value), evidence=_span(text, m, label)) if m else None


def _cue(text: str, m: Mention | None, label: SpanLabel) -> Cue | None:
    return (
        Cue(kind=str(m.value) if m.value else None, evidence=_span(text, m, label)) if m else None
    )


def _who(text: str, frames: list[Frame]) -> Cue | None:
    for f in frames:
        by = f.first("GIVEN_BY")
        creds = f.found.get("CREDENTIAL") or []
        if by is not None:
            after = [c for c in creds if c.start >= by.end and c.start - by.end < 60]
            if after:
                return Cue(
                    credential=after[0].value,
                    evidence=_span(text, after[0], SpanLabel.ADMINISTERED_BY),
                )
    for f in frames:
        creds = [c for c in f.found.get("CREDENTIAL") or [] if c.start >= f.drug.end]
        if creds:
            return Cue(
                credential=creds[0].value, evidence=_span(text, creds[0], SpanLabel.ADMINISTERED_BY)
            )
    return None


def _route(text: str, frames: list[Frame]) -> RouteValue | None:
    """The route, with conflicts: "IM/IV", "IM or SC", or IM in one field and SQ in another."""
    if any(_names_shot(f) and f.status in _ACTIVE for f in frames) and not any(
            f.found.get("ROUTE") for f in frames if f.status in _ACTIVE):
        # "Meds: furosemide 40 mg PO q AM" merged with "Furosemide 40 mg given R deltoid now":
        # the home pills' route is not that of the dose charted at a body site today
        frames = [f for f in frames if f.status in _ACTIVE or not _oral(f)]
    given = [f for f in frames
             if f.status is AdministrationStatus.GIVEN and f.found.get("ROUTE")]
    if given and len(frames) > 1:
        last = max(given, key=lambda f: f.start)  # the group's frames are not in text order
        if _ROUTE_CHANGED.search(text, min(f.start for f in frames), last.end):
            # "Zofran 4 mg IV ordered. PIV x2 unsuccessful. -> Zofran 4 mg IM L deltoid
            # instead", "Rocephin 1 g IM ordered -> changed to IV": once the note says the
            # order's route was changed, the route is the one the dose was given by
            frames = [last]
    routes: list[Mention] = []
    for f in frames:
        routes.extend(f.found.get("ROUTE") or [])
    if not routes:
        return None
    first = routes[0]
    conflicts: list[Mention] = []
    for f in frames:
        items = f.found.get("ROUTE") or []
        if not items:
            continue
        lead = items[0]
        if lead.value != first.value and {lead.value, first.value} <= _TIGHT_ROUTES:
            conflicts.append(lead)
        for other in items[1:]:
            if other.value == lead.value or other.value not in _TIGHT_ROUTES:
                continue
            adjacent = abs(other.start - lead.end) <= 12 and re.fullmatch(
                r"\s*(?:/|or|vs\.?|versus|,)\s*", text[lead.end : other.start], re.IGNORECASE
            )
            # IM vs SC anywhere in the drug's own block is a conflict; IV elsewhere in the
            # block is usually a line or another drug, so only an adjacent "IM/IV" counts.
            if adjacent or {other.value, lead.value} == {"IM", "SC"}:
                conflicts.append(other)
    seen: set[str] = {first.value}
    unique = [c for c in conflicts if not (c.value in seen or seen.add(c.value))]
    return RouteValue(
        value=Route(first.value),
        evidence=_span(text, first, SpanLabel.ROUTE),
        conflicts=tuple(Route(c.value) for c in unique),
        conflict_evidence=tuple(_span(text, c, SpanLabel.ROUTE) for c in unique),
    )


def _titled_joint(text: str, joint: Mention, frames: list[Frame]) -> bool:
    """Whether the joint is the one a procedure's title line names for the drug below it.

    "Procedure: L knee arthrocentesis/injection, superolateral approach. ... Injected
    Depo-Medrol 40 mg": the title names the joint once; the injectate below, with no route of
    its own, went into it. Only within the procedure's paragraph, under no other heading.
    """
    if not all(f.status is AdministrationStatus.GIVEN for f in frames):
        return False  # "Last B12 04/21." below the procedure was no part of it
    ls, le = _line_bounds(text, joint.start, joint.end)
    label = _PROCEDURE_LABEL.match(text, ls)
    if label is None or label.end() > joint.start:
        return False
    start = min(f.drug.start for f in frames)
    return (start - le <= 600 and text.find("\n\n", le, start) == -1
            and not UPPER_HEADER.search(text, le, start))


def _site(text: str, frames: list[Frame], route: RouteValue | None) -> Site | None:
    joint = _pick(frames, "JOINT")
    site = _pick(frames, "SITE")
    injection_route = route is not None and route.value in (Route.IM, Route.SC)
    intra_articular = route is not None and route.value is Route.INTRA_ARTICULAR
    if (joint is not None and joint.start < min(f.back_start for f in frames)
            and not intra_articular and not (route is None and _titled_joint(text, joint, frames))):
        joint = None  # a joint named elsewhere in the note counts only for an intra-articular route
    if (
        joint is not None
        and not injection_route
        and (site is None or joint.start <= site.start or route is None)
    ):
        laterality, name, size = joint.value
        # "US-GUIDED INJECTION - RIGHT WRIST" then "... the radiocarpal recess": the side of
        # the note's lateral joint mentions, when they all agree
        laterality = laterality or frames[0].joint_laterality
        return Site(
            laterality=laterality,
            location="other",
            joint=name,
            joint_size=size,
            evidence=_span(text, joint, SpanLabel.SITE),
        )
    if site is None:
        return None
    laterality, location = site.value
    return Site(
        laterality=laterality, location=location, evidence=_span(text, site, SpanLabel.SITE)
    )


def _dose(text: str, frames: list[Frame]) -> Dose | None:
    edit = next((f.dose_edit for f in frames if f.dose_edit is not None), None)
    if edit is not None:  # "Dose 8 mg -> 4 mg": the correction's amount (see _dose_edits)
        amount, unit = edit.value
        return Dose(value=amount, unit=DoseUnit(unit), evidence=_span(text, edit, SpanLabel.DOSE))
    # the amount of the entry that charts the dose given (its site or lot) before a plan's
    for f in sorted(frames, key=lambda f: not (f.status is AdministrationStatus.GIVEN
                                               and (f.first("SITE") or f.first("LOT")))):
        dose = _frame_dose(text, f)
        if dose is not None:
            return _with_event_concentration(text, frames, dose)
    return None


def _with_event_concentration(text: str, frames: list[Frame], dose: Dose) -> Dose:
    """A bare volume times the strength another mention of the same drug wrote.

    "Drug: Testosterone cypionate 200 mg/mL (Depo-Testosterone)" then "Volume: 1.0 mL": the
    brand name splits the drug into two mentions, the strength in one and the volume in the
    other, and the event's dose is 200 mg.
    """
    if (dose.unit is not DoseUnit.ML or dose.volume_evidence is None
            or dose.concentration_evidence is not None or len(frames) < 2):
        return dose
    concs = sorted((m for f in frames for m in f.found.get("CONCENTRATION") or []),
                   key=lambda m: m.start)
    if len({m.value for m in concs}) != 1:
        return dose  # none, or two different strengths: the volume stays as written
    conc = concs[0]
    per_ml, unit = conc.value
    return Dose(value=_q(per_ml * dose.value), unit=DoseUnit(unit), evidence=dose.evidence,
                volume_evidence=dose.volume_evidence,
                concentration_evidence=_span(text, conc, SpanLabel.CONCENTRATION))


def _frame_dose(text: str, f: Frame) -> Dose | None:
    """The dose of one frame: in the drug's own sentence first, then later lines of the block.

    Order within each: an explicit amount; volume times a documented concentration; a strength
    written with its volume ("1,000 mcg/1 mL"); the product's fixed strength ("Kenalog-40
    1 mL"); shorthand "Toradol 60 IM" in the drug's billing unit; a bare volume last.
    """
    if (per_kg := f.first("PER_KG")) is not None and f.first("DOSE") is None and not any(
            c.extra.get("total") and not c.extra.get("package") and c.start < per_kg.start
            for c in f.found.get("CONCENTRATION") or []):
        # weight-based: "50 mg/kg" times the note's one weight in kg ("Wt 14.2 kg"); with no
        # weight, two different weights or a weight in pounds, left to a coder (DOC-02); a
        # strength written with its volume before it is the dose ("ondansetron 4 mg/2 mL IM
        # ... (0.13 mg/kg)" checks the dose against the weight)
        weights = f.found.get("WEIGHT") or []
        if weights and not any(m.extra.get("pounds") for m in weights) and len(
                {m.value for m in weights}) == 1:
            amount, unit = per_kg.value
            value = amount * weights[0].value
            value = (value.quantize(Decimal(1)) if value == value.to_integral()
                     else value.normalize())
            return Dose(value=value, unit=DoseUnit(unit),
                        evidence=Span.of(text, per_kg.start, per_kg.end, SpanLabel.DOSE))
        if not (f.found.get("CONCENTRATION") and any(
                not v.extra.get("package") and f.sent_start <= v.start < f.sent_end
                for v in f.found.get("VOLUME") or [])):
            return None
        # with no weight to work it out, the volume drawn of a written strength is the dose
        # ("ceftriaxone 1.4 mL of 350 mg/mL IM ... (50 mg/kg)")
    doses = f.found.get("DOSE") or []
    drawn = next((m for m in doses if not m.extra.get("package")), None)
    split = f.first("SPLIT")
    if doses and doses[0].extra.get("package") and drawn is not None and (
            split is None or drawn.start < split.start):
        # (not "Rocephin 1 gm reconstituted ...; split into two syringes - 500 mg IM R
        # dorsogluteal and 500 mg IM L dorsogluteal": each syringe's share of the whole vial)
        # "ceftriaxone 1 g vial, reconstituted w/ 2.1 mL 1% lidocaine. 735 mg (2.1 mL) IM": the
        # vial's amount is not the dose when the note gives the amount drawn from it
        amount, unit = drawn.value
        return Dose(value=amount, unit=DoseUnit(unit), evidence=_span(text, drawn, SpanLabel.DOSE))
    found = dict(f.found)
    if (gloss := _COMPOSITION.match(text, f.drug.end)) is not None and len(
            inside := [m for m in found.get("DOSE") or []
                       if gloss.start() <= m.start < gloss.end()]) >= 2:
        # "Bicillin C-R (penicillin G benzathine 600,000 units + penicillin G procaine 600,000
        # units) 1,200,000 units/2 mL IM": the product's parts, not the dose
        found["DOSE"] = [m for m in found["DOSE"] if m not in inside]
    # "[x] In-clinic med: ketorolac 60 mg/2 mL IM ...  [x] Cyclobenzaprine 5 mg qhs prn": the
    # amount right after another box's option names that option's drug
    found["DOSE"] = [m for m in found.get("DOSE") or [] if _OTHER_OPTION_BEFORE.search(
        text, max(f.drug.end, m.start - 40), m.start) is None]
    if _injected(f):
        # "Zofran 4mg/2mL IM L delt given 1420 ... sipping gatorade x 200mL": no IM or SC dose
        # is that large, so the volume is something else's (intake, a bag, a vial)
        found["VOLUME"] = [v for v in found.get("VOLUME") or []
                           if v.value[0] <= _MAX_SHOT_ML or v.extra.get("package")]
    vial = None
    volumes = found.get("VOLUME") or []
    if found.get("DOSE") or any(not v.extra.get("package") for v in volumes):
        # "150 mg/mL, 1 mL single-dose vial" then "Dose: 150 mg": the vial's size is not the
        # amount given when the note writes the dose, nor when it writes the volume drawn
        # ("200 mg/mL (10 mL vial, clinic stock) - 0.4 mL SC")
        vial = next((v for v in volumes if v.extra.get("package")), None)
        found["VOLUME"] = [v for v in volumes if not v.extra.get("package")]
    near = {k: [m for m in found.get(k) or [] if f.sent_start <= m.start < f.sent_end]
            for k in ("DOSE", "CONCENTRATION", "VOLUME", "RANGE")}
    far = {k: [m for m in found.get(k) or [] if m not in near[k]]
           for k in ("DOSE", "CONCENTRATION", "VOLUME", "RANGE")}
    # nor is the vial's strength with its volume ("Ceftriaxone 1 g/10 mL, 10 mL vial") when the
    # note writes the dose on another line, nor what a vial holds ("Zofran 4mg/2mL single-dose
    # vial. Drew up 1 mL (2 mg)") when a later line of the block writes the amount
    vial_here = vial is not None and f.sent_start <= vial.start < f.sent_end
    vial_label = bool(far["DOSE"]) and any(c.extra.get("package") for c in near["CONCENTRATION"])
    for group in (near, far):
        if group is far and near["VOLUME"]:
            break  # a volume in the drug's own sentence beats an amount from another line
        dose = _resolve_dose(text, f, group,
                             totals=group is far or not (vial_here or vial_label))
        if dose is not None:
            return dose
        if group is near:
            bare = (_BARE_DOSE.match(text, f.drug.end) or _BARE_JOINED.match(text, f.drug.end)
                    or _bare_before_site(text, f))
            unit = f.drug.value.default_unit
            if bare and unit:
                return Dose(value=parse_amount(bare["n"]), unit=DoseUnit(unit),
                            evidence=Span.of(text, bare.start("n"), bare.end("n"), SpanLabel.DOSE))
    both = {k: near[k] + far[k] for k in near}
    if (near["CONCENTRATION"] and far["VOLUME"]) or (near["VOLUME"] and far["CONCENTRATION"]):
        # a form: "Medication: Cyanocobalamin 1000 mcg/mL" then "Dose: 1 mL" on the next line
        dose = _resolve_dose(text, f, {**both, "DOSE": [], "RANGE": []})
        if dose is not None:
            return dose
    for group in (near, far):
        if (vol := _volume(text, group["VOLUME"])) is not None:
            return Dose(value=vol.value[0], unit=DoseUnit.ML,
                        evidence=_span(text, vol, SpanLabel.DOSE),
                        volume_evidence=_span(text, vol, SpanLabel.VOLUME))
    return None


# a ticked or empty box, then a word of its own option, right before an amount
_OTHER_OPTION_BEFORE = re.compile(rf"(?:{ANY_BOX.pattern})[ \t]*[A-Za-z][A-Za-z-]{{3,}}[ \t]+$")
# a bracket after a product's name that lists its parts: "(... 600,000 units + ... 600,000 units)"
_COMPOSITION = re.compile(r"\s*\((?=[^()\n]*(?:\+|\band\b|,|/))[^()\n]{0,160}\)")
# an IM or SC dose's largest plausible volume in mL (immune globulin, split across sites)
_MAX_SHOT_ML = 20
# "Toradol 60 IM", "Toradol 60 given IM"
_BARE_ROUTE = r"(?:(?:given|administered|injected)\s+)?(?:IM|SC|SQ|im|sq|subq|sub-q|i\.m\.)\b"
_BARE_AMOUNT = rf"\s*[-:]?\s*(?P<n>{_BARE_NUMBER})\s*"
_BARE_DOSE = re.compile(rf"{_BARE_AMOUNT}(?={_BARE_ROUTE})")
_BARE_AMOUNT_ALONE = re.compile(_BARE_AMOUNT)


def _bare_before_site(text: str, f: Frame) -> re.Match[str] | None:
    """A bare number right before the shot's side and site, the route unwritten.

    "toradol 30 rt hip", "Phenergan 25 L glute": the site mention (with its side) starts where
    the number ends.
    """
    m = _BARE_AMOUNT_ALONE.match(text, f.drug.end)
    if m is not None and any(s.start == m.end() and s.value[0]
                             for s in f.found.get("SITE") or []):
        return m
    return None
# two shorthand doses sharing one route: "Toradol 60 and Zofran 4 IM", "ketorolac 60 and
# ondansetron 4 mg, both IM" (the first drug's 60)
_BARE_JOINED = re.compile(
    rf"{_BARE_AMOUNT}(?:,|&|\+|\band\b|\bplus\b)\s*"
    rf"(?=[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?\s+{_BARE_NUMBER}\s*(?:(?:mg|mcg|g|units?)\b)?"
    rf"[ \t]*,?[ \t]*(?:(?:both|each)[ \t]+)?{_BARE_ROUTE})"
)


# "2 mL (80 mg)", "2 mL = 80 mg", "2 mL, i.e. 80 mg": the volume's mass
_VOLUME_IS = re.compile(r"[\s(=,]*(?:i\.?\s?e\.?|that\s+is|or|equals?|which\s+is)?[\s(=,]*",
                        re.IGNORECASE)


# A written total ("... = 1.2 mL total", "a total of 1.6 mL") and the per-site amount it
# multiplies ("0.2 mL into each of the eight nodules")
_TOTAL_BEFORE = re.compile(r"(?:=|\btotal(?:\s+of)?:?|\btotall?ing)\s*$", re.IGNORECASE)
_TOTAL_AFTER = re.compile(r"\s*(?:total|in\s+total|combined)\b", re.IGNORECASE)
_EACH = re.compile(r"\b(?:each|per)\b", re.IGNORECASE)


def _volume(text: str, volumes: list[Mention]) -> Mention | None:
    """The first volume, or the written total of the volumes before it.

    "0.5 mL, 0.4 mL and 0.3 mL = 1.2 mL total" and "0.2 mL into each of the 3 keloids (0.6 mL
    total)" are 1.2 and 0.6 mL; in "Kenalog-40 1 mL + bupivacaine 4 mL = 5 mL total" the total
    is the mixture's, not the bupivacaine's 4 mL.
    """
    total = _written_total(text, volumes, each=True)
    return total if total is not None else (volumes[0] if volumes else None)


def _written_total(text: str, amounts: list[Mention], each: bool = False) -> Mention | None:
    """A later amount written as the total of the amounts before it (same unit), if any.

    With ``each``, a total after an "each"/"per" amount counts too ("0.2 mL into each of the
    3 keloids (0.6 mL total)").
    """
    for i, amount in enumerate(amounts[1:], 1):
        if (_TOTAL_AFTER.match(text, amount.end)
                or _TOTAL_BEFORE.search(text, max(0, amount.start - 16), amount.start)) and (
                (all(m.value[1] == amount.value[1] for m in amounts[:i])
                 and sum(m.value[0] for m in amounts[:i]) == amount.value[0])
                or (each and _EACH.search(text, amounts[0].end, amount.start))):
            return amount
    return None


def _billing_equivalent(text: str, f: Frame, doses: list[Mention]) -> Mention:
    """The first amount, or its written equivalent in the drug's billing unit.

    "RhoGAM 1500 IU (300 mcg)" and "300 mcg (1,500 IU)" are one dose written twice; the code
    (J2790, per 300 mcg) bills the mass, so the equivalent in the code's unit is the dose.
    """
    first = doses[0]
    unit = f.drug.value.default_unit
    if unit is None or first.value[1] == unit or len(doses) < 2:
        return first
    second = doses[1]
    if second.value[1] == unit and _VOLUME_IS.fullmatch(text, first.end, second.start):
        return second
    return first


_DILUTED_TO = re.compile(r"\bdilut\w*\b[^.;\n]{0,30}?\bto\s*$", re.IGNORECASE)


def _resolve_dose(
    text: str, f: Frame, g: dict[str, list[Mention]], totals: bool = True
) -> Dose | None:
    # "benzathine 900,000 units + procaine 300,000 units, 1.2 million units total": the total
    dose = (_written_total(text, g["DOSE"]) or _billing_equivalent(text, f, g["DOSE"])
            if g["DOSE"] else None)
    # "Kenacort 10 mg/ml diluted 1:1 with NS to 5 mg/ml; total 2 ml": what the volume was drawn at
    conc = next((c for c in g["CONCENTRATION"]
                 if _DILUTED_TO.search(text, max(0, c.start - 40), c.start)),
                g["CONCENTRATION"][0] if g["CONCENTRATION"] else None)
    vol = _volume(text, g["VOLUME"])
    rng = g["RANGE"][0] if g["RANGE"] else None
    if rng is not None and (dose is None or rng.start < dose.start):
        return None  # "15-30 mg": the amount given is not determinable
    if (dose is not None and vol is not None and conc is None and vol.end < dose.start
            and not _VOLUME_IS.fullmatch(text, vol.end, dose.start)):
        dose = None  # "depo-medrol 2cc IM ..., bump pred to 10 mg": the mass is another drug's
    if dose is not None and (conc is None or vol is None or dose.start < min(conc.start,
                                                                             vol.start)):
        amount, unit = dose.value
        return Dose(value=amount, unit=DoseUnit(unit), evidence=_span(text, dose, SpanLabel.DOSE))
    if conc is not None and vol is not None:
        per_ml, unit = conc.value
        amount = _q(per_ml * vol.value[0])
        lo, hi = min(conc.start, vol.start), max(conc.end, vol.end)
        evidence = (Span.of(text, lo, hi, SpanLabel.DOSE) if hi - lo <= 60
                    else _span(text, vol, SpanLabel.DOSE))
        return Dose(value=amount, unit=DoseUnit(unit), evidence=evidence,
                    volume_evidence=_span(text, vol, SpanLabel.VOLUME),
                    concentration_evidence=_span(text, conc, SpanLabel.CONCENTRATION))
    if totals and conc is not None and conc.extra.get("total") and not _RECONSTITUTION.search(
            text, max(f.drug.start, conc.start - 40), conc.start):
        # not "Botox reconstituted 100 units/2 mL saline": the mixture's strength, whose dose
        # the note gives apart ("155 units injected")
        amount, unit = conc.extra["total"]
        return Dose(value=amount, unit=DoseUnit(unit), evidence=_span(text, conc, SpanLabel.DOSE),
                    concentration_evidence=_span(text, conc, SpanLabel.CONCENTRATION))
    strength = f.drug.value.per_ml
    if vol is not None and strength:
        amount = _q(Decimal(str(strength)) * vol.value[0])
        return Dose(value=amount, unit=DoseUnit(f.drug.value.per_ml_unit),
                    evidence=_span(text, vol, SpanLabel.DOSE),
                    volume_evidence=_span(text, vol, SpanLabel.VOLUME))
    return None


def _q(value: Decimal) -> Decimal:
    value = value.quantize(Decimal("0.001"))
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def _diagnoses(doc: Doc, text: str, found: Iterable[Mention]) -> list[DiagnosisMention]:
    """Explicit codes when the note codes its diagnoses, else mapped phrases.

    Mapped phrases come from the assessment when the note has one: HPI symptoms are not the
    coded diagnoses.
    """
    items = sorted(found, key=lambda m: m.start)
    explicit = [m for m in items if m.value[0] == "explicit"]
    if explicit:
        items = explicit
    else:
        assessed = [m for m in items if section_at(doc, m.start) in ("assessment", "diagnosis")]
        items = assessed or items
    out: list[DiagnosisMention] = []
    seen: set[str] = set()
    for m in items:
        source, code = m.value
        if source == "mapped" and any(
            0 <= e.start - m.end <= 25 or 0 <= m.start - e.end <= 12 for e in explicit
        ):
            continue  # the explicit code next to the phrase is the coder-facing choice
        if code in seen:
            continue
        seen.add(code)
        out.append(
            DiagnosisMention(code=code, source=source, evidence=_span(text, m, SpanLabel.DIAGNOSIS))
        )
    return out


def _earlier_visit(text: str, m: Mention, dates: list[Mention], dos: date | None) -> bool:
    """A nurse visit dated before the date of service on its line: an earlier visit.

    "first B12 shot given here 01/27/2026 (nurse visit); here today for the 2nd shot plus her
    visit" does not make today's visit a nurse visit.
    """
    if dos is None:
        return False
    line_start = _line_bounds(text, m.start, m.end)[0]
    return any(line_start <= d.end <= m.start and m.start - d.end <= 30
               and (day := _mention_day(d, dos)) is not None and day < dos for d in dates)


def _em(text: str, store: dict[str, list[Mention]], dos: date | None = None) -> EmContent:
    def spans(label: str, span_label: SpanLabel) -> tuple[Span, ...]:
        return tuple(_span(text, m, span_label) for m in store.get(label, []))

    time = (store.get("EM_TIME") or [None])[0]
    statuses = store.get("EM_PATIENT_STATUS") or []
    status = statuses[0] if statuses else None
    preventive = (store.get("EM_PREVENTIVE") or [None])[0]
    practitioner = list(store.get("PRACTITIONER", []))
    practitioner += [c for c in store.get("CREDENTIAL", []) if c.value in PRACTITIONER_CREDENTIALS]
    return EmContent(
        history=spans("EM_HISTORY", SpanLabel.EM_HISTORY),
        exam=spans("EM_EXAM", SpanLabel.EM_EXAM),
        mdm=spans("EM_MDM", SpanLabel.EM_MDM),
        time_minutes=time.value if time else None,
        time_evidence=_span(text, time, SpanLabel.EM_TIME) if time else None,
        patient_status=status.value if status else None,
        patient_status_evidence=_span(text, status, SpanLabel.EM_PATIENT_STATUS)
        if status
        else None,
        preventive=_span(text, preventive, SpanLabel.EM_PREVENTIVE) if preventive else None,
        practitioner=tuple(
            _span(text, m, SpanLabel.PRACTITIONER)
            for m in sorted(practitioner, key=lambda m: m.start)
        ),
        supervision=spans("SUPERVISION", SpanLabel.SUPERVISION),
        supervision_denied=spans("SUPERVISION_DENIED", SpanLabel.SUPERVISION),
        teaching=spans("TEACHING", SpanLabel.TEACHING),
        prenatal=spans("EM_PRENATAL", SpanLabel.EM_PRENATAL),
        diagnosis_statements=spans("EM_DX", SpanLabel.EM_MDM),
        no_em=tuple(_span(text, m, SpanLabel.EM_MDM) for m in store.get("EM_NONE", [])
                    if not _earlier_visit(text, m, store.get("DATE", []), dos)),
    )
