"""Rules layer: evaluation and management on the injection date (catalog section 3, EM-*)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Finding, Line, LineKind, Severity, Span
from rules.context import RuleContext
from rules.registry import rule

PROCEDURE_KINDS = (LineKind.ADMINISTRATION, LineKind.PROCEDURE, LineKind.VACCINE_ADMIN)


def em_evidence(ctx: RuleContext) -> tuple[Span, ...]:
    """History, exam and decision-making spans (first few of each) behind an E/M decision."""
    em = ctx.extraction.em
    return em.history[:2] + em.exam[:2] + em.mdm[:2]


def time_level(ctx: RuleContext) -> str | None:
    """E/M level from total time on the date (2024+ thresholds), when status is known."""
    minutes = ctx.extraction.em.time_minutes
    status = ctx.patient_status
    levels = ctx.kb.codes.em_time_thresholds
    if minutes is None or status not in levels:
        return None
    for threshold, code in levels[status]:
        if minutes >= threshold:
            return code
    return None


def billed_em_supported(ctx: RuleContext) -> bool:
    """Whether the metadata's billed E/M may go on the suggested claim."""
    code = ctx.encounter.billed_em
    if code is None or code == "99211" and ctx.given:
        return False
    if code in ctx.kb.codes.preventive_em:
        return ctx.extraction.em.preventive is not None or ctx.em_documented
    if ctx.given:
        return ctx.em_significant
    return ctx.em_documented


@rule(
    "EM-06",
    version=1,
    phase="lines",
    order=40,
    summary="E/M level: billed code from metadata, else by total time, else the coder chooses",
    source="rule catalog EM-06; 2024+ CPT E/M time thresholds",
)
def em_line(ctx: RuleContext) -> Iterator[Line | Finding]:
    """Emit the E/M line when its level is known; otherwise say a coder must choose it.

    Source: rule catalog EM-06, EM-07.
    """
    billed = ctx.encounter.billed_em
    if billed is not None:
        if billed_em_supported(ctx):
            preventive = ctx.extraction.em.preventive
            ev = em_evidence(ctx) + ((preventive,) if preventive else ())
            yield Line(code=billed, kind=LineKind.EM, rule_ids=("EM-06",), evidence=ev)
        return
    if not ctx.em_significant:
        return
    level = time_level(ctx)
    em = ctx.extraction.em
    if level is not None:
        ev = em_evidence(ctx) + ((em.time_evidence,) if em.time_evidence else ())
        yield Line(code=level, kind=LineKind.EM, rule_ids=("EM-06",), evidence=ev)
        return
    status = ctx.patient_status or "unknown (new or established)"
    yield Finding(
        rule_id="EM-06",
        severity=Severity.WARNING,
        evidence=em_evidence(ctx),
        message=f"A separately identifiable E/M is documented (patient status: {status}); its "
        "level must be chosen by a coder from the MDM, and modifier 25 goes on it when "
        "billed with the injection.",
    )


