"""Extractor layer: who supplied the drug that was given.

A drug the patient brought in (dispensed to them by a specialty or mail-order pharmacy,
"white-bagged" to the clinic in their name, or given to them free by a manufacturer's
assistance program) was not bought by the practice: the practice bills the administration but
not the drug. The note says so in words a billing team recognises: "PATIENT SUPPLIED", "pt
brought her own Prolia", "not clinic stock - do NOT bill the drug", "Source: [ ] office stock
[X] patient supplied". The statement is attached to the drug it names on its clause or line;
a statement that names no drug ("Billing note: administration only - do not bill drug")
speaks for the note's one given drug, and for nothing when several drugs were given.
"""

from __future__ import annotations

import re

from extractor.mentions import Mention
from extractor.regexes import DOSE, UNCHECKED_BEFORE
from models import Administration, AdministrationStatus, Cue, Span, SpanLabel

_PATIENT = (
    # "patient-supplied", "pt supply"; not "the patient provided written consent"
    r"(?:patient|pt)(?:'s)?[-\s]*(?:supplied|provided|supply)\b(?!\s+(?:a|an|the|his|her|their|"
    r"written|verbal|informed|consent|history|information|urine|samples?|specimens?)\b)|"
    r"\bwhite[-\s]?bag(?:ged|ging)?\b|"
    r"\bnot\s+(?:from\s+)?(?:our\s+)?(?:office|clinic|practice)\s+stock\b|"
    r"\b(?:practice|office|clinic|we)\s+did\s+not\s+(?:purchase|buy)\b|"
    r"\bnot\s+(?:purchased|bought)\s+by\s+(?:the\s+)?(?:practice|office|clinic|us)\b|"
    r"\b(?:do\s+not|don'?t|not\s+to)\s+bill\s+(?:the\s+)?(?:drug|medication|J\d{4})\b|"
    r"\bdrug\s+not\s+billable\b|\bnot\s+billable\s+by\s+(?:us|the\s+practice|practice)\b|"
    r"\bpatient\s+assistance\s+program\b|"
    # "from comfort kit (dispensed to pt 07/02/2026 by hospice pharmacy)": a hospice patient's
    # own kit ("comfort kit" alone may be the home doses' kit, not the one given today's)
    r"\bdispensed\s+to\s+(?:the\s+)?(?:pt|patient|resident|client)\b|"
    # "delivered to pt by Encompass Fertility Pharmacy; pt brought vial and supplies", "picked
    # up by pt at her pharmacy"
    r"\b(?:delivered\s+to|picked\s+up\s+by)\s+(?:the\s+)?(?:pt|patient)\b|"
    r"\b(?:pt|patient)\s+brought\s+(?:in\s+)?(?:the\s+|her\s+|his\s+|their\s+)?"
    r"(?:vials?|pens?|syringes?|medications?|meds|kits?)\b"
)
_OFFICE = (
    # not "Clinic stock not used"
    r"\b(?:office|clinic|practice)[-\s]?(?:stock|supply|inventory|purchased)\b"
    r"(?!\s+(?:was\s+)?(?:not|never)\s+used\b)|"
    r"\bbuy[-\s]and[-\s]bill\b|\bpurchased\s+by\s+(?:the\s+)?(?:practice|office|clinic)\b"
)
# "brought her own", "the patient's own": whose, not yet what; the drug or its package follows
_OWN = (
    r"(?:(?:brought|brougt|brings|bringing|carried|using|uses|from)\s+(?:in\s+)?"
    r"(?:(?:her|his|their)\s+)?|(?:patient|pt)'?s\s+)own\b"
)
# "brought her own", "brings his own": the patient brought the drug to the visit, which says
# who supplied it, not that they took it themselves
_BROUGHT = (r"\b(?:brought|brings|bringing|brougt|carried|carries)\s+(?:in\s+)?"
            r"(?:(?:her|his|their)\s+)?own")
BROUGHT_OWN = re.compile(_BROUGHT + r"\Z", re.IGNORECASE)
# anywhere in a statement: "Pt brought his own vial from home: testosterone cypionate 200 mg/mL"
BROUGHT_IN = re.compile(_BROUGHT + r"\b", re.IGNORECASE)
_OWN_WHAT = re.compile(
    # "her own cyanocobalamin 1000 mcg/mL vial": the drug and its strength may come first
    r"[\s(]*(?:(?:[A-Za-z-]+\s+|\d[\d,.]*\s*(?:mcg|mg|units?)(?:/\s*m[lL])?\s+){0,4}?"
    r"(?:pens?|syringes?|vials?|medications?|meds|supply|drug|"
    r"doses?|autoinjectors?|kits?)\b(?!\s+list))", re.IGNORECASE)
# "her own vial from her pharmacy", "Pt's own vial:": the package the patient supplied
OWN_PACKAGE = re.compile(rf"(?:{_BROUGHT}|{_OWN}|\b(?:her|his|their)\s+own\b){_OWN_WHAT.pattern}",
                         re.IGNORECASE)
