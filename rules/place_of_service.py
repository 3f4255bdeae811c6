"""Rules layer: place of service and setting (catalog section 2, POS-*)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Finding, Line, LineKind, Route, Severity
from rules.context import RuleContext
from rules.registry import rule

SUPPRESSED_IN_FACILITY = frozenset(
    {
        LineKind.ADMINISTRATION,
        LineKind.DRUG,
        LineKind.PROCEDURE,
        LineKind.VACCINE_ADMIN,
        LineKind.VACCINE_PRODUCT,
    }
)

# An ESRD treatment facility (POS 65) is not a facility setting for the fee schedule, but the
# drugs it gives (ESAs, iron, vitamin D analogues, heparin) and their administration are paid to
# the facility under the ESRD PPS consolidated billing; vaccines stay separately billable.
SUPPRESSED_IN_ESRD_FACILITY = frozenset({LineKind.ADMINISTRATION, LineKind.DRUG})


@rule(
    "POS-01",
    version=2,
    phase="adjust",
    order=1,
    summary="Facility POS: no 96372-96379 or drug on the professional claim",
    source="rule catalog POS-01; seed 003 critical facility rule",
)
def facility_suppression(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Suppress administration and drug lines in a facility; keep the E/M.

    An ESRD facility (POS 65) suppresses the administration and drug lines but not vaccines.
    Source: rule catalog POS-01; CMS ESRD PPS consolidated billing.
    """
    if ctx.facility:
        suppressed = SUPPRESSED_IN_FACILITY
        why = "is a facility: the facility bills the administration and the drug"
        kept_note = "the E/M only"
    elif ctx.esrd_facility:
        suppressed = SUPPRESSED_IN_ESRD_FACILITY
        why = ("is an ESRD facility: drugs given there and their administration are the "
               "facility's under the ESRD PPS consolidated billing")
        kept_note = "the E/M and any vaccine"
    else:
        return lines, []
    kept = [line for line in lines if line.kind not in suppressed]
    dropped = [line for line in lines if line.kind in suppressed]
    findings = []
    if dropped:
        ev = tuple(s for line in dropped for s in line.evidence[:1])
        ev += (ctx.pos_evidence,) if ctx.pos_evidence else ()
        findings.append(
            Finding(
                rule_id="POS-01",
                severity=Severity.INFO,
                evidence=ev,
                message=f"Place of service {ctx.pos} {why} "
                f"({', '.join(line.code for line in dropped)}); the practitioner bills "
                f"{kept_note}.",
            )
        )
    return kept, findings


@rule(
    "POS-02",
    version=1,
    phase="check",
    order=1,
    summary="Telehealth POS or visit with an injection documented",
    source="rule catalog POS-02",
)
def telehealth_injection(ctx: RuleContext) -> Iterator[Finding]:
    """An injection needs physical presence: a telehealth POS or visit cannot carry it.

    Source: rule catalog POS-02.
    """
    # "gave Tylenol 5 mL at 0700" in a phone note: a dose by mouth needs no one present
    shots = [a for a in ctx.given if not (
        (a.route is not None and a.route.value in (Route.ORAL, Route.INTRANASAL))
        or (a.route is None and ctx.family(a) == "other_route"))]
    if not shots:
        return
    if ctx.pos in ctx.kb.codes.telehealth_pos or ctx.telehealth is not None:
        ev = (shots[0].drug.evidence,) + ((ctx.telehealth,) if ctx.telehealth else ())
        yield Finding(
            rule_id="POS-02",
            severity=Severity.ERROR,
            carc="5",
            evidence=ev,
            message="An injection is documented on a telehealth encounter: correct the "
            "place of service to the in-person setting, or split the "
            "telehealth E/M from the in-person injection encounter.",
        )


@rule(
    "POS-03",
    version=1,
    phase="check",
    order=2,
    summary="Office POS (11): standard; office assumed when nothing says otherwise",
    source="rule catalog POS-03 and section 2 preamble",
)
def office(ctx: RuleContext) -> Iterator[Finding]:
    """Say when office was assumed or the setting was inferred from the note.

    Source: rule catalog section 2.
    """
    if ctx.pos_source == "assumed":
        yield Finding(
            rule_id="POS-03",
            severity=Severity.INFO,
            message="No place of service in the metadata and no setting cue in the "
            "note: office (11) assumed.",
        )
    elif ctx.pos_source == "inferred":
        yield Finding(
            rule_id="POS-03",
            severity=Severity.INFO,
            evidence=(ctx.pos_evidence,) if ctx.pos_evidence else (),
            message=f"Place of service {ctx.pos} inferred from the note; confirm it.",
        )


_SIMPLE = {
    "20": (
        "POS-04",
        Severity.INFO,
        None,
        "Urgent care (POS 20): billable; verify the payer treats urgent care like an office.",
    ),
    "50": (
        "POS-05",
        Severity.WARNING,
        None,
        "FQHC (POS 50): the injection may be bundled into the encounter rate.",
    ),
    "72": (
        "POS-05",
        Severity.WARNING,
        None,
        "RHC (POS 72): the injection may be bundled into the all-inclusive rate.",
    ),
    "12": (
        "POS-06",
        Severity.WARNING,
        None,
        "Home (POS 12): separately billable only under the payer's home-service policy.",
    ),
    "53": (
        "POS-07",
        Severity.INFO,
        None,
        "Community mental health center (POS 53): billable; prior authorisation is common.",
    ),
    "31": (
        "POS-08",
        Severity.WARNING,
        None,
        "SNF (POS 31): usually under SNF consolidated billing; verify with the MAC.",
    ),
}


def _setting_rule(rule_id: str, codes: tuple[str, ...], summary: str) -> None:
    @rule(
        rule_id,
        version=1,
        phase="check",
        order=3,
        summary=summary,
        source=f"rule catalog {rule_id}; seed 003 place-of-service table",
    )
    def check(ctx: RuleContext) -> Iterator[Finding]:
        # "cefixime 800mg PO stat - swallowed in clinic": a dose by mouth bills nothing the
        # setting could bundle
        if ctx.pos in codes and any(a.route is None or a.route.value is not Route.ORAL
                                    for a in ctx.given):
            rid, severity, carc, message = _SIMPLE[ctx.pos]
            yield Finding(
                rule_id=rid,
                severity=severity,
                carc=carc,
                message=message,
                evidence=(ctx.pos_evidence,) if ctx.pos_evidence else (),
            )

    check.__doc__ = f"{summary}.\n\n    Source: rule catalog {rule_id}."


_setting_rule("POS-04", ("20",), "Urgent care: billable, verify payer")
_setting_rule("POS-05", ("50", "72"), "FQHC/RHC: may be bundled")
_setting_rule("POS-06", ("12",), "Home: conditional on payer policy")
_setting_rule("POS-07", ("53",), "Community mental health center: billable, PA common")
_setting_rule("POS-08", ("31",), "SNF: consolidated billing")