@rule(
    "EM-02",
    version=1,
    phase="adjust",
    order=10,
    summary="Modifier 25 on a problem-oriented E/M billed with a procedure on the same date",
    source="rule catalog EM-02; seed 003 (modifier 25 on the E/M line only)",
)
def modifier_25(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Append 25 to a problem-oriented E/M line when the claim carries a procedure line.

    Source: rule catalog EM-02.
    """
    has_procedure = any(line.kind in PROCEDURE_KINDS for line in lines)
    out = []
    for line in lines:
        if (
            line.kind is LineKind.EM
            and line.code in ctx.kb.codes.problem_oriented_em
            and has_procedure
            and "25" not in line.modifiers
        ):
            line = line.model_copy(
                update={
                    "modifiers": line.modifiers + ("25",),
                    "rule_ids": line.rule_ids + ("EM-02",),
                }
            )
        out.append(line)
    return out, []


@rule(
    "EM-01",
    version=1,
    phase="check",
    order=40,
    summary="99211 with 96372: not separately billable (PTP indicator 0)",
    source="rule catalog EM-01; NCCI PTP 96372/99211 modifier indicator 0",
)
def no_99211(ctx: RuleContext) -> Iterator[Finding]:
    """Never suggest 99211 with an injection; flag it when the feed billed it.

    Source: rule catalog EM-01.
    """
    if ctx.encounter.billed_em == "99211" and ctx.injections:
        yield Finding(
            rule_id="EM-01",
            severity=Severity.ERROR,
            carc="97",
            evidence=(ctx.injections[0].drug.evidence,),
            message="99211 is billed with 96372: the NCCI pair has modifier indicator "
            "0, so 99211 is not payable. Bill 96372 and the drug only.",
        )


@rule(
    "EM-03",
    version=1,
    phase="check",
    order=41,
    summary="E/M billed with the injection but no separately identifiable E/M documented",
    source="rule catalog EM-03 (DOC-13); seed 003",
)
def unsupported_em(ctx: RuleContext) -> Iterator[Finding]:
    """A billed problem-oriented E/M needs its own history, exam and MDM beyond the injection.

    Source: rule catalog EM-03.
    """
    code = ctx.encounter.billed_em
    if code in ctx.kb.codes.problem_oriented_em and ctx.given and not ctx.em_significant:
        em = ctx.extraction.em
        missing = [
            n
            for n, v in (
                ("history", em.history),
                ("exam", em.exam),
                ("medical decision making", em.mdm),
            )
            if not v
        ]
        detail = ", ".join(missing) if missing else "documentation beyond the injection visit"
        yield Finding(
            rule_id="EM-03",
            severity=Severity.ERROR,
            carc="97",
            evidence=em_evidence(ctx) or (ctx.given[0].drug.evidence,),
            message=f"{code} is billed with the injection but the note does not "
            f"document a separately identifiable E/M (missing: {detail}); "
            "modifier 25 is not supported.",
        )


@rule(
    "EM-05",
    version=1,
    phase="check",
    order=42,
    summary="Preventive visit with a therapeutic injection: no 25; PTP check",
    source="rule catalog EM-05; NCCI PTP table (no 99381-99397 pairs with 96372 in 2024 Q3)",
)
def preventive_with_injection(ctx: RuleContext) -> Iterator[Finding]:
    """Preventive codes take no modifier 25; warn only if the PTP data pairs them with 96372.

    Source: rule catalog EM-05.
    """
    code = ctx.encounter.billed_em
    if code in ctx.kb.codes.preventive_em and ctx.injections:
        pair = ctx.kb.ptp_pair("96372", code)
        if pair is not None and pair.modifier_indicator == "1":
            yield Finding(
                rule_id="EM-05",
                severity=Severity.WARNING,
                message=f"NCCI pairs {code} with 96372 (modifier indicator 1): "
                "a distinct-service modifier may be needed.",
            )


@rule(
    "EM-07",
    version=1,
    phase="check",
    order=43,
    summary="New vs established patient from metadata or note cues",
    source="rule catalog EM-07",
)
def patient_status_info(ctx: RuleContext) -> Iterator[Finding]:
    """Report where patient status came from when an E/M is in play.

    Source: rule catalog EM-07.
    """
    if not ctx.em_significant or ctx.encounter.patient_status:
        return
    em = ctx.extraction.em
    if em.patient_status and em.patient_status_evidence:
        yield Finding(
            rule_id="EM-07",
            severity=Severity.INFO,
            evidence=(em.patient_status_evidence,),
            message=f"Patient status taken from the note: {em.patient_status}.",
        )


@rule(
    "EM-08",
    version=1,
    phase="adjust",
    order=20,
    summary="Facility POS: the practitioner bills the E/M only, without 25",
    source="rule catalog EM-08, POS-01",
)
def facility_em(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """In a facility, modifier 25 is moot: the E/M goes alone.

    Source: rule catalog EM-08.
    """
    if not ctx.facility:
        return lines, []
    out = []
    for line in lines:
        if line.kind is LineKind.EM and "25" in line.modifiers:
            line = line.model_copy(
                update={
                    "modifiers": tuple(m for m in line.modifiers if m != "25"),
                    "rule_ids": line.rule_ids + ("EM-08",),
                }
            )
        out.append(line)
    return out, []
