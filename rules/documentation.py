"""Rules layer: documentation completeness, "flag incomplete notes before billing" (DOC-*)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Administration, AdministrationStatus, Finding, Route, Severity
from rules.context import RuleContext
from rules.drug import (
    billable_dose,
    billed_administrations,
    drug_administrations,
    implausible_units,
)
from rules.registry import rule


def _f(
    rule_id: str, severity: Severity, adm: Administration, message: str, carc: str | None = "16"
) -> Finding:
    return Finding(
        rule_id=rule_id,
        severity=severity,
        carc=carc,
        administration_id=adm.id,
        evidence=(adm.drug.evidence,),
        message=message,
    )


@rule(
    "DOC-01",
    version=1,
    phase="check",
    order=70,
    summary="Drug name specific enough to choose a HCPCS code",
    source="rule catalog DOC-01",
)
def drug_specific(ctx: RuleContext) -> Iterator[Finding]:
    """A drug written as "steroid shot" is not specific enough to code.

    Source: rule catalog DOC-01; seed 002.
    """
    for adm in billed_administrations(ctx):
        if ctx.drug_class(adm) == "unspecified":
            yield _f(
                "DOC-01",
                Severity.ERROR,
                adm,
                f"The drug is not named specifically ({adm.drug.name}): a HCPCS code "
                "cannot be chosen.",
            )


@rule(
    "DOC-02",
    version=2,
    phase="check",
    order=71,
    summary="Dose with unit (or volume with concentration) documented",
    source="rule catalog DOC-02, DRUG-03",
)
def dose_documented(ctx: RuleContext) -> Iterator[Finding]:
    """A drug line needs a dose in billing units.

    A compounded mix whose contents per mL the note lists is dosed by its volume: its unlisted
    line is one unit whatever the volume, and the volume with the contents is the dose
    (version 2).

    Source: rule catalog DOC-02, DRUG-03.
    """
    for adm in billed_administrations(ctx):
        if adm.dose is None:
            yield _f(
                "DOC-02",
                Severity.ERROR,
                adm,
                f"No dose with a unit is documented for {adm.drug.name}: billing units "
                "cannot be determined.",
            )
            continue
        if billable_dose(ctx, adm) is None:
            if ctx.drug_class(adm) == "compounded":
                continue  # "1 mL" of a mix whose contents per mL are listed: its whole dose
            message = (f"{adm.drug.name} dose is documented only as a volume with no "
                       "concentration: billing units cannot be determined.")
        elif (units := implausible_units(ctx, adm)) is not None:
            message = (f"The documented {adm.drug.name} dose would be {units} billing units, "
                       "far beyond any real dose: check the unit (mg or mcg?) before billing.")
        else:
            continue
        yield Finding(
            rule_id="DOC-02",
            severity=Severity.ERROR,
            carc="16",
            administration_id=adm.id,
            evidence=(adm.drug.evidence, adm.dose.evidence),
            message=message,
        )


@rule(
    "DOC-03",
    version=1,
    phase="check",
    order=72,
    summary="Route stated, not implied",
    source="rule catalog DOC-03",
)
def route_documented(ctx: RuleContext) -> Iterator[Finding]:
    """The route must be written.

    Source: rule catalog DOC-03.
    """
    for adm in drug_administrations(ctx):
        if adm.route is None and ctx.family(adm) in ("injection", "unknown_route", "chemo"):
            yield _f(
                "DOC-03",
                Severity.ERROR,
                adm,
                f"The route for {adm.drug.name} is not stated (IM or SC)"
                + (
                    "; the administration line assumes an office IM/SC shot until the route "
                    "is documented."
                    if ctx.family(adm) == "injection"
                    else "."
                ),
            )


@rule(
    "DOC-04",
    version=1,
    phase="check",
    order=73,
    summary="Anatomic site with laterality",
    source="rule catalog DOC-04",
)
def site_documented(ctx: RuleContext) -> Iterator[Finding]:
    """Each 96372 injection needs its site and side.

    Source: rule catalog DOC-04.
    """
    if ctx.facility:
        return
    for adm in ctx.injections:
        if adm.site is None:
            yield _f(
                "DOC-04",
                Severity.WARNING,
                adm,
                f"No injection site documented for {adm.drug.name}.",
                carc=None,
            )
        elif adm.site.laterality is None:
            yield Finding(
                rule_id="DOC-04",
                severity=Severity.WARNING,
                administration_id=adm.id,
                evidence=(adm.drug.evidence, adm.site.evidence),
                message=f"The injection site for {adm.drug.name} has no laterality.",
            )


def _info(rule_id: str, attr: str, what: str) -> None:
    @rule(
        rule_id,
        version=1,
        phase="check",
        order=74,
        summary=f"{what} documented",
        source=f"rule catalog {rule_id}; seed 002/003 documentation elements",
    )
    def check(ctx: RuleContext) -> Iterator[Finding]:
        for adm in ctx.injections:
            if getattr(adm, attr) is None:
                yield _f(
                    rule_id,
                    Severity.INFO,
                    adm,
                    f"{what} not documented for {adm.drug.name}.",
                    carc=None,
                )

    check.__doc__ = f"{what} (info).\n\n    Source: rule catalog {rule_id}."


_info("DOC-06", "order", "Physician or standing order reference")
_info("DOC-07", "administered_by", "Who administered (with credentials)")
_info("DOC-08", "time", "Time of administration")
_info("DOC-10", "monitoring", "Post-injection observation / patient response")
_info("DOC-11", "consent", "Consent or patient education")


@rule(
    "DOC-09",
    version=1,
    phase="check",
    order=75,
    summary="Lot number and expiration date",
    source="rule catalog DOC-09",
)
def lot_documented(ctx: RuleContext) -> Iterator[Finding]:
    """Lot and expiration (info).

    Source: rule catalog DOC-09.
    """
    for adm in ctx.injections:
        missing = [
            n
            for n, v in (("lot number", adm.lot), ("expiration date", adm.expiration))
            if v is None
        ]
        if missing:
            yield _f(
                "DOC-09",
                Severity.INFO,
                adm,
                f"{' and '.join(missing).capitalize()} not documented for {adm.drug.name}.",
                carc=None,
            )


@rule(
    "DOC-12",
    version=1,
    phase="check",
    order=76,
    summary="Staff-only injection in the office without documented supervision (incident-to)",
    source="rule catalog DOC-12; Medicare incident-to direct supervision",
)
def incident_to(ctx: RuleContext) -> Iterator[Finding]:
    """RN/LPN/MA injections billed under a practitioner need one on site.

    Source: rule catalog DOC-12.
    """
    if ctx.pos != "11":
        return
    em = ctx.extraction.em
    if em.supervision or ctx.em_significant:
        return
    if em.practitioner and not em.supervision_denied:
        return  # a practitioner named in the note is taken as there unless the note denies it
    for adm in ctx.injections:
        who = adm.administered_by
        if who is not None and who.credential in ctx.kb.codes.staff_credentials:
            yield Finding(
                rule_id="DOC-12",
                severity=Severity.WARNING,
                administration_id=adm.id,
                evidence=(adm.drug.evidence, who.evidence, *em.supervision_denied[:1]),
                message=f"{who.credential} gave {adm.drug.name} with no practitioner "
                "visit that day and no direct supervision documented.",
            )


@rule(
    "DOC-14",
    version=1,
    phase="check",
    order=77,
    summary="Multiple injections: each with its own drug, dose, route and site",
    source="rule catalog DOC-14, MOD-01",
)
def each_injection_complete(ctx: RuleContext) -> Iterator[Finding]:
    """With two or more injections, each needs its own elements.

    Source: rule catalog DOC-14.
    """
    if len(ctx.injections) < 2 or ctx.facility:
        return
    for adm in ctx.injections:
        missing = [
            n
            for n, v in (("dose", adm.dose), ("route", adm.route), ("site", adm.site))
            if v is None
        ]
        if missing:
            yield _f(
                "DOC-14",
                Severity.ERROR,
                adm,
                f"Multiple injections: {adm.drug.name} lacks its own {', '.join(missing)}.",
            )


@rule(
    "DOC-16",
    version=1,
    phase="check",
    order=78,
    summary="Medication ordered but no administration documented",
    source="rule catalog DOC-16",
)
def ordered_not_given(ctx: RuleContext) -> Iterator[Finding]:
    """An order without a documented administration needs a look.

    Source: rule catalog DOC-16, CODE-11.
    """
    if ctx.facility:
        return  # the facility documents and bills its own orders
    administrations = ctx.extraction.administrations
    # "Zofran 4 mg IM now" then "ondansetron injection out in Pyxis": the note says why the
    # order was not carried out
    withheld = {a.drug.name for a in administrations
                if a.status is AdministrationStatus.NOT_GIVEN}
    for adm in administrations:
        if adm.status is AdministrationStatus.ORDERED and adm.drug.name not in withheld and not (
                adm.route is not None and adm.route.value is Route.ORAL):
            # "I have started methotrexate 15 mg orally once weekly": a prescription, not an
            # administration the visit should document
            yield _f(
                "DOC-16",
                Severity.WARNING,
                adm,
                f"{adm.drug.name} is ordered but its administration is not documented.",
                carc=None,
            )


@rule(
    "DOC-17",
    version=1,
    phase="check",
    order=79,
    summary="Route ambiguous or conflicting",
    source="rule catalog DOC-17",
)
def route_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """Flag "IM/IV", "IM or SC", or IM in one place and SC in another.

    Source: rule catalog DOC-17.
    """
    for adm in ctx.given:
        if adm.route is not None and adm.route.conflicts:
            routes = [adm.route.value.value] + [r.value for r in adm.route.conflicts]
            yield Finding(
                rule_id="DOC-17",
                severity=Severity.ERROR,
                carc="16",
                administration_id=adm.id,
                evidence=(adm.route.evidence, *adm.route.conflict_evidence),
                message=f"Conflicting routes documented for {adm.drug.name}: "
                f"{' vs '.join(routes)}.",
            )