# A manufacturer's free sample given from the clinic's sample supply: the practice did not buy
# it either ("from our manufacturer sample supply", "Praluent 150 mg/mL pen (sample, lot ...)");
# not samples handed over to take home ("2 sample pens sent home")
_SAMPLE = (
    r"\b(?:manufacturer|manufacturer's|pharma(?:ceutical)?|drug[-\s]rep)\s+samples?\b|"
    r"\bsample\s+(?:supply|stock|cabinet|closet)\b|"
    r"\(\s*samples?\b(?=\s*[,;)])|\bfrom\s+(?:our\s+|the\s+|clinic\s+|office\s+)?samples\b"
)
# "Her own cyanocobalamin 1000 mcg/mL vial from CVS": whose vial, with no verb before it (not
# "gave her own pen", "taught her to give her own shots")
_PRONOUN_OWN = r"\b(?:her|his|their)\s+own\b(?=" + _OWN_WHAT.pattern + ")"
_GIVE_BEFORE = re.compile(r"\b(?:give|gave|giving|inject\w*|administer\w*|use[sd]?|using)\s*\Z",
                          re.IGNORECASE)
_CUE = re.compile(rf"(?P<patient>{_PATIENT})|(?P<own>{_OWN})|(?P<pron>{_PRONOUN_OWN})|"
                  rf"(?P<sample>{_SAMPLE})|"
                  rf"(?P<office>{_OFFICE})",
                  re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|non)[-\s]+(?:from\s+)?(?:our\s+)?$", re.IGNORECASE)
# a clause ends at its line's end, or at a sentence stop that is not a decimal point
_CLAUSE_STOP = re.compile(r"[.;!?](?=\s)")


def _bounds(text: str, pos: int, stops: re.Pattern[str] | None) -> tuple[int, int]:
    """The line around ``pos``, narrowed to the clause between ``stops`` when given."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    if stops is None:
        return start, end
    start = max((m.end() for m in stops.finditer(text, start, pos)), default=start)
    stop = stops.search(text, pos, end)
    return start, stop.start() if stop else end


def _named_drug(drugs: list[Mention], lo: int, hi: int, cue: re.Match[str],
                among: set[str] | None = None) -> str | None:
    """The drug the statement speaks of: the last one named before it, else the first after.

    ``among``: only these drugs count (the given ones, when the statement's clause names none).
    """
    inside = [d for d in drugs if lo <= d.start < hi
              and (among is None or str(d.value.name) in among)]
    before = [d for d in inside if d.end <= cue.start()]
    if before:
        return str(before[-1].value.name)
    after = [d for d in inside if d.start >= cue.end()]
    return str(after[0].value.name) if after else None


def _names_own_drug(text: str, cue: re.Match[str], drugs: list[Mention]) -> bool:
    """Whether "her own ... vial" names a drug between the pronoun and the package."""
    what = _OWN_WHAT.match(text, cue.end())
    return what is not None and any(cue.end() <= d.start < what.end() for d in drugs)


def patient_supplied(
    text: str, administrations: list[Administration], drugs: list[Mention]
) -> list[Administration]:
    """Mark each given administration whose drug the note says the patient supplied."""
    given = {a.drug.name for a in administrations if a.status is AdministrationStatus.GIVEN}
    if not given:
        return administrations
    patient: dict[str, tuple[str, Span]] = {}
    office: set[str] = set()
    for m in _CUE.finditer(text):
        if UNCHECKED_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "[ ] patient supplied": the form's unchosen option
        is_patient = m.lastgroup != "office"
        if not is_patient and _NEGATED.search(text, max(0, m.start() - 14), m.start()):
            continue  # "not clinic stock" is matched as a patient-supply statement
        if m.lastgroup == "pron" and (_GIVE_BEFORE.search(text, max(0, m.start() - 16),
                                                          m.start()) or not _names_own_drug(
                text, m, drugs)):
            continue  # (and not "carries her own epinephrine autoinjector": no drug named)
        own_drug = m.lastgroup == "own" and any(0 <= d.start - m.end() <= 3 for d in drugs)
        if m.lastgroup == "own" and not (own_drug or _OWN_WHAT.match(text, m.end())):
            continue  # "pt's own meter", "brings his own lunch": not a drug
        name = None
        # its clause's drug; else its line's drug given today ("... a cooler, so the drug is
        # patient-supplied" on a dictated line that also names her prednisone and montelukast)
        for stops, among in ((_CLAUSE_STOP, None), (None, given)):
            lo, hi = _bounds(text, m.start(), stops)
            if (name := _named_drug(drugs, lo, hi, m, among)) is not None:
                break
        line_start, line_end = _bounds(text, m.start(), None)
        if name is None and len(given) == 1 and not DOSE.search(text, line_start, line_end):
            # (not "Lenalidomide 25 mg PO d1-14 - pt's own supply at home": a dose on the line
            # is of a drug the note names that is not one of ours)
            name = next(iter(given))
        if name is None or name not in given:
            continue  # "warfarin tonight from her own supply": not the drug injected
        if is_patient:
            kind = "manufacturer_sample" if m.lastgroup == "sample" else "patient_supplied"
            patient.setdefault(name, (kind, Span.of(text, m.start(), m.end(), SpanLabel.SUPPLY)))
        else:
            office.add(name)
    if not patient:
        return administrations
    return [
        a.model_copy(update={"supplied_by_patient": Cue(kind=patient[a.drug.name][0],
                                                        evidence=patient[a.drug.name][1])})
        if a.status is AdministrationStatus.GIVEN and a.drug.name in patient
        and a.drug.name not in office else a
        for a in administrations
    ]
