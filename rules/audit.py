"""Rules layer: audit a biller's claim against what the note supports (catalog section 9, AUD).

The note is coded first (``CodingResult``); each submitted line is then compared with the
suggested lines and the catalog rule that explains a difference is named, with the CARC the
payer would most likely use and the corrected line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import simple_icd_10_cm as icd

from models import AuditFinding, Claim, ClaimLine, CodingResult, Line, LineKind, Severity
from rules.drug import normalize_ndc, supplier_phrase
from rules.kb import KnowledgeBase
from rules.modifiers import DISTINCT


def _finding(rule_id: str, severity: Severity, message: str, carc: str | None,
             index: int | None, submitted: ClaimLine | None,
             corrected: ClaimLine | None = None, suggested: Line | None = None) -> AuditFinding:
    return AuditFinding(rule_id=rule_id, severity=severity, message=message, carc=carc,
                        line_index=index, submitted=submitted, corrected=corrected,
                        evidence=suggested.evidence if suggested else ())


def _as_claim_line(line: Line) -> ClaimLine:
    return ClaimLine(code=line.code, modifiers=line.modifiers, units=line.units or 1,
                     dx=line.dx, ndc=line.ndc)


def audit_claim(
    result: CodingResult, claim: Claim, kb: KnowledgeBase, dos: date
) -> list[AuditFinding]:
    """Compare a submitted claim with the coding result derived from the note.

    Args:
        result: The note's coding result (what the documentation supports).
        claim: The claim the biller intends to send.
        kb: The knowledge base (code dates, payer profiles, code sets).
        dos: The date of service the codes must be in force on.

    Returns:
        One finding per difference, each naming its catalog rule.
    """
    return list(_audit(result, claim, kb, dos))


def _audit(result: CodingResult, claim: Claim, kb: KnowledgeBase,
           dos: date) -> Iterator[AuditFinding]:
    codes = kb.codes
    pos = claim.place_of_service or result.place_of_service or "11"
    suggested = list(result.lines)
    by_code = {line.code: line for line in suggested}
    drug_lines = [ln for ln in suggested if ln.kind is LineKind.DRUG]
    lines = list(claim.lines)
    submitted_codes = Counter(line.code for line in lines)
    has_96372 = submitted_codes["96372"] > 0

    if (pos in codes.facility_pos or pos in codes.dialysis_pos) and any(
            ln.code in codes.administration_codes or _drug_code(kb, ln.code) for ln in lines):
        what = "a facility" if pos in codes.facility_pos else "an ESRD facility (consolidated billing)"
        yield _finding("POS-01", Severity.ERROR,
                       f"POS {pos} is {what}: the facility bills the administration and the "
                       "drug; remove them from the professional claim.", "5", None, None)
    telehealth = any(f.rule_id == "POS-02" for f in result.findings)
    if (pos in codes.telehealth_pos or telehealth) and has_96372:
        yield _finding("POS-02", Severity.ERROR,
                       "An injection cannot be billed on a telehealth place of service.", "58",
                       None, None)

    em_lines = [(i, ln) for i, ln in enumerate(lines) if ln.code in codes.problem_oriented_em
                or ln.code == "99211"]
    for i, ln in enumerate(lines):
        hcpcs = kb.hcpcs.get(ln.code)
        if hcpcs is not None and not hcpcs.in_force(dos):
            replacement = next((by_code[c].code for c in by_code if _drug_code(kb, c)
                                and kb.hcpcs.get(c) and kb.hcpcs[c].in_force(dos)
                                and _same_drug(kb, ln.code, c)), None)
            message = (f"{ln.code} is not in force on {dos.isoformat()} (terminated "
                       f"{hcpcs.termination_date}).")
            if replacement:
                message += f" Use {replacement}."
            yield _finding("DRUG-10", Severity.ERROR, message, "181", i, ln,
                           _as_claim_line(by_code[replacement]) if replacement else None)
        if ln.code == "96372" and "25" in ln.modifiers:
            yield _finding("EM-04", Severity.ERROR,
                           "Modifier 25 belongs on the E/M line, not on 96372.", "4", i, ln,
                           ln.model_copy(update={"modifiers": tuple(
                               m for m in ln.modifiers if m != "25")}))
        for d in ln.dx:
            if not icd.is_valid_item(d) or not icd.is_leaf(d):
                yield _finding("DX-02", Severity.ERROR,
                               f"Diagnosis {d} is not a billable ICD-10-CM code.", "146", i, ln)

    for i, ln in em_lines:
        if ln.code == "99211" and has_96372:
            yield _finding("EM-01", Severity.ERROR,
                           "99211 is not payable with 96372 (NCCI modifier indicator 0).", "97",
                           i, ln)
        elif has_96372 and "25" not in ln.modifiers and (result.em and result.em.significant):
            yield _finding("EM-02", Severity.ERROR,
                           f"{ln.code} billed with 96372 needs modifier 25.", "97", i, ln,
                           ln.model_copy(update={"modifiers": (*ln.modifiers, "25")}))
        elif not (result.em and result.em.significant) and has_96372:
            yield _finding("EM-03", Severity.ERROR,
                           f"{ln.code} is billed but the note documents no separately "
                           "identifiable E/M.", "97", i, ln)

    suggested_admin = Counter(ln.code for ln in suggested if ln.code in codes.administration_codes)
    if has_96372 and suggested_admin["96372"] == 0 and suggested_admin:
        other = ", ".join(sorted(suggested_admin))
        yield _finding("CODE-01", Severity.ERROR,
                       f"The note supports {other}, not 96372 (vaccine, chemotherapy, IV push, "
                       "joint or allergen administration).", "4", None, None)
    if submitted_codes["96372"] > max(suggested_admin["96372"], 0) and suggested_admin["96372"]:
        yield _finding("MOD-01", Severity.ERROR,
                       f"{submitted_codes['96372']} units of 96372 billed, "
                       f"{suggested_admin['96372']} injections documented.", "151", None, None)
    injections = [(i, ln) for i, ln in enumerate(lines) if ln.code == "96372"]
    for n, (i, ln) in enumerate(injections):
        if n and not DISTINCT & set(ln.modifiers):
            yield _finding("MOD-01", Severity.ERROR,
                           "A second 96372 needs a distinct-service modifier (XS or 59).", "4",
                           i, ln, ln.model_copy(update={"modifiers": (*ln.modifiers, "XS")}))
    mue = kb.mue.get("96372")
    total = sum(ln.units for _, ln in injections)
    if mue is not None and total > mue.mue_value:
        yield _finding("MOD-06", Severity.WARNING,
                       f"96372 units ({total}) exceed the MUE of {mue.mue_value}.", "151", None,
                       None)

    submitted_drugs = [(i, ln) for i, ln in enumerate(lines) if _drug_code(kb, ln.code)]
    supplied = [a for a in result.administrations if a.supplied_by_patient is not None]
    if has_96372 and not submitted_drugs and (drug_lines or not supplied):
        yield _finding("DRUG-01", Severity.ERROR, "96372 is billed without its drug line.",
                       "16", None, None,
                       _as_claim_line(drug_lines[0]) if drug_lines else None)
    for i, ln in submitted_drugs:
        match = by_code.get(ln.code)
        own = None if match is not None else next(
            (a for a in supplied if ln.code in a.drug.hcpcs or (
                (row := kb.drugs.get(a.drug.name)) is not None and ln.code in row.codes)), None)
        if own is not None and (cue := own.supplied_by_patient) is not None:
            yield AuditFinding(
                rule_id="DRUG-06", severity=Severity.ERROR, carc="16", line_index=i,
                submitted=ln, evidence=(own.drug.evidence, cue.evidence),
                message=f"{ln.code} bills {own.drug.name}, which the note documents as "
                f"{supplier_phrase(cue)}: the practice did not buy it, so it cannot bill it.")
            continue
        if match is None:
            expected = drug_lines[0] if len(drug_lines) == 1 else None
            yield _finding("DRUG-06", Severity.ERROR,
                           f"{ln.code} does not match the drug documented"
                           + (f" ({expected.code})." if expected else "."), "16", i, ln,
                           _as_claim_line(expected) if expected else None, expected)
            continue
        if match.units is not None and ln.units != match.units:
            yield _finding("DRUG-07", Severity.ERROR,
                           f"{ln.code} billed x{ln.units}; the documented dose gives "
                           f"x{match.units}.", "16", i, ln,
                           ln.model_copy(update={"units": match.units}), match)
        profile = kb.payers.get(result.payer or "commercial")
        if ln.ndc is not None and normalize_ndc(ln.ndc) is None:
            yield _finding("DRUG-08", Severity.ERROR,
                           "The NDC is not in 11-digit 5-4-2 form.", "16", i, ln)
        elif ln.ndc is None and profile is not None and profile.ndc_required:
            yield _finding("DRUG-08", Severity.ERROR,
                           f"Payer profile '{profile.name}' requires the NDC on {ln.code}.",
                           "16", i, ln)


def _drug_code(kb: KnowledgeBase, code: str) -> bool:
    """A drug line's code: J or Q, or a CPT product code billed per amount (cpt_products.csv)."""
    return code[:1] in "JQ" or (code[:1].isdigit() and code in kb.hcpcs)


def _same_drug(kb: KnowledgeBase, old: str, new: str) -> bool:
    return any(old in row.codes and new in row.codes for row in kb.drugs.values())
