"""Rules layer: ``RuleContext``, the read-only facts every rule function receives.

Derived facts (the place of service in force, the payer profile, which administrations were
given and by which route family each is billed) are computed once here, so each rule stays a
small pure function of the context.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from models import (
    Administration,
    AdministrationStatus,
    Encounter,
    Extraction,
    Route,
    Span,
)
from rules.kb import (
    DESCRIPTOR_ROUTE_NAMES,
    DrugRow,
    HcpcsRow,
    KnowledgeBase,
    PayerProfile,
    RouteProcedure,
    billing_units,
)

INJECTION_ROUTES = frozenset({Route.IM, Route.SC})


_ROUTE_FAMILY = {Route.IM: "injection", Route.SC: "injection", Route.IV_PUSH: "iv",
                 Route.IV_INFUSION: "iv"}
# where a shot goes and a vein is not reached: a site here settles "IM/IV" as the injection
_SHOT_SITES = frozenset({"deltoid", "gluteal", "ventrogluteal", "vastus_lateralis",
                         "rectus_femoris", "abdomen", "upper_arm", "hip"})


@dataclass(frozen=True)
class DrugChoice:
    """The HCPCS code chosen for an administration and the units its dose gives."""

    row: HcpcsRow | None
    units: int | None
    replaced: tuple[str, ...] = ()


@dataclass
class RuleContext:
    """Everything a rule may read. Rules never mutate it."""

    encounter: Encounter
    extraction: Extraction
    kb: KnowledgeBase
    payer: PayerProfile
    payer_assumed: bool
    pos: str
    pos_source: str
    pos_evidence: Span | None
    dos: date
    dos_assumed: bool
    telehealth: Span | None = None
    _cache: dict[str, object] = field(default_factory=dict)

    @cached_property
    def given(self) -> list[Administration]:
        """Administrations given (or started and stopped) in this encounter."""
        return [
            a
            for a in self.extraction.administrations
            if a.status in (AdministrationStatus.GIVEN, AdministrationStatus.DISCONTINUED)
        ]

    def drug_row(self, adm: Administration) -> DrugRow | None:
        """The knowledge-base row of the administered drug, or of its kit (``co_packaged``).

        Cabotegravir and rilpivirine injected at one visit are the two halves of one kit, billed
        on the kit's code; either given alone keeps its own row.
        """
        kit = self._kits.get(adm.drug.name)
        return kit if kit is not None else self.kb.drugs.get(adm.drug.name)

    @cached_property
    def _kits(self) -> dict[str, DrugRow]:
        """Component drug -> its kit's row, for the kits whose every component was given."""
        given = {a.drug.name for a in self.given}
        return {part: row for kit, parts in self.kb.codes.co_packaged.items()
                if parts <= given and (row := self.kb.drugs.get(kit)) is not None
                for part in parts}

    def drug_class(self, adm: Administration) -> str:
        """The drug's class (``therapeutic`` when the knowledge base has no row)."""
        if adm.drug.drug_class:
            return adm.drug.drug_class  # the product named can decide (a term's own class)
        row = self.drug_row(adm)
        return row.drug_class if row else "therapeutic"

    def family(self, adm: Administration) -> str:
        """How the administration is billed: injection, vaccine, chemo, iv_push, infusion, ..."""
        klass = self.drug_class(adm)
        route = adm.route.value if adm.route else None
        if klass == "vaccine":
            return "vaccine"
        if adm.drug.name in self.kb.codes.antibody_immunization.drugs and (
                route is None or route in INJECTION_ROUTES):
            return "antibody_immunization"  # nirsevimab: 96380/96381 and its product (CODE-02)
        if adm.drug.name in self.kb.codes.chemodenervation.drugs:
            return "chemodenervation"  # a botulinum toxin: the procedure's code (CODE-10)
        if adm.drug.name in self.kb.codes.skin_tests and route in (None, Route.INTRADERMAL):
            return "skin_test"  # "PPD 0.1 mL ID": the test's own code (86580), no drug line
        if klass in ("local_anesthetic", "contrast"):
            # Local anaesthetic and contrast are part of the procedure or study they serve.
            return "other_route"
        if adm.route is not None and any(
            _ROUTE_FAMILY.get(c) != _ROUTE_FAMILY.get(adm.route.value) for c in adm.route.conflicts
        ):
            shot = [r for r in (adm.route.value, *adm.route.conflicts) if r in INJECTION_ROUTES]
            if not (shot and adm.site is not None and adm.site.location in _SHOT_SITES):
                return "ambiguous_route"  # "IM/IV": the administration code cannot be chosen
            # "Ketorolac 30 mg IM/IV x1 - given by MA, L deltoid": the site is a muscle's, so
            # the service is the injection; the conflicting route stays an error (DOC-17)
            route = shot[0]
        if self.tissue_procedure(adm):
            return "tissue"  # into a trigger point or a lesion: the procedure's own code
        if adm.device is not None:
            return "on_body"
        if route == Route.INTRA_ARTICULAR or (
            adm.site is not None and adm.site.joint and route not in INJECTION_ROUTES
        ):
            return "joint"
        if route == Route.IV_PUSH:
            return "iv_push"
        if route == Route.IV_INFUSION:
            return "infusion"
        if route == Route.INTRA_ARTERIAL:
            return "intra_arterial"
        if self.route_procedure(adm) is not None:
            return "route_procedure"  # "Eylea 2 mg intravitreal": the procedure's own code
        if route in (Route.INTRADERMAL, Route.INTRANASAL, Route.ORAL, Route.OTHER):
            return "other_route"
        if klass == "allergen":
            return "allergen"
        if klass in ("antineoplastic", "antineoplastic_hormonal"):
            return "chemo"
        if route is None:
            row = self.drug_row(adm)
            if row and row.routes and set(row.routes) <= {"IM", "SC"}:
                return "injection"
            if row and row.routes and (set(row.routes) <= {"ORAL"} or (
                    "ORAL" in row.routes and not set(row.routes) & {"IM", "SC"})):
                # "Tylenol 650 mg given", "Azithro 500 mg given w/ water": by mouth, unless
                # the product also comes as an IM/SC injection
                return "other_route"
            if row and row.routes and set(row.routes) <= {"IV_INFUSION"}:
                return "infusion"  # "NS 1 L bolus": a fluid only made for infusion
            if row and row.routes and set(row.routes) & {"IM", "SC"} and self._office_shot(adm):
                # An office shot whose route the note never states ("Toradol 30 mg given"):
                # the catalog treats the missing route as a 96372 documentation gap (DOC-03,
                # an error that holds the claim), not as a different service.
                return "injection"
            return "unknown_route"
        return "injection"

    def route_procedure(self, adm: Administration) -> RouteProcedure | None:
        """The procedure the written route names ("intravitreal": 67028), if any.

        The routes are those in ``kb/code_sets.yaml`` (route_procedures). Not for a drug whose
        product is not made for that route ("racemic epinephrine 0.5 mL by nebulizer": the
        epinephrine codes are injections), which stays a CODE-10 info for the coder.
        """
        if adm.route is None or adm.route.value is not Route.OTHER:
            return None
        row = self.drug_row(adm)
        if row is not None and row.routes and "OTHER" not in row.routes:
            return None
        written = adm.route.evidence.text
        return next((p for p in self.kb.codes.route_procedures.values()
                     if re.search(p.pattern, written, re.IGNORECASE)
                     # a treatment code only with its drug's own code ("racemic epinephrine
                     # by nebulizer" has none: the coder decides)
                     and not (p.per_treatment and (row is None or not row.codes))), None)

    def tissue_procedure(self, adm: Administration) -> bool:
        """Whether the drug went into trigger points, lesions, a nerve or a tendon sheath (CODE-10).

        The procedure kinds are those with codes by count in ``kb/code_sets.yaml`` (tissue_codes).
        """
        return adm.procedure is not None and adm.procedure.kind in self.kb.codes.tissue_codes

    def _office_shot(self, adm: Administration) -> bool:
        """Whether a drug with no stated route reads as a plain IM/SC shot.

        Not when the note is a procedure (a joint, heel, epidural or coccygeal injection mixed
        with lidocaine or Marcaine, or any procedure cue): there the target, not a muscle,
        takes the drug, and no administration code can be proposed.
        """
        if adm.procedure is not None or self.extraction.procedures:
            return False
        if adm.site is not None and (adm.site.joint or adm.site.location == "other"):
            return False
        return not any(self.drug_class(a) == "local_anesthetic" for a in self.given)

    @cached_property
    def injections(self) -> list[Administration]:
        """Given administrations billed under 96372 (CODE-01), before procedure bundling.

        A drug drawn up in the same syringe as an injection before it is part of that one
        injection ("Kenalog 40 mg + Depo-Medrol 40 mg in one syringe, single IM injection").
        When several drugs share one syringe cue, the first of them is the injection.
        """
        def syringe(a: Administration) -> tuple[int, int] | None:
            cue = a.shared_syringe
            return None if cue is None else (cue.evidence.start, cue.evidence.end)

        sharing = Counter(syringe(a) for a in self.given)
        out: list[Administration] = []
        seen: set[tuple[int, int]] = set()
        for a in self.given:
            if self.family(a) != "injection" or a.procedure is not None:
                continue
            if (key := syringe(a)) is not None:
                # a cue of its own refers back to the injection charted before it
                if key in seen or (sharing[key] < 2 and out):
                    continue
                seen.add(key)
            out.append(a)
        return out

    @property
    def facility(self) -> bool:
        """Whether the place of service is a facility (POS-01)."""
        return self.pos in self.kb.codes.facility_pos

    @property
    def esrd_facility(self) -> bool:
        """Whether the place of service is an ESRD treatment facility (CMS POS 65)."""
        return self.pos in self.kb.codes.dialysis_pos

    def candidate_codes(self, adm: Administration) -> tuple[str, ...]:
        """Codes for the administered product: the brand's own codes, else the drug's."""
        if adm.drug.hcpcs:
            return adm.drug.hcpcs
        row = self.drug_row(adm)
        return row.codes if row else ()

    def choose_code(
        self, adm: Administration, total: Decimal | None = None, unit: str | None = None
    ) -> DrugChoice:
        """Pick the HCPCS code in force on the date of service and compute units (DRUG-02/04).

        Among several strength-specific codes in force, the one giving the fewest units wins
        (ties: the code whose amount divides the dose exactly).
        """
        # J/Q codes, and CPT product codes billed per amount (cpt_products.csv); not vaccines,
        # whose product codes are not in the table
        rows = [self.kb.hcpcs[c] for c in self.candidate_codes(adm) if c in self.kb.hcpcs]
        route = adm.route.value.value if adm.route is not None else None
        if route in DESCRIPTOR_ROUTE_NAMES:
            # a code whose descriptor names other routes is not this dose's: subcutaneous
            # Skyrizi is not J2327 ("risankizumab-rzaa, intravenous"); with no code left the
            # drug is unlisted (DRUG-05)
            rows = [r for r in rows if not r.routes or route in r.routes]
        in_force = [r for r in rows if r.in_force(self.dos)]
        replaced = tuple(r.code for r in rows if not r.in_force(self.dos))

        def review(candidates: list[HcpcsRow]) -> DrugChoice:
            # a code for the coder to confirm, its units unknown
            return DrugChoice(min(candidates, key=lambda r: r.code), None, replaced)

        if not in_force:
            return DrugChoice(None, None, replaced)
        in_force = self._dialysis_fit(in_force)
        if total is None or unit is None:
            if adm.dose is None:
                return review(in_force)
            total, unit = adm.dose.value, adm.dose.unit.value
        bands = self.kb.codes.dose_bands
        if any(r.code in bands for r in in_force):
            # per-dose codes told apart by the labeled doses each covers (Brixadi weekly/monthly)
            fits = [r for r in in_force if r.code not in bands
                    or bands[r.code].covers(total, unit) is not False]
            if not fits:
                return review(in_force)
            in_force = fits
        # each code's (units, 0 when its amount divides the dose exactly, code): the least wins
        scored: list[tuple[tuple[int, int, str], HcpcsRow]] = []
        for r in in_force:
            units = billing_units(total, unit, r)
            if units is not None:
                exact = 0 if r.amount and (total / r.amount) == units else 1
                scored.append(((units, exact, r.code), r))
        if not scored:
            return review(in_force)
        best, chosen = min(scored, key=lambda s: s[0])
        tied = [r for key, r in scored if key[:2] == best[:2]]
        if sum(r.code in bands for r in tied) > 1:
            # two products' labeled strengths cover the dose alike (leuprolide 22.5 mg: Lupron
            # Depot J9217 or Cipla J1954): the product decides, and the note does not name it
            return review(tied)
        return DrugChoice(chosen, best[0], replaced)

    def _dialysis_fit(self, rows: list[HcpcsRow]) -> list[HcpcsRow]:
        """Of a drug's "for ESRD on dialysis" and "non-ESRD use" codes, the one the patient fits.

        Epoetin alfa J0885 (non-ESRD) vs Q4081/J0886 (ESRD on dialysis), Retacrit Q5106 vs Q5105,
        darbepoetin J0881 vs J0882: the ESRD codes need end-stage renal disease or dialysis
        dependence on the claim, or an ESRD facility's place of service (``kb/code_sets.yaml``).
        """
        kinds = {r.code: _for_dialysis(r) for r in rows}
        if len(set(kinds.values())) < 2:
            return rows
        sets = self.kb.codes
        codes = {d.code.replace(".", "").upper() for d in self.extraction.diagnoses}
        dialysis = self.encounter.place_of_service in sets.dialysis_pos or any(
            c.startswith(sets.dialysis_diagnoses) for c in codes)
        return [r for r in rows if kinds[r.code] == dialysis]

    @cached_property
    def em_documented(self) -> bool:
        """Any E/M content (history, exam or decision making) in the note."""
        em = self.extraction.em
        return bool(em.history or em.exam or em.mdm or em.diagnosis_statements)

    @cached_property
    def em_significant(self) -> bool:
        """A significant, separately identifiable E/M is documented (EM-02 / EM-03).

        History or exam plus an assessment (medical decision making about a problem), and no
        statement that this was a nurse/injection-only visit.
        """
        em = self.extraction.em
        if em.no_em:
            return False
        if em.prenatal and not self.encounter.billed_em:
            return False  # a routine prenatal visit: its E/M is in the global OB package
        # A bare "Dx:" field is decision making only when the practitioner bills an E/M for it.
        billed = self.encounter.billed_em in self.kb.codes.problem_oriented_em
        # Vital signs are the nurse's intake, not the practitioner's examination: "BP 128/82"
        # beside "Dx:" on an injection visit is no separately identifiable E/M
        examined = bool(em.history) and any(not _VITALS.fullmatch(s.text) for s in em.exam)
        # A problem the practitioner wrote down with its ICD-10-CM code ("Impingement syndrome R
        # shoulder (M75.41)") is a diagnosis statement, like a "Dx:" field.
        coded = any(d.source == "explicit" for d in self.extraction.diagnoses)
        decision = bool(em.mdm) or ((billed or examined) and (bool(em.diagnosis_statements)
                                                              or coded))
        if (decision and not (em.history or em.exam) and em.practitioner
                and em.time_minutes is not None and not self.given):
            # A practitioner's visit with no injection, leveled by the total time it states
            # (a video consultation's plan and "Total time ... 32 minutes"): the E/M is the
            # visit itself, with nothing to be separate from.
            return True
        if (self.encounter.billed_em or em.practitioner or not decision
                or not (em.history or em.exam)):
            return decision and bool(em.history or em.exam)
        # With no E/M billed and no practitioner named, SOAP or DAR headings over a nurse's
        # injection visit ("S: Denies SI. O: BP 128/78. A: Tolerated.") are no practitioner's
        # visit: it takes an examination finding beyond the vital signs, or decision making
        # beyond an "A:" heading.
        found = any(not _VITALS.fullmatch(s.text) and not _SOAP_HEADING.fullmatch(s.text)
                    for s in em.exam)
        return found or any(not _SOAP_HEADING.fullmatch(s.text) for s in em.mdm)

    @property
    def patient_status(self) -> str | None:
        """New/established from metadata, else the note's cue (EM-07)."""
        return self.encounter.patient_status or self.extraction.em.patient_status


# An exam span that is a vital sign ("BP 128/82", "HR 88", "SpO2", "afebrile")
_VITALS = re.compile(
    r"(?:bp|hr|blood\s+pressure)\b.*|spo2|afebrile", re.IGNORECASE | re.DOTALL)
# A SOAP or DAR heading on its own: "O:", "Objective:", "A:", "A.", "Assessment:", "Imp:"
_SOAP_HEADING = re.compile(
    r"\s*(?:o|obj(?:ective)?|a|assessment(?:\s+and\s+plan)?|a/p|imp(?:ression)?)\s*[:.]?\s*",
    re.IGNORECASE)
_NON_ESRD = re.compile(r"\bnon[- ]?esrd\b", re.IGNORECASE)


def _for_dialysis(row: HcpcsRow) -> bool:
    """Whether a HCPCS descriptor limits the code to ESRD on dialysis."""
    text = row.long_description
    return "esrd" in text.lower() and _NON_ESRD.search(text) is None
