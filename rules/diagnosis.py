"""Rules layer: diagnoses and medical necessity (catalog section 6, DX-*)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import simple_icd_10_cm as icd

from models import Administration, Diagnosis, Finding, Line, LineKind, Severity
from rules.context import RuleContext
from rules.drug import drug_administrations
from rules.registry import rule

ICD_RELEASE = "ICD-10-CM FY2026 (simple-icd-10-cm 1.5.0)"


@cache
def icd_status(code: str) -> tuple[bool, bool, str | None]:
    """(exists, billable leaf, description) in the packaged ICD-10-CM release."""
    if not icd.is_valid_item(code):
        return False, False, None
    return True, icd.is_leaf(code), icd.get_description(code)


def diagnoses(ctx: RuleContext) -> list[Diagnosis]:
    """The note's diagnoses with descriptions and validity, Z23 added for vaccines (DX-05)."""
    out = []
    for d in ctx.extraction.diagnoses:
        exists, leaf, desc = icd_status(d.code)
        out.append(
            Diagnosis(
                code=d.code,
                description=desc,
                source=d.source,
                valid=exists and leaf,
                evidence=d.evidence,
            )
        )
    vaccines = [a for a in ctx.given if ctx.family(a) == "vaccine"]
    if vaccines and not any(d.code == "Z23" for d in out):
        out.append(
            Diagnosis(
                code="Z23",
                description=icd_status("Z23")[2],
                source="mapped",
                evidence=vaccines[0].drug.evidence,
            )
        )
    return out


def supporting(ctx: RuleContext, adm: Administration, codes: list[str]) -> list[str]:
    """The codes among ``codes`` that the drug's supporting-diagnosis list accepts."""
    row = ctx.drug_row(adm)
    if row is None or not row.supporting_dx:
        return []
    return [c for c in codes if any(c.startswith(p) for p in row.supporting_dx)]


@rule(
    "DX-01",
    version=1,
    phase="adjust",
    order=60,
    summary="Each line points to the diagnoses that justify it (at most 4, primary first)",
    source="rule catalog DX-01, DX-05, DX-06; CMS-1500/837P pointer limit",
)
def dx_pointers(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Attach diagnosis pointers: supporting diagnoses first, Z23 on vaccine lines.

    Source: rule catalog DX-01, DX-05, DX-06.
    """
    dxs = [d.code for d in diagnoses(ctx) if d.valid]
    non_vaccine = [c for c in dxs if c != "Z23"]
    by_id = {a.id: a for a in ctx.extraction.administrations}
    # DX-06: the condition the main service treats comes first
    primary: list[str] = []
    for adm in ctx.given:
        for c in supporting(ctx, adm, non_vaccine):
            if c not in primary:
                primary.append(c)
    ordered = primary + [c for c in non_vaccine if c not in primary]
    out = []
    for line in lines:
        adm = by_id.get(line.administration_id or "")
        if line.kind in (LineKind.VACCINE_ADMIN, LineKind.VACCINE_PRODUCT):
            dx = ("Z23",) if "Z23" in dxs else ()
        elif adm is not None:
            sup = supporting(ctx, adm, non_vaccine)
            dx = tuple((sup or ordered)[:4])
        else:
            dx = tuple(ordered[:4])
        out.append(line.model_copy(update={"dx": dx}))
    return out, []


@rule(
    "DX-02",
    version=1,
    phase="check",
    order=60,
    summary="Every ICD-10-CM code exists and is billable on the date of service",
    source="rule catalog DX-02; ICD-10-CM FY2026 via simple-icd-10-cm 1.5.0",
)
def dx_validity(ctx: RuleContext) -> Iterator[Finding]:
    """Invalid or non-billable codes are errors naming the missing specificity.

    Source: rule catalog DX-02.
    """
    for d in ctx.extraction.diagnoses:
        exists, leaf, _desc = icd_status(d.code)
        if not exists:
            yield Finding(
                rule_id="DX-02",
                severity=Severity.ERROR,
                carc="146",
                evidence=(d.evidence,),
                message=f"{d.code} is not a code in {ICD_RELEASE}.",
            )
        elif not leaf:
            children = icd.get_children(d.code)
            length = len(children[0].replace(".", "")) if children else len(d.code) + 1
            yield Finding(
                rule_id="DX-02",
                severity=Severity.ERROR,
                carc="146",
                evidence=(d.evidence,),
                message=f"{d.code} is a category, not billable: it needs a "
                f"{_ordinal(length)} character (e.g. one of "
                f"{', '.join(children[:3])}).",
            )


def _ordinal(n: int) -> str:
    return {4: "4th", 5: "5th", 6: "6th", 7: "7th"}.get(n, f"{n}th")


@rule(
    "DX-03",
    version=1,
    phase="check",
    order=61,
    summary="No documented indication for the drug: medical necessity not documented",
    source="rule catalog DX-03 (DOC-05); seed 003 medical necessity",
)
def no_indication(ctx: RuleContext) -> Iterator[Finding]:
    """Never infer a diagnosis from the drug: say it is missing.

    Source: rule catalog DX-03.
    """
    documented = [d for d in diagnoses(ctx) if d.code != "Z23"]
    if documented:
        return  # an invalid code still documents an indication: DX-02 owns that case
    for adm in drug_administrations(ctx):
        if ctx.family(adm) in ("vaccine", "other_route", "infusion"):
            continue
        yield Finding(
            rule_id="DX-03",
            severity=Severity.ERROR,
            carc="50",
            administration_id=adm.id,
            evidence=(adm.drug.evidence,),
            message=f"No condition is documented for {adm.drug.name}: medical "
            "necessity not documented.",
        )


@rule(
    "DX-04",
    version=1,
    phase="check",
    order=62,
    summary="Documented diagnosis does not support the drug",
    source="rule catalog DX-04",
)
def dx_support(ctx: RuleContext) -> Iterator[Finding]:
    """Warn when none of the documented diagnoses is on the drug's supporting list.

    Source: rule catalog DX-04; supporting_dx in the knowledge base's drugs.csv.
    """
    codes = [d.code for d in diagnoses(ctx) if d.valid and d.code != "Z23"]
    if not codes:
        return
    warned: set[str] = set()
    for adm in drug_administrations(ctx):
        row = ctx.drug_row(adm)
        if row is None or not row.supporting_dx or ctx.family(adm) == "vaccine":
            continue
        if adm.drug.name not in warned and not supporting(ctx, adm, codes):
            warned.add(adm.drug.name)  # one warning a drug, however many injections
            yield Finding(
                rule_id="DX-04",
                severity=Severity.WARNING,
                carc="50",
                administration_id=adm.id,
                evidence=(adm.drug.evidence,),
                message=f"None of the documented diagnoses ({', '.join(codes)}) is on "
                f"the supporting list for {adm.drug.name}.",
            )
