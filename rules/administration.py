"""Rules layer: which administration code applies (catalog section 1, CODE-01 … CODE-12)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from models import (
    Administration,
    AdministrationStatus,
    Finding,
    Line,
    LineKind,
    Route,
    Severity,
    Span,
    SpanLabel,
)
from rules.context import RuleContext
from rules.registry import rule

# "albuterol 2.5 mg nebs x 3", "neb q20 min x3": several treatments in one entry, counted after
# the last field of the entry on its line; not "x 2 hours"
_TREATMENTS = re.compile(
    r"[^\n.;]{0,25}?\b((?:x|times)\s*[2-9])\b"
    r"(?!\s*(?:h|hrs?|hours?|d|days?|wks?|weeks?|mins?|minutes?)\b)",
    re.IGNORECASE,
)


def _treatment_count(ctx: RuleContext, adm: Administration) -> Span | None:
    """The "x 3" that makes one charted entry several treatments, if the note writes one."""
    ends = [s.end for s in evidence(adm)]
    if adm.dose is not None:
        ends.append(adm.dose.evidence.end)
    end = max(ends)
    m = _TREATMENTS.match(ctx.encounter.text, end)
    if m is None:
        return None
    return Span(start=m.start(1), end=m.end(1), text=m[1], label=SpanLabel.TIME)


def evidence(adm: Administration) -> tuple[Span, ...]:
    """The spans that justify an administration line: drug, route, site."""
    spans = [adm.drug.evidence]
    if adm.route is not None:
        spans.append(adm.route.evidence)
    if adm.site is not None and adm.site.evidence not in spans:
        spans.append(adm.site.evidence)
    return tuple(spans)


def _first_and_add_on(
    adms: list[Administration], first: str, add_on: str, kind: LineKind, rule_id: str
) -> Iterator[Line]:
    """The primary code for the first administration, then its add-on code for the rest."""
    yield Line(
        code=first,
        kind=kind,
        administration_id=adms[0].id,
        rule_ids=(rule_id,),
        evidence=evidence(adms[0]),
    )
    if len(adms) > 1:
        yield from _add_on(adms[1:], add_on, kind, rule_id)


def _add_on(adms: list[Administration], code: str, kind: LineKind, rule_id: str) -> Iterator[Line]:
    """One add-on line for all its administrations, its units the count ("96375 x 2").

    The line names the first administration; its evidence covers every one of them.
    """
    spans: list[Span] = []
    for adm in adms:
        spans.extend(sp for sp in evidence(adm) if sp not in spans)
    yield Line(
        code=code,
        kind=kind,
        units=len(adms),
        administration_id=adms[0].id,
        rule_ids=(rule_id,),
        evidence=tuple(spans),
    )


@rule(
    "CODE-01",
    version=1,
    phase="lines",
    order=10,
    summary="96372 for each SC/IM therapeutic, prophylactic or diagnostic injection",
    source="rule catalog CODE-01; CPT 96372 (code only); seed 003",
)
def injection_lines(ctx: RuleContext) -> Iterator[Line]:
    """One 96372 line per distinct SC/IM injection of a non-vaccine, non-chemo substance.

    Source: rule catalog CODE-01.
    """
    for adm in ctx.injections:
        yield Line(
            code="96372",
            kind=LineKind.ADMINISTRATION,
            units=1,
            administration_id=adm.id,
            rule_ids=("CODE-01",),
            evidence=evidence(adm),
        )


def _by_season(ctx: RuleContext, products: list[str]) -> list[str]:
    """Drop quadrivalent influenza codes after their last season, when others remain.

    "Flublok" on 2026-11-03 is Flublok trivalent (90673): from the 2024-25 season every US
    influenza vaccine is trivalent (``quadrivalent_influenza_until`` in ``kb/code_sets.yaml``).
    """
    codes = ctx.kb.codes
    until = codes.quadrivalent_influenza_until
    if until is None or ctx.dos is None or ctx.dos <= until:
        return products
    current = [c for c in products if c not in codes.quadrivalent_influenza]
    return current or products


def _by_dose(ctx: RuleContext, adm: Administration, products: list[str]) -> list[str]:
    """Narrow a brand's product codes by its documented dosage or formulation.

    "Havrix ... 1 mL" is the adult 90632; "Recombivax HB dialysis formulation" is 90740
    (``kb/vaccine_doses.csv``).
    """
    named = adm.drug.evidence.text.lower()
    rows = [r for r in ctx.kb.vaccine_doses
            if r.code in products and re.search(rf"\b{re.escape(r.term)}", named)]
    text = ctx.encounter.text
    start = text.rfind("\n", 0, adm.drug.evidence.start) + 1
    end = text.find("\n", adm.drug.evidence.end)
    line = text[start : end if end >= 0 else len(text)].lower()
    chosen = {r.code for r in rows
              if r.context and re.search(rf"\b{re.escape(r.context)}", line)}
    if not chosen and adm.dose is not None:
        dose = (adm.dose.value, adm.dose.unit.value)
        chosen = {r.code for r in rows if not r.context and (r.amount, r.unit) == dose}
    return sorted(chosen) if len(chosen) == 1 else products


@rule(
    "CODE-02",
    version=3,
    phase="lines",
    order=11,
    summary="Vaccine administration 90471/90472 (90473/90474 nasal/oral) and product code; "
    "RSV antibody 96380/96381",
    source="rule catalog CODE-02; CPT immunization administration codes (codes only)",
)
def vaccine_lines(ctx: RuleContext) -> Iterator[Line | Finding]:
    """Vaccines are never 96372: 90471 first injected, 90472 each additional; product code.

    Source: rule catalog CODE-02; seed 003 critical exclusions.
    """
    vaccines = [a for a in ctx.given if ctx.family(a) == "vaccine"]
    injected = [
        a for a in vaccines if not (a.route and a.route.value in (Route.INTRANASAL, Route.ORAL))
    ]
    other = [a for a in vaccines if a not in injected]
    if vaccines and ctx.extraction.vaccine_counseling and (
            ctx.extraction.patient_age_years is not None
            and ctx.extraction.patient_age_years < ctx.kb.codes.counseled_vaccine_max_age):
        yield from _counseled_vaccines(ctx, vaccines)
    elif injected:
        yield from _first_and_add_on(injected, "90471", "90472", LineKind.VACCINE_ADMIN, "CODE-02")
        if other:
            yield from _add_on(other, "90474", LineKind.VACCINE_ADMIN, "CODE-02")
    elif other:
        yield from _first_and_add_on(other, "90473", "90474", LineKind.VACCINE_ADMIN, "CODE-02")
    yield from _antibody_immunizations(ctx)
    for adm in vaccines:
        products = [c for c in ctx.candidate_codes(adm) if c[:1].isdigit() or c.startswith("Q")]
        if len(products) > 1:
            # the valency or dose written on its line first ("Fluarix 2023-2024 quadrivalent"),
            # else the season's product
            products = _by_dose(ctx, adm, products)
        if len(products) > 1:
            products = _by_season(ctx, products)
        detail = (
            f"the product named maps to several codes ({', '.join(products)}): choose by "
            "formulation and presentation"
            if products
            else "the product is not named: add the vaccine product code for the product given"
        )
        yield from _product(adm, products, (adm.drug.evidence,),
                            f"Vaccine product code needed for {adm.drug.name}: {detail}; "
                            "90471/90472 cover only the administration.")


def _product(adm: Administration, products: list[str], spans: tuple[Span, ...],
             needed: str) -> Iterator[Line | Finding]:
    """The product code line when one code is left, else a CODE-02 warning saying what is needed."""
    if len(products) == 1:
        yield Line(
            code=products[0],
            kind=LineKind.VACCINE_PRODUCT,
            administration_id=adm.id,
            rule_ids=("CODE-02",),
            evidence=spans,
        )
        return
    yield Finding(
        rule_id="CODE-02",
        severity=Severity.WARNING,
        carc="16",
        administration_id=adm.id,
        evidence=(adm.drug.evidence,),
        message=needed,
    )


def _antibody_immunizations(ctx: RuleContext) -> Iterator[Line | Finding]:
    """An RSV antibody given as the season's immunization: 96380/96381 and its product code.

    96380 when a physician or other qualified professional counsels on the date (the cue that
    decides 90460 for vaccines), 96381 otherwise; the product code by the dose documented
    (``kb/vaccine_doses.csv``). A dose that matches no product code (200 mg given as two
    syringes) is the coder's: a warning, never a guessed count.
    """
    codes = ctx.kb.codes.antibody_immunization
    for adm in ctx.given:
        if ctx.family(adm) != "antibody_immunization":
            continue
        counsel = ctx.extraction.vaccine_counseling[:1]
        yield Line(
            code=codes.counseled if counsel else codes.other,
            kind=LineKind.VACCINE_ADMIN,
            administration_id=adm.id,
            rule_ids=("CODE-02",),
            evidence=tuple(counsel) + evidence(adm),
        )
        products = _by_dose(ctx, adm, list(ctx.candidate_codes(adm)))
        yield from _product(
            adm, products, (adm.drug.evidence,) + ((adm.dose.evidence,) if adm.dose else ()),
            f"Product code needed for {adm.drug.name}: the dose documented does not decide "
            f"between {', '.join(products)}; {codes.counseled}/{codes.other} cover only the "
            "administration.")


def _counseled_vaccines(ctx: RuleContext, vaccines: list[Administration]) -> Iterator[Line]:
    """90460 per vaccine and 90461 per additional component (CODE-02).

    When a physician or other qualified professional counsels a patient under 19; the components
    of combination vaccines are in ``kb/code_sets.yaml``.
    """
    extraction = ctx.extraction
    cues = extraction.vaccine_counseling[:1] + (
        (extraction.patient_age_evidence,) if extraction.patient_age_evidence else ())
    spans = list(cues)
    for adm in vaccines:
        spans.extend(sp for sp in evidence(adm) if sp not in spans)
    yield Line(
        code="90460",
        kind=LineKind.VACCINE_ADMIN,
        units=len(vaccines),
        administration_id=vaccines[0].id,
        rule_ids=("CODE-02",),
        evidence=tuple(spans),
    )
    components = ctx.kb.codes.vaccine_components
    more = sum(components.get(a.drug.name, 1) - 1 for a in vaccines)
    if more:
        yield Line(
            code="90461",
            kind=LineKind.VACCINE_ADMIN,
            units=more,
            administration_id=vaccines[0].id,
            rule_ids=("CODE-02",),
            evidence=tuple(spans),
        )


@rule(
    "CODE-03",
    version=1,
    phase="lines",
    order=12,
    summary="Antineoplastic SC/IM: 96401 non-hormonal, 96402 hormonal; never 96372",
    source="rule catalog CODE-03; seed 003",
)
def chemo_lines(ctx: RuleContext) -> Iterator[Line]:
    """Chemotherapy given SC or IM is coded 96401/96402.

    Source: rule catalog CODE-03.
    """
    seen: set[str] = set()
    for adm in ctx.given:
        if ctx.family(adm) == "chemo" and adm.drug.name not in seen:
            # one administration per drug: a dose given as two injections (fulvestrant
            # 500 mg as 2 x 250 mg) is one 96402
            seen.add(adm.drug.name)
            code = "96402" if ctx.drug_class(adm) == "antineoplastic_hormonal" else "96401"
            yield Line(
                code=code,
                kind=LineKind.ADMINISTRATION,
                administration_id=adm.id,
                rule_ids=("CODE-03",),
                evidence=evidence(adm),
            )


@rule(
    "CODE-04",
    version=1,
    phase="lines",
    order=13,
    summary="IV push: 96374 initial, 96375 each additional sequential push",
    source="rule catalog CODE-04; seed 003",
)
def iv_push_lines(ctx: RuleContext) -> Iterator[Line]:
    """IV pushes are 96374 then 96375.

    Source: rule catalog CODE-04.
    """
    pushes = [a for a in ctx.given if ctx.family(a) == "iv_push" and a.procedure is None]
    if pushes:
        yield from _first_and_add_on(pushes, "96374", "96375", LineKind.ADMINISTRATION, "CODE-04")


@rule(
    "CODE-05",
    version=1,
    phase="check",
    order=14,
    summary="IV infusion is out of scope to level: warning, not 96372",
    source="rule catalog CODE-05",
)
def infusion_warning(ctx: RuleContext) -> Iterator[Finding]:
    """An infusion is not coded here; a coder levels it.

    Source: rule catalog CODE-05.
    """
    if ctx.facility:
        return  # the facility codes what its staff gave
    for adm in ctx.given:
        if ctx.family(adm) == "infusion":
            yield Finding(
                rule_id="CODE-05",
                severity=Severity.WARNING,
                administration_id=adm.id,
                evidence=evidence(adm),
                message=f"{adm.drug.name} was given by IV infusion: code from the "
                "infusion family (96365 and add-ons), not 96372.",
            )


_OTHER_SIDE = {"right": "left", "left": "right"}


@rule(
    "CODE-06",
    version=1,
    phase="lines",
    order=15,
    summary="Joint/bursa injection: 20600/20605/20610 (20604/20606/20611 with ultrasound)",
    source="rule catalog CODE-06; seed 003",
)
def joint_lines(ctx: RuleContext) -> Iterator[Line | Finding]:
    """Arthrocentesis/injection codes by joint size; they include the administration.

    The same joint injected on both sides is one line with modifier 50 (bilateral).

    Source: rule catalog CODE-06.
    """
    seen: set[tuple[str | None, str | None]] = set()
    joints = [a for a in ctx.given if ctx.family(a) == "joint"]
    for adm in joints:
        joint = adm.site.joint if adm.site else None
        size = adm.site.joint_size if adm.site else None
        key = (joint, adm.site.laterality if adm.site else None)
        if key in seen:
            continue
        seen.add(key)
        # the same joint on both sides ("Right knee: ... Left knee: ...") is one bilateral
        # procedure, billed once with modifier 50
        other = _OTHER_SIDE.get(key[1] or "")
        pair = None
        if joint is not None and other is not None:
            pair = next((a for a in joints if a.site is not None
                         and (a.site.joint, a.site.laterality) == (joint, other)), None)
        if pair is not None:
            seen.add((joint, other))
        if size is None:
            yield Finding(
                rule_id="CODE-06",
                severity=Severity.WARNING,
                administration_id=adm.id,
                evidence=evidence(adm),
                message="Joint or bursa injection: the joint is not documented, so "
                "20600/20605/20610 cannot be chosen.",
            )
            continue
        recorded = any(c.kind == "image_recording" for c in ctx.extraction.procedures)
        guided = "ultrasound" if adm.guidance is not None and recorded else "landmark"
        code = ctx.kb.codes.joint_codes[size][guided]
        if adm.guidance is not None and not recorded:
            yield Finding(
                rule_id="CODE-06",
                severity=Severity.INFO,
                administration_id=adm.id,
                evidence=(adm.guidance.evidence,),
                message="Ultrasound guidance is documented without a permanent recorded image: "
                "the code without guidance applies.",
            )
        ev = evidence(adm) + ((adm.guidance.evidence,) if adm.guidance else ())
        yield Line(
            code=code,
            kind=LineKind.PROCEDURE,
            modifiers=("50",) if pair is not None else (),
            administration_id=adm.id,
            rule_ids=("CODE-06",),
            evidence=ev + (evidence(pair) if pair is not None else ()),
        )


@rule(
    "CODE-07",
    version=1,
    phase="lines",
    order=16,
    summary="Allergen immunotherapy: 95115 one injection, 95117 two or more",
    source="rule catalog CODE-07; seed 003",
)
def allergen_lines(ctx: RuleContext) -> Iterator[Line]:
    """Allergy shots are 95115/95117, never 96372.

    Source: rule catalog CODE-07.
    """
    shots = [a for a in ctx.given if ctx.family(a) == "allergen"]
    if shots:
        code = "95115" if len(shots) == 1 else "95117"
        yield Line(
            code=code,
            kind=LineKind.ADMINISTRATION,
            administration_id=shots[0].id,
            rule_ids=("CODE-07",),
            evidence=tuple(s for a in shots for s in evidence(a)),
        )


@rule(
    "CODE-08",
    version=1,
    phase="lines",
    order=17,
    summary="On-body injector application: 96377",
    source="rule catalog CODE-08; seed 003",
)
def on_body_lines(ctx: RuleContext) -> Iterator[Line]:
    """Applying a wearable on-body injector is 96377.

    Source: rule catalog CODE-08.
    """
    for adm in ctx.given:
        if ctx.family(adm) == "on_body":
            assert adm.device is not None
            yield Line(
                code="96377",
                kind=LineKind.ADMINISTRATION,
                administration_id=adm.id,
                rule_ids=("CODE-08",),
                evidence=evidence(adm) + (adm.device.evidence,),
            )


@rule(
    "CODE-09",
    version=1,
    phase="lines",
    order=18,
    summary="Intra-arterial injection: 96373",
    source="rule catalog CODE-09",
)
def intra_arterial_lines(ctx: RuleContext) -> Iterator[Line]:
    """Intra-arterial injections are 96373.

    Source: rule catalog CODE-09.
    """
    for adm in ctx.given:
        if ctx.family(adm) == "intra_arterial":
            yield Line(
                code="96373",
                kind=LineKind.ADMINISTRATION,
                administration_id=adm.id,
                rule_ids=("CODE-09",),
                evidence=evidence(adm),
            )


@rule(
    "CODE-10",
    version=3,
    phase="lines",
    order=19,
    summary="Other routes (intradermal, oral, intranasal, topical ...): no 96372, info; "
    "trigger point, intralesional, nerve block and tendon sheath injections, chemodenervation, "
    "intravitreal injections and tuberculin skin tests take their procedure code",
    source="rule catalog CODE-10; CPT 20552/20553 and 11900/11901 by count, 20550, 64405, "
    "64455, 64615, 67028, 86580 (codes only)",
)
def other_route_lines(ctx: RuleContext) -> Iterator[Line | Finding]:
    """Name the route of a non-injection administration; code injection procedures.

    A drug injected into trigger points or into lesions is given by another route than IM/SC:
    no 96372. The injection procedure's own code includes the administration: 20552 (one or two
    muscles) / 20553 (three or more), 11900 (up to seven lesions) / 11901 (more). When the note
    does not count the muscles or lesions, the smaller code is proposed for review. A procedure
    named by its target has one code (64405 greater occipital nerve, 64455 interdigital nerve,
    20550 tendon sheath or plantar fascia). Botulinum
    toxins are chemodenervation, an intravitreal injection is 67028 with its drug line, and a
    tuberculin skin test placed today is 86580, which includes the material (no drug line).

    Source: rule catalog CODE-10.
    """
    if ctx.facility:
        return  # the facility codes what its staff gave
    by_kind: dict[str, list[Administration]] = {}
    chemodenervation: list[Administration] = []
    by_route: dict[tuple[str, str | None], list[Administration]] = {}
    per_treatment: set[str] = set()
    for adm in ctx.given:
        if ctx.family(adm) == "skin_test":
            # "PPD 0.1 mL ID L forearm": the skin test's own code includes the material; one a day
            by_route.setdefault((ctx.kb.codes.skin_tests[adm.drug.name], None), []).append(adm)
        elif ctx.tissue_procedure(adm):
            assert adm.procedure is not None
            by_kind.setdefault(adm.procedure.kind, []).append(adm)
        elif ctx.family(adm) == "chemodenervation":
            chemodenervation.append(adm)
        elif (proc := ctx.route_procedure(adm)) is not None:
            if proc.per_treatment:
                per_treatment.add(proc.code)
            side = adm.site.laterality if adm.site and not proc.per_treatment else None
            by_route.setdefault((proc.code, side), []).append(adm)
        elif ctx.family(adm) == "other_route":
            route = adm.route.value.value if adm.route else "unstated"
            yield Finding(
                rule_id="CODE-10",
                severity=Severity.INFO,
                administration_id=adm.id,
                evidence=evidence(adm),
                message=f"{adm.drug.name} given by route {route}: not 96372.",
            )
    if chemodenervation:
        yield from _chemodenervation(ctx, chemodenervation)
    for (code, _), adms in by_route.items():
        for adm in adms if code in per_treatment else ():
            if (count := _treatment_count(ctx, adm)) is not None:
                yield Finding(
                    rule_id="CODE-10",
                    severity=Severity.WARNING,
                    administration_id=adm.id,
                    evidence=(adm.drug.evidence, count),
                    message=f"{adm.drug.name}: one entry documents several treatments "
                    f"({count.text}); {code} and the drug line are counted for one treatment "
                    "here: confirm the number of treatments and the total dose.",
                )
        # "Eylea 2 mg/0.05 mL intravitreal": one procedure per eye, which includes the injection;
        # a skin test, one a day; a nebulizer treatment, one per treatment: the most doses of any
        # one drug ("albuterol + ipratropium neb" is one treatment, "albuterol neb x3" three)
        yield Line(
            code=code,
            units=max(Counter(a.drug.name for a in adms).values()) if code in per_treatment else 1,
            kind=LineKind.PROCEDURE,
            administration_id=adms[0].id,
            rule_ids=("CODE-10",),
            evidence=tuple(s for a in adms for s in (a.drug.evidence, a.route and a.route.evidence)
                           if s is not None),
        )
    for kind, adms in by_kind.items():
        tiers = ctx.kb.codes.tissue_codes[kind]
        what = "muscles" if kind == "trigger_point" else "lesions"
        counts = [c for c in ctx.extraction.procedures
                  if c.kind == f"{what[:-1]}_count" and c.count]
        proc = adms[0].procedure
        assert proc is not None
        ev = (proc.evidence,) + tuple(a.drug.evidence for a in adms)
        if len(tiers) == 1:
            code = tiers[0][1]  # one code whatever the count
        elif counts:
            n = max(c.count or 0 for c in counts)
            code = next(code for least, code in sorted(tiers, reverse=True) if n >= least)
            ev += (next(c for c in counts if c.count == n).evidence,)
        else:
            code = min(tiers)[1]
            yield Finding(
                rule_id="CODE-10",
                severity=Severity.WARNING,
                administration_id=adms[0].id,
                evidence=(proc.evidence,),
                message=f"Injection procedure ({kind.replace('_', ' ')}): the number of {what} "
                f"is not documented; {code} is proposed, confirm the count.",
            )
        yield Line(
            code=code,
            kind=LineKind.PROCEDURE,
            administration_id=adms[0].id,
            rule_ids=("CODE-10",),
            needs_review=not counts and len(tiers) > 1,
            evidence=ev,
        )


def _chemodenervation(ctx: RuleContext, adms: list[Administration]) -> Iterator[Line | Finding]:
    """A botulinum toxin's procedure code: the one its indication decides, or the coder's choice.

    "OnabotulinumtoxinA for chronic migraine (PREEMPT)" is 64615 (``kb/code_sets.yaml``); a
    toxin for spasticity, dystonia, blepharospasm or the bladder is coded by the muscles or organ
    injected, which the coder chooses from the note.
    """
    text = ctx.encounter.text
    for pattern, code in ctx.kb.codes.chemodenervation.by_indication:
        if (m := re.search(pattern, text, re.IGNORECASE)) is not None:
            yield Line(
                code=code,
                kind=LineKind.PROCEDURE,
                administration_id=adms[0].id,
                rule_ids=("CODE-10",),
                evidence=(Span(start=m.start(), end=m.end(), text=m[0], label=SpanLabel.DIAGNOSIS),)
                + tuple(a.drug.evidence for a in adms),
            )
            return
    yield Finding(
        rule_id="CODE-10",
        severity=Severity.WARNING,
        administration_id=adms[0].id,
        evidence=tuple(a.drug.evidence for a in adms),
        message=f"Chemodenervation with {adms[0].drug.name}: not 96372; the procedure code "
        f"({', '.join(ctx.kb.codes.chemodenervation.choose_from)}) follows the muscles or organ "
        "injected, choose it from the note.",
    )


@rule(
    "CODE-11",
    version=1,
    phase="check",
    order=20,
    summary="Not given today (declined, historical, planned, ordered, home): no code",
    source="rule catalog CODE-11; seed 002",
)
def not_given_info(ctx: RuleContext) -> Iterator[Finding]:
    """When the only injection content is not given today, say so.

    Source: rule catalog CODE-11. Ordered-not-given is DOC-16's warning.
    """
    if ctx.given:
        return
    for adm in ctx.extraction.administrations:
        if adm.status is AdministrationStatus.ORDERED:
            continue
        ev = (adm.drug.evidence,) + ((adm.status_evidence,) if adm.status_evidence else ())
        yield Finding(
            rule_id="CODE-11",
            severity=Severity.INFO,
            administration_id=adm.id,
            evidence=ev,
            message=f"{adm.drug.name} is documented as {adm.status.value.replace('_', ' ')}"
            ", not given in this encounter: no administration code.",
        )


@rule(
    "CODE-12",
    version=1,
    phase="adjust",
    order=5,
    summary="Injection that is part of a procedure: no separate 96372 (NCCI)",
    source="rule catalog CODE-12; NCCI PTP practitioner edits with 96372",
)
def procedure_bundling(ctx: RuleContext, lines: list[Line]) -> tuple[list[Line], list[Finding]]:
    """Premedication or anaesthetic for a procedure is included in it; the drug may be reported.

    Source: rule catalog CODE-12.
    """
    findings = [
        Finding(
            rule_id="CODE-12",
            severity=Severity.WARNING,
            administration_id=adm.id,
            evidence=(adm.drug.evidence, adm.procedure.evidence),
            carc="97",
            message=f"{adm.drug.name} appears to be given as part of a procedure documented in "
            "this encounter: no separate 96372; report the procedure and, where payable, "
            "the drug.",
        )
        for adm in ctx.given
        if ctx.family(adm) in ("injection", "iv_push") and adm.procedure is not None
        and not ctx.facility
    ]
    return lines, findings
