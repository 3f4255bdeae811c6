"""Rules layer: multiple injections and modifiers (catalog section 5, MOD-*)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Administration, AdministrationStatus, Finding, Line, LineKind, Severity
from rules.context import RuleContext
from rules.em import PROCEDURE_KINDS
from rules.registry import rule

DISTINCT = frozenset({"59", "XS", "XE", "XP", "XU"})


def _add(line: Line, modifier: str, rule_id: str) -> Line:
    if modifier in line.modifiers:
        return line
    return line.model_copy(
        update={"modifiers": line.modifiers + (modifier,), "rule_ids": line.rule_ids + (rule_id,)}
    )


@rule(
    "MOD-01",
    version=1,
    phase="adjust",
    order=40,
    summary="Second and later 96372 lines carry XS (or 59 per payer)",
    source="rule catalog MOD-01, PAY-04; seed 003 (XS preferred)",
)
def distinct_injections(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Each additional injection gets the payer's distinct-service modifier.

    Source: rule catalog MOD-01.
    """
    out, seen = [], 0
    for line in lines:
        if line.code == "96372" and "76" not in line.modifiers and "77" not in line.modifiers:
            if seen:
                line = _add(line, ctx.payer.distinct_modifier, "MOD-01")
            seen += 1
        out.append(line)
    return out, []


@rule(
    "MOD-02",
    version=2,
    phase="check",
    order=41,
    summary="One drug at two sites (split dose): payer policy varies",
    source="rule catalog MOD-02",
)
def split_dose(ctx: RuleContext) -> Iterator[Finding]:
    """Warn when one drug was injected at two documented sites on the date.

    A hormonal antineoplastic given IM/SC as two syringes ("Faslodex 250 mg x 2, R and L
    gluteal", Firmagon's two 120 mg SC injections) is split the same way, under 96401/96402.
    Parts given by two routes (immune globulin infiltrated SC around a wound, the rest IM) are
    not a split for volume.

    Source: rule catalog MOD-02.
    """
    chemo = [a for a in ctx.given if ctx.family(a) == "chemo"]
    injected = [*ctx.injections, *chemo]
    by_drug: dict[tuple[str, tuple[str, ...]], list[Administration]] = {}
    for adm in injected:
        if adm.repeat is None:
            # two products of one substance ("Aristada Initio 675 mg" with "Aristada 882 mg")
            # are two drugs on two drug lines, not one dose split in two
            by_drug.setdefault((adm.drug.name, adm.drug.hcpcs), []).append(adm)
    for (name, _codes), adms in by_drug.items():
        if len({a.route.value for a in adms if a.route}) > 1:
            # rabies immune globulin infiltrated SC around the wound and the rest given IM:
            # parts by two routes, not one volume split into two syringes
            continue
        if len(adms) > 1:
            code = "96401/96402" if any(a in chemo for a in adms) else "96372"
            yield Finding(
                rule_id="MOD-02",
                severity=Severity.WARNING,
                administration_id=adms[-1].id,
                evidence=tuple(a.site.evidence for a in adms if a.site),
                message=f"{name} was injected at {len(adms)} sites: if one dose was "
                f"split for volume, payer policy on a second {code} varies.",
            )


