"""Rules layer: the drug line, its HCPCS code and billing units (catalog section 4, DRUG-*)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from models import Administration, Cue, DoseUnit, Finding, Line, LineKind, Severity, Span
from rules.context import RuleContext
from rules.kb import convert
from rules.registry import rule

DRUG_LINE_FAMILIES = frozenset(
    {"injection", "chemo", "iv_push", "joint", "on_body", "intra_arterial", "unknown_route",
     "ambiguous_route", "tissue", "chemodenervation", "route_procedure"}
)


def drug_administrations(ctx: RuleContext) -> list[Administration]:
    """Given administrations of a kind whose drug is reported on a drug line."""
    if ctx.facility:
        return []
    return [a for a in ctx.given if ctx.family(a) in DRUG_LINE_FAMILIES]


def billed_administrations(ctx: RuleContext) -> list[Administration]:
    """Given administrations whose drug this practitioner reports on a drug line.

    A drug the patient supplied was not bought by the practice: its administration is billed,
    its drug is not (see ``patient_supplied_drugs``).
    """
    return [a for a in drug_administrations(ctx) if a.supplied_by_patient is None]


def _dose_evidence(adm: Administration) -> tuple[Span, ...]:
    spans = [adm.drug.evidence]
    if adm.dose is not None:
        for s in (adm.dose.evidence, adm.dose.volume_evidence, adm.dose.concentration_evidence):
            if s is not None and s not in spans:
                spans.append(s)
    return tuple(spans)


def billable_dose(ctx: RuleContext, adm: Administration) -> tuple[Decimal, str] | None:
    """The dose in a unit its codes bill in: a mass or units, or a volume for a code per mL.

    "GamaSTAN 7 mL" bills J1460 (per 1 cc) as it is written; "Toradol 2 mL" with no
    concentration cannot be billed (DOC-02).
    """
    if adm.dose is None:
        return None
    if adm.dose.unit is DoseUnit.ML and not any(
            (row := ctx.kb.hcpcs.get(c)) is not None and row.unit == "mL"
            for c in ctx.candidate_codes(adm)):
        return None
    return adm.dose.value, adm.dose.unit.value


def implausible_units(ctx: RuleContext, adm: Administration) -> int | None:
    """Billing units of a dose no one gives: ``implausible_mue_factor`` times the MUE or more.

    "B12 1000 mg IM" is 1,000 units of J3420 (MUE 1): the unit was miswritten (mcg), and
    which one was meant is not for the tool to guess (DOC-02). Doses a little over the MUE
    are real and stay billable for review.
    """
    if billable_dose(ctx, adm) is None:
        return None
    choice = ctx.choose_code(adm)
    if choice.row is None or choice.units is None:
        return None
    mue = ctx.kb.mue.get(choice.row.code)
    if mue is None or mue.mue_value <= 0:
        return None
    factor = ctx.kb.codes.implausible_mue_factor  # kb/code_sets.yaml
    return choice.units if choice.units >= factor * mue.mue_value else None


@rule(
    "DRUG-02",
    version=3,
    phase="lines",
    order=30,
    summary="J-code billing units = ceil(dose / descriptor amount); DRUG-11 sums one code per date",
    source="rule catalog DRUG-02, DRUG-03, DRUG-04, DRUG-11; CMS HCPCS Level II descriptors; "
           "CPT product codes billed per amount (cpt_products.csv)",
)
def drug_lines(ctx: RuleContext) -> Iterator[Line | Finding]:
    """One drug line per HCPCS code for the date, units from the summed dose.

    The code is the one in force on the date of service (DRUG-04); doses of the same code are
    added before converting and rounding up once (DRUG-11); a volume-only dose keeps the line
    with unknown units (DRUG-03, raised as DOC-02). Drugs with no code in force get the
    unlisted code (DRUG-05). A CPT product code billed per amount (rabies immune globulin, CPT
    90375 per 150 IU) is chosen and converted the same way (version 2). A code whose descriptor
    names routes is billed only for a dose given by one of them: subcutaneous Skyrizi is not
    J2327 ("intravenous") but unlisted (version 3).

    Source: rule catalog DRUG-02/03/04/11; HCPCS Level II quarterly file (descriptor amounts).
    """
    groups: dict[str, list[Administration]] = {}
    unlisted: dict[str, list[Administration]] = {}
    for adm in billed_administrations(ctx):
        if ctx.drug_class(adm) == "unspecified":
            continue  # DOC-01: the product must be named before a code can be chosen
        if ctx.choose_code(adm).row is None:
            unlisted.setdefault(adm.drug.name, []).append(adm)
        else:
            key = ",".join(ctx.candidate_codes(adm))
            groups.setdefault(key, []).append(adm)
    for adms in groups.values():
        masses = [None if implausible_units(ctx, a) is not None else billable_dose(ctx, a)
                  for a in adms]
        total: Decimal | None = None
        unit: str | None = None
        if all(m is not None for m in masses):
            unit = masses[0][1]  # type: ignore[index]
            total = Decimal(0)
            for value, u in masses:  # type: ignore[misc]
                converted = convert(value, u, unit)
                if converted is None:
                    total = None
                    break
                total += converted
        choice = (
            ctx.choose_code(adms[0], total, unit) if total is not None else ctx.choose_code(adms[0])
        )
        assert choice.row is not None
        units = choice.units if total is not None else None
        rule_ids = ("DRUG-02", "DRUG-11") if len(adms) > 1 else ("DRUG-02",)
        if len(ctx.candidate_codes(adms[0])) > 1:
            rule_ids += ("DRUG-04",)
        yield Line(
            code=choice.row.code,
            kind=LineKind.DRUG,
            units=units,
            needs_review=units is None,
            administration_id=adms[0].id,
            rule_ids=rule_ids,
            evidence=tuple(s for a in adms for s in _dose_evidence(a)),
        )
    for same in unlisted.values():
        # one unlisted line per drug: a dose split over two pens is one drug's dose (DRUG-11)
        adm = same[0]
        codes = ctx.kb.codes
        code = codes.unlisted_biologic if ctx.drug_class(adm) == "biologic" else codes.unlisted_drug
        doses = [f"{a.dose.value} {a.dose.unit.value}" for a in same if a.dose]
        dose = " + ".join(doses) if len(doses) == len(same) else "dose not documented"
        yield Line(
            code=code,
            kind=LineKind.DRUG,
            units=1,
            needs_review=True,
            administration_id=adm.id,
            rule_ids=("DRUG-05", "DRUG-11") if len(same) > 1 else ("DRUG-05",),
            evidence=tuple(s for a in same for s in _dose_evidence(a)),
            note=f"{adm.drug.name}, {dose}; NDC required in box 19 / loop 2400 NTE",
        )
        yield Finding(
            rule_id="DRUG-05",
            severity=Severity.WARNING,
            administration_id=adm.id,
            carc="16",
            evidence=(adm.drug.evidence,),
            message=f"No HCPCS code in force for {adm.drug.name} on the date of "
            f"service: bill unlisted {code} with NDC, drug name and dose.",
        )


def supplier_phrase(cue: Cue) -> str:
    """How a finding names who supplied a drug the practice did not buy (the cue's kind)."""
    if cue.kind == "manufacturer_sample":
        return "a manufacturer's free sample"
    return "supplied by the patient"


@rule(
    "DRUG-01",
    version=1,
    phase="check",
    order=29,
    summary="A patient-supplied drug gets no drug line; its administration is still billed",
    source="rule catalog DRUG-01 (every 96372 needs its drug line, when the practice bought it)",
)
def patient_supplied_drugs(ctx: RuleContext) -> Iterator[Finding]:
    """Say why an injection has no drug line when the note says the patient supplied the drug.

    The practice bills only what it bought: a drug dispensed to the patient by a pharmacy and
    brought in is billed by that pharmacy, so the 96372 stands alone.

    Source: rule catalog DRUG-01; incident-to billing (a drug the practice bills must be an
    expense to it).
    """
    for adm in drug_administrations(ctx):
        if adm.supplied_by_patient is not None:
            yield Finding(
                rule_id="DRUG-01",
                severity=Severity.INFO,
                administration_id=adm.id,
                evidence=(adm.drug.evidence, adm.supplied_by_patient.evidence),
                message=f"The note documents {adm.drug.name} as "
                f"{supplier_phrase(adm.supplied_by_patient)}: no drug line (the practice did "
                "not buy it); the administration is billed.",
            )


_NDC_SHAPES = {
    (4, 4, 2): (1, 0, 0),
    (5, 3, 2): (0, 1, 0),
    (5, 4, 1): (0, 0, 1),
    (5, 4, 2): (0, 0, 0),
}


def _volume_ml(text: str) -> str | None:
    m = re.search(r"\d+(?:\.\d+)?|\.\d+", text)
    return m.group(0) if m else None


def normalize_ndc(raw: str) -> str | None:
    """Normalise a documented NDC to 11-digit 5-4-2 (DRUG-08); None when the shape is unknown.

    4-4-2 pads the labeler, 5-3-2 the product and 5-4-1 the package. An unhyphenated 11-digit
    string is taken as 5-4-2; an unhyphenated 10-digit string is ambiguous and returns None.
    """
    raw = raw.strip()
    if re.fullmatch(r"\d{11}", raw):
        return f"{raw[:5]}-{raw[5:9]}-{raw[9:]}"
    parts = raw.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    pads = _NDC_SHAPES.get(tuple(len(p) for p in parts))  # type: ignore[arg-type]
    if pads is None:
        return None
    return "-".join("0" * pad + p for p, pad in zip(parts, pads, strict=True))


@rule(
    "DRUG-08",
    version=1,
    phase="adjust",
    order=30,
    summary="NDC normalised to 5-4-2 with N4 qualifier; required by payer; crosswalk check",
    source="rule catalog DRUG-08; CMS ASP NDC-HCPCS crosswalk; payer profiles",
)
def ndc_lines(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Attach the normalised NDC to drug lines; flag missing (payer requires) or mismatched NDCs.

    Source: rule catalog DRUG-08 (and DOC-15, PAY-03).
    """
    by_id = {a.id: a for a in ctx.extraction.administrations}
    out, findings = [], []
    for line in lines:
        adm = by_id.get(line.administration_id or "")
        if line.kind is not LineKind.DRUG or adm is None:
            out.append(line)
            continue
        if adm.ndc is None:
            if ctx.payer.ndc_required:
                findings.append(
                    Finding(
                        rule_id="DRUG-08",
                        severity=Severity.ERROR,
                        carc="16",
                        administration_id=adm.id,
                        evidence=(adm.drug.evidence,),
                        message=f"Payer profile '{ctx.payer.name}' requires the NDC for {line.code}; "
                        "no NDC is documented.",
                    )
                )
            out.append(line)
            continue
        ndc = normalize_ndc(adm.ndc.value)
        if ndc is None:
            findings.append(
                Finding(
                    rule_id="DRUG-08",
                    severity=Severity.ERROR,
                    carc="16",
                    administration_id=adm.id,
                    evidence=(adm.ndc.evidence,),
                    message="The documented NDC does not have a 10/11-digit 4-4-2, 5-3-2, 5-4-1 or "
                    "5-4-2 shape: confirm it from the package.",
                )
            )
            out.append(line)
            continue
        xw = ctx.kb.ndc.get(ndc.replace("-", ""))
        if xw is not None and xw.hcpcs_code != line.code:
            findings.append(
                Finding(
                    rule_id="DRUG-08",
                    severity=Severity.ERROR,
                    carc="16",
                    administration_id=adm.id,
                    evidence=(adm.ndc.evidence,),
                    message=f"NDC {ndc} maps to {xw.hcpcs_code} in the ASP crosswalk, not {line.code}.",
                )
            )
        # NDC quantity is in the package's own unit: the volume drawn up when documented
        # (ML), else a count of units (UN) that the biller confirms against the package.
        vol = adm.dose.volume_evidence if adm.dose is not None else None
        vol_value = _volume_ml(vol.text) if vol is not None else None
        qualifier = (f"ML{vol_value}" if vol_value is not None
                     else "UN (quantity: confirm package units)")
        note = f"N4{ndc.replace('-', '')} {qualifier}"
        out.append(
            line.model_copy(
                update={
                    "ndc": ndc,
                    "note": note,
                    "rule_ids": line.rule_ids + ("DRUG-08",),
                    "evidence": line.evidence + (adm.ndc.evidence,),
                }
            )
        )
    return out, findings


@rule(
    "DRUG-09",
    version=1,
    phase="check",
    order=31,
    summary="Medicare and a commonly self-administered drug (SAD list)",
    source="rule catalog DRUG-09; Medicare SAD exclusion lists (flag in drugs.csv)",
)
def self_administered(ctx: RuleContext) -> Iterator[Finding]:
    """Part B covers drugs that cannot usually be self-administered.

    Source: rule catalog DRUG-09, PAY-06.
    """
    if not ctx.payer.sad_exclusion:
        return
    for adm in billed_administrations(ctx):
        row = ctx.drug_row(adm)
        if row is not None and row.self_administered:
            yield Finding(
                rule_id="DRUG-09",
                severity=Severity.WARNING,
                carc="96",
                administration_id=adm.id,
                evidence=(adm.drug.evidence,),
                message=f"{adm.drug.name} is usually self-administered: Medicare Part B "
                "may exclude it (SAD list); check the MAC's list.",
            )


@rule(
    "DRUG-10",
    version=1,
    phase="check",
    order=32,
    summary="Codes in force on the date of service; data vintage notice",
    source="rule catalog DRUG-10; HCPCS add/termination dates",
)
def code_currency(ctx: RuleContext) -> Iterator[Finding]:
    """Report terminated codes and the vintage of the HCPCS data behind the result.

    Source: rule catalog DRUG-10.
    """
    for adm in billed_administrations(ctx):
        choice = ctx.choose_code(adm)
        if choice.replaced and choice.row is not None:
            yield Finding(
                rule_id="DRUG-10",
                severity=Severity.INFO,
                administration_id=adm.id,
                evidence=(adm.drug.evidence,),
                message=f"{', '.join(choice.replaced)} not in force on {ctx.dos.isoformat()}; "
                f"{choice.row.code} used ({choice.row.long_description}).",
            )
    vintage = ctx.kb.hcpcs_vintage
    dos_quarter = (ctx.dos.year, (ctx.dos.month - 1) // 3)
    if (vintage.year, (vintage.month - 1) // 3) < dos_quarter:
        yield Finding(
            rule_id="DRUG-10",
            severity=Severity.INFO,
            message=f"Drug codes come from {ctx.kb.hcpcs_release}, older than the date of "
            f"service ({ctx.dos.isoformat()}): codes added or changed since are not "
            "known. Load the current quarter's HCPCS file.",
        )