@rule(
    "MOD-03",
    version=2,
    phase="adjust",
    order=39,
    summary="Same drug given again later the same day: 76/77 with a warning",
    source="rule catalog MOD-03; seed 003",
)
def repeat_dose(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Mark a documented repeat dose's 96372 line with 76 (77 for another practitioner).

    77 when the note names another practitioner for the repeat than for the dose it repeats.

    Source: rule catalog MOD-03.
    """
    repeats = {a.id: a for a in ctx.injections if a.repeat is not None}
    if not repeats:
        return lines, []
    names = [a.drug.name for a in ctx.injections]
    out, findings = [], []
    for line in lines:
        adm = repeats.get(line.administration_id or "")
        if line.code == "96372" and adm is not None and names.count(adm.drug.name) > 1:
            first = next(a for a in ctx.injections if a.drug.name == adm.drug.name)
            other = (adm.practitioner is not None and first.practitioner is not None
                     and adm.practitioner.value != first.practitioner.value)
            line = _add(line, "77" if other else "76", "MOD-03")
            assert adm.repeat is not None
            named = tuple(a.practitioner.evidence for a in (first, adm)
                          if other and a.practitioner is not None)
            findings.append(
                Finding(
                    rule_id="MOD-03",
                    severity=Severity.WARNING,
                    administration_id=adm.id,
                    evidence=(adm.drug.evidence, adm.repeat.evidence, *named),
                    message=f"{adm.drug.name} repeated the same day "
                    + ("by another practitioner than the first dose: 77"
                       if other else "with no other practitioner named for it: 76")
                    + " (76 same practitioner, 77 different); verify the payer's guidance.",
                )
            )
        out.append(line)
    return out, findings


@rule(
    "MOD-04",
    version=1,
    phase="adjust",
    order=43,
    summary="Injection started then discontinued: 52 on 96372",
    source="rule catalog MOD-04; seed 003",
)
def reduced_service(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """A discontinued injection is reported with 52.

    Source: rule catalog MOD-04.
    """
    stopped = {a.id for a in ctx.given if a.status is AdministrationStatus.DISCONTINUED}
    out = [
        _add(line, "52", "MOD-04")
        if line.code == "96372" and line.administration_id in stopped
        else line
        for line in lines
    ]
    return out, []


@rule(
    "MOD-05",
    version=1,
    phase="adjust",
    order=44,
    summary="Teaching physician presence documented with a resident: GC",
    source="rule catalog MOD-05; seed 003",
)
def teaching(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """GC on each line when a resident took part and the teaching physician was present.

    Source: rule catalog MOD-05.
    """
    if not ctx.extraction.em.teaching:
        return lines, []
    services = (LineKind.EM, LineKind.ADMINISTRATION, LineKind.PROCEDURE, LineKind.VACCINE_ADMIN)
    # GC marks services the resident took part in; the drug supply line is not a service, and
    # neither is an injection the clinic's nurse or medical assistant gave.
    by_staff = {a.id for a in ctx.given if a.administered_by is not None
                and a.administered_by.credential in ctx.kb.codes.staff_credentials}
    return [_add(line, "GC", "MOD-05")
            if line.kind in services and line.administration_id not in by_staff else line
            for line in lines], []


@rule(
    "MOD-06",
    version=1,
    phase="check",
    order=45,
    summary="96372 units above the MUE",
    source="rule catalog MOD-06; NCCI MUE practitioner",
)
def mue(ctx: RuleContext) -> Iterator[Finding]:
    """Warn when 96372 lines exceed the MUE for the date.

    Source: rule catalog MOD-06; CMS NCCI MUE practitioner table.
    """
    row = ctx.kb.mue.get("96372")
    count = len([a for a in ctx.injections if not ctx.facility])
    if row is not None and count > row.mue_value:
        yield Finding(
            rule_id="MOD-06",
            severity=Severity.WARNING,
            carc="151",
            evidence=tuple(a.drug.evidence for a in ctx.injections),
            message=f"{count} injections exceed the 96372 MUE of {row.mue_value} "
            f"(MAI {row.mai}): each needs 59/XS and its own documentation.",
        )


@rule(
    "MOD-07",
    version=1,
    phase="adjust",
    order=46,
    summary="PTP pairs with 96372 on the claim",
    source="rule catalog MOD-07; NCCI PTP",
)
def ptp_pairs(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Apply the PTP edits between 96372 and the other procedure codes on the claim.

    Indicator 1 (a distinct-service modifier allowed): the 96372 line for the separate
    injection gets the payer's modifier. Indicator 0: not separately payable, an error. An E/M
    that is column 1 over 96372 with indicator 0 (subsequent nursing facility and hospital
    visits) bundles the injection: no 96372 line is suggested. 99211 under 96372 is EM-01's.

    Source: rule catalog MOD-07; CMS NCCI PTP practitioner edits.
    """
    findings: list[Finding] = []
    lines = _bundled_into_em(ctx, lines, findings)
    codes = {line.code for line in lines if line.kind is not LineKind.EM}
    if "96372" not in codes:
        return lines, findings
    needs_modifier = False
    for code in sorted(codes - {"96372"}):
        pair = ctx.kb.ptp_pair("96372", code)
        if pair is None:
            continue
        if pair.modifier_indicator == "0":
            findings.append(
                Finding(
                    rule_id="MOD-07",
                    severity=Severity.ERROR,
                    carc="97",
                    message=f"NCCI pairs 96372 with {code} (modifier indicator 0): 96372 is "
                    "not separately payable with it.",
                )
            )
        elif pair.modifier_indicator == "1":
            needs_modifier = True
    if not needs_modifier:
        return lines, findings
    out = []
    for line in lines:
        if line.code == "96372" and not DISTINCT & set(line.modifiers):
            line = _add(line, ctx.payer.distinct_modifier, "MOD-07")
        out.append(line)
    return out, findings


def _bundled_into_em(ctx: RuleContext, lines: list[Line], findings: list[Finding]) -> list[Line]:
    """Drop 96372 under an E/M whose PTP edit makes it column 2 with modifier indicator 0.

    The drug line stays. Modifier 25 that EM-02 added for the injection goes with it when no
    other procedure is left on the claim.
    """
    injections = [line for line in lines if line.code == "96372"]
    if not injections:
        return lines
    for em in (line for line in lines if line.kind is LineKind.EM):
        pair = ctx.kb.ptp_pair(em.code, "96372")
        if pair is None or (pair.column_1, pair.modifier_indicator) != (em.code, "0"):
            continue
        findings.append(
            Finding(
                rule_id="MOD-07",
                severity=Severity.INFO,
                evidence=em.evidence[:1] + injections[0].evidence[:1],
                message=f"NCCI pairs {em.code} with 96372 (modifier indicator 0): the injection "
                "is included in the visit, so no 96372 line is suggested; the drug is still "
                "reported.",
            )
        )
        lines = [line for line in lines if line.code != "96372"]
        if not any(line.kind in PROCEDURE_KINDS for line in lines):
            lines = [_drop_25(line) for line in lines]
        break
    return lines


def _drop_25(line: Line) -> Line:
    if line.kind is not LineKind.EM or "EM-02" not in line.rule_ids:
        return line
    return line.model_copy(
        update={
            "modifiers": tuple(m for m in line.modifiers if m != "25"),
            "rule_ids": tuple(r for r in line.rule_ids if r != "EM-02"),
        }
    )
