"""Extractor on patterns seen in fresh labeled notes, with the packaged lexicon (real drug names).

Each case names the general pattern it stands for, not the record it came from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractor.components.admin_details import DATE
from extractor.extensions import mentions
from models import AdministrationStatus as S
from models import Encounter, Route
from tests.helpers import assert_spans_match


def _admins(coder, text, dos=date(2026, 5, 1)):
    ex = coder.extractor.extract(text, dos)
    for a in ex.administrations:
        assert_spans_match(text, a)
    return [(a.drug.name, a.status, a) for a in ex.administrations]


def _given(coder, text, dos=date(2026, 5, 1)):
    """The administrations given today, in order."""
    return [a for _, st, a in _admins(coder, text, dos) if st is S.GIVEN]


def _status_list(coder, text, dos=date(2026, 5, 1)):
    """(drug, status) for each administration, in order."""
    return [(n, st) for n, st, _ in _admins(coder, text, dos)]


def _statuses(coder, text, dos=date(2026, 5, 1)):
    """Each drug's status (the last administration of a drug wins)."""
    return {n: st for n, st, _ in _admins(coder, text, dos)}


def _vials(coder, text, dos=date(2026, 5, 1)):
    """The allergen-extract vials given today, in order."""
    return [a for a in _given(coder, text, dos) if a.drug.name == "allergen extract"]


def _doses(coder, text, dos=date(2026, 5, 1)):
    """(drug, status, (dose value, unit) or None) for each administration."""
    return [(n, st, a.dose and (a.dose.value, a.dose.unit.value))
            for n, st, a in _admins(coder, text, dos)]


def test_lidocaine_mixed_into_a_joint_is_its_own_administration(coder):
    text = ("Right knee prepped; injected with 40 mg of Kenalog mixed with 4 cc of 1% "
            "lidocaine into the joint. Tolerated.")
    got = {name: a for name, status, a in _admins(coder, text) if status is S.GIVEN}
    assert set(got) == {"triamcinolone acetonide", "lidocaine"}
    lido = got["lidocaine"]
    assert (lido.dose.value, lido.dose.unit.value) == (Decimal(40), "mg")  # 4 mL x 10 mg/mL
    assert lido.route.value.value == "INTRA_ARTICULAR"


def test_a_steroid_with_dictated_volumes_of_lidocaine_shares_the_injection(coder):
    # dictation spells out the units: "with 3 milliliters of 1 percent lidocaine was injected"
    text = ("Procedure. After consent and time-out, the right knee was prepped and Depo-Medrol 40 "
            "milligrams with 3 milliliters of 1 percent lidocaine was injected intra-articular "
            "into the right knee without difficulty. Tolerated well.")
    got = {name: a for name, status, a in _admins(coder, text) if status is S.GIVEN}
    assert set(got) == {"methylprednisolone acetate", "lidocaine"}
    assert got["methylprednisolone acetate"].dose.value == 40


def test_lidocaine_reconstituting_a_powder_is_not_an_administration(coder):
    text = "Ceftriaxone 1 g IM L ventrogluteal, mixed w/ 2.1 mL 1% lidocaine, given by RN."
    assert [name for name, _, _ in _admins(coder, text)] == ["ceftriaxone"]


def test_percent_strength_needs_an_anaesthetic_name(coder):
    text = "SpO2 96% RA. 10 mL of 0.5% Marcaine was infiltrated at the port sites."
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(50), "mg")
    assert adm.route.value.value == "OTHER"


def test_bare_depo_is_the_notes_one_depo_drug(coder):
    text = ("Last Depo 02/03/26, in window. Medroxyprogesterone acetate 150 mg IM R deltoid "
            "given by MA. Tolerated.")
    got = _status_list(coder, text)
    assert got == [("medroxyprogesterone acetate", S.HISTORICAL),
                   ("medroxyprogesterone acetate", S.GIVEN)]


def test_bare_depo_with_two_depo_drugs_stays_unmatched(coder):
    text = ("Depo-Medrol 80 mg IM R glute given. On Depo-Provera since 2024; "
            "last Depo 03/01/26.")
    evidence = [a.drug.evidence.text for _, _, a in _admins(coder, text)]
    assert "Depo-Medrol" in evidence and "Depo" not in evidence  # the bare "Depo" is not guessed


def test_respectively_assigns_sides_in_order(coder):
    text = "Toradol 60mg and phenergan 25mg IM, R and L glute respectively, given by MA."
    sides = {name: a.site.laterality for name, _, a in _admins(coder, text)}
    assert sides == {"ketorolac": "right", "promethazine": "left"}


def test_joint_side_from_the_title(coder):
    text = ("US-GUIDED INJECTION - RIGHT WRIST\nNeedle into the radiocarpal joint; "
            "Depo-Medrol 40 mg injected intra-articular.")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.site.laterality == "right" and adm.site.location == "other"


def test_needle_withdrawn_before_the_plunger_is_not_given(coder):
    text = ("Pt here for Depo-Provera 150 mg IM. L deltoid cleansed; needle inserted, pt "
            "fainted - needle withdrawn before the plunger was depressed. NO medication "
            "injected. Rescheduled.")
    assert [status for _, status, _ in _admins(coder, text)] == [S.NOT_GIVEN]


def test_dotted_flowsheet_fields(coder):
    text = ("Drug .................... Vitamin B-12 (cyanocobalamin) 1,000 mcg/mL\n"
            "Amount .................. 1 mL\nRoute ................... IM\n"
            "Site .................... R deltoid\n")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.GIVEN and adm.route.value.value == "IM"
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(1000), "mcg")


def test_given_today_beats_continue(coder):
    text = ("Plan: Continue haloperidol decanoate 100 mg IM q4wk - given today by me, "
            "R gluteal.")
    assert [status for _, status, _ in _admins(coder, text)] == [S.GIVEN]


def test_bicillin_alone_names_no_product(coder):
    """DOC-01: Bicillin L-A (J0561) and C-R (J0558) are different codes."""
    text = "Strep pharyngitis (J02.0). Bicillin 1.2 million units IM given R ventrogluteal."
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "DOC-01" in {f.rule_id for f in result.findings}
    assert not any(line.code in ("J0561", "J0558") for line in result.lines)


@pytest.mark.parametrize(("product", "volume", "units"), [
    ("Bicillin C-R 900/300", "2 mL", 12),  # 1,200,000 units per 2 mL syringe: J0558 x12
    ("Bicillin C-R", "1 mL", 6),           # 600,000 units per mL
    ("Bicillin L-A", "4 mL", 24),          # 2,400,000 units: J0561 per 100,000 units
])
def test_a_penicillin_volume_with_its_product_strength_gives_the_units(coder, product, volume,
                                                                        units):
    text = (f"Strep pharyngitis (J02.0). Nursing: {product}, {volume} given deep IM R "
            "anterolateral thigh at 11:20.")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    drug = [line for line in result.lines if line.code in ("J0558", "J0561")]
    assert [line.units for line in drug] == [units]


def test_a_dose_pointed_to_as_above_is_not_another_dose(coder):
    """"second epinephrine dose as above" points to the charted row; "B12 given as above" under a
    MAR order is the dose; a hand-off "report given" gives no drug."""
    text = ("| 13:40 | EPINEPHrine 1 mg/mL injection | 0.3 mg | IM | R thigh | Dr. Reyes |\n"
            "| 13:52 | EPINEPHrine 1 mg/mL injection | 0.3 mg | IM | L thigh | Dr. Reyes |\n"
            "13:50 still wheezing -> second epinephrine dose as above.\n14:05 BP 112/70.\n"
            "14:18 EMS arrived, report given, pt transported to the ED.\n")
    got = [a for name, status, a in _admins(coder, text) if name == "epinephrine"]
    assert [(a.status, a.dose.value) for a in got] == [(S.GIVEN, Decimal("0.3"))] * 2
    text = ("MAR: Cyanocobalamin inj 1,000mcg/mL  give 1,000mcg IM q month on the 5th\n"
            "Note 02/05 0910: B12 given as above, res tolerated. -J. Sato LPN\n")
    got = [s for name, s, _ in _admins(coder, text, date(2026, 2, 5)) if name == "cyanocobalamin"]
    assert S.GIVEN in got


def test_home_visit_em_takes_modifier_25(coder):
    """EM-02 applies to home, nursing-facility and consult E/M codes, not only office codes."""
    text = ("Home visit, established pt.\nHPI: 84F with 3 days of dysuria, frequency and "
            "low-grade fever; no flank pain.\nExam: suprapubic tenderness, no CVA tenderness.\n"
            "Assessment: acute cystitis (N30.00); cannot take oral antibiotics today.\n"
            "Plan: ceftriaxone 1 g IM L ventrogluteal given by me; recheck in 48 h.")
    result = coder.code(Encounter(text=text, place_of_service="12", billed_em="99349",
                                  patient_status="established"))
    em = [line for line in result.lines if line.code == "99349"]
    assert em and em[0].modifiers == ("25",)


def test_total_time_statements_in_the_wording_clinicians_use(coder):
    cases = {
        "Total time on the date of the encounter, including review of the ER records, "
        "examination, counseling and documentation: 42 minutes.": 42,
        "Total time with patient, coordination with EMS and family, and documentation: "
        "38 minutes.": 38,
        "Toradol 60 mg IM L VG.\nTime: 40 min total today incl. record review.": 40,
        "35 minutes were spent with the patient and her daughter.": 35,
    }
    for text, minutes in cases.items():
        em = coder.extractor.extract(text, date(2026, 5, 1)).em
        assert em.time_minutes == minutes, text
        ev = em.time_evidence
        assert text[ev.start:ev.end] == ev.text


def test_observation_minutes_are_not_visit_time(coder):
    for text in ("Toradol 60 mg IM R glut. Observed 15 min, no reaction.",
                 "Observation time: 15 min, no rxn.",
                 "Ondansetron 4 mg IV push over 2 min at 10:20."):
        assert coder.extractor.extract(text, date(2026, 5, 1)).em.time_minutes is None, text


def test_a_timed_log_entry_is_an_administration(coder):
    text = ("A: Nausea with vomiting (R11.2).\nP/Course:\n- 20G PIV L antecubital.\n"
            "- 1040 ondansetron 4 mg IV push over 2 min.\n- 1150 tolerated PO fluids.\n")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.GIVEN
    assert adm.time is not None and adm.time.value == "1040"


def test_an_amount_at_line_start_is_not_a_clock_time(coder):
    text = "Plan:\n1000 mcg B12 IM monthly, next due 6/1."
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is not S.GIVEN
    assert adm.time is None


def test_oral_drug_given_in_clinic_gets_no_line_and_no_route_error(coder):
    text = ("Fever 39.4, ear pain. A: acute otitis media, right ear (H66.91). "
            "Tylenol 650 mg given at 10:15. Amoxicillin rx sent.")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    given = [a for a in result.administrations if a.status is S.GIVEN]
    assert [a.drug.name for a in given] == ["acetaminophen"]
    assert not result.lines
    assert "DOC-03" not in {f.rule_id for f in result.findings}  # CODE-10 only: oral by nature


def test_oral_drug_never_takes_the_procedures_route_or_site(coder):
    text = ("PROCEDURE: R subacromial bursa injection\nIndication: bursitis (M75.51) despite PT "
            "and naproxen.\nDepo-Medrol 40 mg (1 mL) injected into R subacromial bursa.\n")
    adms = {name: a for name, _, a in _admins(coder, text)}
    assert "naproxen" not in adms or (adms["naproxen"].route is None
                                      and adms["naproxen"].site is None)
    assert adms["methylprednisolone acetate"].status is S.GIVEN


def test_a_second_drugs_frequency_does_not_make_the_first_a_regimen(coder):
    text = "A: Cervicitis (N72)\nP: ceftriaxone 500 mg IM + doxycycline 100 mg BID x 7 d."
    statuses = {name: status for name, status, _ in _admins(coder, text)}
    assert statuses["ceftriaxone"] is S.ORDERED
    assert statuses["doxycycline"] is S.PLANNED  # a prescription's sig: taken later, at home


def test_a_cue_after_the_second_of_two_mixed_drugs_serves_the_first(coder):
    text = ("PLAN: We will inject both elbows with 40 mg of Kenalog mixed with 1 cc of "
            "lidocaine. Sterile prep. The patient tolerated both procedures well.")
    statuses = {name: status for name, status, _ in _admins(coder, text)}
    assert statuses == {"triamcinolone acetonide": S.GIVEN, "lidocaine": S.GIVEN}


def test_an_oral_drug_between_does_not_end_the_refusal_paragraph(coder):
    text = ("Toradol 60 mg IM ordered by Dr. Wu. Drew up ketorolac 60 mg/2 mL. Pt changed her "
            "mind, would rather take ibuprofen at home. Injection not given.")
    statuses = [status for name, status, _ in _admins(coder, text) if name == "ketorolac"]
    assert S.NOT_GIVEN in statuses and S.GIVEN not in statuses


def test_iv_fluid_bolus_is_an_infusion_and_a_flush_is_nothing(coder):
    text = "- 1045 NS 1,000 mL IV bolus over 60 min (1045-1145)."
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.drug.name == "sodium chloride"
    assert adm.route.value.value == "IV_INFUSION"
    result = coder.code(Encounter(text=text, place_of_service="20"))
    assert "CODE-05" in {f.rule_id for f in result.findings}
    assert not result.lines
    flush = "Ondansetron 4 mg IV push at 10:20, flushed with 10 mL NS."
    assert [name for name, _, _ in _admins(coder, flush)] == ["ondansetron"]
    vehicle = ("Depo-Medrol 120 mg along with an additional bacteriostatic normal saline for a "
               "total of 6 mL injected solution was placed at L5-S1.")
    got = _admins(coder, vehicle)
    assert [(name, status) for name, status, _ in got] == [
        ("methylprednisolone acetate", S.GIVEN)]


def test_em_content_in_terse_specialty_wording(coder):
    cases = [
        ("Day 4 of headache, 8/10, photophobia. Neuro exam nonfocal, fundi sharp.",
         ("history", "exam")),
        ("L hip ache x3 wk. Plan: L hip XR ordered to r/o progression.", ("history", "mdm")),
        ("Psychiatry Med Mgmt + LAI. Denies AH/VH/SI/HI. MSE: linear.", ("history", "exam", "mdm")),
        ("Barky cough since last night. Plan: cool mist. Return for stridor at rest, drooling.",
         ("history", "mdm")),
        ("Took sumatriptan 50 mg PO, no relief. No red flags. Start propranolol 20 BID.",
         ("history", "mdm")),
        ("Plan: continue Aristada today. Add sertraline 25 mg daily x1 wk.", ("mdm",)),
    ]
    for text, parts in cases:
        em = coder.extractor.extract(text, date(2026, 5, 1)).em
        for part in parts:
            assert getattr(em, part), (text, part)
    # the next shot, an observation period and a continued dose are not decision making
    for text in ("Return for next injection in 4 weeks.", "Observed x 3 h, no PDSS sx.",
                 "Continue B12 1000 mcg IM monthly."):
        em = coder.extractor.extract(text, date(2026, 5, 1)).em
        assert not em.mdm and not em.history, text


def test_per_kg_dose_times_the_notes_one_weight(coder):
    text = ("Wt 14.2 kg. T 102.4.\nA/P: AOM (H66.003)\n"
            "- ceftriaxone 50 mg/kg IM x1 (wt above), R vastus lat. Tol ok.\n")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.GIVEN
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(710), "mg")
    assert adm.dose.evidence.text == "50 mg/kg"
    assert adm.site.location == "vastus_lateralis"
    # two weights that disagree, or none: the dose stays unknown
    two = "Wt 14.2 kg (clinic), weight 15 kg at home. Ceftriaxone 50 mg/kg IM given L thigh."
    (adm,) = [a for _, _, a in _admins(coder, two)]
    assert adm.dose is None


def test_a_strength_with_its_volume_outranks_a_per_kg_check(coder):
    """Doses: "ondansetron 4 mg/2 mL IM ... (0.13 mg/kg)" gives 4 mg; the per-kg figure after
    it checks the dose against the weight and is not multiplied out (31 kg x 0.13)."""
    text = ("Exam: Wt 31 kg. HR 112.\nP: ondansetron 4 mg/2 mL IM R vastus lateralis 11:35 "
            "(0.13 mg/kg) - RN J. Mwangi.\n")
    assert _doses(coder, text) == [("ondansetron", S.GIVEN, (Decimal(4), "mg"))]


def test_no_before_a_drug_negates_it_without_reaching_the_next(coder):
    text = ("P: No Toradol given (allergy). Decadron 10 mg and Reglan 10 mg IM in the R and L "
            "glutes respectively at 14:05 by MA.")
    statuses = {name: status for name, status, _ in _admins(coder, text)}
    assert statuses["ketorolac"] is S.NOT_GIVEN
    assert statuses["dexamethasone"] is S.GIVEN
    assert statuses["metoclopramide"] is S.GIVEN


def test_given_as_a_preposition_is_not_a_given_cue(coder):
    text = ("On Depo since 2023. Counseling: calcium/vit D given long-term DMPA.")
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, text)}


def test_a_bare_umbrella_name_is_the_notes_one_specific_product(coder):
    text = ("Order (J. Whitfield PA-C 8/10): Bicillin L-A 2.4 million units IM x1 today.\n"
            "0752 Explained dx and tx. Pt refused. Bicillin not given, returned to fridge.\n")
    got = _admins(coder, text)
    assert {name for name, _, _ in got} == {"penicillin g benzathine"}
    assert S.GIVEN not in {status for _, status, _ in got}
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert not result.lines


def test_an_unspecific_generic_is_the_one_product_whose_name_extends_it(coder):
    text = ("S: due for testosterone. Last testosterone injection 04/17/2026 L VG.\n"
            "Testosterone cypionate 200 mg/mL, 1 mL drawn, given IM R ventrogluteal 10:05.\n")
    got = _status_list(coder, text)
    assert got == [("testosterone cypionate", S.GIVEN), ("testosterone cypionate", S.HISTORICAL)]
    # with two esters named, the bare generic names neither (DOC-01 stays possible)
    both = text.replace("due for testosterone.", "switched from testosterone enanthate in March.")
    assert ("testosterone", S.HISTORICAL) in _status_list(coder, both)


def test_a_line_label_dated_earlier_dates_the_dose_on_its_line(coder):
    text = ("Reason for call: fever overnight.\n"
            "Background (from walk-in clinic record, 04/29/2026 19:30): otitis; ceftriaxone "
            "1 g IM L ventrogluteal given 20:10.\n")
    assert _status_list(coder, text) == [("ceftriaxone", S.HISTORICAL)]
    # a label dated today, or one that dates an order, does not make the dose history
    today = text.replace("04/29/2026", "05/01/2026")
    assert _status_list(coder, today) == [("ceftriaxone", S.GIVEN)]
    order = text.replace("Background (from walk-in clinic record,", "Ordered")
    assert _status_list(coder, order) == [("ceftriaxone", S.GIVEN)]


def test_last_depot_is_an_earlier_dose(coder):
    text = ("Attended for 2-weekly depot, settled in mood.\n"
            "Last depot: 18/02/2026 - fluphenazine decanoate 25 mg to R dorsogluteal.\n"
            "Today: fluphenazine decanoate 25 mg deep IM to L dorsogluteal at 10:15.\n")
    got = _status_list(coder, text, date(2026, 3, 4))
    assert got == [("fluphenazine decanoate", S.HISTORICAL), ("fluphenazine decanoate", S.GIVEN)]


def test_a_forms_order_field_does_not_end_the_drugs_record(coder):
    text = ("Medication ..... haloperidol decanoate 50 mg/mL, 1 mL vial\n"
            "Order .......... 75 mg deep IM every 4 weeks\n"
            "Volume given ... 1.5 mL\n"
            "Site ........... L dorsogluteal\n"
            "Given by ....... T. Amos, RN\n")
    (adm,) = _given(coder, text)
    assert (adm.drug.name, adm.dose.value, adm.dose.unit.value) == (
        "haloperidol decanoate", Decimal(75), "mg")
    assert adm.site.location == "gluteal"


def test_an_order_label_at_line_start_is_an_order_not_a_dose(coder):
    text = "Orders - ceftriaxone 1 g IM x1 for gonorrhea (A54.00).\n"
    (status,) = [status for _, status, _ in _admins(coder, text)]
    assert status is S.ORDERED


def test_oral_abbreviation_keeps_its_dose_from_the_injection_before_it(coder):
    text = "MA note 1605: Toradol given IM L glut, tolerated. Azithro 500 mg PO given w/ water."
    adms = {name: a for name, _, a in _admins(coder, text)}
    assert adms["ketorolac"].dose is None
    assert adms["azithromycin"].dose.value == Decimal(500)


_EMAR = """eMAR (printed 04/07/2026)
------------------------------------------------------------
Medication                        | Sched | 04/06       | 04/07        | 04/08
------------------------------------------------------------
cefTRIAXone 1 gm IM q24h x 3 days | 0900  | GIVEN 0905  | GIVEN 0910   |
  (reconst w/ 1% lidocaine 2.1 mL)|       | site: glut  | site: glut   |
ketorolac 15 mg IM q6h PRN        | PRN   | GIVEN 1300  |              |
promethazine 12.5 mg IM q6h PRN   | PRN   |             | REFUSED 1400 |
------------------------------------------------------------
"""


def test_emar_grid_reads_the_date_of_service_column(coder):
    got = {name: (status, a) for name, status, a in _admins(coder, _EMAR, date(2026, 4, 7))}
    assert set(got) == {"ceftriaxone", "ketorolac", "promethazine"}  # the diluent is no drug
    assert got["ceftriaxone"][0] is S.GIVEN
    assert got["ceftriaxone"][1].status_evidence.text == "GIVEN"
    assert got["ketorolac"][0] is S.HISTORICAL  # given on 04/06 only
    assert got["promethazine"][0] is S.NOT_GIVEN
    # the same grid read on 04/08: nothing charted that day
    later = {name: status for name, status, _ in _admins(coder, _EMAR, date(2026, 4, 8))}
    assert S.GIVEN not in later.values()


def test_mar_table_date_by_and_status_columns(coder):
    text = (
        "Date  | Medication                  | Dose     | Route | By             | Status\n"
        "------|-----------------------------|----------|-------|----------------|-----------\n"
        "2/11  | Novarel (chorionic gonadotropin) | 10,000 u | IM | partner (home) | given 2130\n"
        "2/12  | ceftriaxone                 | 250 mg   | IM    | J. Park, RN    | given 0915\n"
        "2/12  | ketorolac                   | 30 mg    | IM    | --             | refused\n"
    )
    got = {name: status for name, status, _ in _admins(coder, text, date(2026, 2, 12))}
    assert got == {"chorionic gonadotropin": S.HISTORICAL, "ceftriaxone": S.GIVEN,
                   "ketorolac": S.NOT_GIVEN}


def test_a_later_nurse_visit_is_not_this_visit(coder):
    text = ("HPI: tingling feet x 3 months. Exam: vibration reduced. A/P: B12 deficiency (E53.8), "
            "likely metformin. None given today; he will return for B12 next week, nurse visit "
            "booked 3/10.")
    em = coder.extractor.extract(text, date(2026, 3, 3)).em
    assert not em.no_em


def test_a_nurse_visit_after_the_practitioners_assessment_is_the_nurses_part(coder):
    text = ("VIDEO VISIT\nS: flare of L5 radiculopathy x 6 days, shooting pain L buttock.\n"
            "O (video): uncomfortable. Seated SLR reproduces L leg pain.\n"
            "A: Lumbar radiculopathy, acute flare.\nP: Depo-Medrol 80 mg IM today - pt will come "
            "to the clinic at 1 pm (nurse visit).\n")
    assert not coder.extractor.extract(text, date(2026, 4, 2)).em.no_em
    # the same words heading the note: a nurse visit, whatever its SOAP headings
    nurse = ("Nurse visit. S: here for Depo-Medrol per order. O: afebrile. A: radiculopathy. "
             "P: Depo-Medrol 80 mg IM R glute given.\n")
    assert coder.extractor.extract(nurse, date(2026, 4, 2)).em.no_em


def test_an_epipen_on_the_patients_person_is_not_given(coder):
    text = "Pre-injection check: no fever. Pt has EpiPen on person - yes. Xolair given later."
    statuses = {name: status for name, status, _ in _admins(coder, text)}
    assert statuses.get("epinephrine") is not S.GIVEN


def test_dose_given_as_two_syringes_is_a_split_dose(coder):
    text = "Prolia 60 mg SC given as 2 x 30 mg syringes, R and L upper arm. Tolerated."
    given = _given(coder, text)
    assert len(given) == 2
    two_drugs = "Toradol 60 mg and Phenergan 25 mg given as two injections IM. Tolerated."
    assert len([1 for _, status, _ in _admins(coder, two_drugs) if status is S.GIVEN]) == 2
    for text in ("Xolair 300 mg = two 150 mg/1 mL prefilled syringes SC, R and L arm. Tolerated.",
                 "Drug: Bicillin L-A 1,200,000 units/2 mL prefilled syringe x 2, IM R and L "
                 "dorsogluteal. Given by LPN."):
        given = _given(coder, text)
        assert len(given) == 2, text
    weekly = "B12 1000 mcg IM given today L deltoid; then weekly x 2, then monthly."
    assert len([1 for _, status, _ in _admins(coder, weekly) if status is S.GIVEN]) == 1


def test_supervising_physician_with_an_initial_is_on_site(coder):
    text = ("B12 1000 mcg IM L deltoid for pernicious anemia (D51.0). Administered by A. Rios, "
            "RN. Dr. P. Sandoval on site.")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "DOC-12" not in {f.rule_id for f in result.findings}


def test_two_drugs_drawn_up_in_one_syringe_are_one_injection(coder):
    text = ("A: contact dermatitis (L23.7). P: Kenalog 40 mg (1 mL of 40 mg/mL) + Depo-Medrol "
            "40 mg (1 mL of 40 mg/mL) drawn up together in one 3 mL syringe and given as a single "
            "IM injection, L ventrogluteal, 10:22, by me.")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    codes = sorted(line.code for line in result.lines)
    assert codes == ["96372", "J1010", "J3301"]
    shared = [a for a in result.administrations if a.shared_syringe is not None]
    assert [a.drug.name for a in shared] == ["methylprednisolone acetate"]
    ev = shared[0].shared_syringe.evidence
    assert text[ev.start:ev.end] == ev.text
    # one drug "as a single injection" is still its own injection
    one = "B12 1000 mcg IM L deltoid given as a single injection for pernicious anemia (D51.0)."
    result = coder.code(Encounter(text=one, place_of_service="11"))
    assert [line.code for line in result.lines].count("96372") == 1


def test_a_syringe_cue_that_opens_a_list_covers_every_drug_in_it(coder):
    """"combined in one syringe: A + B + C ... given IM": one injection, and the route and site
    written after the last drug are every drug's."""
    text = ("Schizoaffective disorder (F25.0) with severe agitation.\n14:32 B52 combined in one "
            "syringe: haloperidol lactate 5 mg/mL 1cc + lorazepam 2 mg/mL 0.5cc + "
            "diphenhydramine 50 mg/mL 1cc = 2.5 cc total, given IM R upper outer gluteal.\n")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert sorted(line.code for line in result.lines) == ["96372", "J1200", "J1630", "J2060"]
    given = [a for a in result.administrations if a.status is S.GIVEN]
    assert len(given) == 3
    assert all(a.shared_syringe is not None and a.route.value.value == "IM" for a in given)
    # a separate shot before the syringe keeps its own 96372
    text = ("Ceftriaxone 1 g IM L glute given. " + text)
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert [line.code for line in result.lines].count("96372") == 2


def test_intra_articular_route_from_the_procedure_title_a_sentence_before(coder):
    text = ("Procedure: R knee intra-articular injection, anterolateral approach, after consent "
            "+ time-out, chlorhexidine prep. Injected 2 mL of 40 mg/mL triamcinolone acetonide "
            "(Kenalog-40) mixed w/ 3 mL 1% lidocaine. Tolerated well. Dx: OA right knee (M17.11)")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert sorted(line.code for line in result.lines) == ["20610", "J3301"]


def test_a_shot_narrated_in_the_hpi_is_history_even_without_a_cue(coder):
    text = ("HISTORY OF PRESENT ILLNESS: The patient was transferred here after stopping the "
            "heparin and receiving a dose of Lovenox 60 mg subcutaneously for further "
            "evaluation.\nPHYSICAL EXAMINATION: Afebrile.\nASSESSMENT: DVT.\n")
    statuses = {name: status for name, status, _ in _admins(coder, text)}
    assert statuses.get("enoxaparin") is S.HISTORICAL


def test_a_log_row_dated_another_day_is_not_todays_dose(coder):
    text = ("Order: ceftriaxone 1 g IM q24h x 3 doses for pneumonia (J18.9).\n"
            "MAR:\n"
            "  04/30 16:00  ceftriaxone 1 g IM  L VG  given  (J. Amos, LPN)\n"
            "  05/01 16:05  ceftriaxone 1 g IM  R VG  given  (T. Nakamura, RN)\n"
            "  05/02 16:00  ceftriaxone 1 g IM        due\n")
    got = [(status, a.status_evidence.text if a.status_evidence else None)
           for _, status, a in _admins(coder, text)]
    assert got.count((S.GIVEN, "given")) == 1
    assert (S.HISTORICAL, "04/30 16:00") in got and (S.PLANNED, "05/02 16:00") in got


def test_a_refusal_opening_the_next_sentence_is_the_drugs(coder):
    cases = {
        "Offered Toradol 60 mg IM for pain. Patient declined, prefers oral meds.": S.NOT_GIVEN,
        "B12 1000 mcg IM ordered. Held - pt left before administration.": S.NOT_GIVEN,
        "Requested Toradol 60 mg IM; declined by provider, not indicated.": S.NOT_GIVEN,
        "Toradol 60 mg IM R gluteal. Declined X-ray.": S.GIVEN,  # refuses something else
        "Offered Toradol 60 mg IM; pt agreed. R glute, tolerated.": S.GIVEN,
        "Offered Toradol 60 mg IM for pain, will think about it.": S.PLANNED,
    }
    for text, want in cases.items():
        (got,) = [status for name, status, _ in _admins(coder, text) if name == "ketorolac"
                  or name == "cyanocobalamin"]
        assert got is want, text
    both = {name: status for name, status, _ in _admins(
        coder, "Toradol 60 mg IM R gluteal. Declined flu shot.")}
    assert both == {"ketorolac": S.GIVEN, "influenza vaccine": S.NOT_GIVEN}


def test_a_given_word_in_the_next_sentence_belongs_to_its_own_drug(coder):
    text = ("Coach asked for a Toradol shot - declined: no IM or oral ketorolac on game day. "
            "Athlete says an outside urgent care gave him a Toradol shot before last week's game.")
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, text, date(2026, 10, 16))}


def test_self_administered_later_in_the_line_is_not_an_office_dose(coder):
    text = ("Testosterone cypionate 200mg/mL, 1 mL IM, R VG, lot 12345 exp 4/27, "
            "self-administered at home.")
    ((_, status, adm),) = _admins(coder, text)
    assert status is S.HISTORICAL and adm.status_evidence.text == "self-administered"
    taught = ("First dose given here, enoxaparin 80 mg subcutaneously to the left lower abdomen "
              "by our nurse, and the patient was taught self-injection with teach-back.")
    assert [status for _, status, _ in _admins(coder, taught)] == [S.GIVEN]


def test_an_unchecked_box_is_not_the_drug_given(coder):
    text = ("[x] Invega Sustenna  [ ] Invega Trinza  [ ] Abilify Maintena\n"
            "Dose: 156 mg/1 mL   Route: IM   Site: [x] L deltoid\nPost: tolerated.\n")
    assert _status_list(coder, text) == [
        ("paliperidone palmitate", S.GIVEN)]


def test_handing_over_a_paper_is_not_giving_a_dose(coder):
    text = ("Administered:\n a) RhoGAM 300 mcg IM R deltoid - lot 2K331\n"
            " b) Tdap - Boostrix 0.5 mL IM L deltoid - lot 9HT4A. VIS given.\n"
            " c) Influenza vaccine: offered, pt declined.\nObserved 15 min. Rh card given.\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got == {"rho(d) immune globulin": S.GIVEN, "tdap vaccine": S.GIVEN,
                   "influenza vaccine": S.NOT_GIVEN}
    plan = "Depo-Provera 150 mg IM due in 12 weeks. Handout given."
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, plan)}


def test_at_home_in_a_house_call_is_where_the_dose_is_given(coder):
    text = ("Home Visit - Dr. Q. Alvarez (Home-Based Primary Care)\nAssessment: cystitis (N30.00).\n"
            "Plan - family declines transfer; treat at home:\n"
            " - ceftriaxone 1 gm IM into R vastus lateralis now.\nInjection given by me, tolerated.\n")
    assert [status for _, status, _ in _admins(coder, text)] == [S.GIVEN]
    clinic = "Assessment: cystitis. Plan: ceftriaxone 1 gm IM daily x2 more days at home by HH nurse."
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, clinic)}


def test_the_next_dose_is_its_own_planned_event(coder):
    text = "Prolia 60 mg SC given R upper arm, tolerated. Next Prolia due in 6 months."
    got = [status for name, status, _ in _admins(coder, text) if name == "denosumab"]
    assert sorted(got) == sorted([S.GIVEN, S.PLANNED])
    ordered = "Order: Prolia 60 mg SC. Prolia 60 mg SC given R upper arm by RN, tolerated."
    assert [status for _, status, _ in _admins(coder, ordered)] == [S.GIVEN]


def test_a_dated_earlier_dose_without_a_drug_name_is_historical(coder):
    text = ("NURSE VISIT - Depo-Provera CI\nLast injection 02/09/2026 (R deltoid); 12w0d today.\n"
            "Administered: medroxyprogesterone acetate 150 mg IM L deltoid by RN.\n")
    got = [(name, status, a) for name, status, a in _admins(coder, text)]
    assert [(n, s) for n, s, _ in got] == [("medroxyprogesterone acetate", S.GIVEN),
                                           ("medroxyprogesterone acetate", S.HISTORICAL)]
    earlier = got[1][2]
    assert earlier.drug.evidence.text == "injection"
    assert earlier.status_evidence.text == "02/09"
    assert (earlier.site.laterality, earlier.site.location) == ("right", "deltoid")
    # undated ("since last dose") dates no event; a med-list entry's own last dose is that entry
    undated = "No ED visits since last dose. Xolair 150 mg SC L arm given by RN."
    assert [s for _, s, _ in _admins(coder, undated)] == [S.GIVEN]
    med_list = "Meds:\n- Humira 40 mg SC q2wk - self-administers at home, last dose 4/13\n"
    assert [s for _, s, _ in _admins(coder, med_list)] == [S.HISTORICAL]


def test_an_earlier_dose_dated_with_no_noun_is_historical(coder):
    text = "S: Here for Depo (last 01/12/2026, wk 12).\nDepo-Provera 150 mg IM L deltoid given.\n"
    got = _admins(coder, text, date(2026, 4, 6))
    assert [(n, s) for n, s, _ in got] == [("medroxyprogesterone acetate", S.GIVEN),
                                           ("medroxyprogesterone acetate", S.HISTORICAL)]
    assert got[1][2].status_evidence.text == "01/12/2026"
    # the site after "Last <date>" is the earlier dose's, not a second injection today
    text = "Vivitrol #6 (monthly). Last 12/16/2025 L glute.\nVivitrol 380 mg IM R glute given.\n"
    got = {s: (a.site.laterality, a.site.location) for _, s, a in _admins(coder, text)}
    assert got == {S.GIVEN: ("right", "gluteal"), S.HISTORICAL: ("left", "gluteal")}
    # a lab's last date, or a month and year, is not a dose
    for other in ("UDS neg x3 (last 08/03). Vivitrol 380 mg IM R glute given.",
                  "Depo-Provera 150 mg IM given; GC/CT NAAT sent (last 06/2025 neg)."):
        assert [s for _, s, _ in _admins(coder, other)] == [S.GIVEN], other


def test_a_forms_last_injection_above_its_one_drug_is_that_drugs_earlier_dose(coder):
    form = ("CONTRACEPTION - INJECTABLE\nLast injection: 12/01/2025 (12 wk)\n"
            "Medication: [x] Depo-Provera 150 mg/mL\nDose: 150 mg  Route: IM  Site: L deltoid\n")
    assert _status_list(coder, form, date(2026, 2, 23)) == [
        ("medroxyprogesterone acetate", S.GIVEN), ("medroxyprogesterone acetate", S.HISTORICAL)]
    # with two drugs given below it, the statement does not say whose dose it was
    two = ("Last injection: 12/01/2025\nKetorolac 60 mg IM R glute given. "
           "Ondansetron 4 mg IM L deltoid given.\n")
    assert S.HISTORICAL not in {s for _, s in _status_list(coder, two, date(2026, 2, 23))}


def test_the_last_dose_beside_a_regimen_survives_its_merge_into_todays_dose(coder):
    # "in for Prolia q6mo (last dose ...)": the regimen is today's dose; the dated one is earlier
    text = ("RN note: Mrs. D, 74, in for Prolia q6mo for osteoporosis per Dr. F's order (last dose "
            "09/06/2025). Denies jaw pain.\nProlia 60 mg/1 mL PFS given SC L posterior upper arm.\n")
    assert sorted(s.value for _, s in _status_list(coder, text, date(2026, 3, 7))) == [
        "given", "historical"]


def test_a_dose_by_mouth_or_inhaled_taken_in_the_visit_is_given(coder):
    text = ("Course: Tylenol 195 mg PO (15 mg/kg) for fever at 11:30.\n"
            "Colchicine 0.6 mg PO x1 in clinic.\n"
            " - albuterol 2.5 mg/3 mL neb x1 @ 1120, wheeze improved\n"
            "Rocephin 1 gm IM L VG now, then cephalexin 500 mg QID x 7d (first dose PO in clinic).\n")
    got = {name: (status, a) for name, status, a in _admins(coder, text)}
    for name in ("acetaminophen", "colchicine", "albuterol", "cephalexin", "ceftriaxone"):
        assert got[name][0] is S.GIVEN, name
    neb = got["albuterol"][1]
    assert (neb.dose.value, neb.dose.unit.value, neb.route.value.value) == (Decimal("2.5"), "mg",
                                                                           "OTHER")
    # a prescription, a PRN order and a medication list are not doses taken today
    plan = ("Plan: ibuprofen 400 mg PO q6h prn. Start Keflex 500 mg PO QID x 7 days.\n"
            "Meds: albuterol MDI 2 puffs q4h prn; colchicine 0.6 mg PO daily.\n")
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, plan)}


def test_each_row_of_an_allergy_vial_table_is_one_vial(coder):
    text = ("ALLERGY SHOT FLOWSHEET\nMaintenance SCIT. Dx: allergic rhinitis due to pollen (J30.1).\n"
            "Vial | Contents           | Dose    | Route | Site       | Time\n"
            "A    | trees/grass/weeds  | 0.50 mL | s/c   | L post arm | 15:02\n"
            "B    | cat/dog/dust mite  | HELD    | --    | --         | --\n"
            "Vial B held today per protocol after large local.\n")
    got = [(a.drug.evidence.text, status) for _, status, a in _admins(coder, text)]
    assert ("trees/grass/weeds", S.GIVEN) in got  # the row's evidence is what its vial holds
    assert [s for _, s in got].count(S.GIVEN) == 1  # B held: one injection today, not two
    route = next(a for _, _, a in _admins(coder, text)
                 if a.drug.evidence.text == "trees/grass/weeds").route
    assert route.value.value == "SC"  # "s/c"


def test_allergy_vials_listed_under_an_immunotherapy_heading(coder):
    # each vial row is its own injection (not a repeat of the heading's drug name), held or not
    text = ("AIT - maintenance. Dx: allergic rhinitis due to pollen (J30.1).\n"
            "Allergen immunotherapy\n"
            "  Vial 1 (trees) 0.40 mL s/c R post arm - given 09:12\n"
            "  Vial 2 (dust mite mix) - HELD, large local last week\n"
            "Observed 30 min, no reaction.\n")
    got = [(a.drug.evidence.text, status) for _, status, a in _admins(coder, text)
           if a.drug.evidence.text == "Vial"]
    assert got == [("Vial", S.GIVEN), ("Vial", S.NOT_GIVEN)]
    # two named mixes, one injection each
    text = ("Maintenance allergen immunotherapy. The nurse injected ragweed-grass mix 0.3 mL "
            "subcutaneously in the left arm and mold mix 0.3 mL subcutaneously in the right arm.")
    given = [a for name, status, a in _admins(coder, text)
             if name == "allergen extract" and status is S.GIVEN]
    assert [a.site.laterality for a in given] == ["left", "right"]


def test_a_drug_line_ending_in_a_colon_heads_its_items(coder):
    text = ("Today = dose 1 of 3.\n\n"
            "Bicillin L-A 1,200,000 units/2 mL prefilled syringe x 2 (NDC 60793-0702-10):\n"
            "- 1.2 million units IM R ventrogluteal 10:12\n"
            "- 1.2 million units IM L ventrogluteal 10:14\n"
            "Total 2.4 million units, given as two injections because of volume.\n")
    got = _given(coder, text)
    assert [(a.dose.value, a.site.laterality) for a in got] == [
        (Decimal(1200000), "right"), (Decimal(1200000), "left")]  # no "12 - 1.2" range


def test_split_for_volume_is_not_a_measured_volume(coder):
    text = ("Dose 1 today, split for volume: Bicillin L-A 1.2 million units IM R ventrogluteal + "
            "1.2 million units IM L ventrogluteal. Observed 30 min.")
    got = _given(coder, text)
    assert [a.dose.value for a in got] == [Decimal(1200000), Decimal(1200000)]


def test_a_regimen_the_plan_carries_forward_is_planned(coder):
    plan = "Plan: DVT prophylaxis - start enoxaparin 40 mg SC daily on POD 1."
    assert [s for _, s, _ in _admins(coder, plan)] == [S.PLANNED]
    med_list = "Medications:\n- enoxaparin 40 mg SC daily\n"
    assert [s for _, s, _ in _admins(coder, med_list)] == [S.HISTORICAL]


def test_subcutaneously_in_a_site_is_a_route_not_an_area(coder):
    text = "Her cyanocobalamin 1,000 mcg was given subcutaneously in the left deltoid today."
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.route.value.value == "SC"
    xolair = "Xolair 150 mg SQ in the R posterior upper arm, given by RN."
    (adm,) = [a for _, _, a in _admins(coder, xolair)]
    assert adm.route.value.value == "SC"
    area = "BSA 1.8 sq m. Bortezomib 2.5 mg SC L abdomen given."
    assert [a.route.value.value for _, _, a in _admins(coder, area)] == ["SC"]


def test_the_checked_box_of_a_status_field_decides(coder):
    text = ("Medication: medroxyprogesterone acetate 150 mg/mL IM\n"
            "Administered: [ ] Yes   [x] No - HELD\nReason held: out of window.\n"
            "Pt education: done, pt agrees with plan.\n")
    assert S.GIVEN not in {status for _, status, _ in _admins(coder, text)}
    given = text.replace("[ ] Yes   [x] No - HELD", "[x] Yes   [ ] No")
    assert S.GIVEN in {status for _, status, _ in _admins(coder, given)}


def test_a_pain_score_over_ten_is_not_a_date(coder):
    text = ("MEDICATION ADMINISTRATION RECORD:\n"
            "  10:42  KETOROLAC 30 MG/ML  2 ML  IM  RT UPPER OUTER GLUTEAL  GIVEN  BY: PHAM, L  CMA\n"
            "  11:25  REASSESS: PAIN 7/10 -> 2/10. NAUSEA RESOLVED.\n")
    got = [status for _, status, _ in _admins(coder, text, dos=date(2026, 2, 27))]
    assert got == [S.GIVEN]


def test_an_allergies_field_does_not_open_a_medication_list(coder):
    text = ("RN injection visit\nAllergies: none, specifically no PCN allergy.\n"
            "Bicillin L-A 2,400,000 units / 4 mL, deep IM L dorsogluteal, injected slowly.\n")
    assert [s for _, s, _ in _admins(coder, text)] == [S.GIVEN]


def test_a_medications_header_with_a_parenthesis_opens_the_list(coder):
    text = ("Chronic care visit\nMedications (reconciled today):\n"
            " - semaglutide (Ozempic) 1 mg SC weekly - self, Sundays\n"
            "-----------------------------\n"
            "DRUG        DOSE    ROUTE  SITE       TIME\n"
            "Lupron Depot 22.5 mg IM     R gluteal  09:45\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got == {"semaglutide": S.HISTORICAL, "leuprolide": S.GIVEN}  # the rule ends the list


def test_plain_lidocaine_no_epi_names_no_epinephrine(coder):
    text = ("Nursing note: Ceftriaxone 1 gm reconstituted w/ 2.1 mL lidocaine 1% (no epi), "
            "given IM R ventrogluteal. Pt tolerated.")
    assert [(n, s) for n, s, _ in _admins(coder, text)] == [("ceftriaxone", S.GIVEN)]


def test_a_dose_booked_for_a_later_day_is_planned(coder):
    text = ("Plan: Start cyanocobalamin 1000 mcg IM - nurse visit booked for tomorrow 10/06 at "
            "9 am for the first injection, then weekly x 3.")
    assert [s for _, s, _ in _admins(coder, text, dos=date(2026, 10, 5))] == [S.PLANNED]
    dated = "Plan: cyanocobalamin 1000 mcg IM on 10/12 at the nurse clinic."
    assert [s for _, s, _ in _admins(coder, dated, dos=date(2026, 10, 5))] == [S.PLANNED]
    # the next dose's date does not make today's dose a plan: it is the next dose's own event
    today = ("2/19 1630 pt in for T shot. depo testosterone 200mg/ml .5ml im L glute, lot 44A1 "
             "exp 3/27. no issues obs 10 min. next inj 3/5 -jb ma")
    assert [s for _, s, _ in _admins(coder, today, dos=date(2026, 2, 19))] == [
        S.GIVEN, S.PLANNED]


def test_a_dose_narrated_from_an_earlier_day_is_historical(coder):
    text = ("Seen at Mercy ED yesterday (1/18) for vomiting: got Zofran 4 mg IV push there.\n"
            "P: ondansetron 4 mg IM given R deltoid by RN at 14:10.\n")
    got = sorted((a.route.value.value, s) for _, s, a in _admins(coder, text, dos=date(2026, 1, 19)))
    assert got == [("IM", S.GIVEN), ("IV_PUSH", S.HISTORICAL)]


def test_a_physician_in_the_bldg_is_supervision(coder):
    text = "Cyanocobalamin 1000 mcg IM R deltoid x1. Tol well.\nDr. Okafor in bldg.  RTC 4 wks. -TJ, CMA"
    em = coder.extractor.extract(text, date(2026, 3, 9)).em
    assert [s.text for s in em.supervision] == ["Dr. Okafor in bldg"]


def test_a_nursing_addendum_closes_the_medication_list(coder):
    text = ("Meds: fluphenazine decanoate 12.5 mg IM q2wk; benztropine 1 mg PO BID.\n\n"
            "Nursing addendum 15:20 - A. Ferreira, LPN: fluphenazine decanoate 25 mg/mL, 0.5 mL IM "
            "R deltoid per Dr. Haddad's order. Tolerated, no ISR.\n")
    got = {(name, status) for name, status, _ in _admins(coder, text)}
    assert ("fluphenazine decanoate", S.GIVEN) in got


def test_a_regimens_dose_given_today_or_its_first_dose_in_clinic_is_given(coder):
    monthly = ("P: Move to monthly. Brixadi monthly 96 mg SC R posterior upper arm today 14:35 by "
               "me; lot BX0552. Tolerated.")
    assert S.GIVEN in {s for _, s, _ in _admins(coder, monthly)}
    bridge = ("P: enoxaparin 1 mg/kg SC q12h bridge to warfarin.\n   1 mg/kg x 82 kg = 82 mg -> "
              "80 mg/0.8 mL syringe. First dose 80 mg SC given in clinic, L abdomen, by RN.")
    assert S.GIVEN in {s for _, s, _ in _admins(coder, bridge)}


def test_a_first_dose_still_to_come_is_not_given(coder):
    text = ("Plan: will start testosterone cypionate 200 mg IM q2wk once insurance approves; "
            "first dose in office with self-injection teaching.")
    assert S.GIVEN not in {s for _, s, _ in _admins(coder, text)}


def test_a_two_column_form_table_speaks_of_its_one_drug(coder):
    text = ("| Item               | Today                                    |\n"
            "|--------------------|------------------------------------------|\n"
            "| Product            | Invega Sustenna (paliperidone palmitate) |\n"
            "| Dose               | 156 mg / 1 mL prefilled syringe          |\n"
            "| Lot / Exp          | KHG4410 / 08-2027                        |\n"
            "| Route / Site       | IM / L deltoid, 1\" needle                |\n"
            "| Time               | 10:18                                    |\n"
            "| Given by           | R. Baptiste, RN                          |\n")
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(156), "mg")
    assert adm.route.value.value == "IM"
    assert (adm.site.laterality, adm.site.location) == ("left", "deltoid")
    assert adm.lot.value == "KHG4410"
    # a wide log table with one drug per row is not a form: each row keeps to itself
    log = ("| Drug       | Dose   | Route |\n|---|---|---|\n| Toradol    | 60 mg  | IM    |\n"
           "| Zofran     | 4 mg   | PO    |\n")
    routes = {a.drug.name: a.route.value.value for _, _, a in _admins(coder, log) if a.route}
    assert routes["ketorolac"] == "IM" and routes.get("ondansetron") != "IM"


def test_an_addiction_follow_ups_interval_history_is_history(coder):
    text = ("Video visit. Dx: OUD on Brixadi. Cravings 1-2/10 by wk 4. No use since last visit. "
            "Sleep improving.\nA/P: stable. Total time on date: 24 min.")
    em = coder.extractor.extract(text, date(2026, 4, 16)).em
    assert {s.text.lower() for s in em.history} >= {"cravings", "no use", "sleep improv"}
    nurse = "B12 1000 mcg IM R deltoid given by RN. Pt states mood good, no complaints."
    assert not coder.extractor.extract(nurse, date(2026, 4, 16)).em.mdm


def test_a_bracketed_generic_does_not_break_a_mix_with_an_anaesthetic(coder):
    text = ("Injected Kenalog-40 (triamcinolone acetonide 40 mg/mL) 1 mL mixed with 1% lidocaine "
            "4 mL intra-articular without resistance.")
    got = {name: a for name, s, a in _admins(coder, text) if s is S.GIVEN}
    assert {n: (a.dose.value, a.route.value.value) for n, a in got.items()} == {
        "triamcinolone acetonide": (Decimal(40), "INTRA_ARTICULAR"),
        "lidocaine": (Decimal(40), "INTRA_ARTICULAR")}


def test_a_dictated_procedure_title_gives_the_route_and_joint(coder):
    text = ("Procedure: ultrasound-guided right hip intra-articular injection.\n"
            "Indication: osteoarthritis of the right hip despite therapy and acetaminophen.\n"
            "After informed consent and time-out, the patient was supine. Using a curvilinear "
            "transducer, the femoral head-neck junction and anterior capsule were identified and a "
            "22-gauge 3.5-inch spinal needle was advanced in plane into the anterior recess. "
            "Injected triamcinolone acetonide 40 milligrams (Kenalog-40, 1 mL) with 0.5% "
            "ropivacaine 4 mL; distension of the capsule was seen under ultrasound.")
    got = {name: a for name, s, a in _admins(coder, text) if s is S.GIVEN}
    assert set(got) == {"triamcinolone acetonide", "ropivacaine"}
    for a in got.values():
        assert a.route.value.value == "INTRA_ARTICULAR"  # "capsule" is anatomy, not oral
        assert (a.site.laterality, a.site.joint_size) == ("right", "major")
    assert got["ropivacaine"].dose.value == Decimal(20)
    # a bare "R hip" stays an IM site
    im = "Ketorolac 60 mg IM R hip given by RN."
    (adm,) = [a for _, _, a in _admins(coder, im)]
    assert adm.site.joint is None and adm.route.value.value == "IM"


def test_a_brand_and_its_bracketed_generic_are_one_product(coder):
    text = ("| Time  | Drug                                   | Dose    | Route | Site      |\n"
            "|-------|----------------------------------------|---------|-------|-----------|\n"
            "| 09:30 | Lupron Depot 3-month (leuprolide acet) | 22.5 mg | IM    | L gluteal |\n")
    (adm,) = _given(coder, text)
    assert adm.drug.hcpcs == ("J9217", "J1950")  # the brand's codes, not every leuprolide code


def test_a_physician_named_with_in_office_today_is_supervision(coder):
    text = "UROLOGY NURSE VISIT - injections per Dr. Lindahl (in office today)\nB12 1000 mcg IM."
    em = coder.extractor.extract(text, date(2026, 2, 23)).em
    assert [s.text for s in em.supervision] == ["Dr. Lindahl (in office"]


def test_a_first_dose_after_an_insurance_plan_and_a_weight_calculation(coder):
    text = ("P: Apixaban not covered on his plan until PA -> enoxaparin 1 mg/kg SC q12h bridge.\n"
            "   1 mg/kg x 82 kg = 82 mg -> nearest prefilled syringe 80 mg/0.8 mL. First dose 80 mg "
            "SC given in clinic, L abdomen, by R. Osei, RN at 15:40.")
    (adm,) = _given(coder, text)
    assert adm.dose.value == Decimal(80)  # the dose the first-dose statement names


def test_drug_names_spelled_by_ear_are_matched(coder):
    text = ("She received fenergan 25 mg and zofrin 4 mg IM to the right and left deltoid "
            "respectively. Later rocefin 1 gram IM and toradal 60 mg IM.")
    names = [name for name, _, _ in _admins(coder, text)]
    assert names == ["promethazine", "ondansetron", "ceftriaxone", "ketorolac"]
    # ordinary words stay words, even one vowel from a brand
    prose = "Erector spinae thoracis strain. Blood pressures stable. Fontanel flat."
    assert _admins(coder, prose) == []


def test_a_form_with_boxes_after_options_a_vial_size_and_a_switch_date(coder):
    text = ("Medication: Testosterone Cypionate 200 mg/mL (10 mL MDV)   Lot 3390TC  Exp 09/2027\n"
            "  *** switched from enanthate 10/2025 - cypionate only now ***\n"
            "Volume drawn: 0.75 mL\nRoute:  IM [x]   SC [ ]\nSite:   R ventrogluteal\n"
            "Tolerated. Administered by: J. Perez, CMA\n")
    (adm,) = _given(coder, text, dos=date(2026, 6, 9))
    assert (adm.dose.value, adm.route.value.value) == (Decimal(150), "IM")
    assert not adm.route.conflicts
    boxes_first = "B12 1000 mcg given R deltoid.\nRoute: [ ] IM  [x] SQ\n"
    (b12,) = [a for _, _, a in _admins(coder, boxes_first)]
    assert b12.route.value.value == "SC"


def test_two_drugs_joined_by_a_slash_share_route_and_take_sides_in_order(coder):
    text = "P: Toradol 60 mg / Norflex 60 mg IM given L & R glut resp. by MA 11:40."
    got = {name: (a.route.value.value, a.site.laterality) for name, s, a in _admins(coder, text)
           if s is S.GIVEN}
    assert got == {"ketorolac": ("IM", "left"), "orphenadrine": ("IM", "right")}


def test_a_timed_row_of_todays_events_inside_the_hpi_is_given(coder):
    text = ("HPI: 27M, T1DM. Skipped breakfast today, took usual lispro at 07:30 then walked to "
            "clinic.\n09:45 in exam room pt diaphoretic, fingerstick 42 mg/dL.\n"
            "09:52 GlucaGen 1 mg/1 mL reconstituted, IM R deltoid, by J. Ortega, RN at my "
            "direction.\n10:05 FS 61, alert; 15 g glucose gel PO.\n"
            "Exam after recovery: alert, oriented x3.\nA/P: hypoglycemia. Basaglar 22 units SC "
            "at bedtime; 1 unit/10 g carb.\n")
    got = {(name, s) for name, s, _ in _admins(coder, text, dos=date(2026, 10, 13))}
    assert ("glucagon", S.GIVEN) in got
    assert all(a.dose is None or a.dose.unit.value != "g"
               for _, _, a in _admins(coder, text, dos=date(2026, 10, 13)))


def test_a_vis_date_column_does_not_date_the_dose(coder):
    text = ("  Vaccine        | Product    | Dose   | Route | Site             | VIS date\n"
            "  Typhoid Vi     | Typhim Vi  | 0.5 mL | IM    | L deltoid        | 10/30/2019\n"
            "  Polio (IPV)    | IPOL       | 0.5 mL | SC    | R posterior arm  | 10/15/2019\n"
            "Observed 15 min, no reaction. - N. Ferrante, RN\n")
    got = [s for _, s, _ in _admins(coder, text, dos=date(2026, 12, 22))]
    assert got == [S.GIVEN, S.GIVEN]


def test_a_stopped_injection_bills_the_amount_that_went_in(coder):
    text = ("14:05 Kenalog-40 2 mL (80 mg) IM R dorsogluteal started per Dr. C. After approx 1 mL "
            "pt became pale, diaphoretic - injection stopped, needle withdrawn. Supine, legs "
            "elevated; BP 88/54 -> 118/70 at 10 min. Approx 1 mL (40 mg) given; remaining 1 mL "
            "discarded.")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.DISCONTINUED and adm.dose.value == Decimal(40)


def test_split_doses_written_as_syringes_of_million_units_or_split_volumes(coder):
    syringes = ("benzathine penicillin G (Bicillin L-A) 2.4 million units IM was given today as two "
                "1.2 million unit / 2 mL syringes - one into the right dorsogluteal muscle and the "
                "other into the left.")
    volumes = ("gentamicin 240 mg IM (40 mg/mL, 6 mL) split 3 mL R ventrogluteal + 3 mL L "
               "ventrogluteal @ 15:10 (RN M. Ito)\n  + azithromycin 2 g PO x1, taken here @ 15:12")
    total = ("MED: BICILLIN L-A 1,200,000 UNITS/2 ML PREFILLED SYRINGE X 2\nDOSE: 2.4 MILLION UNITS "
             "TOTAL, SPLIT FOR VOLUME - 1.2 MU R DORSOGLUTEAL + 1.2 MU L DORSOGLUTEAL\nROUTE: IM\n"
             "GIVEN BY L. HOLLOWAY, RN")
    for text, drug, half in ((syringes, "penicillin g benzathine", "1200000"),
                             (volumes, "gentamicin", "120"), (total, "penicillin g benzathine",
                                                               "1200000")):
        given = [a for name, s, a in _admins(coder, text) if s is S.GIVEN and name == drug]
        assert [str(a.dose.value) for a in given] == [half, half], text
        assert {a.site.laterality for a in given} == {"left", "right"}


def test_the_products_ndc_and_lot_further_down_or_in_an_aside(coder):
    below = ("Haloperidol decanoate 100 mg/mL - 0.75 mL (75 mg) IM, L dorsogluteal (Z-track)\n"
             "Order: Dr. S. Mahmoud (psych), q4 weeks.\nIndication: schizophrenia (F20.0)\n"
             "NDC 70069-0383-01   Lot HD7734   Exp 06/2028\nPost: tolerated.\n")
    (adm,) = _given(coder, below)
    assert (adm.ndc.value, adm.lot.value) == ("70069-0383-01", "HD7734")
    aside = ("I gave glucagon 1 mg IM into her right outer thigh at 10:52 (Lilly glucagon emergency "
             "kit, NDC 0002-8031-01, lot D451120). 911 called per plan.")
    (adm,) = [a for _, _, a in _admins(coder, aside)]
    assert (adm.ndc.value, adm.lot.value, adm.dose.value) == ("0002-8031-01", "D451120", 1)


def test_a_block_carried_forward_from_an_earlier_visit_is_history(coder):
    text = ("*** Problem list / plan (carried forward from 08/26/2026 office visit) ***\n"
            "2. Neck strain - Toradol 60 mg IM given today in office. Heat.\n"
            "*** end carried forward ***\n\n"
            "Nurse note: testosterone cypionate 200 mg/mL - 1 mL given IM L ventrogluteal. Tol.\n")
    got = {name: s for name, s, _ in _admins(coder, text, dos=date(2026, 9, 9))}
    assert got == {"ketorolac": S.HISTORICAL, "testosterone cypionate": S.GIVEN}
    inline = ('Plan (carried forward from 1/27): "Continue B12 1000 mcg IM monthly."\n'
              "Cyanocobalamin 1000 mcg IM R deltoid 15:10. Tol well.\n")
    assert S.GIVEN in {s for _, s, _ in _admins(coder, inline)}
    # a whole-note banner that says the copy was edited opens no pasted block
    edited = ("*** Copied forward from 03/27/2026 visit - edit as needed ***\n"
              "HPI: seen here 03/27: Kenalog 40 mg IM L glute given.\n"
              "P: Toradol 60 mg IM given R VG by MA, tolerated well.\n")
    got = {name: s for name, s, _ in _admins(coder, edited, dos=date(2026, 4, 2))}
    assert got == {"triamcinolone acetonide": S.HISTORICAL, "ketorolac": S.GIVEN}


def test_conditional_plans_intrinsic_factor_and_due_today(coder):
    text = ("- Ketorolac 30 mg IM RUOQ glute x1 @1410 -- pt tolerated\n"
            "- If HA not improved in 30-45 min will add promethazine 25 mg IM\n"
            "- 1455 recheck: HA 2/10, nausea gone\n")
    got = {name: s for name, s, _ in _admins(coder, text)}
    assert got == {"ketorolac": S.GIVEN, "promethazine": S.PLANNED}
    due = ("B12 deficiency found 08/2025 (IF Ab neg).\nA/P: B12 deficiency - due today: "
           "cyanocobalamin 1,000 mcg IM R deltoid given by MA 10:06.")
    assert ("cyanocobalamin", S.GIVEN) in {(n, s) for n, s, _ in _admins(coder, due)}


def test_an_oral_dose_taken_before_the_visit_in_the_hpi_is_history(coder):
    text = ("HPI: throbbing HA since last night. Took sumatriptan 50 mg PO (friend's) at 0900 "
            "without relief.\nPE: nonfocal.\nTX: Ketorolac 30 mg IM x1 @1410.\n")
    got = {name: s for name, s, _ in _admins(coder, text)}
    assert got["sumatriptan"] is S.HISTORICAL and got["ketorolac"] is S.GIVEN


def test_a_unit_period_does_not_end_a_shared_syringe_and_a_later_day_leads_the_drug(coder):
    text = ("P- Toradol 60 mg. + Decadron 10 mg. drawn in same syringe, IM L ventrogluteal x1, tol "
            "well.")
    got = {name: (s, a.route.value.value) for name, s, a in _admins(coder, text)}
    assert got == {"ketorolac": (S.GIVEN, "IM"), "dexamethasone": (S.GIVEN, "IM")}
    later = "Pt asks for the shot - OK to come in tomorrow AM for nurse visit, Toradol 60 mg IM x1."
    assert [s for _, s, _ in _admins(coder, later)] == [S.PLANNED]


def test_a_given_word_leading_the_drug_and_a_future_self_injection(coder):
    text = ("Plan: after teaching, our nurse gave the first dose in clinic today - methotrexate "
            "25 mg/mL, 0.6 mL SC into the right lower abdomen at 15:10 - and she will self-inject "
            "at home weekly from next week.")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.GIVEN and adm.dose.value == Decimal(15)


def test_a_programme_named_after_a_drug_is_not_a_mention(coder):
    text = ('2) B12 (cyanocobalamin) 1000 mcg (1 mL) - "energy shot", clinic lipo/B12 program\n'
            "   Route: [x] IM  [ ] SC     Site: [x] deltoid\nGiven by: D. Mora, RN   16:20\n")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.GIVEN and adm.dose.value == Decimal(1000)


def test_em_content_in_dictated_and_letter_wording(coder):
    """E/M evidence written without headings: EM-02 needs history/exam plus decision making."""
    cases = [
        ("Fever 3 d, pulling at R ear.", ("history",)),
        ("Painless ulcer ~6 wks ago. Now 10 days of diffuse rash on trunk.", ("history",)),
        ("Hot flashes tolerable, no bone pain.", ("history",)),
        ("Reports stable mood, 1 lapse on 7/19.", ("history",)),
        ("Assessment hyperemesis gravidarum, mild, O21.0.", ("mdm",)),
        ("Options reviewed with pt and mom: 10 d amoxicillin vs one shot.", ("mdm",)),
        ("Discussed naltrexone continuation vs switching to acamprosate.", ("mdm",)),
        ("Reviewed LFTs 7/28: AST 41, ALT 47.", ("mdm",)),
        ("Prescriptions sent for ondansetron 4 mg ODT.", ("mdm",)),
    ]
    for text, parts in cases:
        em = coder.extractor.extract(text, date(2026, 5, 1)).em
        for part in parts:
            assert getattr(em, part), (text, part)
    # an allergy-shot screen and the next depot are not an evaluation
    for text in ("Pre-injection: no fever, no wheeze today.", "Next depot due 13/10/2026."):
        em = coder.extractor.extract(text, date(2026, 5, 1)).em
        assert not em.mdm and not em.history, text


def test_venom_table_rows_named_by_venom_are_one_injection_each(coder):
    """CODE-08: a venom immunotherapy table whose first column names each venom ("Honeybee",
    "Wasp (Polistes)") holds one injection per row, so three rows are 95117, not 95115."""
    text = ("VENOM IMMUNOTHERAPY RECORD - Build-up, visit 9 of 12\nDx: Z91.030, Z91.038\n"
            "| Venom           | Conc       | Volume  | Route | Site            | Time |\n"
            "| Honeybee        | 100 mcg/mL | 0.40 mL | SC    | L posterior arm | 0905 |\n"
            "| Mixed vespid    | 300 mcg/mL | 0.40 mL | SC    | R posterior arm | 0906 |\n"
            "| Wasp (Polistes) | 100 mcg/mL | 0.40 mL | SC    | L posterior arm | 0907 |\n"
            "30-min obs: no systemic symptoms. RN: G. Dunn; allergist on site.")
    given = [a for a in _given(coder, text, date(2026, 2, 12))
             if a.drug.name == "hymenoptera venom extract"]
    assert [a.site.laterality for a in given] == ["left", "right", "left"]
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert [ln.code for ln in result.lines] == ["95117"]
    # an extract table may still label its rows by vial letter
    lettered = ("Allergen immunotherapy log.\n| Extract | Dilution | Volume | Route | Site |\n"
                "| A | 1:10 | 0.30 mL | SC | L arm |\n| B | 1:10 | 0.30 mL | SC | R arm |\n"
                "Given 1402 by A. Gutierrez, LPN; Dr. Sato on site.")
    result = coder.code(Encounter(text=lettered, place_of_service="11"))
    assert [ln.code for ln in result.lines] == ["95117"]


def test_coded_problem_with_history_and_exam_is_a_separate_em(coder):
    """EM-02: a problem written with its ICD-10-CM code after a history and exam is decision
    making, like a "Dx:" field; a nurse-led clinic is not a practitioner E/M."""
    text = ("I saw Mr. A today in follow-up of his prostate adenocarcinoma (C61). Hot flashes "
            "are tolerable and he has no bone pain.\nOn examination: abdomen soft, no spinal "
            "tenderness.\nTriptorelin 22.5 mg was given intramuscularly in his left gluteal "
            "muscle by our nurse.")
    result = coder.code(Encounter(text=text, billed_em="99214", patient_status="established"))
    assert ("99214", ("25",)) in [(ln.code, ln.modifiers) for ln in result.lines]
    assert "EM-03" not in {f.rule_id for f in result.findings}
    nurse_led = "UROLOGY NURSE-LED CLINIC\n" + text.replace("I saw", "Reviewed")
    result = coder.code(Encounter(text=nurse_led, place_of_service="11"))
    assert not (result.em and result.em.significant)
    assert "EM-06" not in {f.rule_id for f in result.findings}


def test_allergy_shot_log_naming_only_immunotherapy_and_allergens(coder):
    """CODE-08: a log that says "Immunotherapy" and lists its vials' allergens is allergen
    extract, one injection per vial row ("Red #1", "A: trees/grass"); two vials are 95117."""
    text = ("ALLERGY ASSOC. - Immunotherapy log 03/10/2026\nBuild-up, visit 14.\n"
            "| Vial | Content | Dose | Route | Site |\n"
            "| Red #1 | Trees/grass mix 1:1 v/v | 0.40 mL | SC | L post. upper arm |\n"
            "| Red #2 | Dust mite/cat | 0.40 mL | SC | R post. upper arm |\n"
            "Given 1402 by A. Gutierrez, LPN; Dr. Sato on site.\nDx: J30.1")
    given = _vials(coder, text, date(2026, 3, 10))
    assert [(a.site.laterality, a.site.location) for a in given] == [
        ("left", "upper_arm"), ("right", "upper_arm")]
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "95117" in {ln.code for ln in result.lines}
    # cancer immunotherapy is not an allergy shot
    onc = "Immunotherapy with pembrolizumab continues; tolerating well. Cat at home."
    assert not [n for n, _, _ in _admins(coder, onc) if n == "allergen extract"]


def test_inj_held_and_a_mar_action_column(coder):
    """Status: "INJ HELD." holds the note's one injection; a MAR's "Action" column says whether
    each row was given, and an order then "Not Given" is one event, not given (no DOC-16)."""
    held = ("NURSE VISIT\nPT IN FOR Q2WK TESTOSTERONE CYP 200MG IM.\nBP 178/104.\n"
            "PER STANDING ORDER - HOLD IF SBP >160. INJ HELD.\n")
    assert [st for n, st, _ in _admins(coder, held)] == [S.NOT_GIVEN]
    mar = ("Plan: antiemetic IM + Toradol for myalgias ordered.\n\nMAR Summary\n"
           "Medication | Dose | Route | Site | Action | Time | User\n"
           "ondansetron 2 mg/mL injection 4 mg | 4 mg | IM | Left Deltoid | Given | 11:02 | K. Bui, LPN\n"
           "ketorolac 30 mg/mL injection 30 mg | 30 mg | IM | -- | Not Given | 11:03 | K. Bui, LPN\n")
    found = sorted((n, st) for n, st, _ in _admins(coder, mar))
    assert found == [("ketorolac", S.NOT_GIVEN), ("ondansetron", S.GIVEN)]
    result = coder.code(Encounter(text=mar, place_of_service="11"))
    assert "J1885" not in {ln.code for ln in result.lines}
    assert "DOC-16" not in {f.rule_id for f in result.findings}


def test_prescriptions_and_yest_are_not_todays_dose(coder):
    """Status: a prescription ("Rx X ... #1, 3 refills", "every 12-13 weeks") is planned;
    "seen at urgent care yest, got rocephin 1g im there" is history; "Rx:" heading a
    treatment list still reads the given dose."""
    rx = ("P: Rx Depo-SubQ Provera 104 (medroxyprogesterone acetate 104 mg/0.65 mL) prefilled "
          "syringe - inject 104 mg subcutaneously into the abdomen or anterior thigh every 12-13 "
          "weeks; #1, 3 refills. She will self-inject the first dose at home.")
    assert [st for _, st, _ in _admins(coder, rx)] == [S.PLANNED]
    refills = "Plan: testosterone cypionate 200 mg/mL vial, 1 mL IM, disp 1 vial, 2 refills."
    assert [st for _, st, _ in _admins(coder, refills)] == [S.PLANNED]
    yest = ("38m seen at quickcare urgent care yest (6/29) for r knee cellulitis, got rocephin 1g "
            "im + toradol 60 im there per pt. here for recheck.")
    assert {st for _, st, _ in _admins(coder, yest, date(2026, 6, 30))} == {S.HISTORICAL}
    treated = ("Dx: Strep pharyngitis\nRx: Bicillin L-A 1.2 million units IM, L ventrogluteal. "
               "Pt observed 30 min post injection, no reaction.")
    assert [st for _, st, _ in _admins(coder, treated)] == [S.GIVEN]


def test_split_dose_on_the_drugs_line_needs_both_sites(coder):
    """MOD-02: a split written on the drug's own line past a semicolon or dash is two
    injections when both sites are documented; "given as two injections" without sites is one."""
    caps = ("P: BICILLIN L-A 2.4 MU IM X1 - SPLIT 1.2 MU (2 ML) R GLUT + 1.2 MU (2 ML) L GLUT D/T "
            "VOLUME. GIVEN BY RN M. TAN 1705.")
    mar = ("MAR: Rocephin 1 gm reconstituted with 3.6 mL 1% lidocaine; split into two syringes due "
           "to volume - 500 mg IM R dorsogluteal and 500 mg IM L dorsogluteal, 18:40, T. Vang, RN.")
    for text, half in ((caps, Decimal(1200000)), (mar, Decimal(500))):
        given = _given(coder, text)
        assert [(a.dose.value * (1000 if a.dose.unit.value == "g" else 1), a.site.laterality)
                for a in given] == [(half, "right"), (half, "left")], text
    no_sites = ("Bicillin L-A 2.4 million units IM given for latent syphilis per Dr. Pruitt (on "
                "site). Given as two 2 mL injections. Observed 30 min - no reaction.")
    assert len(_given(coder, no_sites)) == 1


def test_visit_reason_then_held_is_one_dose_not_given(coder):
    """Status: "here for q2wk testosterone ... IM" names the dose the note then holds; nothing
    is billed (the reason for the visit is not a second, given dose)."""
    text = ("NURSE VISIT - testosterone injection\nPt here for q2wk testosterone cypionate 200 mg "
            "IM per Dr. Haines' protocol (Dx: E29.1).\nHct 55.4% (01/13), above the 54% hold "
            "parameter.\nTestosterone cypionate NOT given today - held for Hct.\nT. Greer, LPN")
    assert {st for n, st, _ in _admins(coder, text, date(2026, 1, 27))
            if n == "testosterone cypionate"} == {S.NOT_GIVEN}
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert not {"96372", "J1071"} & {ln.code for ln in result.lines}


def test_dictated_compound_number_words_are_whole_amounts():
    from extractor.regexes import DOSE, VOLUME, parse_amount

    cases = {
        "sixty milligrams": Decimal(60),
        "twenty-five milligrams": Decimal(25),  # never "five milligrams"
        "one hundred twenty mg": Decimal(120),
        "one thousand micrograms": Decimal(1000),
        "one point two million units": Decimal("1.2"),
        "one and a half mL": Decimal("1.5"),
    }
    for phrase, value in cases.items():
        m = DOSE.search(phrase) or VOLUME.search(phrase)
        assert m and m["amount"] == phrase.rsplit(" ", 1 + phrase.endswith("units"))[0]
        assert parse_amount(m["amount"]) == value


def test_decimal_comma_amounts_are_decimals_and_thousands_commas_are_not():
    from extractor.regexes import DOSE, VOLUME, parse_amount

    cases = {"0,5 ml": Decimal("0.5"), "2,5 mg": Decimal("2.5"), "12,5 mg": Decimal("12.5"),
             "1,000 mcg": Decimal(1000), "6,00,000 IU": Decimal(600000)}
    for phrase, value in cases.items():
        m = DOSE.search(phrase) or VOLUME.search(phrase)
        assert m and parse_amount(m["amount"]) == value, phrase


def test_a_decimal_comma_volume_with_its_concentration_is_the_dose(coder):
    text = ("10:42 Epinephrine (Adrenalin) 1 mg/ml: 0,5 ml i.m. right lateral thigh - given by me.")
    (got,) = _given(coder, text)
    assert (got.dose.value, got.dose.unit.value) == (Decimal("0.5"), "mg")


def test_amount_written_before_the_next_drug_is_that_drugs(coder):
    text = ("I then administered sixty milligrams of Toradol intramuscularly in the right gluteus "
            "and twenty-five milligrams of Phenergan intramuscularly in the left gluteus.")
    got = {name: a for name, status, a in _admins(coder, text) if status is S.GIVEN}
    assert (got["ketorolac"].dose.value, got["ketorolac"].dose.unit.value) == (Decimal(60), "mg")
    assert (got["promethazine"].dose.value, got["promethazine"].dose.unit.value) == (
        Decimal(25), "mg")


def test_a_dose_given_at_a_pharmacy_is_history(coder):
    text = ("Hx: Hep A #1 given at CVS pharmacy 02/2026 (Havrix per pharmacy record) -> due #2.\n"
            "GIVEN TODAY: Havrix 1 mL IM, L deltoid, lot AHAVB942, by RN.")
    got = _status_list(coder, text, date(2026, 8, 25))
    assert got == [("hepatitis a vaccine", S.HISTORICAL), ("hepatitis a vaccine", S.GIVEN)]


def test_an_orders_status_field_is_its_own_rows(coder):
    text = ("ORDERS PLACED THIS ENCOUNTER\n"
            "  cefTRIAXone (ROCEPHIN) injection 1 g      Once      IM     Status: Ordered\n"
            "  XR Chest 2 Views                          Once             Status: Completed\n")
    got = _status_list(coder, text)
    assert got == [("ceftriaxone", S.ORDERED)]  # not the chest film's "Completed"


def test_an_inline_med_list_ends_at_the_next_table_or_label(coder):
    text = ("Meds: Breo 100/25 daily, montelukast 10 mg, cetirizine 10 mg, albuterol prn.\n"
            "Biologic: Xolair (omalizumab) 150 mg SC R abdomen 15:05, lot 3482991.\n"
            "Given by: Nora Pike, RN\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got["omalizumab"] is S.GIVEN  # not a medication-list entry


def test_offered_then_declined_in_the_same_sentence_is_not_given(coder):
    text = ("Toradol 60 mg IM offered for post-injection soreness - pt declined (GI upset).\n"
            "Offered haloperidol 5 mg IM - pt refused, accepted olanzapine 10 mg ODT PO, taken "
            "in clinic 11:40.")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got["ketorolac"] is S.NOT_GIVEN and got["haloperidol"] is S.NOT_GIVEN
    assert got["olanzapine"] is S.GIVEN  # the refusal before it was the haloperidol's


def test_procedure_note_injectate_with_a_hip_named_after_the_route(coder):
    text = ("Procedure: Ultrasound-guided intra-articular injection, LEFT hip\n"
            "Meds: meloxicam 15 mg daily, lisinopril. Allergies: NKDA.\n"
            "Time-out performed. Skin anesthetized with 2 mL 1% lidocaine. 22G spinal needle "
            "advanced under ultrasound.\n"
            "Injectate: triamcinolone acetonide (Kenalog-40) 40 mg + 4 mL 0.5% ropivacaine.\n")
    got = {name: a for name, status, a in _admins(coder, text) if status is S.GIVEN}
    kenalog = got["triamcinolone acetonide"]
    assert kenalog.route.value.value == "INTRA_ARTICULAR"
    assert kenalog.site.laterality == "left" and kenalog.site.joint


def test_id_after_an_amount_is_intradermal_and_never_an_identity(coder):
    text = "PPD (Aplisol 5 TU/0.1 mL) 0.1 mL ID L forearm. Patient ID verified x2. Tolerated."
    got = _given(coder, text)
    assert len(got) == 1 and got[0].route.value.value == "INTRADERMAL"
    assert got[0].route.evidence.text == "ID"
    ex = coder.extractor.extract("Toradol 30 mg IM given, ID band checked.", date(2026, 5, 1))
    assert [a.route.value.value for a in ex.administrations] == ["IM"]


def test_a_bare_depo_keeps_its_own_refusal_and_a_return_visit_dates_the_next_dose(coder):
    """A bare "Depo" is scoped by ConText like any drug name: "Depo NOT given today" is not
    given, and "RTC 2/24 ..., and Depo 150 mg IM that day" is planned (a later return date
    leads its clause)."""
    text = ("pt here for Depo-Provera 150 mg IM. Last Depo 10/28/2025, past the window.\n"
            "Cannot exclude pregnancy -> Depo NOT given today. Offered EC, ulipristal 30 mg Rx.\n"
            "RTC 2/24 for UPT, and Depo 150 mg IM that day if negative.\n")
    got = _admins(coder, text, dos=date(2026, 2, 10))
    statuses = [status for name, status, _ in got if name == "medroxyprogesterone acetate"]
    assert S.GIVEN not in statuses
    assert S.NOT_GIVEN in statuses and S.PLANNED in statuses
    ulipristal = [a for name, _, a in got if name == "ulipristal acetate"]
    assert ulipristal and ulipristal[0].status is not S.GIVEN


def test_a_timed_mar_entry_is_given_and_the_vial_size_is_not_the_dose(coder):
    """"MAR 15:40:" opens an administration record (a header with its time before the colon),
    and "1 g vial" is what the vial holds: the amount drawn from it is the dose."""
    text = ("A/P: AOM left (H66.002), failing amoxicillin.\n"
            "- Rocephin 50 mg/kg IM x1 today.\n"
            "MAR 15:40: ceftriaxone 1 g vial, lot 7YH210, reconstituted w/ 2.1 mL 1% lidocaine. "
            "735 mg (2.1 mL) IM L anterolateral thigh. Observed 20 min. -- D. Pruitt, RN\n")
    got = _given(coder, text)
    assert len(got) == 1 and got[0].drug.name == "ceftriaxone"
    assert (got[0].dose.value, got[0].dose.unit.value) == (Decimal(735), "mg")
    whole = "Ceftriaxone 500 mg vial reconstituted with 1 mL 1% lidocaine, given IM L VG."
    got = _given(coder, whole)
    assert (got[0].dose.value, got[0].dose.unit.value) == (Decimal(500), "mg")


def test_spoken_and_spaced_headers_open_their_sections(coder):
    """Speech recognition runs a dictation together and speaks its headers ("Exam colon",
    "Assessment and plan."); a template spaces its slash ("ASSESSMENT / PLAN:"). Each opens
    its section, so the decision making is found."""
    spoken = ("Patient has 2 days of wheezing. Exam colon respiratory rate 24, diffuse wheeze. "
              "Assessment colon asthma exacerbation. Plan colon terbutaline 0.25 mg sub Q "
              "given by me.")
    assert coder.extractor.extract(spoken, date(2026, 4, 9)).em.mdm
    dotted = ("Subjective. Burning in her chest after meals. Objective. Abdomen soft. "
              "Assessment and plan. Number one heartburn, start famotidine.")
    em = coder.extractor.extract(dotted, date(2026, 4, 9)).em
    assert em.history and em.exam and em.mdm
    spaced = "HPI: cough x 4 days.\nPE: crackles R base.\nASSESSMENT / PLAN:\n1. CAP, R lower lobe."
    assert coder.extractor.extract(spaced, date(2026, 4, 9)).em.mdm
    prose = "She has a plan. Exam colon is a word the patient used."
    assert not coder.extractor.extract(prose, date(2026, 4, 9)).em.mdm


def test_an_orders_header_alone_on_its_line_heads_its_list_unless_the_list_is_charted(coder):
    orders = ("A/P: hypogonadism (E29.1), trough T therapeutic.\nOrders placed this encounter:\n"
              "- testosterone cypionate 200 mg/mL injection 200 mg, intramuscular, once\n"
              "- Ambulatory referral to Sleep Medicine\n")
    assert [s for _, s, _ in _admins(coder, orders)] == [S.ORDERED]
    charted = ("Orders (Dr. Villanueva, present on unit):\n"
               "1. Rho(D) immune globulin (RhoGAM) 300 mcg IM - L deltoid - 09:50 - lot RG6120.\n")
    assert [s for _, s, _ in _admins(coder, charted)] == [S.GIVEN]


def test_written_and_spoken_im_abbreviations(coder):
    """"i/m" is intramuscular; "I am" (speech recognition's IM) only right after an amount."""
    got = _admins(coder, "Inj. Ketorolac 30mg i/m stat - given (R) gluteal by Sr. Mary (RN).")
    assert got[0][2].route.value.value == "IM"
    got = _admins(coder, "Cyanocobalamin one thousand micrograms I am to the left deltoid "
                         "given today by the nurse.")
    assert got[0][2].route.value.value == "IM"
    got = _admins(coder, "Kenalog 40, 2 milliliters I am to the left upper outer gluteal given "
                         "by me, tolerated well.")
    assert got[0][2].route.value.value == "IM"
    got = _admins(coder, "I am giving Toradol 60 mg today, R glute.")
    assert all(a.route is None or a.route.evidence.text != "I am" for _, _, a in got)


def test_brand_names_used_outside_the_us_name_their_drug(coder):
    text = ("First dose: Clexane 80 mg s/c given into L abdomen, 15:10, by me. "
            "Stemetil 12.5 mg IM stat given into L deltoid.")
    names = [name for name, status, _ in _admins(coder, text) if status is S.GIVEN]
    assert names == ["enoxaparin", "prochlorperazine"]


def test_a_steroid_mixed_with_anaesthetic_into_a_joint_shares_the_joint(coder):
    text = ("Injected Kenacort-A 40 mg/mL, 1 mL + 1% lignocaine 4 mL into R knee joint. "
            "Tolerated well.")
    got = {name: a for name, status, a in _admins(coder, text) if status is S.GIVEN}
    assert got["triamcinolone acetonide"].route.value.value == "INTRA_ARTICULAR"
    assert got["triamcinolone acetonide"].site.joint


def test_lakh_units_are_a_hundred_thousand(coder):
    got = _admins(coder, "Inj. Penidure 24 lakh units i/m, 12 lakh each buttock, given stat.")
    dose = got[0][2].dose
    assert (dose.value, dose.unit.value) == (Decimal(2_400_000), "units")
    assert dose.evidence.text == "24 lakh units"


def test_a_sentence_that_says_held_holds_the_visits_drug(coder):
    text = ("Practice nurse note. In for her 6-monthly Prolia (denosumab 60 mg s/c).\n"
            "Dentist booked next Tues for an extraction.\n"
            "Held today - rang Dr Moore, who wants the extraction done and healed first. "
            "Not given.\n")
    assert [s for _, s, _ in _admins(coder, text)] == [S.NOT_GIVEN]


def test_a_refusal_after_education_in_the_next_sentence_refuses_the_dose(coder):
    text = ("HH SN visit. Monthly B12 1000 mcg IM due today per Dr. S order; pt REFUSED after "
            "education re pernicious anemia. Will re-offer next visit.")
    assert [s for _, s, _ in _admins(coder, text)] == [S.NOT_GIVEN]


def test_a_verbal_order_mid_line_orders_every_drug_it_names(coder):
    """The order sentence and the times charted after it are one event per drug."""
    text = ("Psychiatrist notified 2225. Verbal order: haloperidol 5 mg + lorazepam 2 mg IM x1 "
            "and diphenhydramine 50 mg IM x1.\n"
            "2238 haloperidol 5 mg/1 mL and lorazepam 2 mg/1 mL drawn up together in one "
            "syringe, given IM R dorsogluteal.\n"
            "2239 diphenhydramine 50 mg/1 mL given IM in a separate syringe, L dorsogluteal.\n")
    got = _admins(coder, text)
    assert sorted(name for name, _, _ in got) == ["diphenhydramine", "haloperidol", "lorazepam"]
    assert all(s is S.GIVEN for _, s, _ in got)


def test_a_written_prescription_and_past_history_make_a_separate_visit(coder):
    """EM-03: "PMH:" is history and "Rx: <drug> <strength>" is prescription management."""
    text = ("New patient. 34 yo M, safari trip 04/20 - 05/08.\nPMH: mild asthma.\n"
            "Vaccines today: Typhim Vi 0.5 mL IM L deltoid, lot UT447.\n"
            "Rx: atovaquone-proguanil 250/100 mg daily. Dx: Z71.84; Z23")
    result = coder.code(Encounter(text=text, billed_em="99203", patient_status="new",
                                  place_of_service="11", date_of_service=date(2026, 3, 18)))
    assert ("99203", ("25",)) in [(ln.code, ln.modifiers) for ln in result.lines]
    assert "EM-03" not in {f.rule_id for f in result.findings}
    # a shot charted on an "Rx:" line is not a prescription
    em = coder.extractor.extract("Rx: B12 1000 mcg IM monthly.", date(2026, 5, 1)).em
    assert not em.mdm


def test_unnamed_injections_are_umbrella_drugs_for_doc01(coder):
    """DOC-01: "a steroid jab" and a med-spa "Lipo shot" name no product to code."""
    got = _admins(coder, "Plan: Gave a steroid jab 40 mg IM R deltoid in rooms.")
    assert [(n, s) for n, s, _ in got] == [("corticosteroid", S.GIVEN)]
    got = _admins(coder, "Lipo shot 1 mL IM R glut\nB12 1000mcg IM L delt\ntolerated.")
    assert [(n, s) for n, s, _ in got] == [("lipotropic injection", S.GIVEN),
                                           ("cyanocobalamin", S.GIVEN)]


def test_an_addendum_that_says_not_administered_withdraws_the_charted_dose(coder):
    text = ("A/P: OUD stable. Vivitrol 380 mg IM R gluteal given today.\nRTC 4 wks.\n\n"
            "Addendum 16:10: Vivitrol was NOT administered today. Pt left before the nurse "
            "came in; the line above was entered from the plan in advance.")
    got = _admins(coder, text)
    assert [(n, s) for n, s, _ in got] == [("naltrexone", S.NOT_GIVEN)]
    assert got[0][2].dose is not None
    # without the addendum the two statements stay two events
    plain = text.replace("Addendum 16:10: ", "")
    assert S.GIVEN in [s for _, s, _ in _admins(coder, plain)]


def test_a_drug_named_in_a_negative_test_result_is_not_an_event(coder):
    text = "UDS today negative for opioids and fentanyl. Cravings 2/10."
    assert _admins(coder, text) == []


def test_no_injection_today_makes_a_copied_forward_dose_an_earlier_visits(coder):
    text = ("F/U (note copied from 05/05/2026 and edited)\nA: Cervicalgia, improving.\n"
            "P: Inj Toradol 60mg IM given R gluteal - tolerated well.\n"
            "   No injection today - not needed. Continue ibuprofen.")
    assert [s for n, s, _ in _admins(coder, text) if n == "ketorolac"] == [S.HISTORICAL]
    text = "Toradol 60 mg IM given R glute. No other injections today."
    assert [s for _, s, _ in _admins(coder, text)] == [S.GIVEN]


def test_a_mar_row_entered_in_error_is_not_given(coder):
    text = ("MAR\n13:02  ketorolac 60 mg IM  - ENTERED IN ERROR 13:06 (order discontinued "
            "before administration)\n13:09  methylprednisolone acetate (Depo-Medrol) 80 mg/mL, "
            "1 mL IM, right gluteal. Given by B. Thornton, RN.\n")
    got = {n: s for n, s, _ in _admins(coder, text)}
    assert got == {"ketorolac": S.NOT_GIVEN, "methylprednisolone acetate": S.GIVEN}


def test_a_vis_edition_and_an_earlier_dated_dose_are_not_todays_shot(coder):
    text = ("56 y/o M here for 2nd dose of Shingrix. Dose 1 given 11/20/2025 in this office, "
            "L deltoid.\nVIS (Shingrix, 02/04/2022) given.\n"
            "Shingrix 0.5 mL IM, right deltoid. Lot 7FZ44. Tolerated.\n")
    given = _given(coder, text, date(2026, 2, 19))
    assert len(given) == 1 and given[0].site.location == "deltoid"
    assert given[0].site.laterality == "right"


def test_a_dose_received_at_that_earlier_visit_is_history(coder):
    text = ("TELEPHONE ENCOUNTER\nPt seen in clinic 03/02/2026 by Dr. H; received Depo-Medrol "
            "80 mg IM, right gluteal, that visit.\nToday reports soreness at the site.")
    got = _admins(coder, text, date(2026, 3, 4))
    assert [s for n, s, _ in got if n == "methylprednisolone acetate"] == [S.HISTORICAL]


def test_a_history_narrative_that_reaches_todays_clinic_dose_is_given(coder):
    text = ("Interval history: On oral aripiprazole 15 mg daily since 2/11. He took the 30 mg "
            "oral tablet at home this morning, and in clinic at 10:40 I gave Aristada Initio "
            "675 mg IM into the left deltoid followed by Aristada 882 mg IM into the right "
            "gluteal, both tolerated.\n\nAssessment: schizophrenia; LAI started today.\n")
    got = [(a.drug.hcpcs, s) for n, s, a in _admins(coder, text, date(2026, 3, 4))
           if n == "aripiprazole lauroxil"]
    assert got == [(("J1943",), S.GIVEN), (("J1944",), S.GIVEN)]
    text = ("HPI: Last month in clinic I gave Aristada 882 mg IM, R gluteal.\n\n"
            "Assessment: due again in 2 weeks.\n")
    assert [s for _, s, _ in _admins(coder, text)] != [S.GIVEN]


def test_a_checkbox_form_speaks_of_its_checked_drug(coder):
    text = ("LONG-ACTING INJECTABLE RECORD\nMedication ordered:\n"
            "  [ ] Invega Sustenna (paliperidone palmitate, 1-month)   dose ______\n"
            "  [X] Invega Hafyera (paliperidone palmitate, 6-month)    dose 1092 mg / 3.5 mL\n"
            "Order: P. Okafor, MD - signed 08/28/2025 - q6 months\n"
            "Route:  [X] IM    [ ] SC\n"
            "Site:   [ ] L deltoid   [ ] R deltoid   [X] R gluteal\n"
            "Lot: 4NK22S    Exp: 11/2027\nAdministered by: T. Nguyen, RN\n")
    (adm,) = _given(coder, text)
    assert (adm.drug.name, adm.dose.value, adm.route.value.value) == (
        "paliperidone palmitate", Decimal(1092), "IM")
    assert (adm.site.laterality, adm.site.location) == ("right", "gluteal")


def test_an_unticked_brand_takes_its_generic_with_it(coder):
    text = ("Agent:  [X] Prolia (denosumab) 60 mg/mL   [ ] Evenity (romosozumab)   [ ] other\n"
            "Route: SC     Site: [X] R upper arm  [ ] L upper arm  [ ] abdomen\n"
            "Dose given: 60 mg  at 10:50      Lot 1152P9\nNurse: V. Ilic, RN\n")
    got = [(n, s, a.dose and a.dose.value) for n, s, a in _admins(coder, text)]
    assert got == [("denosumab", S.GIVEN, Decimal(60))]


def test_a_per_ml_device_holds_one_ml(coder):
    text = "Fasenra 30mg/mL autoinj SC R abd @1105. lot 1B72. Tol, no rxn."
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(30), "mg")
    text = "Kenalog 40 mg/mL vial: 1 mL IM R gluteal given."
    (adm,) = _given(coder, text)
    assert adm.dose.value == Decimal(40)


def test_a_quadrant_gives_the_abdomen_its_side(coder):
    for text, side in (("Sublocade 300 mg SC. Site: abdomen, RLQ. Given by RN.", "right"),
                       ("Xolair 150 mg SC - abdomen, L lower quadrant - given.", "left"),
                       ("Xolair 150 mg SC abdomen given.", None)):
        (adm,) = _given(coder, text)
        assert (adm.site.location, adm.site.laterality) == ("abdomen", side)


def test_a_rescue_device_the_patient_carries_is_not_a_dose(coder):
    text = ("Xolair 150 mg SC, Left posterior upper arm, 13:40. Observed 30 min. Pt has "
            "epinephrine autoinjector.\nAllergist on site.  Given by: O. Mensah, LPN\n")
    assert [n for n, _, _ in _admins(coder, text)] == ["omalizumab"]
    text = ("Pt brought her OWN Ozempic pen (0.25 mg dose). Pt dialed 0.25 mg and self-injected "
            "SQ into her L lower abdomen under observation.")
    assert [n for n, _, _ in _admins(coder, text)] == ["semaglutide"]


def test_a_mar_row_given_per_prn_order_is_given(coder):
    text = ("PRN order (Dr. F 01/03/26): haloperidol 5 mg IM q6h PRN severe agitation.\n\n"
            "01/14 0200 Res. yelling, striking at staff. Redirection x 20 min - ineffective.\n"
            "01/14 Haldol 5mg IM R glut @0215 per PRN order. -CT LPN\n")
    got = [s for _, s, _ in _admins(coder, text, date(2026, 1, 14))]
    assert got == [S.GIVEN]


def test_a_dictated_injection_of_a_drug_after_another_drug_in_its_sentence(coder):
    text = ("As a bridge while the methotrexate takes effect I gave her an intramuscular "
            "injection of triamcinolone acetonide (Kenalog-40) 2 mL, i.e. 80 mg, to the right "
            "ventrogluteal muscle in clinic today, which she tolerated well.")
    (adm,) = [a for n, s, a in _admins(coder, text) if n == "triamcinolone acetonide"]
    assert (adm.route.value.value, adm.dose.value, adm.dose.unit.value) == ("IM", Decimal(80), "mg")


def test_an_oral_antibiotic_named_after_the_shot_keeps_its_own_dose(coder):
    text = ("A/P: Acute pyelonephritis (N10). One-time dose of ceftriaxone in clinic, then "
            "cefpodoxime 200 mg PO BID x 10 days.")
    got = {n: a for n, _, a in _admins(coder, text)}
    assert "ceftriaxone" not in got or got["ceftriaxone"].dose is None
    assert got["cefpodoxime"].dose.value == Decimal(200)


def test_south_asian_digit_grouping_and_injectable_vitamin_d(coder):
    text = ("Rx:\n 1. Inj. Cholecalciferol (Arachitol) 6,00,000 IU IM stat - given R gluteal by "
            "self after verbal consent. Observed 15 min, no reaction.")
    (adm,) = _given(coder, text)
    assert (adm.drug.name, adm.dose.value, adm.dose.unit.value) == (
        "cholecalciferol", Decimal(600000), "units")
    text = "Ceftriaxone 1,000 mg IM L VG given."
    (adm,) = _given(coder, text)
    assert adm.dose.value == Decimal(1000)


def test_a_signing_stamp_is_no_dose_time_so_a_late_entry_is_the_planned_dose(coder):
    text = ("Plan per Dr. Achterberg (in clinic): RhoGAM 300 mcg IM today.\n"
            "-- signed T. Mahlangu, RN  03/11/2026 10:05\n\n"
            "ADDENDUM (entered 03/11/2026 16:48 by T. Mahlangu, RN)\n"
            "Late entry for 10:20 AM: RhoGAM 300 mcg given IM R deltoid. Pt tolerated.\n")
    given = _given(coder, text, date(2026, 3, 11))
    assert len(given) == 1  # one dose, not a re-dose at 10:05 and 10:20
    assert given[0].time.value == "10:20 AM"


def test_a_list_item_does_not_take_the_time_of_the_line_above(coder):
    text = ("COPD exacerbation. CXR (resulted 2:40 PM): hyperinflation, no infiltrate.\n"
            "  - dexamethasone IM now\n\n"
            "Medication Administration\n"
            "dexamethasone (DECADRON) injection 10 mg\n"
            "    Action: Given    Time: 1/20/2026 3:12 PM\n"
            "    Dose: 10 mg    Route: Intramuscular    Site: Left Deltoid\n")
    given = _given(coder, text, date(2026, 1, 20))
    assert len(given) == 1
    assert given[0].time.value == "3:12 PM"


def test_a_relayed_order_is_ordered_until_the_nurse_visit_documents_it(coder):
    call = ("Telephone Encounter\nCulture positive for group A strep. Called mom. Per Dr. Haddad "
            "order Bicillin L-A 600,000 units IM today. Scheduled nurse visit 2:30 PM.\n\n")
    held = ("Nurse Visit\nBicillin L-A not available - on national backorder. Order "
            "discontinued, changed to amoxicillin. No injection given today.\n")
    got = [(n, s) for n, s, _ in _admins(coder, call + held, date(2026, 1, 29))]
    assert ("penicillin g benzathine", S.GIVEN) not in got
    assert ("penicillin g benzathine", S.NOT_GIVEN) in got
    # a site written with the relayed order documents the dose
    text = "Per Dr. Haddad order Bicillin L-A 600,000 units IM R ventrogluteal. Tolerated well."
    assert [s for _, s, _ in _admins(coder, text)] == [S.GIVEN]


def test_a_dose_the_patient_got_at_a_pharmacy_is_historical(coder):
    text = ("Spoke with patient. States she got it at CVS Pharmacy on 01/20/2026. Sent a picture "
            "of the card - received, Fluzone High-Dose, lot UT8842AA. Immunization record "
            "updated as historical (administered elsewhere).\n")
    got = [(n, s) for n, s, _ in _admins(coder, text, date(2026, 1, 23))]
    assert got and all(s is not S.GIVEN for _, s in got)
    # a statement about another vaccine two lines up does not reach today's doses
    text = ("Flu shot: received at her employer's clinic 9/18/26 per pt - entered as historical.\n"
            "Administered under pharmacist immunization protocol:\n"
            "1) Shingrix 0.5 mL IM L deltoid. Lot 4R93K.\n")
    got = [(n, s) for n, s, _ in _admins(coder, text, date(2026, 10, 6))]
    assert ("zoster vaccine", S.GIVEN) in got


def test_million_u_is_million_units(coder):
    text = "P: Bicillin L-A 1.2 million u IM R VG, given 1740 by RN, observed 30 min."
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(1200000), "units")


def test_an_order_is_not_given_because_the_oral_drug_ordered_with_it_was(coder):
    text = ("Per J. Whitley PA-C: acute pyelonephritis (N10). Orders: Rocephin 1 gm IM x1, "
            "Zofran 4 mg ODT x1, urine cx sent.\n"
            "1505 Zofran 4mg ODT given, tolerated.\n"
            "1520 Rocephin 1gm reconstituted w/ lido, to room 6 - room empty. Pt walked out.\n"
            "Rocephin NOT given - wasted per policy.\n")
    got = {(n, s) for n, s, _ in _admins(coder, text)}
    assert ("ceftriaxone", S.GIVEN) not in got
    assert ("ceftriaxone", S.NOT_GIVEN) in got


def test_a_modal_given_or_samples_given_to_take_home_are_no_dose(coder):
    text = ("PLAN: We discussed RhoGAM 300 mcg IM at 28 weeks. She declined the RhoGAM today. "
            "If the baby's cord blood typing were Rh positive, RhoGAM would be given after "
            "delivery.\n")
    got = {s for _, s, _ in _admins(coder, text)}
    assert S.GIVEN not in got and S.NOT_GIVEN in got
    text = ("PLAN:\n1. Sumatriptan 6 mg subcutaneous autoinjector for attacks with vomiting. Two "
            "sample autoinjectors were given to take home; she did not inject a dose in the "
            "office.\n")
    assert S.GIVEN not in {s for _, s, _ in _admins(coder, text)}


def test_a_units_period_before_the_route_ends_no_sentence(coder):
    text = ("A: anaphylaxis due to peanut ingestion (T78.01XA).\n"
            "1441 epi 0.3mg. IM R lat thigh (1 mg/mL) - me. O2 NRB. 911 called.\n"
            "1451 still wheezy, BP 92/60 -> epi 0.3mg. IM L lat thigh - me\n")
    given = [a for n, s, a in _admins(coder, text) if n == "epinephrine" and s is S.GIVEN]
    assert len(given) == 2
    assert all(a.route.value.value == "IM" for a in given)


def test_a_split_listed_under_the_dose_divides_it_in_two(coder):
    """MOD-02: a split line that names no drug ("Given as 2 shots d/t volume:") and the item lines
    under it, each with a site, divide the dose given above it; the listed amounts must add up
    to that dose."""
    items = ("Orders: Bicillin L-A 2,400,000 units IM once (latent syphilis, A52.8).\n"
             "Given as 2 separate injections d/t volume:\n"
             "  a) 1,200,000 units IM R ventrogluteal 14:10\n"
             "  b) 1,200,000 units IM L ventrogluteal 14:12\n"
             "No reaction after 30 min.\n")
    given = _given(coder, items)
    assert [(a.dose.value, a.site.laterality) for a in given] == [
        (Decimal(1200000), "right"), (Decimal(1200000), "left")]
    between = ("Omalizumab 375 mg SC q2wk - dose #6 today. Pt has EpiPen on person.\n"
               "Dose given as 2 x 187.5 mg syringes:\n"
               "- 187.5 mg SC right upper arm\n- 187.5 mg SC left upper arm\n")
    given = _given(coder, between)
    assert {a.drug.name for a in given} == {"omalizumab"} and len(given) == 2
    other_dose = items.replace("1,200,000 units IM", "600,000 units IM")
    assert len(_admins(coder, other_dose)) == 1


def test_a_split_into_volumes_halves_the_dose_in_milligrams(coder):
    text = ("Fluphenazine decanoate 25 mg/mL, 2 mL (50 mg) was given by the nurse as two "
            "injections because of the volume: 1 mL IM in the right deltoid and 1 mL IM in the left "
            "deltoid.")
    given = _given(coder, text)
    assert [(a.dose.value, a.dose.unit.value) for a in given] == [(Decimal(25), "mg")] * 2
    two_drugs = ("Given as 2 injections:\n  ketorolac 60 mg IM R gluteal\n"
                 "  promethazine 25 mg IM L gluteal\n")
    assert sorted(n for n, s, _ in _admins(coder, two_drugs) if s is S.GIVEN) == [
        "ketorolac", "promethazine"]


def test_two_extract_vials_in_a_mar_table_are_two_injections(coder):
    """A dilution ("1:10 v/v") is no clock time, so two vials charted a minute apart are two
    injections; an EHR site list ("Arm, posterior, left") keeps its side."""
    text = ("Time  | Medication                              | Dose    | Route | Site\n"
            "10:14 | ALLERGENIC EXTRACT vial 1 (weeds) 1:10 v/v | 0.2 mL  | SUBQ  | Arm, posterior, right\n"
            "10:15 | ALLERGENIC EXTRACT vial 2 (molds) 1:10 v/v | 0.2 mL  | SUBQ  | Arm, posterior, left\n")
    given = [a for n, s, a in _admins(coder, text) if s is S.GIVEN and n == "allergen extract"]
    assert sorted(a.site.laterality for a in given) == ["left", "right"]


def test_an_addendum_that_corrects_the_charted_dose_replaces_it(coder):
    """A correction ("the dose actually given was ..., not ...") is the same injection as the
    entry above it, with the corrected dose and site; a plain addendum charting a later dose at
    another time is not a correction."""
    text = ("P: Depo-Medrol 80 mg IM R deltoid today for the flare.\n\n"
            "Addendum 14:40 - correction: Depo-Medrol actually given was 120 mg (3 mL of 40 mg/mL) "
            "IM into the L gluteal, not 80 mg and not the R deltoid as pre-charted.\n")
    given = _given(coder, text)
    assert [(a.dose.value, a.site.laterality, a.site.location) for a in given] == [
        (Decimal(120), "left", "gluteal")]
    later = ("1105 Zofran 4 mg IM R deltoid given.\n\n"
             "Addendum 1410: still vomiting; Zofran 4 mg IM L deltoid given again per Dr. Ruiz.\n")
    assert len(_given(coder, later)) == 2


def test_a_space_aligned_order_table_gives_each_row_its_status(coder):
    """An EHR export lines its orders up in columns; the cell under "Status" is the row's status
    (cancelled, not performed, administered)."""
    text = ("ORDERS\n"
            "Medication                               Status                 By / Time\n"
            "ketorolac 60 mg/2 mL inj - 60 mg IM      CANCELLED (provider)   A. Roy, MD 09:48\n"
            "methylprednisolone 80 mg/mL - 80 mg IM   ADMINISTERED           T. Lin, LPN 09:55\n")
    got = {n: s for n, s, _ in _admins(coder, text)}
    assert got == {"ketorolac": S.NOT_GIVEN, "methylprednisolone": S.GIVEN}


def test_a_medications_given_header_and_a_rescheduled_dose(coder):
    text = ("Procedures / Medications Given:\n"
            "  Promethazine 25 mg/mL inj - 1 mL - IM - Right gluteal - 10:02 - J. Ko, LPN\n"
            "  Ketorolac 30 mg/mL inj - 30 mg - IM - Left gluteal - 10:04 - J. Ko, LPN\n")
    assert {n: s for n, s, _ in _admins(coder, text)} == {
        "promethazine": S.GIVEN, "ketorolac": S.GIVEN}
    text = ("Nursing Note\nB12 out of stock today; pt informed.\n"
            "Rescheduled: 06/04/2026 9:30 AM for cyanocobalamin 1000 mcg IM.\n")
    assert S.GIVEN not in {s for _, s, _ in _admins(coder, text, date(2026, 5, 28))}


def test_split_in_two_syringes_under_a_medication_field(coder):
    text = ("Medication:   Bicillin L-A 1,200,000 units/2 mL syringe\n"
            "Dose:         2,400,000 units total, split in 2 syringes due to volume\n"
            "              #1 1,200,000 units IM - Right dorsogluteal - 14:05\n"
            "              #2 1,200,000 units IM - Left dorsogluteal  - 14:06\n"
            "Administered By: J. Mendez, RN\n")
    given = _given(coder, text)
    assert [a.site.laterality for a in given] == ["right", "left"]


def test_a_vial_opened_date_does_not_date_the_injection(coder):
    """The date a multi-dose vial was opened (or reconstituted, or must be discarded by) is the
    vial's, not the day of the dose drawn from it."""
    text = ("Med: testosterone cypionate, vial label 100 mg/mL, 10 mL multi-dose vial opened 04/05.\n"
            "Drew up 2 cc. Injected IM R ventroglute at 10:50. No issues.\n")
    got = [(n, s) for n, s, _ in _admins(coder, text, date(2026, 4, 29))]
    assert got == [("testosterone cypionate", S.GIVEN)]
    text = "Last testosterone cypionate 200 mg IM 04/05, R ventroglute.\n"
    assert [s for _, s, _ in _admins(coder, text, date(2026, 4, 29))] == [S.HISTORICAL]


def test_a_dated_entry_before_the_drug_dates_that_dose(coder):
    """A series log line that opens with its date ("Day 1 (07/20): Rocephin ...") is that day's
    dose; the entry dated today is today's."""
    text = ("Day 1 (07/20): Rocephin 1 gm IM L ventrogluteal - given by J. Mora RN.\n"
            "Day 2 (today): ceftriaxone 1 gm IM R ventrogluteal, single injection.\n")
    got = [(a.site.laterality, s) for _, s, a in _admins(coder, text, date(2026, 7, 21))]
    assert got == [("left", S.HISTORICAL), ("right", S.GIVEN)]
    text = "07/21 09:00 - ceftriaxone 1 gm IM R ventrogluteal, given by J. Mora RN.\n"
    assert [s for _, s, _ in _admins(coder, text, date(2026, 7, 21))] == [S.GIVEN]


def test_a_lot_number_that_starts_like_a_dose_is_not_a_dose(coder):
    """Lot "5G118" is an identifier; its "5G" is not five grams."""
    from extractor.regexes import DOSE

    assert DOSE.search("Lot 5G118. Observed 20 min.") is None
    assert DOSE.search("Ceftriaxone 1g IM given. Lot 5G118.")[0] == "1g"
    text = ("Syringe A: Bicillin L-A 1,200,000 units/2 mL IM R gluteal  11:02\n"
            "Syringe B: Bicillin L-A 1,200,000 units/2 mL IM L gluteal  11:04\n"
            "Lot 5G118. Observed 20 min, no reaction.\n")
    doses = [(a.dose.value, a.dose.unit) for _, s, a in _admins(coder, text) if s is S.GIVEN]
    assert doses == [(1200000, "units"), (1200000, "units")]


def test_ui_is_international_units(coder):
    """Spanish- and French-trained writers put "UI" (unidades/unités internationales)."""
    text = ("Was applied Penicillin G benzathine (Bicillin L-A) 1,200,000 UI IM, deep, in right "
            "gluteus, by the nurse at 11:20.")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert (adm.dose.value, adm.dose.unit) == (1200000, "units")


def test_a_continued_therapy_given_today_in_the_next_sentence(coder):
    text = ("Assessment and plan pernicious anemia improving, continue monthly vitamin B12 "
            "cyanocobalamin one thousand micrograms IM. The injection was given today by myself "
            "in the deltoid muscle on the left, tolerated well.")
    assert [s for _, s, _ in _admins(coder, text)] == [S.GIVEN]
    text = ("Plan cyanocobalamin 1,000 mcg IM weekly x4 then monthly. None given today - we are "
            "out of stock; nurse visit booked 5/8.")
    assert S.GIVEN not in [s for _, s, _ in _admins(coder, text)]


def test_route_site_and_military_time_chart_the_dose_on_a_later_line(coder):
    """A label line names the product; the next line charts site, volume, route and a 24-hour
    time with no given word. That is the dose given."""
    text = ("09/29/2026 Nurse visit - Depo\n"
            "Rx label: medroxyprogesterone 150 mg/mL susp, 1 mL vial\n"
            "L VG 1 mL - IM, 1510. Lot D50Q1.\n")
    (adm,) = _given(coder, text, date(2026, 9, 29))
    assert adm.time.evidence.text == "1510" and adm.site.laterality == "left"
    from extractor.regexes import ROUTE_TIME

    assert ROUTE_TIME.search("B12 L delt - IM - 1000 mcg") is None  # an amount, not a time


def test_health_maintenance_lists_past_vaccines(coder):
    """"Health maintenance: Shingrix x2 done" records earlier care, not a vaccine given today."""
    text = ("Health maintenance: mammogram 11/2025 normal; Shingrix x2 done; flu this season.\n"
            "HM: eye exam due (ordered), PPSV23/PCV20 done.\n"
            "Plan: HTN - continue lisinopril 10 mg daily.\n")
    assert S.GIVEN not in [s for _, s, _ in _admins(coder, text)]


def test_per_syringe_amount_times_two_is_not_halved(coder):
    """"1.2 million units/2 mL syringe x 2" is two full syringes; "210 mg ... 2 sites" halves."""
    text = ("P: Bicillin LA 2.4 mil units IM x1 today.\n"
            "Nursing: Bicillin L-A 1.2 million units/2 mL syringe x 2 - #1 R buttock, #2 L "
            "buttock, IM, 1515-1517. Obs 30 min. -L. Pham, RN\n")
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [Decimal(1200000), Decimal(1200000)]
    assert {a.site.laterality for a in given} == {"right", "left"}
    halved = ("Evenity 105 mg/1.17 mL PFS x2 = 210 mg total, SC, 2 separate sites:\n"
              "  syringe 1 - L abd, 1012\n  syringe 2 - R abd, 1014\nR. Ames, RN\n")
    assert [a.dose.value for _, s, a in _admins(coder, halved) if s is S.GIVEN] == [
        Decimal(105), Decimal(105)]


def test_pfs_times_two_with_a_site_per_item_line_is_a_split_dose(coder):
    """MOD-02: "PFS x 2" (prefilled syringes) with one item line per syringe and site."""
    text = ("Dupilumab (DUPIXENT) 300 mg/2 mL PFS x 2 = 600 mg loading dose\n"
            "  #1 300 mg SC L abdomen  10:12\n"
            "  #2 300 mg SC R abdomen  10:13\n"
            "Given by: F. Norwood, RN\n")
    given = _given(coder, text)
    assert [(a.dose.value, a.site.laterality) for a in given] == [
        (Decimal(300), "left"), (Decimal(300), "right")]


def test_oral_anticoagulant_keeps_its_own_dose_and_is_taken_tonight(coder):
    """An oral drug's dose is its own; "tonight" after it is a dose taken at home later."""
    text = ("P: enoxaparin 1 mg/kg (wt 80 kg) SQ q12h + warfarin 5 mg tonight, INR Mon. First "
            "dose here w/ teaching.\nRN 1545: Lovenox 80 mg/0.8 mL PFS - given SQ periumbilical. "
            "-J. Park, RN\n")
    got = {(name, status): a for name, status, a in _admins(coder, text)}
    assert got[("enoxaparin", S.GIVEN)].dose.value == Decimal(80)
    assert got[("warfarin", S.PLANNED)].dose.value == Decimal(5)


def test_bare_oral_drug_at_line_end_leaves_the_next_line_to_the_injection(coder):
    text = ("P: enoxaparin 1 mg/kg SC q12h bridge to warfarin.\n"
            "   First dose 80 mg SC given in clinic, L abdomen, by R. Osei, RN at 15:40.\n")
    got = _status_list(coder, text)
    assert ("enoxaparin", S.GIVEN) in got
    assert all(name != "warfarin" for name, _ in got)


def test_depo_t_is_testosterone_but_depot_is_not(coder):
    text = "Depo-T 1 mL IMI R glute, 0905. Lot TC2087. -D. Marsh, MA"
    assert [(n, s) for n, s, _ in _admins(coder, text)] == [("testosterone cypionate", S.GIVEN)]
    depot = ("Sublocade 100 mg SC given in the abdomen. Prior depot site nontender. Depot "
             "palpable.")
    assert [n for n, _, _ in _admins(coder, depot)] == ["buprenorphine extended-release"]


def test_needle_withdrawn_before_any_medication_is_not_a_dose(coder):
    text = ("Nurse 1105: Rocephin 1 g reconstituted w/ 2.1 mL 1% lido, attempted R VG - needle "
            "bent on insertion (pt moved), withdrawn before any med injected. Vial discarded.\n"
            "1112: new vial Rocephin 1 g drawn up, given deep IM L VG - full dose. -M. Lin, LPN\n")
    got = _status_list(coder, text)
    assert got == [("ceftriaxone", S.NOT_GIVEN), ("ceftriaxone", S.GIVEN)]


def test_information_given_about_a_drug_is_not_the_drug_given(coder):
    text = ("3) Contraception: asking about Depo vs Nexplanon, wants to think about it, info "
            "given.\n4. Contraceptive counseling (Z30.09) - info on Depo-Provera and Nexplanon "
            "given; she will decide at f/u.\nCeftriaxone 500 mg given IM L ventrogluteal at "
            "15:12.\n")
    got = [(name, status) for name, status, _ in _admins(coder, text) if status is S.GIVEN]
    assert got == [("ceftriaxone", S.GIVEN)]
    # a drug given next to a handout is still given
    both = "Handout reviewed, Depo-Provera 150 mg given IM R deltoid."
    assert ("medroxyprogesterone acetate", S.GIVEN) in [(n, s) for n, s, _ in _admins(coder, both)]


def test_a_person_done_with_shots_and_options_given_are_no_dose_given(coder):
    """Status: "I'm done with shots" is a refusal and "oral alternatives given" is advice, so
    neither makes the due dose written above them given; a dose charted "done" still is."""
    text = ("Invega Sustenna 117 mg monthly, due today (last 02/23/26 L deltoid).\n"
            "Client states \"I'm done with shots, I feel fine.\" Education re: relapse risk and "
            "oral alternatives given. Client still declines. Invega Sustenna 117 mg NOT given - "
            "client refused.\n")
    statuses = [st for _, st in _status_list(coder, text, date(2026, 3, 23))]
    assert S.GIVEN not in statuses
    assert S.NOT_GIVEN in statuses
    charted = "B12 1000 mcg IM R deltoid - done 10:15, tolerated."
    assert _status_list(coder, charted) == [("cyanocobalamin", S.GIVEN)]


def test_a_symptoms_place_is_not_the_injection_site(coder):
    """Sites: "some soreness L arm x2d" is where a symptom is; the header dose that names no
    site stays one dose with the site charted below it."""
    text = ("Day 8 Invega Sustenna (2nd initiation dose). Day 1 234mg L delt 02/02/26.\n"
            "Pt calm, no EPS. Some soreness L arm x2d, resolved.\n"
            "Invega Sustenna 156mg IM R deltoid, 1 inch 23g. Lot 25KH331 exp 11/2027.\n"
            "Tol well, obs 15 min.\n")
    given = _given(coder, text, date(2026, 2, 9))
    assert [(a.dose.value, a.site.laterality) for a in given] == [(Decimal(156), "right")]


def test_a_handoff_received_about_a_pending_dose_is_not_the_dose(coder):
    """Status: "Received report from day RN re: pending Rocephin" is the hand-off; the dose is
    the one charted after it, a single administration."""
    text = ("Shift change 19:00 - signed out to Dr. Moreno: ceftriaxone 1 g IM ordered, NOT YET "
            "GIVEN.\nRN NOTE 19:25\nReceived report from day RN re: pending Rocephin. Vial "
            "reconstituted with 2.1 mL 1% lidocaine; ceftriaxone 1 g IM L ventrogluteal given "
            "19:22, lot 4CR887.\n")
    assert _doses(coder, text) == [("ceftriaxone", S.GIVEN, (Decimal(1), "g"))]


@pytest.mark.parametrize("text", [
    "Yellow fever vaccine: out of stock this week, booked at the county clinic.",
    "Ondansetron injection out in Pyxis, pharmacy backordered; ODT given instead.",
    "Bicillin L-A not available (national shortage) - doxycycline Rx instead.",
])
def test_a_drug_out_of_stock_is_not_given(coder, text):
    statuses = [st for _, st in _status_list(coder, text)]
    assert statuses and statuses[0] is S.NOT_GIVEN


def test_an_addendums_own_time_is_not_a_second_dose_time(coder):
    """Times: "Provider addendum 16:50:" stamps the addendum; its "promethazine given" restates
    the dose charted at 16:05 rather than documenting a second one."""
    text = ("Promethazine 25 mg/mL, 0.5 mL (12.5 mg) IM R ventrogluteal 16:05. 16:45 PO "
            "challenge tolerated.\nProvider addendum 16:50: agree - promethazine given in place "
            "of ondansetron.\n")
    assert _doses(coder, text) == [("promethazine", S.GIVEN, (Decimal("12.5"), "mg"))]


def test_we_did_not_give_the_injection_today_withholds_it(coder):
    """Status: a letter's "We therefore did not give his Lupron injection today" is a dose
    withheld, not one given."""
    text = ("With an undetectable PSA he meets our criteria for an off-treatment interval. We "
            "therefore did not give his Lupron injection today and are holding androgen "
            "deprivation.")
    assert _status_list(coder, text) == [("leuprolide", S.NOT_GIVEN)]


def test_a_letters_blood_pressure_today_is_an_exam_element(coder):
    """E/M: a dictated letter's "his blood pressure today was 142/86" is a measured vital,
    so the visit documents an exam."""
    text = ("His urinary symptoms are stable on tamsulosin, and his blood pressure today was "
            "142/86, which I would leave to you.")
    assert [s.text for s in coder.extractor.extract(text, date(2026, 3, 5)).em.exam] == [
        "blood pressure today was 142/86"]


def test_a_time_opening_the_next_row_is_not_this_dose_time(coder):
    """"16:20 POC glucose 268" is a later row: the insulin charted at 14:20 is one dose."""
    text = ("1. T2DM with hyperglycemia (E11.65).\n"
            "   - Regular insulin 10 units SC given in clinic (see below).\n\n"
            "Clinic medication administration:\n"
            "14:20 insulin regular human (Humulin R U-100) 10 units SC, abdomen R lower quadrant, "
            "by V. Salgado NP. Lot HR2231.\n"
            "16:20 POC glucose 268. Discharged home.\n")
    given = _given(coder, text)
    assert len(given) == 1
    assert given[0].time is None or given[0].time.value != "16:20"


def test_two_drugs_received_elsewhere_in_one_clause_are_both_earlier_care(coder):
    text = ("He received ketorolac 30 mg IV and ondansetron 4 mg IV in the emergency department "
            "at about 11 PM and was discharged on tamsulosin. Plan: I gave him ketorolac 60 mg IM "
            "in the right upper outer gluteal at 10:40 this morning.")
    got = sorted((name, status.value, a.dose.value) for name, status, a in _admins(coder, text))
    assert got == [("ketorolac", "given", Decimal(60)), ("ketorolac", "historical", Decimal(30)),
                   ("ondansetron", "historical", Decimal(4))]


def test_dictated_depot_brand_names_are_the_depo_products(coder):
    """Speech recognition writes "Depo-Testosterone" as "depot testosterone"."""
    text = ("Today's dose depot testosterone sip eonate one hundred fifty milligrams I am in the "
            "left glute given by nurse Becky tolerated well.")
    assert [(n, s) for n, s, _ in _admins(coder, text)] == [("testosterone cypionate", S.GIVEN)]
    text = "Depot Medrol 80 mg IM given in the right deltoid by the MA."
    assert [(n, s) for n, s, _ in _admins(coder, text)] == [
        ("methylprednisolone acetate", S.GIVEN)]


def test_as_tolerated_is_an_activity_order_not_a_dose_tolerated(coder):
    text = ("Plan: Toradol 60 mg IM today - see nurse note. Cyclobenzaprine 5 mg qhs x 7 days, "
            "walk as tolerated, light duty x 1 week.")
    got = [(n, s) for n, s, _ in _admins(coder, text) if n == "ketorolac"]
    assert got and all(s is not S.GIVEN for _, s in got)


def test_a_pipe_table_row_opening_with_a_four_digit_time_is_a_dose_taken(coder):
    text = ("| Time | Medication | Dose | Route |\n"
            "| 1610 | ketorolac | 15 mg | IM - R deltoid |\n"
            "| 1630 | amoxicillin-clavulanate | 875 mg | PO |\n")
    got = {n: s for n, s, _ in _admins(coder, text)}
    assert got["amoxicillin-clavulanate"] is S.GIVEN


def test_a_later_clause_after_and_is_not_a_coordinated_drug(coder):
    """"treated her with Decadron and we will send her home with Medrol": two clauses."""
    text = ("He received ketorolac 30 mg IV in the clinic and we will send him home with "
            "ondansetron 4 mg ODT in the emergency department kit.")
    got = {n: s for n, s, _ in _admins(coder, text)}
    assert got.get("ketorolac") is S.GIVEN


def test_a_written_total_volume_sums_the_volumes_listed_before_it(coder):
    text = ("Kenalog-10 (10 mg/mL) intralesional: 0.3 mL, 0.3 mL and 0.2 mL into three keloids "
            "= 0.8 mL total. Tolerated.")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status, adm.dose.value) == ("triamcinolone acetonide", S.GIVEN, Decimal("8"))
    # the mixture's total is not the second drug's volume
    text = ("Trigger point injections: Kenalog-40 1 mL + 0.5% bupivacaine 3 mL = 4 mL total, "
            "1 mL injected into each of 4 points.")
    doses = {name: adm.dose.value for name, _, adm in _admins(coder, text)}
    assert doses == {"triamcinolone acetonide": Decimal("40"), "bupivacaine": Decimal("15")}


def test_a_dose_received_in_the_emergency_department_is_earlier_care(coder):
    text = ("Nurse visit, day 2 of IM ceftriaxone for pyelonephritis (N10).\n"
            "Seen at Mercy ED yesterday evening. Received ceftriaxone 1 g IV in ED ~21:40.\n"
            "Ceftriaxone 1 g IM given L ventrogluteal 09:15, tolerated.\n")
    got = [(status, a.route.value.value) for name, status, a in _admins(coder, text)
           if name == "ceftriaxone"]
    assert sorted(got) == [(S.GIVEN, "IM"), (S.HISTORICAL, "IV_PUSH")]


def test_a_left_over_volume_is_not_the_dose(coder):
    text = ("B12 nurse visit. Old cyanocobalamin 1000 mcg/mL vial past its beyond-use date, "
            "discarded with ~18 mL remaining; new vial opened. Drew 1 mL. Given IM L deltoid.")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("cyanocobalamin", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal("1000"), "mcg")


def test_the_site_of_the_last_injection_is_not_todays(coder):
    text = ("Nurse visit\nReason: Depo-Provera shot. Last inj 02/03/2026 (R deltoid), 12 weeks "
            "ago.\n[x] UPT done - negative\n"
            "Medication: Depo-Provera CI 150 mg/mL, 1 mL single-dose vial\n"
            "Dose: 150 mg  Route: IM  Site: left deltoid\nGiven by M. Diaz, MA. Tolerated well.")
    given = _given(coder, text)
    [adm] = given
    assert (adm.site.laterality, adm.site.location) == ("left", "deltoid")
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(150), "mg")


def test_a_vial_size_gives_way_to_the_written_dose(coder):
    text = ("Ceftriaxone 1 g/10 mL, 10 mL single-dose vial\nDose: 500 mg IM right gluteal. "
            "Pt tolerated.")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("ceftriaxone", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(500), "mg")


def test_a_dosing_ceiling_and_a_rounded_figure_are_not_the_dose(coder):
    text = ("Plan: Rocephin 50 mg/kg IM once, maximum dose 1 g. Wt 16.4 kg: 820 mg, rounded "
            "to 800 mg. Given 800 mg IM L thigh by RN, tolerated.")
    [(name, status, adm)] = [x for x in _admins(coder, text) if x[1] is S.GIVEN]
    assert name == "ceftriaxone"
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(800), "mg")


def test_a_medication_administration_row_naming_who_gave_it_is_given(coder):
    text = ("MEDICATION ADMINISTRATION\n"
            "| Medication | Dose | Route | Time | Given by |\n"
            "|---|---|---|---|---|\n"
            "| ketorolac 30 mg/mL | 60 mg |  | 14:05 | R. Osei, LPN |\n"
            "| ondansetron ODT | 4 mg | PO | | |\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got.get("ketorolac") is S.GIVEN
    assert got.get("ondansetron") is not S.GIVEN


def test_an_injection_log_titled_with_the_drug_gives_the_row_of_the_visit_date(coder):
    text = ("B12 INJECTION LOG - cyanocobalamin 1000 mcg/mL\n"
            "| Date | Dose | Route | Site | Initials |\n"
            "|---|---|---|---|---|\n"
            "| 03/02/2026 | 1000 mcg | IM | R deltoid | KL |\n"
            "| 04/01/2026 | 1000 mcg | IM | L deltoid | KL |\n"
            "| 05/01/2026 | 1000 mcg | IM | R deltoid | TP |\n")
    [(name, status, adm)] = _admins(coder, text, date(2026, 5, 1))
    assert (name, status) == ("cyanocobalamin", S.GIVEN)
    assert adm.status_evidence.text == "05/01/2026"
    assert (adm.site.laterality, adm.site.location) == ("right", "deltoid")
    [(name, status, _)] = _admins(coder, text, date(2026, 5, 15))
    assert status is S.HISTORICAL  # no row for the visit date: the log is the drug's history


@pytest.mark.parametrize("today", ["05/01/2026", "2026-05-01"])
def test_an_orders_log_set_off_by_a_blank_line_gives_the_row_of_the_visit_date(coder, today):
    # one blank line between the order and its log; an export may write its dates ISO-style
    text = ("SNF monthly injection log\n"
            "Order (09/02/2025): cyanocobalamin 1000 mcg IM every month for B12 deficiency\n"
            "\n"
            "| Date       | Dose     | Route | Site      | Time | Nurse       |\n"
            "| 04/01/2026 | 1000 mcg | IM    | L deltoid | 0930 | P. Shaw LPN |\n"
            f"| {today} | 1000 mcg | IM    | R deltoid | 1010 | P. Shaw LPN |\n")
    [(name, status, adm)] = _admins(coder, text, date(2026, 5, 1))
    assert (name, status) == ("cyanocobalamin", S.GIVEN)
    assert adm.status_evidence.text == today
    assert adm.site.laterality == "right"
    # two blank lines part the order from a table that is not its log
    [(name, status, _)] = _admins(coder, text.replace("\n\n", "\n\n\n"), date(2026, 5, 1))
    assert status is not S.GIVEN


def test_an_orders_dated_rows_chart_the_visit_dates_dose(coder):
    """An order's sig ("q24h x 3 doses") over its dated rows, past a line of order detail: the
    row of the visit date is today's dose, with the order's route; rows need no header."""
    text = ("ORDER: Rocephin 500 mg IM daily x 3 days. Dx: cellulitis L leg.\n"
            "  Telephone order from Dr. Vance 04/29 18:10, read back.\n"
            "  | Date  | Time | Dose   | Site | Init | Status |\n"
            "  | 04/30 | 0830 | 500 mg | R VG | AB   | Given  |\n"
            "  | 05/01 | 0840 | 500 mg | L VG | CD   | Given  |\n"
            "ORDER: Depo-Medrol 40 mg IM every 2 weeks\n"
            "  | 04/17 | 0900 | 40 mg | L glut | AB | Given |\n"
            "  | 05/01 | 0915 | 40 mg | R glut | CD | Given |\n")
    got = {name: (status, a) for name, status, a in _admins(coder, text, date(2026, 5, 1))}
    status, rocephin = got["ceftriaxone"]
    assert status is S.GIVEN
    assert rocephin.route.value.value == "IM"
    assert (rocephin.site.laterality, rocephin.site.location) == ("left", "ventrogluteal")
    status, medrol = got["methylprednisolone acetate"]
    assert status is S.GIVEN and medrol.status_evidence.text == "05/01"
    assert medrol.site.laterality == "right"
    got = {name: status for name, status, _ in _admins(coder, text, date(2026, 5, 9))}
    assert got == {"ceftriaxone": S.HISTORICAL, "methylprednisolone acetate": S.HISTORICAL}


def test_an_order_line_over_a_dose_log_charts_the_row_of_the_visit_date(coder):
    """"Order: ... weekly x 5 doses" over a log whose rows do not name the drug: the row dated
    the visit date is today's dose of the ordered drug, not an order alone."""
    text = ("Order: iron sucrose (VENOFER) 200 mg IV push over 2-5 min, weekly x 5 doses.\n"
            "-----------------------------------------------------------\n"
            "Dose | Date       | Time  | Dose given | Route   | Site        | By\n"
            "1/5  | 04/24/2026 | 14:10 | 200 mg     | IV push | PIV L AC    | JM RN\n"
            "2/5  | 05/01/2026 | 14:31 | 200 mg     | IV push | PIV R hand  | JM RN\n"
            "3/5  | 05/08/2026 | scheduled |        |         |             |\n")
    [(name, status, adm)] = _admins(coder, text, date(2026, 5, 1))
    assert (name, status) == ("iron sucrose", S.GIVEN)
    assert adm.status_evidence.text == "05/01/2026"
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(200), "mg")


def test_the_site_of_the_last_dose_is_not_todays_site(coder):
    """"Last week's site (R deltoid) clear": the site an earlier dose went to, looked at today,
    is not where today's dose went."""
    text = ("01/20/2026 09:40 Dose #3 of 4 given: cyanocobalamin 1000 mcg IM, lot 24C881. "
            "Last week's site (R deltoid) clear. Pt tolerated.\n")
    [adm] = _given(coder, text, date(2026, 1, 20))
    assert adm.site is None
    text = text.replace("IM, lot", "IM L deltoid, lot").replace(
        "Last week's site (R deltoid)", "Previous injection site: R deltoid,")
    [adm] = _given(coder, text, date(2026, 1, 20))
    assert (adm.site.laterality, adm.site.location) == ("left", "deltoid")


def test_a_route_in_an_aside_dated_an_earlier_year_is_not_todays(coder):
    """"Stelara maintenance q8wk (IV induction 2025)": the induction's route is last year's, and
    does not conflict with today's subcutaneous dose. A lot or expiry aside is not dated."""
    text = ("Pt: 58M. Crohn's colitis (K50.10), Stelara maintenance q8wk (IV induction 2025).\n"
            "Stelara (ustekinumab) 90 mg/mL PFS, clinic stock (lot 4JR77, exp 06/2025):\n"
            "90 mg subcut L thigh 0921. Tolerated.\n")
    [adm] = _given(coder, text, date(2026, 9, 29))
    assert adm.route.value is Route.SC and not adm.route.conflicts


def test_a_mar_export_charts_an_order_by_its_administrations_block(coder):
    """An order, its detail lines, a blank line and an "ADMINISTRATIONS" heading over the
    space-aligned rows: the row dated the visit date is the dose given."""
    text = ("ORDERS\n"
            "triamcinolone acetonide (KENALOG-40) injection 40 mg\n"
            "  Dose: 40 mg   Route: Intramuscular   Frequency: Once\n"
            "  Ordering: Olsen, Karin, MD     Authorizing: Olsen, Karin, MD\n"
            "  Indications: Allergic contact dermatitis [L23.7]\n"
            "\n"
            "ADMINISTRATIONS\n"
            "  Date/Time        Action   Dose    Route           Site                 By\n"
            "  05/01/26 1531    Given    40 mg   Intramuscular   Left Ventrogluteal   J. Nak, RN\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("triamcinolone acetonide", S.GIVEN)
    assert (adm.site.laterality, adm.site.location) == ("left", "ventrogluteal")


@pytest.mark.parametrize(("action", "given"), [("Given", True), ("Held ", False)])
def test_a_one_day_mar_print_times_its_rows_without_a_date(coder, action, given):
    """"Time  Action  Dose ..." rows with no date column are the printed visit's rows; the
    action cell says whether the dose was given."""
    text = ("Clinic Medication Administration (MAR) - print        05/01/2026\n"
            "methylPREDNISolone acetate (DEPO-MEDROL) 40 mg/mL injection\n"
            "   Ordered dose: 80 mg    Route: Intramuscular    Once\n"
            "   --------------------------------------------------------------\n"
            "   Time    Action   Dose     Volume   Route           Site\n"
            f"   1105    {action}    80 mg    2 mL     Intramuscular   Right Dorsogluteal\n")
    statuses = [status for _, status, _ in _admins(coder, text)]
    assert (S.GIVEN in statuses) is given


def test_a_nurse_visit_forms_fields_chart_the_dose_under_a_reason_for_visit(coder):
    """"Reason for visit: [x] Depo-Provera due" opens a history; the form's "Medication:" field
    with its lot and "Time given:" fields below charts the visit's dose, not a past one."""
    text = ("[INJECTION VISIT - NURSE/MA]\n"
            "Reason for visit: [x] Depo-Provera due  [ ] B12  [ ] Other: ______\n"
            "Last injection date: 02/10/2026 (12w1d)\n"
            "BP: 118/76     Wt: 67.3 kg\n"
            "Medication: Medroxyprogesterone acetate 150 mg/mL inj susp, 1 mL syringe\n"
            "NDC: 0009-0746-30     Lot: DP5518K     Exp: 01/2028\n"
            "Dose: 150 mg    Route: [x] IM  [ ] SC    Site: [x] L deltoid  [ ] R deltoid\n"
            "Time given: 13:31     Given by: Kayla Brooks, CMA\n"
            "Tolerated: [x] Yes  [ ] No\n"
            "Dx: Z30.42 Encounter for surveillance of injectable contraceptive\n")
    [adm] = _given(coder, text, date(2026, 5, 5))
    assert adm.drug.name == "medroxyprogesterone acetate"
    assert (adm.dose.value, adm.site.laterality) == (Decimal(150), "left")


def test_the_date_told_of_another_numbered_dose_does_not_date_this_one(coder):
    """"Shingrix #2 ... tolerated well. #1 was 6/2/26 here.": the date is dose #1's."""
    text = ("12/8/26 0940 Shingrix #2 0.5 mL IM R deltoid, lot 7R4K2, pt tolerated well. "
            "#1 was 6/2/26 here. -P. Greer, LPN")
    [adm] = _given(coder, text, date(2026, 12, 8))
    assert adm.drug.name == "zoster vaccine"


def test_a_mar_history_row_dated_with_its_time_in_one_cell_is_that_days(coder):
    """"| 05/05/26 10:40 | haloperidol decanoate ... | Given |": the "Admin Date/Time" cell holds
    the date and its time; a row of an earlier date is that day's dose, not today's."""
    text = ("Admin Date/Time | Medication                  | Dose   | Route | Status      \n"
            "04/03/26 10:40  | haloperidol decanoate inj   | 100 mg | IM    | Given       \n"
            "05/01/26 10:30  | haloperidol decanoate inj   | 100 mg | IM    | Rescheduled \n")
    got = [status for _, status, _ in _admins(coder, text)]
    assert S.HISTORICAL in got and S.GIVEN not in got


def test_a_treatment_plans_medication_dated_administered_today_is_given(coder):
    """" Medications:" in a treatment-plan printout lists the plan's drugs; one whose line below
    says "Administered 08/04/2026 11:20" on the visit date was given today."""
    text = ("TREATMENT PLAN: CKD ANEMIA PROTOCOL          Printed 08/04/2026 11:52\n"
            "Cycle 14, Day 1 - 08/04/2026\n"
            " Medications:\n"
            "   darbepoetin alfa (ARANESP) 60 mcg/0.3 mL syringe     60 mcg      SUBCUTANEOUS   q2wk\n"
            "     Administered 08/04/2026 11:20 - R posterior upper arm - lot 1143AR2 - by Y. Demir, RN\n")
    [adm] = _given(coder, text, date(2026, 8, 4))
    assert adm.drug.name == "darbepoetin alfa" and adm.status_evidence.text == "Administered"
    assert [st for _, st, _ in _admins(coder, text, date(2026, 8, 11))] != [S.GIVEN]


def test_a_spanish_last_dose_sentence_dates_the_earlier_dose_not_todays(coder):
    """"... SC abdomen 09:14. Última dosis 07/21/2026": a sentence opening with an accented
    capital is its own sentence, and "última dosis" is the last dose's date."""
    text = ("2) Depo-subQ Provera 104 (104 mg/0.65 mL) SC abdomen, cuadrante inferior derecho "
            "09:14. Última dosis 07/21/2026 (12 sem 1 día). Lote SQ2218, exp 03/2028.")
    got = _status_list(coder, text, date(2026, 10, 13))
    assert got == [("medroxyprogesterone acetate", S.GIVEN),
                   ("medroxyprogesterone acetate", S.HISTORICAL)]


def test_per_my_orders_is_the_authority_for_a_dose_given_not_an_order(coder):
    text = ("Vaccines today, given by A. Lowry, RN at 11:40 per my orders:\n"
            "  Ixiaro 0.5 mL IM L deltoid (dose 1 of 2), lot JEV25-118\n")
    assert _status_list(coder, text) == [("japanese encephalitis vaccine", S.GIVEN)]


def test_assessment_slash_recommendations_closes_the_past_history(coder):
    """"PMH: ... completed for a previous trip" then "Assessment / recommendations:": the
    plan's vaccines and the list given today are not past history."""
    text = ("PMH: mild asthma. Hep A series and typhoid completed for a previous trip.\n\n"
            "Assessment / recommendations:\n"
            "1. Rabies: pre-exposure prophylaxis, Imovax 2-dose schedule (day 0, 7).\n\n"
            "Vaccines today, given by A. Lowry, RN at 11:40:\n"
            "  Imovax Rabies 1 mL IM R deltoid (PrEP dose 1 of 2), lot W1B442\n")
    assert S.GIVEN in [st for name, st in _status_list(coder, text) if name == "rabies vaccine"]


def test_a_patient_education_block_lends_no_dose_to_the_shot_charted_above(coder):
    """"Patient education (auto-text): ... nasal spray (Nascobal 500 mcg once weekly)" under the
    injection form whose dose is blank: the education names no dose given today."""
    text = ("Injection:\n"
            "  Medication: Vitamin B12 (cyanocobalamin) injection     Dose: ______\n"
            "  Route: IM      Site: L deltoid      Lot: 24B1277    Time: 09:31\n"
            "  Patient tolerated: [x] yes\n\n"
            "Patient education (auto-text): Vitamin B12 shots treat low B12. Some people can "
            "switch to a nasal spray (Nascobal 500 mcg once weekly) once levels are normal.\n")
    [adm] = _given(coder, text)
    assert adm.drug.name == "cyanocobalamin" and adm.dose is None


def test_a_struck_dose_is_no_dose(coder):
    """"45 mg [STRUCK - see correction]" with no amount entered again: the dose is unknown, and
    the same amount told in the correction is the struck one."""
    text = ("| Time  | Medication   | Dose                            | Route | Site      |\n"
            "| 09:40 | Lupron Depot | 45 mg [STRUCK - see correction] | IM    | L gluteal |\n"
            "Correction 09:55 M. Ochoa, CMA: dose struck - wrong strength selected (45 mg is the "
            "6-month kit). Correct strength to be entered after checking the kit box.\n")
    [adm] = _given(coder, text)
    assert adm.drug.name == "leuprolide" and adm.dose is None


def test_a_logs_given_by_column_is_no_given_word_for_its_titled_drug(coder):
    """"Invega Sustenna ... day 1 / day 8 / monthly" over "Date | Dose | ... | Given by": the
    header names a column; the row dated the visit date is today's dose."""
    text = ("Initiation: Invega Sustenna (paliperidone palmitate) day 1 / day 8 / monthly\n"
            "Date       | Dose      | Route | Site       | Lot     | Given by\n"
            "04/24/2026 | 234 mg    | IM    | R deltoid  | PP3318  | R. Gaines RN\n"
            "05/01/2026 | 156 mg    | IM    | L deltoid  | PP3402  | R. Gaines RN\n"
            "05/29/2026 | 117 mg    | IM    | deltoid    | -       | (scheduled)\n"
            "05/01 note: Day 8 given 10:15, tolerated.\n")
    [adm] = _given(coder, text)
    assert (adm.dose.value, adm.site.laterality) == (Decimal(156), "left")


@pytest.mark.parametrize("who", ["Spouse", "Wife", "Caregiver", "Mother"])
def test_a_dose_a_family_caregiver_gives_is_not_the_clinics(coder, who):
    """"Spouse administered testosterone enanthate 100 mg IM ... under RN observation": a
    teaching visit where the caregiver gives the shot; no staff administration."""
    text = ("Teaching: spouse demonstrated vial prep and drawing up 0.5 mL. "
            f"{who} administered testosterone enanthate 100 mg IM to L lateral thigh at 1040 "
            "under RN observation - correct technique.\n")
    assert S.GIVEN not in [st for _, st in _status_list(coder, text)]


def test_a_space_aligned_emar_row_opened_by_its_scheduled_time_reads_its_result(coder):
    text = ("eMAR - daily view 05/01/2026\n"
            "Sched  Medication                          Site         Result       By\n"
            "0800   heparin 5000 units SC q8h           abd R        GIVEN 0806   JL\n"
            "1600   heparin 5000 units SC q8h           --           DUE          --\n")
    got = sorted(status.value for _, status, _ in _admins(coder, text))
    assert got == ["given", "planned"]


def test_the_charted_rows_amount_wins_over_an_amount_near_the_plans_mention(coder):
    """"Toradol + Zofran IM now (see MAR), ..., cyclobenzaprine 5 mg qhs prn": each plan
    mention and its MAR row are one injection, whose amount is the row's, not the next clause's.
    """
    text = ("A: gastroenteritis with dehydration, mild.\n"
            "P: Toradol + Zofran IM now (see MAR), heat, PT referral, cyclobenzaprine 5 mg qhs "
            "prn.\n"
            "Clinic MAR\n| Time | Drug | Strength | Volume | Dose | Route | Site | RN |\n"
            "| 10:52 | Ketorolac (Toradol) | 30 mg/mL | 1 mL | 30 mg | IM | R deltoid | LS |\n"
            "| 10:54 | Ondansetron (Zofran) | 2 mg/mL | 2 mL | 4 mg | IM | L deltoid | LS |\n")
    got = sorted((name, a.dose.value) for name, status, a in _admins(coder, text)
                 if status is S.GIVEN)
    assert got == [("ketorolac", 30), ("ondansetron", 4)]


def test_a_verbal_order_read_back_is_ordered_until_charted(coder):
    text = ("Called on-call provider Dr. Haines 1030: V.O. ketorolac 30 mg IM x1 now, ice, knee "
            "sleeve. Read back.\nRN: P. Sorensen, RN")
    assert _status_list(coder, text) == [("ketorolac", S.ORDERED)]
    text = ("V.O. Dr. Haines: ketorolac 30 mg IM x1. Given R gluteal 1040 by P. Sorensen, RN.")
    assert _status_list(coder, text) == [("ketorolac", S.GIVEN)]


def test_a_military_time_row_without_its_colon_is_the_visits_log(coder):
    """A "cc:" history runs to the assessment in a note with no other headers; a line that opens
    with the visit's clock time ("0950 fenergan ...") is today's log, not earlier care. A year
    at a line's start is not a time."""
    text = ("cc: n/v since last night\nVomited 8x since 0200. Meds none.\n"
            "0950 fenergan 25mg IM R glute (dorsogluteal) by T. Beck RN.\n"
            "1035 tolerating sips.\nA: viral gastroenteritis\nP: ORT.")
    assert _status_list(coder, text) == [("promethazine", S.GIVEN)]
    text = ("cc: fatigue\nB12 deficiency.\n2019 cyanocobalamin 1000 mcg IM monthly at an outside "
            "clinic, stopped.\nA: fatigue\nP: labs.")
    assert [st for _, st, _ in _admins(coder, text)] == [S.HISTORICAL]


def test_a_medication_header_with_a_parenthesis_and_no_colon_opens_the_list(coder):
    text = ("CURRENT MEDICATIONS (reconciled)\n  lisinopril 20 mg PO daily\n"
            "  cyanocobalamin 1000 mcg/mL inj - 1 mL IM monthly (given in clinic; last "
            "09/17/2026)\nA/P: B12 deficiency - next shot due 10/22/2026, not today.")
    got = _status_list(coder, text, date(2026, 10, 15))
    assert ("cyanocobalamin", S.GIVEN) not in got
    assert ("cyanocobalamin", S.HISTORICAL) in got


def test_an_indented_list_under_a_split_dose_is_its_injections(coder):
    """MOD-02: "= 2 x 120mg/mL pens" (or "two 150 mg/mL prefilled syringes") on the drug's
    line, then one indented row per pen with its own site: two injections. Indented rows of
    different injections with no split stated stay items of their own."""
    text = ("emgality 240mg loading dose = 2 x 120mg/mL pens from clinic stock\n"
            " - pen 1: 120mg subQ L abd 0932\n - pen 2: 120mg subQ R abd 0933\nno ISR at 15 min.")
    got = [(n, st, a) for n, st, a in _admins(coder, text) if st is S.GIVEN]
    assert [(n, a.dose.value, a.site.laterality) for n, _, a in got] == [
        ("galcanezumab", 120, "left"), ("galcanezumab", 120, "right")]
    text = ("Xolair 300 mg = two 150 mg/mL prefilled syringes (clinic stock):\n"
            "  #1 150 mg SC R posterior upper arm 09:02\n  #2 150 mg SC L posterior upper arm 09:03\n")
    got = [(n, st, a) for n, st, a in _admins(coder, text) if st is S.GIVEN]
    assert [(n, a.dose.value) for n, _, a in got] == [("omalizumab", 150), ("omalizumab", 150)]
    text = ("a. HRIG 20 IU/kg = 1500 IU total.\n"
            "   - 3 mL (900 IU) infiltrated subcutaneously around the wound\n"
            "   - remaining 2 mL (600 IU) IM L anterolateral thigh\n")
    got = _given(coder, text)
    assert len(got) <= 1 and all(len(a.route.conflicts) == 0 for a in got if a.route)


def test_a_procedures_numbered_steps_are_one_drugs_and_reconstitution_is_not_the_dose(coder):
    """A procedure's numbered steps name the drug in one step and its dose in the next; the
    strength it was reconstituted to ("100 units/2 mL") is not the dose given."""
    text = ("Procedure: chemodenervation for chronic migraine, PREEMPT protocol.\n"
            "  1. Consent reviewed, time-out.\n"
            "  2. OnabotulinumtoxinA (Botox) reconstituted 100 units/2 mL preservative-free saline.\n"
            "  3. 155 units injected IM in 0.1 mL (5 unit) aliquots across 31 sites.\n"
            "  4. Tolerated well.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("onabotulinumtoxina", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (155, "units")


def test_an_earlier_day_closing_the_drugs_clause_makes_the_dose_history(coder):
    """A phone note: "Received ceftriaxone ... IM ... yesterday at 4:40 PM" is the day before's
    dose; "since yesterday" dates a symptom, and today's dose stays given."""
    text = ("Per chart: seen yesterday for cellulitis. Received cefTRIAXone (ROCEPHIN) 1 g IM L "
            "dorsogluteal yesterday at 4:40 PM, started on cephalexin 500 mg QID.")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got["ceftriaxone"] is S.HISTORICAL
    text = "Toradol 60 mg IM R glute given for back pain since yesterday. Tolerated well."
    assert _status_list(coder, text) == [("ketorolac", S.GIVEN)]


def test_a_later_did_not_receive_withdraws_the_one_dose_charted_above(coder):
    """A template's status box defaulted to Given, then the narrative: "pt did not receive
    injection". A second dose declined ("Second dose NOT given") leaves the first given."""
    text = ("Testosterone Cypionate 200 mg/mL | Dose: 1 mL (200 mg) | Route: IM | Site: R VG\n"
            "Status: (X) Given   ( ) Refused   ( ) Held\n"
            "Notes: Pt refused it today. Given box was defaulted and would not uncheck - pt did "
            "not receive injection.\n")
    assert _status_list(coder, text) == [
        ("testosterone cypionate", S.NOT_GIVEN)]
    text = ("Ceftriaxone 500 mg IM given L ventrogluteal. Second 500 mg vial drawn up - pt "
            "declined the second injection. Second dose NOT given; syringe wasted.")
    assert (("ceftriaxone", S.GIVEN) in
            _status_list(coder, text))
    text = ("ID: 27M, on Invega Sustenna 156 mg IM monthly since 2024 (deltoid, given by our RN).\n"
            "Today's planned injection: NOT GIVEN. The prior authorization expired.\n")
    assert ("paliperidone palmitate", S.GIVEN) not in [
        (n, st) for n, st, _ in _admins(coder, text)]


def test_a_patients_own_autoinjector_and_a_payer_request_are_not_doses(coder):
    """"sumatriptan 6 mg SC autoinjector works within 30 min, uses about 6/month" describes
    the patient's supply; "We request erenumab 140 mg subcutaneously once monthly" in an appeal
    letter asks a payer. Neither is given or ordered today; an autoinjector charted with a site
    and a time is."""
    text = ("Acute: sumatriptan 6 mg SC autoinjector works within 30 min, uses about 6/month, 1 "
            "left at home. Refill sent.\n"
            "Plan:\n1. Appeal Aimovig.\nRTC 3 months.\n"
            "Appeal letter: We request erenumab-aooe (Aimovig) 140 mg subcutaneously once "
            "monthly for 12 months.\n")
    got = _status_list(coder, text)
    assert not [x for x in got if x[1] in (S.GIVEN, S.ORDERED)], got
    text = "Epinephrine 0.3 mg autoinjector IM R lateral thigh at 14:05. Monitored 60 min."
    assert _status_list(coder, text) == [("epinephrine", S.GIVEN)]


def test_a_standing_order_line_is_not_a_dose(coder):
    """"Standing order: testosterone cypionate 200 mg IM q14 days" names the authority; the
    dose given today is the enanthate charted under it."""
    text = ("Standing order: testosterone cypionate 200 mg IM q14 days.\n"
            "STOCK: cypionate vials OUT. Dr. F approved a one-time substitution.\n"
            "Administered: testosterone ENANTHATE 200 mg (1 mL) IM R gluteal, lot TE7731, 14:18.\n")
    got = _status_list(coder, text)
    assert ("testosterone enanthate", S.GIVEN) in got
    assert ("testosterone cypionate", S.GIVEN) not in got


def test_a_drugless_line_dated_before_the_visit_keeps_its_details(coder):
    """The first loading dose written on its own dated line under the visit's drug is that day's
    dose; today's dose is charted below, and only it counts."""
    text = ("Reason for visit: Invega Sustenna initiation - DAY 8 dose (second loading dose).\n"
            "Day 1 dose: 234 mg IM L deltoid on 04/20/2026.\n"
            "Pre-injection: BP 118/76. Denies stiffness.\n"
            "Medication: paliperidone palmitate (Invega Sustenna) 156 mg/1 mL prefilled syringe, "
            "entire syringe given\nRoute: IM   Site: R deltoid\nTime given: 09:21 by D. Pham, RN\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.dose and a.dose.value) for a in given] == [
        ("paliperidone palmitate", 156)]
    assert given[0].site.laterality == "right"


def test_held_skin_fold_is_technique_not_a_held_dose(coder):
    text = ("Today: Firmagon 80 mg (recon w/ 4.2 mL SWFI, 20 mg/mL, 4 mL) SC L abd, "
            "periumbilical, 14:14. Held skin fold, slow 30 sec. Mild erythema at 10 min.\n")
    assert _status_list(coder, text) == [("degarelix", S.GIVEN)]
    text = "Prolia 60 mg SC due today. Held - dental extraction next week, per Dr. Moore."
    assert _status_list(coder, text) == [("denosumab", S.NOT_GIVEN)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("IN-OFFICE MEDICATIONS:\nKetorolac 60 mg IM R gluteal 10:48 - K. Lowe, LPN\n"
                     "  >> ENTERED IN ERROR 05/01/2026 10:55 - K. Lowe, LPN: documented in the "
                     "wrong patient's chart.\n", id="entry-above"),
        pytest.param("P: Toradol 60 mg IM x1 now, then naproxen 500 mg BID.\n\n"
                     "MA: Ketorolac 60 mg IM L gluteal 11:32 - D. Reyes, MA\n"
                     "11:50 Entry above ENTERED IN ERROR - D. Reyes, MA. Pt declined at the "
                     "bedside; syringe wasted.\n", id="with-its-order"),
        pytest.param("11:05  Promethazine 25 mg IM R ventrogluteal given.\n"
                     "11:38  ADDENDUM: the 11:05 entry was entered in error. The medication "
                     "actually given at 11:05 was ondansetron 4 mg IM R ventrogluteal.\n",
                     id="named-by-time"),
    ],
)
def test_an_entry_struck_as_entered_in_error_was_not_given(coder, text):
    got = _admins(coder, text)
    struck = [a for n, st, a in got if n in ("ketorolac", "promethazine") and st is S.GIVEN]
    assert not struck, got
    if "ondansetron" in text:
        assert ("ondansetron", S.GIVEN) in [(n, st) for n, st, _ in got]


def test_a_struck_dose_field_leaves_the_dose_given_with_amount_unknown(coder):
    text = ("Medication: Dexamethasone sodium phosphate 10 mg/mL inj\n"
            "Dose: [10 mg - STRUCK: ENTERED IN ERROR 05/01/2026 14:22 T. Morrow, MA]\n"
            "Corrected dose: [pending - not completed]\n"
            "Route: IM    Site: L deltoid    Time given: 14:05    Given by: T. Morrow, MA\n")
    ((name, status, adm),) = _admins(coder, text)
    assert (name, status) == ("dexamethasone", S.GIVEN)
    assert adm.dose is None


def test_has_always_received_is_the_patients_history(coder):
    text = ("[09:52] depo-subQ provera 104 mg/0.65 mL SC, L abdomen - C. Marsh, RN\n"
            "[10:06] *** ENTERED IN ERROR *** entry above - wrong product selected. Pt has always "
            "received Depo-Provera CI 150 mg IM. No subQ product was given.\n"
            "[10:07] Depo-Provera CI 150 mg/mL, 1 mL IM L deltoid at 09:52. Lot DP77310.\n")
    given = [(a.dose.value, a.route.value.value) for _, st, a in _admins(coder, text)
             if st is S.GIVEN]
    assert given == [(150, "IM")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Phytonadione 2.5 mg PO given in clinic at 09:35. Protocol: oral route only - "
                     "no SC/IM vitamin K.\n", id="no-sc-im"),
        pytest.param("Vitamin K 2.5 mg by mouth (PO) given now; avoid IM with INR this high.\n",
                     id="avoid-im"),
    ],
)
def test_a_route_ruled_out_is_not_a_second_route(coder, text):
    ((name, status, adm),) = _admins(coder, text)
    assert (name, status) == ("phytonadione", S.GIVEN)
    assert adm.route.value.value == "ORAL"
    assert adm.route.conflicts == ()


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        pytest.param("plan we will give tour a doll sixty milligrams I am right glute now, given "
                     "by Kendra MA at ten forty AM.\n", "ketorolac", id="tour-a-doll"),
        pytest.param("Gave row seffin one gram eye em left glute at 11:05 for pneumonia.\n",
                     "ceftriaxone", id="row-seffin"),
        pytest.param("We gave him toward all 60 mg IM in the right gluteus at 09:40.\n",
                     "ketorolac", id="toward-all"),
        pytest.param("Plan colon Pro Leah sixty milligrams was given subcutaneously in the right "
                     "upper arm today by our nurse period\n", "denosumab", id="pro-leah"),
        pytest.param("Plan, testosterone sip ionate 200 milligrams given intramuscular in the "
                     "right glute by our LPN.\n", "testosterone cypionate", id="sip-ionate"),
    ],
)
def test_a_drug_name_a_speech_recognizer_split_into_words_is_read(coder, text, drug):
    assert drug in [name for name, _, _ in _admins(coder, text)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Pt was on 5 mg daily at home; steroid today 40 mg IM R deltoid (Kenalog).\n",
                     id="pt-was-on"),
        pytest.param("We gave 60 mg IM of the Kenalog in the R deltoid.\n", id="we-gave"),
        pytest.param("Venofer 200 mg given slow IV push over 5 min via 24G R hand PIV, then 10 mL "
                     "NS flush.\n", id="min-via"),
        pytest.param("Meds: metoprolol 50 mg bid, vitamin C 500 mg daily, baby aspirin 81 mg.\n",
                     id="vitamin-c"),
        pytest.param("Pulse lavage was used to flush the wound with 1000 cc of saline.\n",
                     id="flush-the"),
        pytest.param("Hydrochlorothiazide 25 mg one-half tablet daily.,12.  Ibuprofen 600 mg tid.\n",
                     id="g-one-half"),
    ],
)
def test_ordinary_words_before_an_amount_are_not_a_spoken_drug_name(coder, text):
    drugs = mentions(coder.extractor.nlp(text))["DRUG"]
    assert not [m for m in drugs if m.source.endswith("@spoken")]
    names = {name for name, _, _ in _admins(coder, text)}
    assert names <= {"triamcinolone acetonide", "iron sucrose", "metoprolol", "aspirin",
                     "hydrochlorothiazide", "ibuprofen"}, names


def test_spoken_period_ends_a_sentence_in_a_dictated_note(coder):
    text = ("exam normal comma lungs clear period new paragraph plan Toradol sixty milligrams "
            "I am right glute period follow up two weeks period")
    doc = coder.extractor.nlp(text)
    assert any(s.text.startswith("plan Toradol") for s in doc.sents)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("RhoGAM 1500 IU (300 mcg) IM L deltoid given at 09:40.\n",
                     id="units-then-mass"),
        pytest.param("HyperRHO 300 mcg (1,500 IU) IM given, R deltoid.\n",
                     id="mass-then-units"),
    ],
)
def test_a_dose_written_with_its_equivalent_is_read_in_the_billing_unit(coder, text):
    ((name, status, adm),) = _admins(coder, text)
    assert (name, status) == ("rho(d) immune globulin", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (300, "mcg")


def test_a_line_ending_in_an_initial_like_vit_d_still_ends_the_sentence(coder):
    text = ("Counseled on diet; discussed vit D.\n\n"
            "medroxyprogesterone acetate 150 mg/mL suspension\n"
            "   Dose 150 mg   IM   L deltoid   10:05\n"
            "Tolerated well.\n")
    ((name, status, adm),) = _admins(coder, text)
    assert (name, status) == ("medroxyprogesterone acetate", S.GIVEN)
    assert adm.dose.value == 150


def test_an_oral_regimen_tolerated_since_a_date_is_not_a_dose_given_today(coder):
    text = ("Oral risperidone 2 mg nightly tolerated since 04/10. "
            "Risperdal Consta 25 mg IM L deltoid at 10:20, tolerated.\n")
    admins = _admins(coder, text)
    given = [(n, a.route.value.value) for n, s, a in admins if s is S.GIVEN]
    assert given == [("risperidone", "IM")]


@pytest.mark.parametrize(
    ("said", "value"),
    [
        pytest.param("two thirty four", 234, id="digit-then-tens"),
        pytest.param("one oh four", 104, id="digit-oh-digit"),
        pytest.param("one fifty", 150, id="digit-then-round-tens"),
        pytest.param("point five", Decimal("0.5"), id="decimal-without-zero"),
        pytest.param("seven point two", Decimal("7.2"), id="ordinary-decimal"),
    ],
)
def test_dictated_amounts_said_like_digit_strings(coder, said, value):
    text = f"Testosterone cypionate {said} milligrams I am right glute given by Jo MA period\n"
    ((_, _, adm),) = _admins(coder, text)
    assert adm.dose.value == value


def test_a_dictated_per_kilo_dose_with_its_worked_amount(coder):
    text = ("exam weight twenty kilos period plan ketorolac point five milligrams per kilo which "
            "is ten milligrams I am left thigh given by nurse Ana at ten AM period\n")
    ((name, _, adm),) = _admins(coder, text)
    assert (name, adm.dose.value, adm.route.value.value) == ("ketorolac", 10, "IM")


def test_sub_cue_is_a_recognizer_spelling_of_subcutaneous(coder):
    text = "Sumatriptan six milligrams sub cue right thigh given at two ten PM period\n"
    ((_, _, adm),) = _admins(coder, text)
    assert adm.route.value.value == "SC"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        pytest.param("Kenalog 40mg intramusc R glut given by MA.\n", "IM", id="intramusc"),
        pytest.param("Toradol 30mgIM L glut given by MA @ 1422.\n", "IM", id="glued-to-unit"),
        pytest.param("Enoxaparin 40 mg subcutanous abdomen given 09:10.\n", "SC", id="subcutanous"),
    ],
)
def test_a_route_typed_in_a_hurry_is_read(coder, text, route):
    ((_, status, adm),) = _admins(coder, text)
    assert status is S.GIVEN and adm.route.value.value == route
    assert adm.dose is not None


def test_a_misspelled_second_word_of_a_two_word_name_names_that_product(coder):
    text = "RN: haloperidol decanaote 100 mg IM R glut (Z-track), tolerated.\n"
    ((name, _, _),) = _admins(coder, text)
    assert name == "haloperidol decanoate"


def test_medrol_given_as_a_shot_names_no_salt(coder):
    text = "A: COPD exacerbation (J44.1)\nP: medrol 80mg IM L glut given by LPN 10:30.\n"
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "DOC-01" in {f.rule_id for f in result.findings}
    assert [ln.code for ln in result.lines] == ["96372"]


def test_a_subcuticular_suture_line_is_no_subcutaneous_route(coder):
    text = ("The wound was infiltrated with 0.25% Marcaine, and the skin was closed with a "
            "running 4-0 Monocryl in subcuticular fashion.\n")
    doc = coder.extractor.nlp(text)
    routes = [text[m.start:m.end] for m in mentions(doc).get("ROUTE", [])]
    assert "subcuticular" not in routes


def test_a_total_charted_as_two_rows_bills_each_row_once(coder):
    text = ("Plan: Bicillin L-A 2.4 million units IM once, given as two 1.2 million unit "
            "syringes.\n"
            "Administered:\n"
            "  - Bicillin L-A 1.2 million units IM, R ventrogluteal, 09:31\n"
            "  - Bicillin L-A 1.2 million units IM, L ventrogluteal, 09:32\n")
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [Decimal(1200000), Decimal(1200000)]


def test_the_syringe_a_dose_is_drawn_into_is_not_its_volume(coder):
    text = ("Decadron (dexamethasone 4 mg/mL) 6 mg drawn up in a 3 mL syringe, given IM "
            "L gluteal 11:10 by MA.\n")
    ((_, status, adm),) = _admins(coder, text)
    assert status is S.GIVEN and adm.dose.value == 6


def test_a_meds_line_that_charts_route_site_and_time_records_todays_shots(coder):
    text = ("Dx: acute gout flare (M10.9)\n"
            "Meds: Kenalog 40 mg IM L gluteal 10:05; Toradol 30 mg IM also given by RN.\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got == {"triamcinolone acetonide": S.GIVEN, "ketorolac": S.GIVEN}


def test_a_plain_medication_list_stays_history(coder):
    text = "Meds: testosterone cypionate 100 mg IM weekly at home, lisinopril 10 mg daily.\n"
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got.get("testosterone cypionate") is not S.GIVEN


def test_a_timeline_row_keeps_its_own_time_and_repeat(coder):
    text = ("Treatment:\n"
            "  13:20 ondansetron 4 mg IM L deltoid (RN)\n"
            "  13:50 still retching, PO trial failed\n"
            "  14:25 repeat ondansetron 4 mg IM R deltoid per MD\n")
    first, second = (a for _, _, a in _admins(coder, text))
    assert first.time.value == "13:20" and first.repeat is None
    assert second.repeat is not None


def test_second_before_the_drug_marks_a_repeat(coder):
    text = ("11:02 naloxone 0.4 mg IM R thigh by RN. RR 6.\n"
            "11:06 no response. Second naloxone 0.4 mg IM L thigh by RN.\n")
    first, second = (a for _, _, a in _admins(coder, text))
    assert first.repeat is None and second.repeat is not None


def test_pulled_away_with_the_needle_out_stops_the_injection_at_the_amount_in(coder):
    text = ("Testosterone enanthate 200 mg/mL, 1 mL drawn. Injected IM L VG 09:40. About halfway "
            "(~0.5 mL, ~100 mg) pt pulled away and the needle came out; declined a restick.\n")
    ((_, status, adm),) = _admins(coder, text)
    assert status is S.DISCONTINUED and adm.dose.value == 100


def test_needle_out_before_the_plunger_is_no_partial_dose(coder):
    text = ("Attempt 1: Depo-Provera 150 mg/mL 1 mL, R deltoid - pt pulled away and the needle "
            "came out before any medication was injected. Not given.\n")
    got = [status for _, status, _ in _admins(coder, text)]
    assert S.DISCONTINUED not in got


def test_a_shot_the_patient_got_elsewhere_is_history(coder):
    text = ("Procedure: Kenalog-40 40 mg injected intra-articular L knee.\n"
            "Also asks about \"the allergy shot\" she got elsewhere in prior years.\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got["triamcinolone acetonide"] is S.GIVEN
    assert got.get("allergen extract") is not S.GIVEN


def test_the_same_joint_on_each_side_is_two_administrations(coder):
    text = ("Procedure: knee injections, landmark guided.\n"
            "  Right knee: methylprednisolone acetate 40 mg, intra-articular.\n"
            "  Left knee: methylprednisolone acetate 40 mg, intra-articular.\n")
    given = _given(coder, text)
    assert sorted(a.site.laterality for a in given) == ["left", "right"]


@pytest.mark.parametrize(
    "charted",
    [
        "testosterone cypionate 200 mg/mL multi-dose vial (10 mL), 0.7 mL drawn up with 3 mL "
        "syringe, IM R ventrogluteal 14:18.",
        "testosterone cypionate 200 mg/mL vial, 10 mL; 0.7 mL IM R ventrogluteal at 14:18.",
    ],
)
def test_the_vial_and_syringe_sizes_are_not_the_volume_given(coder, charted):
    got = _given(coder, charted)
    assert len(got) == 1 and got[0].dose is not None
    assert got[0].dose.value == 140 and got[0].dose.unit.value == "mg"  # 0.7 mL x 200 mg/mL


def test_half_the_vial_in_brackets_is_the_volume_drawn(coder):
    text = ("Depo-Medrol 80 mg/mL single-dose vial: half the vial (0.5 mL) drawn up and given IM "
            "R deltoid by me; remaining 0.5 mL discarded.")
    got = _given(coder, text)
    assert len(got) == 1 and got[0].dose is not None and got[0].dose.value == 40


@pytest.mark.parametrize("lab", ["Ca 9.4 on 08/04", "A1c 7.2% on 7/30", "T-score -2.7 (06/2026)"])
def test_a_dated_lab_result_does_not_date_the_injection(coder, lab):
    text = (f"Medication 2: Prolia (denosumab) 60 mg/1 mL\n"
            f"  Route: SC    Site: L posterior upper arm      Time: 09:15\n"
            f"  {lab}; dental exam without active issues.\n")
    got = _status_list(coder, text, date(2026, 8, 11))
    assert got == [("denosumab", S.GIVEN)]


@pytest.mark.parametrize("text, amount, first_site", [
    ("Bicillin L-A 2.4 million units total, as 1.2 million units IM R ventrogluteal + "
     "1.2 million units IM L vastus lateralis. Given by S. Lin, RN.", 1200000, "ventrogluteal"),
    # each part's volume in parentheses after its amount
    ("Nursing (RN, 14:20): ceftriaxone 375 mg (1.5 mL) IM R vastus lateralis and 375 mg "
     "(1.5 mL) IM L vastus lateralis. Observed 15 min.", 375, "vastus_lateralis"),
])
def test_a_split_dose_listed_as_amount_route_site_plus_amount_route_site(
        coder, text, amount, first_site):
    got = _given(coder, text)
    assert [(a.dose.value, a.site.location) for a in got] == [
        (amount, first_site), (amount, "vastus_lateralis")]


@pytest.mark.parametrize("when, status", [
    ("MenACWY booster given 2025.", S.HISTORICAL),
    ("Tdap received in 2019.", S.HISTORICAL),
    ("Tdap given today, lot U7712, L deltoid.", S.GIVEN),
])
def test_a_bare_earlier_year_after_given_is_a_past_dose(coder, when, status):
    got = [(name, st) for name, st, _ in _admins(coder, f"Immunizations reviewed. {when}",
                                                  date(2026, 6, 30))]
    assert len(got) == 1 and got[0][1] is status


@pytest.mark.parametrize("charted, time", [
    ("Toradol 30 mg IM L glute, Phenergan 25 IM R glute, given 1930 by me.", "1930"),
    ("Ceftriaxone 500 mg IM R VG - GIVEN 0945, lot 2K991.", "0945"),
    ("Cyanocobalamin given 1000 mcg IM L deltoid.", None),
])
def test_a_24_hour_time_after_given_is_the_dose_time_not_a_year(coder, charted, time):
    # 19:30 is not the year 1930; an amount after "given" is no time at all
    got = _given(coder, charted, date(2026, 1, 9))
    assert got and {a.time and a.time.value for a in got} == {time}


@pytest.mark.parametrize("note, drug", [
    ("Vivitrol 380 mg IM continues at Northpoint - nothing given for it here.", "naltrexone"),
    ("Depo-Provera 150 mg IM: nothing administered today, UPT pending.",
     "medroxyprogesterone acetate"),
    ("Sublocade 300 mg SC - the needle clogged while priming, nothing injected, kit discarded.",
     "buprenorphine extended-release"),
])
def test_nothing_given_withholds_the_drug_it_names(coder, note, drug):
    assert _status_list(coder, f"Cellulitis. Ceftriaxone 1 g IM R VG given 11:05. {note}") == [
        ("ceftriaxone", S.GIVEN), (drug, S.NOT_GIVEN)]


@pytest.mark.parametrize("mu", ["\u00b5g", "\u03bcg", "\u039cG"])
def test_micro_sign_and_greek_mu_both_read_as_mcg(coder, mu):
    text = f"Vit B-12 (cyanocobalamin) 1,000 {mu} IM R deltoid, given by T. Alvarez, RN."
    got = _given(coder, text)
    assert [(a.dose.value, a.dose.unit.value) for a in got] == [(1000, "mcg")]


@pytest.mark.parametrize("amount, mg", [
    ("Promethazine 25 mg/mL \u2014 \u00bd mL IM L delt", 12.5),
    ("cyanocobalamin 1 000 mcg/1 mL IM, R deltoid", 1),
    ("cyanocobalamin 1\u00a0000 mcg IM R deltoid", 1),
])
def test_vulgar_fractions_and_space_grouped_thousands(coder, amount, mg):
    got = [a for _, status, a in _admins(coder, f"Given: {amount} @ 10:40 by M. Feliz, MA.")
           if status is S.GIVEN]
    assert len(got) == 1 and got[0].dose is not None
    value = got[0].dose.value / (1000 if got[0].dose.unit.value == "mcg" else 1)
    assert value == Decimal(str(mg))


def test_a_plain_space_between_numbers_is_not_a_thousands_group(coder):
    got = [a for _, status, a in _admins(coder, "Rocephin x 2 500 mg IM R VG given by RN.")
           if status is S.GIVEN]
    assert got and all(a.dose is None or a.dose.value != 2500 for a in got)


def test_a_brand_in_parentheses_does_not_cut_the_strength_from_the_volume(coder):
    # The brand after the strength is a second mention of the drug; the volume on the next
    # form line still multiplies the strength the first mention wrote.
    text = ("Medication: Testosterone cypionate 200 mg/mL (Depo-Testosterone)\n"
            "Volume: 0.5 mL\nRoute: IM\nSite: L ventrogluteal\nGiven by: D. Shaw, CMA, tol well.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("testosterone cypionate", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal("100"), "mg")
    assert adm.dose.concentration_evidence.text == "200 mg/mL"


def test_the_water_a_powder_is_reconstituted_in_is_not_the_volume_given(coder):
    text = ("Abilify Maintena 300 mg/vial, reconstituted with 1.5 mL sterile water; "
            "full dose 300 mg IM R gluteal at 11:05 by K. Obi, RN.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("aripiprazole", S.GIVEN)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal("300"), "mg")


@pytest.mark.parametrize("gap", ["\n\n", "\n"])
def test_the_line_after_a_medication_list_is_not_the_list(coder, gap):
    # The list's items are bulleted or indented; the first line that is not an item (after a
    # blank line or straight after the list) is today's note again.
    text = ("Current medications (reviewed):\n"
            "  - cyanocobalamin 1,000 mcg/mL - 1 mL IM monthly (given in clinic)\n"
            "  - losartan 50 mg daily\n" + gap[1:] +
            "Pt denies falls. 1,000 mcg of cyanocobalamin was administered IM into the left "
            "deltoid at 10:12. Tolerated. - R. Diaz, LPN\n")
    given = [a for name, status, a in _admins(coder, text)
             if name == "cyanocobalamin" and status is S.GIVEN]
    assert len(given) == 1
    assert given[0].site.location == "deltoid"


def test_t_cyp_is_testosterone_cypionate(coder):
    text = "T cyp 200 mg given IM R VG 16:18. Tol well. - B. Holloway, RN"
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("testosterone cypionate", S.GIVEN)


def test_bulleted_field_rows_under_a_bulleted_drug_are_its_record(coder):
    # Each "• Label: value" item after the drug's own item is a field of the same record; an
    # item that is not a field ("• Next in 4 wks") would end it.
    text = ("• Med: Cyanocobalamin 1000 µg/mL inj, 1 mL vial\n• Dose: 1000 µg\n• Route: IM\n"
            "• Site: L deltoid\n• Lot 4418K2 · Exp 10/2027\n• Given 09:20 by T. Holloway, CMA\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("cyanocobalamin", S.GIVEN)
    assert (adm.site.laterality, adm.site.location) == ("left", "deltoid")


def test_a_drug_item_keeps_its_indented_lines_past_the_arithmetic(coder):
    text = ("Plan:\n- Ceftriaxone 50 mg/kg IM x1.  Max dose 1 g.\n"
            "  50 mg/kg x 18.2 kg = 910 mg -> rounded to 900 mg.\n"
            "  1 g vial reconstituted w/ 2.1 mL 1% lidocaine (350 mg/mL); 2.57 mL drawn.\n"
            "  Given 900 mg IM R vastus lateralis at 19:05 by L. Farris, RN.\n"
            "- Stop amoxicillin.\n")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["ceftriaxone"]
    assert (given[0].site.laterality, given[0].site.location) == ("right", "vastus_lateralis")


def test_a_forms_site_field_lower_in_its_block_is_the_drugs(coder):
    text = ("Medication: denosumab (Prolia) 60 mg/1 mL prefilled syringe\n"
            "Indication: postmenopausal osteoporosis without current fracture (M81.0); DEXA "
            "T-score -3.1 L femoral neck 02/2025\n"
            "Pre-checks:  [x] Ca 9.2 (04/08/26)  [x] eGFR 51  [x] no dental work planned\n"
            "Route: subcut     Site: L upper arm (posterior)     Time: 10:12\n"
            "Lot 1P4478   Exp 08/2027\nTolerated. J. Pruitt, LPN\n")
    [(name, status, adm)] = _admins(coder, text, date(2026, 4, 14))
    assert (name, status) == ("denosumab", S.GIVEN)
    assert adm.route.value.value == "SC"
    assert (adm.site.laterality, adm.site.location) == ("left", "upper_arm")


def test_a_forms_route_field_and_narrative_route_conflict(coder):
    text = ("Injection flowsheet\nDrug: Vitamin B12 (cyanocobalamin) 1000 mcg   Route: IM\n"
            "Indication: B12 deficiency anemia (D51.9)\nOrdering: Dr. P. Harmon (present)\n"
            "Site: R deltoid   Needle: 25G 5/8\"\nAdministered SQ without difficulty.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert adm.route.value.value == "IM"
    assert [r.value for r in adm.route.conflicts] == ["SC"]


def test_deltiod_is_a_misspelt_deltoid(coder):
    text = "Invega Sustenna 234 mg IM L deltiod, 11:20, lot 3KJ88. Pt tol well."
    [(name, status, adm)] = _admins(coder, text)
    assert (adm.site.laterality, adm.site.location) == ("left", "deltoid")


@pytest.mark.parametrize("edit, amount", [
    ("** Edited 14:05 by M. Bellweather, RN - Dose 8 mg -> 4 mg. 4 mg (2 mL) was drawn.", "4"),
    ("Addendum 14:10: Correction to the 13:40 entry - dose given was 4 mg (2 mL of 2 mg/mL), "
     "not 8 mg.", "4"),
    ("Addendum: the MA confirms 4 mg was drawn from the vial and given at 13:40.", "4"),
    ("Pharmacist verification: MAR corrected to 4 mg.", "4"),
    # not edits: a plan's change for another drug, an arrow from an amount not charted
    ("Plan: increase sertraline 50 -> 100 mg daily.", "8"),
    ("FSBG 212 -> 4 mg per scale (not given, pt refused).", "8"),
    ("Next visit: 8 mg -> 4 mg if nausea improves.", "8"),
])
def test_a_later_correction_replaces_the_charted_dose(coder, edit, amount):
    text = ("Viral gastroenteritis (A08.4).\nOndansetron 8 mg IM L deltoid 13:40 - M. Bell, RN\n"
            + edit + "\n")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["ondansetron"]
    assert (given[0].dose.value, given[0].dose.unit.value) == (Decimal(amount), "mg")


def test_an_order_received_is_an_order_not_a_dose_received(coder):
    text = "Order received 03/05: Invega Trinza 410 mg IM deltoid - transition from Sustenna.\n"
    [(name, status, adm)] = _admins(coder, text, date(2026, 3, 12))
    assert (name, status) == ("paliperidone palmitate", S.ORDERED)


@pytest.mark.parametrize("written", [
    "Bicillin C-R (penicillin G benzathine/penicillin G procaine) 1,200,000 units",
    "penicillin G benzathine + penicillin G procaine 1,200,000 units",
    "Bicillin C-R (benzathine penicillin G, procaine penicillin G) 1,200,000 units",
])
def test_a_combination_product_written_as_its_parts_is_one_drug(coder, written):
    text = f"Strep pharyngitis. {written} IM R thigh given by RN, tolerated.\n"
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("penicillin g benzathine and penicillin g procaine", S.GIVEN)
    assert adm.dose.value == Decimal(1200000)


def test_parts_of_a_dose_then_their_written_total_is_the_total(coder):
    text = ("Bicillin C-R given IM L ventrogluteal: benzathine 450,000 units + procaine "
            "150,000 units, 600,000 units total, 1 mL.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(600000), "units")


def test_one_of_two_drugs_is_not_a_combination_product(coder):
    text = "Ketorolac 30 mg and promethazine 25 mg IM, separate syringes, L and R deltoid.\n"
    assert sorted(name for name, _, _ in _admins(coder, text)) == ["ketorolac", "promethazine"]


def test_a_mar_row_marked_ordered_is_an_order_though_it_names_the_brand_too(coder):
    text = ("P: steroid shot today.\n"
            "15:02  triamcinolone acetonide (Kenalog-40) 40 mg IM - ordered, J. Ruiz DO\n"
            "15:10  MA: out of stock, provider notified.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status) == ("triamcinolone acetonide", S.ORDERED)


@pytest.mark.parametrize("nurse_line, given", [
    ("14:20 Shot given L deltoid, lot KT882. Tolerated. - A. Moss, LPN", True),
    ("Nursing: given as ordered, R ventrogluteal 14:20.", True),
    ("Nursing: injection not given, pt left before it was drawn up.", False),
    # a line that names the drug is that drug's own, not a drugless one
    ("14:20 ketorolac injection given L deltoid.", True),
])
def test_a_drugless_injection_given_line_charts_the_one_pending_order(coder, nurse_line, given):
    text = ("A: acute low back strain (S39.012A).\nP: Toradol 60 mg IM x1 now; ibuprofen after.\n\n"
            + nurse_line + "\n")
    ketorolac = [(status, a) for name, status, a in _admins(coder, text) if name == "ketorolac"]
    assert any(status is S.GIVEN for status, _ in ketorolac) is given
    if given and "deltoid" in nurse_line:
        [adm] = [a for status, a in ketorolac if status is S.GIVEN]
        assert adm.site.location == "deltoid"


def test_a_drugless_injection_line_does_not_choose_between_two_orders(coder):
    text = ("P: Toradol 60 mg IM x1; Phenergan 25 mg IM x1.\n\n"
            "Injection given R gluteal 14:20.\n")
    assert not any(status is S.GIVEN for _, status, _ in _admins(coder, text))


@pytest.mark.parametrize("written, mg", [
    ("Kenalog-40 1-2 cc IM given L glute today", None),   # a volume range: not determinable
    ("Kenalog-40 0.5 to 1 mL IM given L glute", None),
    ("Kenalog-40 1-2 cc ordered; gave 2 cc IM L glute", Decimal("80")),  # the MAR resolves it
    ("Kenalog-40, dose #2 - 1 mL IM given L glute", Decimal("40")),  # counts down: no range
])
def test_the_high_end_of_a_volume_range_is_not_the_volume_given(coder, written, mg):
    [(name, status, adm)] = _admins(coder, "A: eczema flare.\nP: " + written + ".\n")
    assert (name, status) == ("triamcinolone acetonide", S.GIVEN)
    assert (adm.dose.value if adm.dose else None) == mg


@pytest.mark.parametrize("drawn, mg", [
    # the vial's contents are the dose only when no later line writes the amount drawn
    ("Given IM R vastus lateralis.", Decimal("4")),
    ("Drew up 1 mL (2 mg) = 1/2 vial. Given IM R vastus lateralis.", Decimal("2")),
])
def test_a_single_dose_vial_is_not_the_dose_when_the_amount_drawn_is_written(coder, drawn, mg):
    text = ("1140  Zofran 4mg/2mL single-dose vial. " + drawn + "\n"
            "      Remaining 1 mL wasted in sharps, witnessed.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status, adm.dose.value) == ("ondansetron", S.GIVEN, mg)


def test_a_product_restated_in_parentheses_after_its_route_and_site_is_one_drug(coder):
    text = ("P: Toradol 60 mg IM R VG (ketorolac 30 mg/mL x 2 mL) + Decadron 10 mg IM L VG "
            "(dexamethasone sodium phosphate 10 mg/mL x 1 mL) - both given 15:40 by RN.\n")
    given = sorted((name, adm.dose.value) for name, status, adm in _admins(coder, text)
                   if status is S.GIVEN)
    assert given == [("dexamethasone", Decimal("10")),
                     ("ketorolac", Decimal("60"))]


def test_a_vial_label_with_the_brand_in_parentheses_keeps_its_dose(coder):
    text = ("Medroxyprogesterone acetate 150 mg/mL (Depo-Provera CI)  Lot: DP5521\n"
            "Given 1 mL IM L deltoid 10:05.\n")
    [(name, status, adm)] = _admins(coder, text)
    assert (name, status, adm.dose.value) == ("medroxyprogesterone acetate", S.GIVEN,
                                              Decimal("150"))


def test_a_route_written_before_the_next_drug_is_that_drugs(coder):
    # "oral" opens the cephalexin's phrase; the ceftriaxone's route stays unwritten (DOC-03)
    text = ("Plan: first dose of ceftriaxone here, then oral cephalexin.\n"
            "- Rocephin 1 g given in the upper outer quadrant of the L buttock at 15:05.\n")
    given = [adm for name, status, adm in _admins(coder, text)
             if name == "ceftriaxone" and status is S.GIVEN]
    assert len(given) == 1
    assert given[0].route is None
    assert (given[0].site.laterality, given[0].site.location) == ("left", "gluteal")


def test_a_route_after_the_drug_in_its_own_phrase_stays_its_own(coder):
    text = "Ceftriaxone 1 g IM given R gluteal, then cephalexin 500 mg PO QID x 7 days.\n"
    got = {name: adm for name, status, adm in _admins(coder, text)}
    assert got["ceftriaxone"].route.value.value == "IM"


def test_a_needle_length_is_not_a_date(coder):
    # '27G 1/2"' is half an inch, not January 2nd (which would make the dose historical)
    for needle in ('27G 1/2"', "25 ga 5/8 inch", "27g 1/2in"):
        text = ("Given: Cyanocobalamin 1,000 mcg/mL, 1 mL, subcutaneously in the back of the "
                f"L arm, {needle}, 11:12. Tolerated well.\n")
        [(name, status, adm)] = _admins(coder, text, date(2026, 6, 30))
        assert (name, status) == ("cyanocobalamin", S.GIVEN), needle


def test_resources_given_are_not_a_dose_of_the_drug_the_patient_is_on(coder):
    # "amenorrhea on DMPA ... local resources given": what was handed over is the resources
    text = ("Pt informed of positive UPT. LMP unknown (amenorrhea on DMPA), last intercourse ~4 wks "
            "ago. Options counseling provided, local resources given, pt will call back.\n")
    assert S.GIVEN not in {s for _, s in _status_list(coder, text)}


def test_a_route_changed_from_the_order_is_the_route_given(coder):
    # the order's route changed on the way to the dose: no conflict (DOC-17), the given route
    for text, route in (
            ("P: Zofran 4 mg IV ordered.\n   PIV attempt x2 unsuccessful. Pt declined 3rd "
             "attempt.\n   -> Zofran 4 mg IM L deltoid instead @2135 (RN H. Lee).\n", "IM"),
            ("- Rocephin 1 g IM ordered -> changed to IV since PIV in place: ceftriaxone 1 g "
             "given IV push over 4 min by me at 13:22.\n", "IV_PUSH")):
        given = [adm for name, status, adm in _admins(coder, text) if status is S.GIVEN]
        assert len(given) == 1, text
        assert given[0].route.value.value == route and not given[0].route.conflicts, text


def test_an_order_and_a_given_note_with_different_routes_still_conflict(coder):
    text = ("Order: fluphenazine decanoate 25 mg SC q2 weeks.\n"
            "RN note: fluphenazine decanoate 25 mg given IM L deltoid at 10:15.\n")
    [adm] = [adm for name, status, adm in _admins(coder, text) if status is S.GIVEN]
    assert adm.route.conflicts


def test_amounts_written_respectively_go_to_their_drugs_in_order(coder):
    text = ("P: Rocephin and Decadron, 1 g and 10 mg respectively, IM into the L and R "
            "ventrogluteal at 13:15, given by me. Tolerated both.\n")
    doses = {name: (adm.dose.value, adm.dose.unit) for name, status, adm in _admins(coder, text)
             if status is S.GIVEN}
    assert doses == {"ceftriaxone": (Decimal("1"), "g"),
                     "dexamethasone": (Decimal("10"), "mg")}


def test_shorthand_doses_sharing_one_route(coder):
    """Doses: "Toradol 60 and Zofran 4 IM" gives each drug its shorthand dose in its billing
    unit (the route at the end is shared); a number with no route after it stays unknown."""
    both = "P: Toradol 60 and Zofran 4 IM, R and L deltoid @ 13:25 (MA Reyes)."
    doses = {name: adm.dose and (adm.dose.value, adm.dose.unit.value)
             for name, _, adm in _admins(coder, both)}
    assert doses == {"ketorolac": (Decimal(60), "mg"), "ondansetron": (Decimal(4), "mg")}
    given = next(adm for name, _, adm in _admins(coder, both) if name == "ketorolac")
    assert given.dose.evidence.text == "60"
    no_route = "P: Toradol 60 and Zofran 4 given, R and L deltoid @ 13:25."
    doses = {name: adm.dose for name, _, adm in _admins(coder, no_route)}
    assert doses.get("ketorolac") is None


@pytest.mark.parametrize("text", [
    "Plan: ketorolac 60 and ondansetron 4 mg, both IM, R and L ventrogluteal, 09:05.",
    "Toradol 60 & Zofran 4mg IM given L/R deltoid 13:25.",
])
def test_shorthand_dose_before_a_written_unit_sharing_one_route(coder, text):
    """Doses: the first drug's bare number takes its billing unit when the next drug's dose
    writes one and the route ("both IM") is shared."""
    doses = {name: adm.dose and (adm.dose.value, adm.dose.unit.value)
             for name, _, adm in _admins(coder, text)}
    assert doses == {"ketorolac": (Decimal(60), "mg"), "ondansetron": (Decimal(4), "mg")}


def test_cannot_swallow_pills_is_no_oral_route(coder):
    """Routes: "can not swallow the pills" is why the drug is injected, not an oral route of
    the drug after it; a tablet actually given stays oral."""
    text = ("Because patient can not swallow the pills now, I give her Rocephin 1 gram and "
            "Dexamethasone 10 mg, both by intramuscular.")
    routes = {name: (status, adm.route and adm.route.value.value)
              for name, status, adm in _admins(coder, text)}
    assert routes["ceftriaxone"] == (S.GIVEN, "IM")
    oral = "Unable to get IV. Zofran ODT 4 mg tablet given at 10:05, tolerated."
    [(_, _, adm)] = _admins(coder, oral)
    assert adm.route.value.value == "ORAL"


def test_drug_named_again_says_where_it_went(coder):
    """Linking: "Rocephin ... and Dexamethasone ..., both IM, Rocephin in left gluteus and
    Dexamethasone in right deltoid": each drug named again takes its own site, not the site
    written after the next drug's name."""
    text = ("Treatment: Because patient can not swallow the pills now, I give her Rocephin 1 gram "
            "and Dexamethasone 10 mg, both by intramuscular, Rocephin in left gluteus and "
            "Dexamethasone in right deltoid. Nurse Gloria Pena is administering at 15:10.\n"
            "NDC: Rocephin 00409-7332-01, Dexamethasone 70069-0021-25.")
    sites = [(name, status, adm.site and (adm.site.laterality, adm.site.location))
             for name, status, adm in _admins(coder, text)]
    assert sites == [("ceftriaxone", S.GIVEN, ("left", "gluteal")),
                     ("dexamethasone", S.GIVEN, ("right", "deltoid"))]


def test_slash_joined_drugs_take_slash_joined_amounts_and_sides(coder):
    """Linking: "Compazine/Benadryl 10/25 mg IM L/R deltoid" is 10 mg prochlorperazine in the
    left deltoid and 25 mg diphenhydramine in the right; with no unit the first amount stays
    unknown (DOC-02) rather than guessed."""
    text = "- Compazine/Benadryl 10/25 mg IM L/R deltoid, given by RN J. Patel at 11:40."
    got = [(name, adm.dose and adm.dose.value, adm.site and (adm.site.laterality, adm.site.location))
           for name, _, adm in _admins(coder, text)]
    assert got == [("prochlorperazine", Decimal(10), ("left", "deltoid")),
                   ("diphenhydramine", Decimal(25), ("right", "deltoid"))]
    no_unit = "Toradol/Phenergan 60/25 IM given, L and R glute."
    assert [adm.dose for _, _, adm in _admins(coder, no_unit)] == [None, None]


def test_in_that_order_pairs_sides_past_a_split_sentence(coder):
    """Linking: "Depo-Medrol 80 and Toradol 60 given IM ... - L glute / R glute, in that order"
    gives each drug its shorthand dose and its side, even where the sentence splitter cut the
    line at the initial "M."; "respectively" in a later sentence pairs nothing."""
    text = ("Plan: Depo-Medrol 80 and Toradol 60 given IM today by RN M. Soto - L glute / R glute, "
            "in that order, 10:45.")
    got = [(name, adm.dose and adm.dose.value, adm.site and adm.site.laterality)
           for name, _, adm in _admins(coder, text)]
    assert got == [("methylprednisolone acetate", Decimal(80), "left"),
                   ("ketorolac", Decimal(60), "right")]
    later = ("Toradol 60 mg and Phenergan 25 mg given IM, L glute. Two more visits, R and L "
             "deltoid respectively.")
    assert [adm.site and adm.site.laterality for _, _, adm in _admins(coder, later)] == [
        "left", "left"]


def test_an_expiry_year_before_the_dose_is_not_a_dose_range(coder):
    # "exp 11/2026 - 40 mg SC": the year ends a date; "40 mg" is the dose, not "2026-40 mg"
    text = ("Humira (adalimumab) 40 mg/0.4 mL pen, lot 1213450, exp 11/2026 - 40 mg SC "
            "L lower abdomen 10:15 by RN.")
    (name, status, adm), = _admins(coder, text)
    assert status is S.GIVEN
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(40), "mg")
    assert adm.site.location == "abdomen"
    text = "Toradol 30-60 mg IM q6h prn pain."  # a real range stays a range (no single dose)
    assert all(a.dose is None for _, _, a in _admins(coder, text))


@pytest.mark.parametrize(
    ("written", "dose"),
    [
        ("Dexamethasone 0.6 mg/kg = 11.1 mg -> 11 mg (1.1 mL of 10 mg/mL) IM, R vastus lateralis",
         Decimal(11)),
        ("Promethazine 0.5 mg/kg x 27.4 kg = 13.7 mg -> give 12.5 mg IM R deltoid", Decimal("12.5")),
    ],
)
def test_a_computed_amount_an_arrow_replaces_is_not_the_dose(coder, written, dose):
    # the weight-based arithmetic's result, then the amount actually drawn up after the arrow
    text = f"Wt: 18.5 kg. Croup. {written}, given by A. Beltran, MA at 10:50."
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [dose]


def test_an_edited_dose_after_an_arrow_still_replaces_the_charted_one(coder):
    text = ("Ondansetron 8 mg IM L deltoid 13:40 by RN.\n"
            "** Edited by M. Bellweather, RN - Dose 8 mg -> 4 mg (verbal order clarified).")
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [Decimal(4)]


def test_an_error_header_strikes_the_entry_right_below_it(coder):
    # the struck entry follows its "ENTERED IN ERROR" header; the correction charts the real dose
    text = ("ENTRY 1 - 09:41 - ENTERED IN ERROR (see correction below) - B. Olsen RN 09:58\n"
            "Invega Sustenna 234 mg IM L deltoid, lot 25JK03\n\n"
            "CORRECTION 09:58 - B. Olsen RN: wrong dose pulled from the template. Actual "
            "administration at 09:41: Invega Sustenna 156 mg IM R deltoid, lot 25JK19.")
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [Decimal(156)]


@pytest.mark.parametrize(
    "header",
    ["The previous entry was charted in error - wrong patient.",  # points back, not down
     "10:05 entry ENTERED IN ERROR - wrong dose.\nCorrection:",  # below is the correction
     "10:05 entry ENTERED IN ERROR - wrong dose."],  # below is a later entry (its own 10:20)
)
def test_an_error_line_does_not_strike_a_correction_or_a_later_entry(coder, header):
    text = f"{header}\nKetorolac 60 mg IM R gluteal 10:20 by J. Park, RN. Tolerated.\n"
    given = _given(coder, text)
    assert [a.dose.value for a in given] == [Decimal(60)]


def test_a_given_word_dated_yesterday_in_the_next_sentence_is_not_todays_dose(coder):
    # the reason line names the drug; the next sentence's "given here yesterday" is dose 1's
    text = ("Reason: ceftriaxone dose 2 of 2 per Dr. Okoye's plan from yesterday's visit "
            "(04/20/2026) for acute pyelonephritis (N10). First dose given here yesterday 16:30, "
            "right ventrogluteal.\nVS: T 98.9  HR 84.\n"
            "Ceftriaxone 1 g IM L ventrogluteal at 09:12. Lot CF7731.\nM. Thibodeaux, RN")
    given = _given(coder, text, date(2026, 4, 21))
    assert [(a.dose.value, a.site.laterality) for a in given] == [(Decimal(1), "left")]


@pytest.mark.parametrize("marker", ["[Copied from visit 07/14/2026 - J. Amos, PA-C]",
                                    "(pasted from note of 7/14)"])
def test_a_block_copied_from_a_dated_visit_is_that_visits_today(coder, marker):
    text = (f'HPI {marker}: "Itchy vesicular rash after clearing brush. Received Kenalog 40 mg IM '
            'L deltoid today, tolerated well."\nInterval update: flared again after re-exposure.\n'
            "P: Depo-Medrol 80 mg IM R ventrogluteal given by J. Amos PA-C at 15:05.")
    got = {name: status for name, status, _ in _admins(coder, text, date(2026, 7, 28))}
    assert got == {"triamcinolone acetonide": S.HISTORICAL,
                   "methylprednisolone acetate": S.GIVEN}


def test_an_emar_row_whose_status_cell_says_entered_in_error_was_not_given(coder):
    text = ("Row | Time  | Medication                        | Dose   | Route | Site      | Status\n"
            "1   | 09:50 | Aristada (aripiprazole lauroxil)  | 662 mg | IM    | L deltoid | "
            "ENTERED IN ERROR\n"
            "2   | 10:02 | Aristada (aripiprazole lauroxil)  | 882 mg | IM    | L gluteal | Given\n")
    got = sorted((status.value, a.dose.value) for _, status, a in _admins(coder, text))
    assert got == [("given", Decimal(882)), ("not_given", Decimal(662))]


@pytest.mark.parametrize("written", ["19/02/2026", "2026-02-19", "19-Feb-26", "19 Feb 2026",
                                     "Feb 19, 2026", "02-19-2026"])
def test_a_last_dose_dated_in_any_common_format_is_history(coder, written):
    # day-first, ISO, day-month-name and dashed dates all date the dose before today's visit
    text = (f"Hx: settled on 3-monthly injections. Last Trinza 546mg given {written} (R deltoid) "
            "at our clinic. No EPSE.\nPlan: next dose due in clinic.")
    got = _status_list(coder, text, date(2026, 5, 6))
    assert got == [("paliperidone palmitate", S.HISTORICAL)]


@pytest.mark.parametrize("other, expected", [("19/02/2026", {S.HISTORICAL}),
                                              ("02/19/2026", {S.PLANNED, S.HISTORICAL})])
def test_a_note_that_writes_one_date_day_first_writes_them_all_day_first(coder, other, expected):
    # beside 19/02/2026, 06/01/2026 is the 6th of January, before the visit; beside 02/19/2026
    # it is June 1st, still to come
    text = f"Depo-Provera 150 mg IM R deltoid on 06/01/2026. Previous dose {other}.\n"
    assert {status for _, status, _ in _admins(coder, text, date(2026, 5, 6))} == expected


def test_a_form_that_names_its_checked_drug_again_still_charts_the_dose(coder):
    text = ("Medication ordered:\n"
            "  [ ] Invega Sustenna (paliperidone palmitate, 1-month)   dose ______\n"
            "  [X] Invega Hafyera (paliperidone palmitate, 6-month)    dose 1092 mg / 3.5 mL\n"
            "Route:  [X] IM    [ ] SC\n"
            "Site:   [ ] L deltoid   [X] R gluteal\n"
            "Pre-injection: last Hafyera 09/04/2025 (window OK). BP 128/78.\n"
            "Post-injection: observed 15 min, tolerated well.\n"
            "Administered by: T. Nguyen, RN\n")
    got = sorted((status.value, a.dose and a.dose.value) for _, status, a in
                 _admins(coder, text, date(2026, 3, 5)))
    assert got == [("given", Decimal(1092)), ("historical", None)]


def test_a_month_and_day_without_a_year_dates_an_earlier_dose(coder):
    """Dates: "her first Shingrix on March 30th" (dictated, no year) is the date of service's
    year, so that dose is history; the day it names is parsed, a lower-case "may" is not."""
    assert [m.group(0) for m in DATE.finditer("first dose on March 30th, next Sept 4 and "
                                                "May 3rd")] == ["March 30th", "Sept 4", "May 3rd"]
    text = ("After her first Shingrix on March 30th at this office she had a sore arm for four "
            "days. Shingrix dose two deferred today at the patient's request.")
    assert _status_list(coder, text, date(2026, 6, 8)) == [
        ("zoster vaccine", S.HISTORICAL), ("zoster vaccine", S.NOT_GIVEN)]


def test_an_authorization_received_is_not_the_dose_received(coder):
    text = ("Injection: NOT GIVEN - prior auth expired.\n"
            "Plan: Sustenna 156 mg IM rescheduled for RN clinic 04/13/2026 if auth received.")
    got = [status for _, status, _ in _admins(coder, text, date(2026, 4, 7))]
    assert got and S.GIVEN not in got


@pytest.mark.parametrize("text", ["NDC 0409-1234-01", "lot 12-3-20261", "MRN 2026-05-0712",
                                  "pt may 5 mg", "NDC 12-25-2026-01", "May 3 she was seen",
                                  "Marcus 3 years", "Dec 2 mg", "Jun 10 units"])
def test_codes_and_numbers_are_not_read_as_dates(text):
    assert [m.group(0) for m in DATE.finditer(text)] == []


def test_a_medication_administered_header_ends_the_history_above_it(coder):
    text = ("HPI: Patient here today for scheduled Prolia injection #4. Last injection 08/14/2025 "
            "(#3, this office). Due 02/14/2026 - 5 days past due, within protocol. No dental "
            "work planned.\nLabs 02/10/2026: Ca 9.4, eGFR 61.\nMedication administered:\n"
            "  denosumab (PROLIA) 60 mg/mL prefilled syringe - 60 mg subcutaneous - left "
            "posterior upper arm\n  Lot 1179823  Exp 11/30/2027\n"
            "  Administered by: Rhea Fontaine, LPN.\n"
            "Assessment: Age-related osteoporosis without current pathological fracture (M81.0)\n"
            "Next Prolia due 08/19/2026 - scheduled.\n")
    got = [(status, a.dose and a.dose.value) for _, status, a in
           _admins(coder, text, date(2026, 2, 19)) if status is S.GIVEN]
    assert got == [(S.GIVEN, Decimal(60))]


@pytest.mark.parametrize("written", ["Kinrix (DTaP-IPV)", "DTaP-IPV", "DTaP/IPV"])
def test_a_combination_vaccine_written_by_its_components_is_that_vaccine(coder, written):
    text = f"Catch-up today: {written} 0.5 mL IM L deltoid 16:14 lot K5520. VIS given."
    assert _status_list(coder, text) == [("dtap-ipv vaccine", S.GIVEN)]


def test_a_drug_the_patient_has_not_yet_received_is_no_dose(coder):
    """History says no earlier dose; the dose charted later in the paragraph is the one given."""
    text = ("Rh negative, antibody screen negative; she has not yet received RhoGAM this "
            "pregnancy. Tender over the left lower abdomen. Plan: RhoGAM 300 mcg was given IM "
            "in the right deltoid by our nurse at 10:15 today.")
    got = sorted((st.value, a.site.location if a.site else None) for _, st, a in
                 _admins(coder, text))
    assert ("given", "deltoid") in got
    assert [g for g in got if g[0] == "given"] == [("given", "deltoid")]



def test_a_space_aligned_vis_date_column_does_not_date_the_dose(coder):
    """The information sheet's edition date is not when the vaccine was given."""
    text = ("IMMUNIZATIONS ADMINISTERED\n"
            "Vaccine          Dose     Route   Site         Lot       VIS date     Given by\n"
            "Adacel (Tdap)    0.5 mL   IM      L deltoid    AD5512    08/06/2024   E. Vance, MA\n")
    assert _status_list(coder, text, date(2026, 8, 18)) == [
        ("tdap vaccine", S.GIVEN)]
    dated = text.replace("VIS date", "Date    ")
    assert _status_list(coder, dated, date(2026, 8, 18)) == [
        ("tdap vaccine", S.HISTORICAL)]


@pytest.mark.parametrize(("written", "years"), [
    ("Established patient Noah eleven years old here for his well visit.", 11),
    ("Patient: Aaliyah P., 13 y, established.", 13),
    ("Twenty-five years old, here for his shot.", None),
    ("Vegan x 10 yrs, no supplements.", None),
    # an age once reached, or a thing's age, is not the patient's
    ("Saw violence when she was small, around five years old.", None),
    ("He has a power wheelchair at home and it is two years old.", None),
    ("Diabetic since age 12, now 16 y/o F.", 16),
])
def test_the_patient_age_as_written_or_dictated(coder, written, years):
    ex = coder.extractor.extract(written + " B12 1000 mcg IM L deltoid given.", date(2026, 5, 1))
    assert ex.patient_age_years == years
    if years is not None:
        assert ex.patient_age_evidence.text in written


@pytest.mark.parametrize(("written", "name"), [
    ("Influenza, seasonal, injectable, preservative free", "influenza vaccine"),
    ("Hep B, adult", "hepatitis b vaccine"),
    ("zoster recombinant", "zoster vaccine"),
    ("Meningococcal MCV4O", "meningococcal acwy vaccine"),
])
def test_an_immunization_record_row_in_cvx_words_names_its_vaccine(coder, written, name):
    text = f"{written}     08/18/2026   0.5 mL   IM     L deltoid   FL9921    Given\n"
    assert _status_list(coder, text, date(2026, 8, 18)) == [(name, S.GIVEN)]


def test_a_failed_on_body_injector_is_not_the_replacement_syringe_dose(coder):
    text = ("Onpro applied 04/20. Device failed, dose not delivered.\nNeulasta 6 mg/0.6 mL "
            "prefilled syringe SC given L posterior upper arm 10:52, lot 1182250. Failed Onpro "
            "returned to manufacturer.\n")
    got = _given(coder, text, date(2026, 4, 22))
    assert len(got) == 1 and got[0].device is None
    onbody = "Neulasta 6 mg SC given L posterior upper arm 10:52. Onpro applied, green light.\n"
    got = _given(coder, onbody, date(2026, 4, 22))
    assert len(got) == 1 and got[0].device is not None


@pytest.mark.parametrize(("written", "name"), [
    ("Sandostatin LAR Depot (octreotide) 30 mg", "octreotide depot"),
    ("Depo-Medrol (methylprednisolone) 80 mg", "methylprednisolone acetate"),
    ("Octreotide (Sandostatin LAR) 20 mg", "octreotide depot"),
])
def test_a_bracketed_base_drug_does_not_widen_the_product_named(coder, written, name):
    text = f"{written} given deep IM L dorsogluteal at 14:22.\n"
    assert _status_list(coder, text) == [(name, S.GIVEN)]


def test_a_kit_named_before_its_parts_keeps_each_part(coder):
    """A combination is not a narrower form of its first part: both injections stay."""
    text = ("Cabenuva 400 mg/600 mg: cabotegravir 400 mg (2 mL) IM L gluteal; rilpivirine "
            "600 mg (2 mL) IM R gluteal. Given by LPN.")
    assert sorted(n for n, st, _ in _admins(coder, text) if st is S.GIVEN) == [
        "cabotegravir", "rilpivirine"]


def test_orders_for_today_are_orders_until_the_mar_charts_them(coder):
    text = ("ORDERS FOR TODAY (entered by Dr. Keller 04/10/2026):\n"
            "  epoetin alfa (Procrit) 40,000 units SC x1 - Hgb 9.1\n"
            "  denosumab (Xgeva) 120 mg SC x1\n\n"
            "MAR:\n  04/13 1120  Procrit 40,000 units/mL SC - R posterior upper arm - given - "
            "RN J. Okafor\n")
    got = _statuses(coder, text, date(2026, 4, 13))
    assert got == {"epoetin alfa": S.GIVEN, "denosumab": S.ORDERED}


def test_a_dose_charted_with_its_time_and_lot_under_a_reason_for_visit_is_given(coder):
    """A line recording the dose's clock time and lot is the administration, not narrated
    history, even when a "Reason for visit:" field heads the block above it."""
    text = ("Reason for visit: Depo shot.\nPt denies problems. UPT negative.\n"
            "Depo-Provera (medroxyprogesterone acetate) 150 mg/1 mL IM, brazo izquierdo - "
            "deltoides izquierdo, 15:12. NDC 0009-0746-30, lot GH4521.\nTolerated well.\n"
            "Dx: Z30.42\n")
    got = [st for n, st, _ in _admins(coder, text, date(2026, 3, 10))
           if n == "medroxyprogesterone acetate"]
    assert S.GIVEN in got


def test_a_standing_order_row_charted_given_with_its_time_is_todays_dose(coder):
    text = ("SUPPORTIVE CARE STANDING ORDERS - RN checklist\n"
            "[x] 1. Xgeva 120 mg SC q4wk - give if Ca >= 8.5          GIVEN 1030 SC R posterior "
            "upper arm (lot 1177094)\n"
            "[ ] 2. Aranesp 300 mcg SC q3wk - give only if Hgb < 10.0   HELD - Hgb 10.4\n")
    got = _statuses(coder, text, date(2026, 3, 30))
    assert got["denosumab"] is S.GIVEN
    assert got.get("darbepoetin alfa") is not S.GIVEN


@pytest.mark.parametrize("written", ["daratumumab-hyaluronidase", "daratumumab/hyaluronidase"])
def test_a_hyaluronidase_co_formulation_written_with_a_hyphen_is_one_drug(coder, written):
    text = f"Treatment room: {written} 1,800 mg SC over 5 min, R abdomen, 10:25. Lot 4M77B1.\n"
    assert _status_list(coder, text) == [
        ("daratumumab and hyaluronidase", S.GIVEN)]


@pytest.mark.parametrize(("written", "name", "mg"), [
    ("Herceptin Hylecta (trastuzumab 600 mg/hyaluronidase) 5 mL", "trastuzumab and hyaluronidase",
     600),
    ("Darzalex Faspro (daratumumab 1,800 mg/hyaluronidase) 15 mL", "daratumumab and hyaluronidase",
     1800),
])
def test_a_co_formulation_takes_the_antibody_amount_its_bracket_names(coder, written, name, mg):
    text = f"{written} SC L anterior thigh over 5 min, 11:50 (RN P. Lamar). Observed 15 min.\n"
    got = _doses(coder, text)
    assert got == [(name, S.GIVEN, (Decimal(mg), "mg"))]


def test_a_bulleted_header_closes_the_history_section_above_it(coder):
    # "• PMH:" heads past history; "• Exam:" and "• Plan:" under it are headers too, so the shot
    # charted in the plan bullet is today's, not part of the history
    text = ("\u2022 Here for a boil on the L thigh, draining since Tuesday.\n"
            "\u2022 PMH: type 2 diabetes. No prior MRSA.\n"
            "\u2022 Exam: 3 cm fluctuant abscess, surrounding cellulitis.\n"
            "\u2022 Plan: I&D done. Rocephin 1 g IM R deltoid given by RN at 14:10.\n")
    got = _statuses(coder, text)
    assert got == {"ceftriaxone": S.GIVEN}


def test_a_vial_size_is_not_the_volume_when_the_note_writes_the_volume_drawn(coder):
    text = ("Haloperidol decanoate 100 mg/mL (5 mL vial, clinic stock) - 0.5 mL IM L deltoid at "
            "09:40, lot HD2231.\n")
    got = _doses(coder, text)
    assert got == [("haloperidol decanoate", S.GIVEN, (Decimal(50), "mg"))]


def test_a_row_labelled_and_dated_before_the_drug_is_that_days_dose(coder):
    text = ("Wk 1: 03/02/2026 Bicillin L-A 2.4 MU IM L gluteal - tolerated.\n"
            "Today: Bicillin L-A 2.4 million units IM R gluteal at 10:05 by RN. Observed 15 min.\n")
    got = _status_list(coder, text, date(2026, 3, 9))
    assert got == [("penicillin g benzathine", S.HISTORICAL),
                   ("penicillin g benzathine", S.GIVEN)]


def test_the_next_rows_date_does_not_date_the_dose_on_the_row_above(coder):
    text = ("MAR\n"
            " Day 1   05/04/2026 09:10   ceftriaxone 750 mg IM   R vastus lateralis   KP RN\n"
            " Day 2   05/05/2026 09:20   ceftriaxone 750 mg IM   L vastus lateralis   KP RN\n"
            " Day 3   05/06/2026         due 09:00\n")
    got = _status_list(coder, text, date(2026, 5, 5))
    assert ("ceftriaxone", S.GIVEN) in got
    assert ("ceftriaxone", S.HISTORICAL) in got


@pytest.mark.parametrize(("line", "name"), [
    ("Immunizations: Tdap 2021; flu shot at pharmacy 10/2025.", "tdap vaccine"),
    ("Contraception: Nexplanon (placed 2024), no bleeding issues.", "etonogestrel implant"),
])
def test_a_year_alone_after_the_drug_dates_a_past_dose(coder, line, name):
    text = (f"{line}\n"
            "Today (given by MA at 10:20): ceftriaxone 500 mg IM R ventrogluteal, lot C88.\n")
    got = _statuses(coder, text, date(2026, 2, 3))
    assert got[name] is S.HISTORICAL
    assert got["ceftriaxone"] is S.GIVEN


def test_dated_rows_under_a_header_that_names_the_drug_are_that_drugs_doses(coder):
    text = ("MAR - denosumab (Prolia) 60 mg SC q6 months\n"
            "  Dose 1   11/03/2025   given   L upper arm   (RN)\n"
            "  Dose 2   05/04/2026   DUE\n\n"
            "10:40  ADMINISTERED  Prolia 60 mg/1 mL prefilled syringe SC, R upper arm, lot 77Q.\n")
    got = _status_list(coder, text, date(2026, 5, 4))
    assert got == [("denosumab", S.HISTORICAL), ("denosumab", S.GIVEN)]


def test_a_line_that_introduces_todays_doses_ends_the_history_above_it(coder):
    text = ("Vaccine history (registry): Tdap 2020, MMR x2. No hep A or typhoid.\n"
            "Counseling: food and water, insect precautions, rabies.\n"
            "Given today by RN L. Mora after my review:\n"
            "  - Typhim Vi 0.5 mL IM R deltoid   lot V71\n"
            "  - Havrix 1 mL IM L deltoid   lot H22\n")
    got = _statuses(coder, text)
    assert got["typhoid vi polysaccharide vaccine"] is S.GIVEN
    assert got["hepatitis a vaccine"] is S.GIVEN


def test_a_regimen_item_under_a_given_today_line_is_todays_dose(coder):
    text = ("Given today, Dr. Park in clinic:\n"
            "  - Heplisav-B 0.5 mL IM R deltoid, dose 2 of 2. Lot HB1.\n"
            "  - cyanocobalamin IM L deltoid (monthly).\n"
            "No reactions, observed 15 min.\n")
    got = _statuses(coder, text)
    assert got["cyanocobalamin"] is S.GIVEN


@pytest.mark.parametrize(("written", "name"), [
    ("T enanthate", "testosterone enanthate"), ("T cypionate", "testosterone cypionate")])
def test_testosterone_written_as_t_and_its_ester(coder, written, name):
    text = f"{written} 200mg/mL x 0.5mL IM R VL, 23G 1\", lot TE55. Tol well.\n"
    got = _doses(coder, text)
    assert got == [(name, S.GIVEN, (Decimal(100), "mg"))]


def test_a_dose_given_as_two_times_a_volume_at_two_sites_is_a_split(coder):
    text = ("Sunlenca (lenacapavir) 927 mg SC today as 2 x 1.5 mL (463.5 mg each): L upper abdomen "
            "10:12 and L lower abdomen 10:13, given by me. Lot LN22.\n")
    got = _doses(coder, text)
    assert got == [("lenacapavir", S.GIVEN, (Decimal("463.5"), "mg"))] * 2


def test_a_split_on_a_dated_line_below_is_that_days_dose_not_todays(coder):
    text = ("Degarelix maintenance #1 today.\n"
            "Loading 04/06/26: 240 mg as 2 x 120 mg SC (R + L abd), no ISR.\n"
            "Today: Firmagon 80 mg SC L abd, periumbilical, 14:14.\n")
    got = [g for g in _doses(coder, text) if g[1] is S.GIVEN]
    assert got == [("degarelix", S.GIVEN, (Decimal(80), "mg"))]


def test_a_dated_mention_then_the_drug_on_the_next_line_are_two_mentions(coder):
    text = ("Reason: monthly B12 shot.\nLast B12 02/28/2026.\n"
            "Cyanocobalamin 1000 mcg/1 mL IM R deltoid, 10:20, lot 24B17. No reaction.")
    got = _statuses(coder, text, date(2026, 3, 28))
    assert got == {"cyanocobalamin": S.GIVEN}
    assert [st for _, st, _ in _admins(coder, text, date(2026, 3, 28))] == [
        S.HISTORICAL, S.GIVEN]


@pytest.mark.parametrize("later", [
    "No further B12 injections planned.",
    "No more B12 shots needed after today.",
])
def test_no_further_doses_does_not_withdraw_the_dose_given(coder, later):
    text = ("Cyanocobalamin 1000 mcg/mL, 1 mL IM L deltoid given 09:46. Tolerated well.\n\n"
            "ADDENDUM 12:30 - correction to the diagnosis for this visit: fatigue (R53.83). "
            + later)
    got = _status_list(coder, text)
    assert ("cyanocobalamin", S.GIVEN) in got
    assert ("cyanocobalamin", S.NOT_GIVEN) not in got


@pytest.mark.parametrize("header, rows, expected", [
    ("Given (clinic stock, Nucala 100 mg/mL autoinjectors):",
     ["Pen 1: 100 mg SC abdomen, left of umbilicus 09:31",
      "Pen 2: 100 mg SC abdomen, right of umbilicus 09:32",
      "Pen 3: 100 mg SC R anterior thigh 09:33"], [100, 100, 100]),
    ("GamaSTAN 0.2 mL/kg = 12.2 mL IM. Max 5 mL per site:",
     ["   - 5 mL R ventrogluteal 14:02", "   - 5 mL L ventrogluteal 14:04",
      "   - 2.2 mL R vastus lateralis 14:06"], [5, 5, 2.2]),
])
def test_item_lines_under_a_drug_are_its_injections(coder, header, rows, expected):
    text = "Nurse visit, Dr. Lee in clinic.\n" + header + "\n" + "\n".join(rows) + "\nNo reaction."
    got = _given(coder, text)
    assert [float(a.dose.value) for a in got] == expected
    assert len({(a.site.laterality, a.site.location, a.site.evidence.start) for a in got}) == 3


def test_amounts_listed_with_their_sites_in_the_doses_sentence_are_its_injections(coder):
    # the dictated form of an item list: three amounts that add up to the dose, each with its
    # site; amounts that do not add up to the dose stay one injection
    text = ("Our nurse gave the Xolair 375 milligram dose as three prefilled syringes, 150 "
            "milligrams subcutaneous left posterior upper arm, 150 milligrams subcutaneous right "
            "posterior upper arm and 75 milligrams subcutaneous left lower abdomen, at 3:10 pm.")
    got = _given(coder, text)
    assert [(float(a.dose.value), a.site.laterality, a.site.location) for a in got] == [
        (150, "left", "upper_arm"), (150, "right", "upper_arm"), (75, "left", "abdomen")]
    wrong = text.replace("and 75 milligrams", "and 150 milligrams")
    assert [float(a.dose.value) for a in _given(coder, wrong)] == [375]


def test_a_dated_sentence_after_the_drugs_on_its_line_is_that_days_dose(coder):
    text = ("Sublocade visit 07/08/2026\n"
            "Month 2 Sublocade. Dose 1 (300 mg) 06/10/2026 on van, L abdomen.\n"
            "Sublocade 300 mg/1.5 mL SC abdomen R lower quadrant - 10:04, PN RN\n")
    got = _given(coder, text, date(2026, 7, 8))
    assert [(a.dose.value, a.site.laterality) for a in got] == [(300, "right")]


def test_a_clock_time_leading_a_list_of_doses_charts_each_and_names_after_a_dash_place_them(
        coder):
    # a plan line opened by a time: both doses of the list share the time and the route, and
    # the drugs named again after the dash say where each went
    text = ("A: urticaria after cashews, no airway involvement.\n"
            "P: 12:58 diphenhydramine 50 mg, methylprednisolone sodium succinate (Solu-Medrol) "
            "125 mg IM - Benadryl L deltoid, Solu-Medrol R deltoid (RN T. Kaye). Observed 60 min.")
    got = _given(coder, text)
    assert [(a.drug.name.split()[0], a.route.value, a.site.laterality) for a in got] == [
        ("diphenhydramine", "IM", "left"), ("methylprednisolone", "IM", "right")]


def test_a_strength_on_backorder_is_not_given_and_the_substitute_after_used_is(coder):
    # "is on" reads a home medication; "is on backorder" is a stock phrase, and "- used" ends
    # its reach before the product drawn up instead
    text = ("RN visit, Dr. Ames on site. Order: ketorolac 60 mg IM x1 for low back pain.\n"
            "Ketorolac 60 mg/2 mL is on backorder - used ketorolac 30 mg/mL, 2 mL (60 mg) "
            "from two vials.\nGiven IM L ventrogluteal at 10:05. Tolerated.")
    assert _status_list(coder, text) == [("ketorolac", S.NOT_GIVEN), ("ketorolac", S.GIVEN)]
    assert [(a.dose.value, a.site.laterality) for a in _given(coder, text)] == [(60, "left")]
    held = ("Nurse visit, Dr. Ames in clinic. Depo-Provera 150 mg IM is on hold until the hCG "
            "is back.")
    assert _status_list(coder, held) == [("medroxyprogesterone acetate", S.NOT_GIVEN)]


def test_a_plan_that_says_which_site_the_im_dose_went_into_documents_it(coder):
    # the route and site come sentences after the drug, on its own plan line; a plan that only
    # names the route is still an order
    text = ("A: Strep pharyngitis.\n"
            "P: Bicillin L-A 1,200,000 units (wt >= 27 kg). Prefilled 2 mL syringe; per RN "
            "the dose was split for volume: 1 mL IM R vastus lateralis and the remaining 1 mL "
            "IM L vastus lateralis, D. Pham RN.\n")
    got = _given(coder, text)
    assert [(a.drug.name, a.site.laterality) for a in got] == [
        ("penicillin g benzathine", "right"), ("penicillin g benzathine", "left")]
    order = ("A: Strep pharyngitis.\n"
             "P: Bicillin L-A 1,200,000 units (wt >= 27 kg). Prefilled 2 mL syringe, IM.\n")
    assert _given(coder, order) == []


def test_a_given_cue_that_leads_into_a_later_mention_is_that_mentions_own(coder):
    # "First dose given by me: enoxaparin ..." and "Given by J. Whitaker, FNP: ..." chart the
    # mention they open, not the regimen line or the history sentence above them
    text = ("Anticoagulation visit.\nFondaparinux dose: 7.5 mg SC every 24 hours.\n"
            "Teaching done with teach-back.\nFirst dose given by me: fondaparinux 7.5 mg SC "
            "R lower abdomen, 11:05.")
    got = _given(coder, text)
    assert [(a.drug.evidence.start, a.site.laterality) for a in got] == [
        (text.rindex("fondaparinux"), "right")]
    dated = ("Depo-SubQ Provera 104, dose #2. Dose #1 given here 1/6/2026 (R abdomen). Today = "
             "12 wk.\nGiven by K. Osei, RN: medroxyprogesterone acetate 104 mg/0.65 mL SC L upper "
             "thigh, lot DP118.")
    assert [(a.dose.value, a.site.laterality) for a in _given(coder, dated, date(2026, 3, 31))] == [
        (104, "left")]


def test_a_given_verb_whose_object_is_the_next_drug_is_not_the_earlier_drugs(coder):
    text = ("Plan: so that the methotrexate and Humira can catch up, he received Kenalog "
            "eighty milligrams intramuscularly in the left upper outer buttock at 09:40.")
    assert _status_list(coder, text) == [("triamcinolone acetonide", S.GIVEN)]


def test_an_earlier_day_before_the_drug_dates_it_across_semicolon_clauses(coder):
    text = ("Mercy ED last night (04/30/2026): wheeze and stridor; got dexamethasone 10 mg IM "
            "there and a neb. Today: better.")
    assert _status_list(coder, text) == [("dexamethasone", S.HISTORICAL)]
    since = "Barky cough since last night; dexamethasone 10 mg IM R thigh, 10:20."
    assert _status_list(coder, since) == [("dexamethasone", S.GIVEN)]


def test_a_date_led_by_on_before_the_drug_in_its_sentence_dates_that_dose(coder):
    text = ("Letter to Dr. Ruiz.\nWhen I saw him on March 3 I injected his right knee with "
            "Kenalog 40 mg. Today he had IM Depo-Medrol 80 mg R gluteal, given by our nurse.")
    assert _statuses(coder, text) == {"triamcinolone acetonide": S.HISTORICAL,
                                      "methylprednisolone acetate": S.GIVEN}


def test_a_spaced_mar_row_whose_status_cell_says_ordered_is_not_given(coder):
    text = ("MEDICATION ADMINISTRATION RECORD\n"
            "Medication               Dose     Route   Status           Time      By\n"
            "ceftriaxone inj          500 mg   IM      Pending 10:02    ______    ___\n"
            "ibuprofen susp           200 mg   PO      Given 09:58      09:58     JT\n")
    assert _status_list(coder, text) == [("ceftriaxone", S.ORDERED), ("ibuprofen", S.GIVEN)]
    lab = ("Testosterone cypionate 200 mg IM R gluteal, 08:50, by N. Petrov, LPN.\n\n"
           "Order                                   Status\n"
           "Testosterone total, Hct (3 months)      Ordered (future)\n")
    assert _status_list(coder, lab) == [("testosterone cypionate", S.GIVEN)]


def test_given_meaning_considering_before_a_reason_noun_is_no_dose_given(coder):
    text = ("A/P: B12 deficiency with neuropathy. Parenteral rather than oral replacement given "
            "neuro findings: cyanocobalamin 1,000 mcg IM, then weekly.\n"
            "Orders: cyanocobalamin injection 1,000 mcg IM once     Status: Ordered")
    assert _statuses(coder, text) == {"cyanocobalamin": S.ORDERED}
    given = ("Cyanocobalamin 1,000 mcg given IM for neuro symptoms, L deltoid, 10:05.")
    assert _statuses(coder, given) == {"cyanocobalamin": S.GIVEN}


def test_an_entered_in_error_strike_ends_its_own_row_however_long(coder):
    text = ("Medications administered this visit:\n"
            "  ceftriaxone 1 g IM L gluteal 09:12 (J. Bell, MA)   ** ENTERED IN ERROR 09:30 - "
            "wrong patient, re-charted in the right chart **\n")
    assert _status_list(coder, text) == [("ceftriaxone", S.NOT_GIVEN)]
    removed = ("MAR: [14:05 ceftriaxone 1 g IM L gluteal - REMOVED 14:20 by S. Ito, MA: "
               "\"documented before administration in error\"]")
    assert _status_list(coder, removed) == [("ceftriaxone", S.NOT_GIVEN)]
    value = ("Ketorolac 60 mg IM R gluteal 10:40 (K. Ames, MA) - route first charted as IV, "
             "route entered in error, corrected to IM.")
    assert _status_list(coder, value) == [("ketorolac", S.GIVEN)]


def test_a_visit_reason_beside_a_regimen_that_the_note_then_holds_is_not_given(coder):
    due = ("On B12 1000 mcg IM monthly; due today: cyanocobalamin 1000 mcg IM.\n"
           "B12 level 2100 - cyanocobalamin held today per Dr. Ruiz.")
    assert _status_list(coder, due) == [("cyanocobalamin", S.NOT_GIVEN)]


def test_a_bare_form_mention_of_a_held_dose_is_that_held_dose(coder):
    text = ("Order: medroxyprogesterone acetate 150 mg IM q12 wk per standing order.\n"
            "Late window, positive home pregnancy test: Depo NOT given today.\n"
            "Dose due today:\n  [ ] Given   [x] Held - reason: positive HPT\n"
            "Drug: Depo-Provera 150 mg/mL    Route: IM    Site: n/a    Lot: n/a\n")
    assert _status_list(coder, text) == [("medroxyprogesterone acetate", S.NOT_GIVEN)]
    later = ("Depo held 03/02 for a positive HPT.\n"
             "Today: Depo-Provera 150 mg IM R deltoid, lot D1234, 09:40.")
    assert _statuses(coder, later) == {"medroxyprogesterone acetate": S.GIVEN}


def test_a_pharmacy_pickup_log_of_numbered_prescriptions_is_no_administration(coder):
    text = ("PICKUP LOG  04/13/2026 17:48  STORE 221\n"
            "Rx# 3390012  DEPO-SUBQ PROVERA 104MG/0.65ML PFS  QTY 1   SIG: INJECT 104MG SC "
            "Q12-14WK\n"
            "Rx# 7711302  ENOXAPARIN 40MG/0.4ML SYR  QTY 10  SIG: INJECT 40MG SUBCUTANEOUSLY "
            "DAILY\n")
    assert S.GIVEN not in {st for _, st, _ in _admins(coder, text)}
    assert _admins(coder, text)


def test_a_staff_statement_that_they_did_not_administer_withdraws_the_dose(coder):
    text = ("Rx: Depo-SubQ Provera 104 mg/0.65 mL SC q12-14wk, dispensed today, lot DS7741.\n"
            "Teaching: pt self-injected today's dose from her own syringe, L anterior thigh, "
            "under my observation. I did not administer.")
    assert S.GIVEN not in {st for _, st, _ in _admins(coder, text)}
    given = ("Depo-SubQ Provera 104 mg/0.65 mL SC L anterior thigh, lot DS7741, given by me "
             "10:05. We did not give the flu shot (declined).")
    assert _statuses(coder, given)["medroxyprogesterone acetate"] is S.GIVEN


def test_a_forms_dose_field_below_a_field_that_ends_the_drugs_section_is_its_dose(coder):
    text = ("Medication: Depo-Provera CI 150 mg/mL\n"
            "Indication: Z30.42 - surveillance of injectable contraceptive\n"
            "Dose: 150 mg    Route: IM    Site: R deltoid    Time: 10:40\n")
    assert _doses(coder, text) == [
        ("medroxyprogesterone acetate", S.GIVEN, (Decimal("150"), "mg"))]
    # only a dose field is the form's dose: a prior dose further down is not today's
    prior = ("Medication: Depo-Provera CI 150 mg/mL\n"
             "Indication: contraception\n"
             "Route: IM    Site: R deltoid    Time: 10:40    Last dose: 104 mg 01/21\n")
    assert _doses(coder, prior)[0][2] is None


def test_c_bar_lidocaine_is_the_diluent_not_a_drug_that_ends_the_dose(coder):
    text = ("P: Ceftriaxone (Rocephin) 1 gm IM, reconstituted c\u0304 2.1 mL 1% lidocaine "
            "\u2192 L VG, 11:30 (RN J. Park).\n")
    (a,) = _given(coder, text)
    assert (a.drug.name, a.site.location) == ("ceftriaxone", "ventrogluteal")


def test_a_regimen_dose_charted_with_its_site_and_clock_time_is_given(coder):
    text = ("Haloperidol decanoate, her usual monthly depot, 100 mg IM to the R deltoid at "
            "10:38 (Z-track, 21 g). Tolerated without complaint.")
    assert _statuses(coder, text) == {"haloperidol decanoate": S.GIVEN}
    # the time of an earlier dose does not chart today's
    listed = "Meds: haloperidol decanoate 100 mg IM monthly, R deltoid, last 10:38 on 3/2."
    assert _statuses(coder, listed)["haloperidol decanoate"] is not S.GIVEN


def test_an_unchecked_dose_option_is_no_dose(coder):
    text = ("MEDS GIVEN IN CLINIC\n"
            "  Drug: [x] Ceftriaxone   Dose: [ ] 250 mg  [ ] 500 mg  [x] 1 g\n"
            "  Route: [x] IM    Site: L VG    Time: 23:48    By: J. Pratt, RN\n")
    assert _doses(coder, text) == [("ceftriaxone", S.GIVEN, (Decimal("1"), "g"))]


def test_an_allergy_shot_log_row_named_by_its_allergens_is_allergen_extract(coder):
    """CODE-07/CODE-08: a shot log names what each vial holds, not a drug; each allergen row
    with its volume is one injection, and two vials are 95117. A diagnosis naming the same
    allergen is no injection, nor is an allergen outside an allergy-shot note."""
    text = ("alergy inj record 04/02/26   MD on site\n"
            "Dx: allergic rhinitis due to pollen (J30.1)\n"
            "  Mold mix 1:1     0.35 mls subq L arm 0915\n"
            "  Cat/dog 1:1      0.35mls subcu R arm 0916\n"
            "30 min wait, no rxn\n")
    given = _vials(coder, text, date(2026, 4, 2))
    assert [(a.drug.evidence.text, a.site.laterality) for a in given] == [
        ("Mold mix", "left"), ("Cat/dog", "right")]
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "95117" in {ln.code for ln in result.lines}
    # the vial on its own line, the dose in the form's field under it
    form = ("ALLERGY INJECTION RECORD\nVial: Maintenance - Grass/weed mix 1:1 v/v  Exp 09/2026\n"
            "Dose: 0.45 mL   Route: SC   Site: R posterior upper arm   Time: 14:05\n")
    assert _doses(coder, form) == [("allergen extract", S.GIVEN, (Decimal("0.45"), "mL"))]
    bite = "Cat bite to the hand yesterday. Tetanus UTD. Irrigated with 200 mL saline."
    assert "allergen extract" not in {n for n, _, _ in _admins(coder, bite)}


def test_both_given_counts_the_rows_charted_above_it(coder):
    """Status: "Both given SC" after two rows of one drug gives both, with the route."""
    text = ("ALLERGY INJECTION FLOWSHEET\n"
            "Vial\tContents\tVolume\tSite\tTime\n"
            "1\tRagweed\t0.20 mL\tR arm\t11:40\n"
            "2\tDust mite\t0.20 mL\tL arm\t11:41\n"
            "Both given SC by the RN; observed 30 min.\n")
    given = _vials(coder, text)
    assert [(a.site.laterality, a.route.value.value) for a in given] == [
        ("right", "SC"), ("left", "SC")]


def test_when_the_next_dose_is_due_is_a_planned_administration(coder):
    """Status: "Next injection due <date>" without the drug's name plans the next dose of the
    drug charted today (given or held); its drug evidence is that drug's own mention."""
    text = ("Medroxyprogesterone 150 mg IM R deltoid given 09:10 by RN.\n"
            "Nxt inj due 08/04/2026 - 08/18/2026; card given.\n")
    got = _status_list(coder, text)
    assert got == [("medroxyprogesterone acetate", S.GIVEN),
                   ("medroxyprogesterone acetate", S.PLANNED)]
    planned = _admins(coder, text)[1][2]
    assert planned.drug.evidence.text == "Medroxyprogesterone"
    assert planned.status_evidence.text.startswith("Nxt inj due 08/04")
    held = "Testosterone cypionate 100 mg IM held today: Hct 55.2%. Next: in 2 weeks after labs."
    assert (_status_list(coder, held)[-1]) == ("testosterone cypionate", S.PLANNED)
    # a follow-up visit is not a dose, and a drug named in the statement is its own
    visit = "Cyanocobalamin 1000 mcg IM L deltoid given. Next visit 3 months for A1c."
    assert S.PLANNED not in {s for _, s in _status_list(coder, visit)}


def test_a_vial_the_patient_brought_is_given_here_and_patient_supplied(coder):
    """Status and DRUG-01: "brought her own ... vial" says who supplied the dose, not that she
    took it at home; the nurse's drugless "Gave 150 mg IM" charts it. Injecting it herself
    under observation stays hers."""
    text = ("Pt brought her own Depo-SubQ Provera 104 vial from the pharmacy today.\n"
            "Gave 104 mg SC L anterior thigh @ 2:10 pm, tolerated.\n")
    (a,) = _given(coder, text)
    assert a.drug.name == "medroxyprogesterone acetate"
    assert a.supplied_by_patient is not None
    herself = ("Pt brought her own Ozempic pen. Taught dose selection; she dialed 0.25 mg and "
               "self-injected SQ into the L lower abdomen under observation.")
    assert not _given(coder, herself)


def test_a_brought_vial_drawn_up_then_given_by_route_is_that_dose(coder):
    """Status and DRUG-01: the vial the patient brought, its standing order (dated, so read as
    history), then "Drew up 0.4 mL = 80 mg. Given IM L vastus lateralis": the drugless given
    line charts the brought drug, with the line's dose, route and site."""
    text = ("Pt brought his own vial from home: testosterone cypionate 200 mg/mL, 10 mL MDV.\n"
            "Order (Dr. B 03/2026): testosterone cypionate 80 mg IM every 14 days.\n"
            "Drew up 0.4 mL = 80 mg. Given IM L vastus lateralis at 10:26.\n")
    (a,) = _given(coder, text, date(2026, 5, 12))
    assert (a.drug.name, a.dose.value, a.dose.unit.value, a.route.value.value) == (
        "testosterone cypionate", Decimal("80"), "mg", "IM")
    assert (a.site.laterality, a.site.location) == ("left", "vastus_lateralis")
    assert a.supplied_by_patient is not None
    # a vial brought for teaching, with no dose charted, is not given
    teach = ("Pt brought his own vial: testosterone cypionate 200 mg/mL. Reviewed drawing up; "
             "he will self-inject at home.\n")
    assert not _given(coder, teach)


def test_a_clinic_administered_regimen_is_no_dose_given(coder):
    """Status: "clinic-administered" describes how a regimen is given, not today's dose."""
    text = ("Reason: testosterone cypionate 100 mg IM weekly, clinic-administered per order.\n"
            "Hct 56%: testosterone HELD today per protocol, not given.\n")
    assert S.GIVEN not in {s for _, s in _status_list(coder, text)}


def test_a_combined_discharge_medications_header_opens_a_medication_list(coder):
    """Medication lists: "DISCHARGE MEDICATIONS / INSTRUCTIONS" heads a list of what to take
    at home, so an EpiPen prescribed with how to use it is not given here."""
    text = ("In-clinic: Solu-Medrol 125 mg IM L gluteal 19:40.\n"
            "DISCHARGE MEDICATIONS / INSTRUCTIONS\n"
            "  - EpiPen 0.3 mg 2-pack: inject into outer thigh if throat swelling, call 911\n")
    assert [a.drug.name for a in _given(coder, text)] == ["methylprednisolone sodium succinate"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("She remains on Humira 40 mg subcutaneous every other week.\n",
                     id="remains-on"),
        pytest.param("Humira 40 mg SC every other week, which she gives herself at home.\n",
                     id="gives-herself"),
        pytest.param("Humira 40 mg SC biweekly per rheumatology.\n", id="biweekly"),
        pytest.param("Humira 40 mg SC every fourteen days per rheumatology.\n", id="spelled"),
    ],
)
def test_a_drug_on_a_schedule_the_patient_keeps_is_not_given_today(coder, text):
    assert _status_list(coder, text) == [("adalimumab", S.HISTORICAL)]


def test_a_schedule_after_todays_charted_dose_leaves_it_given(coder):
    text = "Testosterone cypionate 200 mg IM R glute given today, continue every two weeks.\n"
    assert _status_list(coder, text) == [("testosterone cypionate", S.GIVEN)]


# --- session 53 ---------------------------------------------------------------------------------

MAR_GRID = (
    "Order: Testosterone cypionate 200 mg/mL - inject 200 mg (1 mL) IM every 14 days (Tue).\n"
    "  DATE     TIME   DOSE      SITE      INIT   COMMENT\n"
    "  08/25    1005   200 mg    L VG      BS     -\n"
    "  09/08    0950   200 mg    R VG      BS     -\n"
    "  09/22    1000   {today}    L VG      TW     Tolerated.\n"
    "Signatures: BS = B. Sandoval, LPN   TW = T. Wynn, RN\n"
)


def test_space_aligned_log_under_an_order_charts_todays_row(coder):
    """A MAR grid of spaced columns under the order: the row dated today is the dose."""
    given = _given(coder, MAR_GRID.format(today="200 mg"), dos=date(2026, 9, 22))
    assert len(given) == 1
    assert given[0].dose.value == Decimal("200") and given[0].dose.unit.value == "mg"
    assert given[0].site.laterality == "left" and given[0].site.location == "ventrogluteal"
    # no row for the date of service: every row is an earlier dose
    later = _statuses(coder, MAR_GRID.format(today="200 mg"), dos=date(2026, 10, 6))
    assert S.GIVEN not in later
    # today's row refused
    refused = _statuses(coder, MAR_GRID.format(today="REFUSED"), dos=date(2026, 9, 22))
    assert S.GIVEN not in refused


def test_spaced_log_volume_row_takes_the_vial_strength(coder):
    text = ("Order: testosterone cypionate 140 mg IM every 14 days\n"
            "Vial: testosterone cypionate 200 mg/mL, 10 mL multi-dose (lot TC90417)\n\n"
            "Date        Vol       Route   Site                Init   Status\n"
            "08/25/2026  0.7 mL    IM      L vastus lateralis  JW     Given\n"
            "09/08/2026  0.7 mL    IM      R vastus lateralis  JW     Given\n")
    given = _given(coder, text, dos=date(2026, 9, 8))
    assert [(g.dose.value, g.dose.unit.value) for g in given] == [(Decimal("140"), "mg")]
    assert given[0].site.laterality == "right"


def test_spaced_header_must_name_a_date_column(coder):
    """Spaced columns without a date column are no log: the order stays an order."""
    text = ("Order: testosterone cypionate 200 mg IM every 14 days\n"
            "  WHEN     TIME   DOSE      SITE\n"
            "  today    1005   200 mg    L VG\n")
    assert S.GIVEN not in _statuses(coder, text, dos=date(2026, 9, 22))


def test_activity_hold_in_a_later_plan_item_does_not_negate_the_shot(coder):
    text = ("A: Cellulitis L forearm (L03.114).\nP:\n"
            "1. Rocephin 1 gm IM R ventrogluteal 11:20 by S. Yoon, RN. Observed 20 min.\n"
            "2. Doxycycline 100 mg bid x 10 d - eRx.\n"
            "3. {line}\n")
    held = _admins(coder, text.format(line="Held from mat: no wrestling until 72 h of abx."))
    assert [st for name, st, _ in held if name == "ceftriaxone"] == [S.GIVEN]
    # a hold in the drug's own item still negates it
    own = ("P:\n1. Rocephin 1 gm IM ordered. Held - pt febrile to 104, sent to ED.\n"
           "2. Doxycycline 100 mg bid x 10 d - eRx.\n")
    assert [st for name, st, _ in _admins(coder, own) if name == "ceftriaxone"] == [S.NOT_GIVEN]


def test_po_challenge_is_not_the_drugs_route(coder):
    text = ("P: promethazine 25 mg now, then PO challenge.\n\n"
            "MEDICATION ADMINISTRATION FORM\nMedication: promethazine HCl 25 mg/mL\n"
            "Dose: 25 mg\nRoute:  [X] IM    [ ] SQ    [ ] PO\nSite: R gluteal\n"
            "Administered by: R. Singh, LPN 09:35\n")
    given = _given(coder, text)
    assert [g.route.value.value for g in given] == ["IM"]
    oral = _given(coder, "Ondansetron 4 mg PO given 09:40 by RN, tolerated.")
    assert [g.route.value.value for g in oral] == ["ORAL"]


def test_nursing_header_with_who_and_time_opens_a_section(coder):
    from extractor.components.sections import section_at
    text = ("P: Ceftriaxone 50 mg/kg IM = 490 mg.\n\nNursing (A. Brandt, RN) 10:50\n"
            "Ceftriaxone 490 mg IM R vastus lateralis.\n")
    doc = coder.extractor.nlp(text)
    assert section_at(doc, text.rindex("Ceftriaxone")) == "procedure"
    assert section_at(doc, text.index("Ceftriaxone")) == "plan"


@pytest.mark.parametrize("lead", [
    "Bicillin L-A stocked as 1,200,000 units/2 mL PFS -> 2 syringes:",
    "Bicillin L-A 2.4 million units IM given today as two prefilled syringes:",
])
def test_two_syringe_lead_splits_the_dose(coder, lead):
    text = ("Early latent syphilis (A51.5). Order (on site): penicillin G benzathine 2.4 million "
            f"units IM x1.\n{lead}\n"
            "   #1 1.2 million units IM R dorsogluteal 15:10\n"
            "   #2 1.2 million units IM L dorsogluteal 15:12\nObserved 30 min. H. Vo, RN\n")
    given = _given(coder, text)
    assert sorted(g.site.laterality for g in given) == ["left", "right"]
    assert {g.dose.value for g in given} == {Decimal("1200000")}


def test_one_syringe_is_not_a_split(coder):
    text = ("Early latent syphilis (A51.5). Bicillin L-A 2.4 million units/4 mL IM given today as "
            "one prefilled syringe, R dorsogluteal 15:10. H. Vo, RN\n")
    assert len(_given(coder, text)) == 1


def test_spaced_log_that_names_its_drugs_is_read_row_by_row(coder):
    """A MAR whose rows name their own drugs is no titled log: the order's dose and site are not
    taken from another drug's row."""
    text = ("Orders (S. Vanterpool, MD): haloperidol decanoate 150 mg IM q4wk, deep gluteal\n"
            "                            benztropine 1 mg IM x1 PRN acute dystonia\n"
            "Date      Time   Medication / conc              Dose    Rte  Site     Init\n"
            "03/02/26  09:15  haloperidol dec 100 mg/mL      150 mg  IM   L glut   JM\n"
            "03/02/26  --     benztropine 1 mg/mL            --      --   --       JM    PRN not "
            "needed\n")
    given = _given(coder, text, dos=date(2026, 3, 2))
    assert [g.drug.name for g in given] == ["haloperidol decanoate"]


def test_a_list_of_doses_after_the_vis_heading_is_given(coder):
    # "after VIS:" ends its line: the list below it is the doses, not the sheets' editions
    text = ("Plan: Tdap and MenACWY due. MA gives vaccines by standing order after VIS:\n"
            "  Boostrix 0.5 mL IM left deltoid 10:20\n"
            "  MenQuadfi 0.5 mL IM right deltoid 10:21\n")
    assert {a.drug.name for a in _given(coder, text)} == {
        "tdap vaccine", "meningococcal acwy vaccine"}
    # a VIS named on its own line is the information sheet, not a dose
    sheet = "Shingrix 0.5 mL IM L deltoid given. VIS: Tdap 4/2/24 reviewed.\n"
    assert [a.drug.name for a in _given(coder, sheet)] == ["zoster vaccine"]


def test_not_yet_given_is_a_pending_dose(coder):
    # "not yet given" is still due: no dose today (and a later charted dose is that one)
    text = "Immunizations: behind - MMR #1 not yet given (missed 12 mo visit)."
    assert _statuses(coder, text)["mmr vaccine"] is S.ORDERED
    assert _statuses(coder, "Immunizations: MMR #1 given today, R thigh SC.")[
        "mmr vaccine"] is S.GIVEN


def test_a_weight_based_dose_is_checked_not_read_over_the_volume_drawn(coder):
    # "(50 mg/kg)" checks the dose; the volume drawn of the written strength is the dose
    text = "Ceftriaxone 1.4 mL of 350 mg/mL IM R thigh given (50 mg/kg)."
    assert _doses(coder, text) == [("ceftriaxone", S.GIVEN, (Decimal(490), "mg"))]
    # with no volume, the weight-based dose still needs the note's one weight
    assert _doses(coder, "Wt 9.8 kg. Ceftriaxone 50 mg/kg IM R thigh given.") == [
        ("ceftriaxone", S.GIVEN, (Decimal(490), "mg"))]
    assert _doses(coder, "Ceftriaxone 50 mg/kg IM R thigh given.") == [
        ("ceftriaxone", S.GIVEN, None)]


def test_a_spoken_product_suffix_keeps_its_initials(coder):
    text = ("Plan. By Sillin L. A. one point two million units intramuscular given in the right "
            "ventro gluteal.")
    assert [a.drug.name for a in _given(coder, text)] == ["penicillin g benzathine"]
    bare = "Plan. By Sillin one point two million units intramuscular given in the right gluteal."
    assert [a.drug.name for a in _given(coder, bare)] != ["penicillin g benzathine"]


def test_a_spaced_log_with_a_rule_under_its_header_gives_the_row_of_the_visit_date(coder):
    text = ("Order: Epogen SC weekly per CKD anemia protocol.\n"
            "Product: Epogen (epoetin alfa) 20,000 units/mL multidose vial. Volumes below are "
            "from this vial.\n\n"
            "Date        Hgb    Vol drawn   Route  Site          Init\n"
            "----------  -----  ----------  -----  ------------  ----\n"
            "06/30/2026  9.4    0.3 mL      SC     L abdomen     GH\n"
            "07/07/2026  9.6    0.35 mL     SC     R abdomen     GH\n")
    (given,) = _given(coder, text, dos=date(2026, 7, 7))
    assert (given.dose.value, given.dose.unit.value) == (Decimal(7000), "units")
    assert given.site.laterality == "right"
    assert _given(coder, text, dos=date(2026, 7, 14)) == []


def test_mircera_glossed_as_peg_epoetin_beta_is_not_epoetin_alfa(coder):
    text = "Mircera (methoxy PEG-epoetin beta) 75 mcg SC L upper arm given by RN."
    assert [a.drug.name for a in _given(coder, text)] == [
        "methoxy polyethylene glycol-epoetin beta"]


def test_a_bare_depo_in_a_contraception_visit_is_depo_provera(coder):
    text = ("RN visit. Dx: contraceptive counseling (Z30.09). Last Depo 06/30/26 elsewhere.\n"
            "Depo 150 mg IM given R deltoid.")
    assert [a.drug.name for a in _given(coder, text)] == ["medroxyprogesterone acetate"]
    # with no word of contraception the bare "Depo" is not guessed
    assert _given(coder, "RN visit. Depo 150 mg IM given R deltoid.") == []
    # a Depo drug named in full wins over the visit's reason
    named = ("Dx: contraceptive counseling (Z30.09). Knee OA: Depo-Medrol 40 mg IM given R "
             "deltoid. Depo shot tolerated.")
    assert {a.drug.name for a in _given(coder, named)} == {"methylprednisolone acetate"}


def test_in_the_muscle_is_intramuscular(coder):
    text = "Plan we gave Toradol 60 milligrams in the muscle right gluteus, tolerated."
    (given,) = _given(coder, text)
    assert given.route.value.value == "IM"


def test_a_skin_tests_reading_date_is_not_the_dose_date(coder):
    text = ("Given today:\n"
            "  Tubersol 5 TU/0.1 mL intradermal L volar forearm 10:09 - read 03/14 or 03/15\n")
    assert _statuses(coder, text, dos=date(2026, 3, 12))[
        "tuberculin purified protein derivative"] is S.GIVEN
    planned = "Tubersol intradermal L volar forearm on 03/14 per school form."
    assert _statuses(coder, planned, dos=date(2026, 3, 12))[
        "tuberculin purified protein derivative"] is S.PLANNED


def _sentence_starts(coder, text):
    """The first word of each sentence the pipeline marks."""
    return [s.text.split()[0] for s in coder.extractor.nlp(text).sents if s.text.strip()]


def test_an_indented_line_starts_a_sentence_in_a_print_out_indented_throughout(coder):
    text = (" CLINIC VISIT 04/02/2026\n"
            " Allergies: [X] NKDA\n"
            " Tetanus: Tdap 08/2017\n"
            " HPI: chills last night, leg redness\n")
    assert _sentence_starts(coder, text)[-3:] == ["Allergies:", "Tetanus:", "HPI:"]


def test_an_indented_line_after_a_full_stop_starts_a_sentence(coder):
    text = "Monitored 15 min.\n   Stop the films tomorrow\n"
    assert _sentence_starts(coder, text) == ["Monitored", "Stop"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Given:\n  Tubersol 0.1 mL ID L forearm\n  Depo-Provera 150 mg IM\n",
                     id="list-under-a-colon-heading"),
        pytest.param("Meds given\n  lanreotide 120 mg/0.5 mL syringe\n     120 mg, deep SC\n",
                     id="detail-line-under-its-item"),
        pytest.param("Series: Bicillin L-A 2.4 MU IM weekly x 3\n  #1 03/05 R VG given here\n",
                     id="series-row-under-its-regimen"),
    ],
)
def test_an_indented_line_goes_on_from_the_line_it_continues(coder, text):
    assert len(_sentence_starts(coder, text)) == 1


def test_a_dose_in_a_print_out_indented_throughout_keeps_its_own_line(coder):
    text = (" FAMILY HEALTH CENTER - VISIT 04/02/2026\n"
            " Allergies: [X] NKDA  [ ] Other\n"
            " Tdap: 08/2017\n"
            " HPI: R leg redness x 2 days, chills last night.\n"
            " A: cellulitis R lower leg (L03.115)\n"
            " Tx: ceftriaxone 1 g IM L ventrogluteal 10:40, K. Diaz RN, tolerated\n")
    (adm,) = _given(coder, text)
    assert adm.drug.name == "ceftriaxone"
    assert adm.status_evidence is not None and "chills" not in adm.status_evidence.text


def test_a_blocks_detail_lines_past_the_first_are_its_drugs(coder):
    text = ("P: Bicillin L-A 2.4 million units IM once.\n"
            "   MED ADMIN\n"
            "   Drug: Bicillin L-A 1,200,000 units/2 mL prefilled syringe x 2\n"
            "   NDC: 60793-0701-10   Lot: BL58812   Exp: 11/2027\n"
            "   Inj #1: 1.2 MU  Route: IM  Site: [x] R dorsogluteal  [ ] L dorsogluteal\n"
            "   Inj #2: 1.2 MU  Route: IM  Site: [ ] R dorsogluteal  [x] L dorsogluteal\n"
            "   Given by: D. Farris, LPN  09:55-09:57.\n")
    given = _given(coder, text)
    assert [(a.site.laterality, a.site.location) for a in given] == [
        ("right", "gluteal"), ("left", "gluteal")]


def test_a_mar_rows_not_given_action_holds_its_drug(coder):
    text = ("Medication Administration\n"
            "  cetirizine 10 mg tablet - Action: Given - Route: Oral - 13:12 - C. May, RN\n"
            "  EPINEPHrine 1 mg/mL injection 0.3 mg IM - PRN wheeze - Action: Not Given "
            "(not needed)\n")
    assert _statuses(coder, text)["epinephrine"] is S.NOT_GIVEN


def test_a_blank_reason_not_given_field_does_not_hold_the_dose(coder):
    text = ("Medication Administration\n"
            "  cetirizine 10 mg tablet - Action: Given - 13:12 - C. May, RN\n"
            "  ketorolac 30 mg IM L VG - Action: Given 13:15 - Reason not given: ____\n")
    assert _statuses(coder, text)["ketorolac"] is S.GIVEN


def test_a_spaced_mar_rows_blank_given_cell_is_an_order_never_charted(coder):
    text = ("MAR 04/21/2026\n"
            "  Medication                                Sched   Given   Init   Site\n"
            "  medroxyprogesterone acetate 150 mg IM x1   0900    _____   ____   ____\n")
    assert _status_list(coder, text, date(2026, 4, 21)) == [
        ("medroxyprogesterone acetate", S.ORDERED)]


def test_a_spaced_mar_rows_charted_given_cell_is_given(coder):
    text = ("MAR 04/21/2026\n"
            "  Medication                                Sched   Given   Init   Site\n"
            "  medroxyprogesterone acetate 150 mg IM x1   0900    0905    KD     R delt\n")
    assert _statuses(coder, text, date(2026, 4, 21))[
        "medroxyprogesterone acetate"] is not S.ORDERED


def test_a_spoken_name_with_a_w_after_its_vowel_is_heard(coder):
    text = ("Plan row gam three hundred micrograms I am in the right deltoid given today by "
            "Nurse Alvarez at 2:15 PM period")
    (adm,) = _given(coder, text)
    assert adm.drug.name == "rho(d) immune globulin"
    assert (adm.dose.value, adm.dose.unit.value) == (300, "mcg")


def test_a_dose_given_elsewhere_at_a_clock_time_yesterday_is_history(coder):
    text = ("Here for her second dose of steroids. First dose Celestone 12 mg IM was given there "
            "at 10:15 yesterday (discharge letter in chart).\n"
            "Celestone Soluspan 12 mg IM given L upper outer quadrant of buttock at 10:20.\n")
    assert _status_list(coder, text) == [
        ("betamethasone sodium phosphate and betamethasone acetate", S.HISTORICAL),
        ("betamethasone sodium phosphate and betamethasone acetate", S.GIVEN)]


def test_pain_since_yesterday_after_a_clock_time_still_dates_the_pain(coder):
    text = "Toradol 60 mg IM R glute given at 10:15 for pain since yesterday.\n"
    assert _status_list(coder, text) == [("ketorolac", S.GIVEN)]


@pytest.mark.parametrize(("text", "route"), [
    pytest.param("b12 inj per standing order, im l deltoid, 1820. lot cb5510. no rxn.", "IM",
                 id="im-then-side-and-site"),
    pytest.param("b12 inj given sq rt abd 0930, tol well", "SC", id="sq-then-side-and-site"),
])
def test_a_lower_case_route_before_a_side_and_site_is_a_route(coder, text, route):
    (adm,) = _given(coder, text)
    assert adm.route is not None and adm.route.value.value == route


def test_a_lower_case_im_as_a_word_is_no_route(coder):
    text = "b12 1000 mcg given, im not sure which arm she prefers. L deltoid sore last time."
    (adm,) = _given(coder, text)
    assert adm.route is None


def test_hld_dec_is_haloperidol_decanoate(coder):
    text = "0955 | HLD dec 100 mg/mL - 1.5 mL (150 mg) IM L DG, Z-track. Lot HD3321.\n"
    (adm,) = _given(coder, text)
    assert adm.drug.name == "haloperidol decanoate"


def test_a_lower_case_tee_is_no_procedure(coder):
    spoken = coder.extractor.extract(
        "we gave tore a doll 60 milligrams in the muscle right glue tee us", date(2026, 5, 1))
    echo = coder.extractor.extract(
        "TEE performed under moderate sedation; no thrombus.", date(2026, 5, 1))
    assert spoken.procedures == () and echo.procedures != ()


@pytest.mark.parametrize("text", [
    pytest.param("cyanocobalamin 1000mcg's im/sq L delt, pt tolerated", id="after-a-unit-typo"),
    pytest.param("b12 1000 mcg im/sq L delt, pt tolerated", id="after-a-dose"),
])
def test_a_lower_case_route_pair_is_a_route_conflict(coder, text):
    (adm,) = _given(coder, text)
    assert adm.route is not None and adm.route.value is Route.IM
    assert adm.route.conflicts == (Route.SC,)


_DAY_FIRST_CARD = (
    "Regimen: Bicillin L-A 2.4 million units IM weekly x 3\n"
    "Wk | Date       | Product / dose               | Route | Site     | Given by\n"
    "1  | 05/06/2026 | Bicillin L-A 2.4 million units | IM  | R glut   | P. Osei RN\n"
    "2  | 12/06/2026 |                              |       |          |\n"
    "3  | 19/06/2026 |                              |       |          |\n")


def test_a_table_in_a_note_that_writes_dates_day_first_reads_them_so(coder):
    # "19/06/2026" puts the day first, so the first row's "05/06/2026" is the 5th of June
    (adm,) = _given(coder, _DAY_FIRST_CARD, date(2026, 6, 5))
    assert adm.site is not None and adm.site.laterality == "right"


def test_nothing_given_today_is_no_given_cue(coder):
    text = ("Video visit. Plan: nurse visit 05/20/2026 for Twinrix #1 and Ixiaro #1.\n"
            "Nothing given today (video).\n")
    assert not _given(coder, text)


def test_a_refusal_written_in_a_tables_by_column_holds_the_row(coder):
    text = ("Date       | Vaccine          | Dose   | Route | Site      | By\n"
            "05/01/2026 | Typhim Vi        | 0.5 mL | IM    | R deltoid | K. Lum RN\n"
            "05/01/2026 | Imovax Rabies    | --     | --    | --        | DECLINED - cost\n")
    statuses = _statuses(coder, text)
    assert statuses["typhoid vi polysaccharide vaccine"] is S.GIVEN
    assert statuses["rabies vaccine"] is S.NOT_GIVEN


def test_a_dose_treated_there_is_the_other_places(coder):
    text = ("Seen at urgent care 04/28 with dysuria and discharge; treated there with ceftriaxone "
            "500 mg IM. Here today for results. GC NAAT positive.\n")
    assert _statuses(coder, text)["ceftriaxone"] is S.HISTORICAL


def test_a_current_medication_list_header_with_a_note_holds_its_entries(coder):
    text = ("Current medication list (reviewed with pt):\n"
            "  - testosterone cypionate 200 mg/mL - 150 mg IM every 2 weeks (given in clinic)\n"
            "  - enoxaparin 40 mg SC daily - COMPLETED 03/2026, not taking\n"
            "\n"
            "Administered: testosterone cypionate 150 mg IM L ventrogluteal at 11:12.\n")
    assert [a.drug.name for a in _given(coder, text)] == ["testosterone cypionate"]


def test_a_vaccines_kind_in_parentheses_restates_the_product(coder):
    text = "Prevnar 20 (the pneumonia shot) 0.5 mL IM in his left arm (deltoid). 10:05 am\n"
    (adm,) = _given(coder, text)
    assert adm.drug.name == "pneumococcal conjugate vaccine 20-valent"


def test_a_relayed_verbal_order_is_an_order(coder):
    text = "Called Dr. Anand at 10:40. She said give Bicillin L-A 1.2 million units IM one time.\n"
    assert _statuses(coder, text)["penicillin g benzathine"] is S.ORDERED


def test_a_date_then_the_drug_it_dates_in_parentheses_is_that_days_dose(coder):
    text = ("Why: 2nd of 3 weekly shots. 1st shot was 04/24/2026 here (Bicillin L-A 2.4 million "
            "units, one shot each side).\n"
            "Today: Bicillin L-A 2.4 million units IM R ventrogluteal given 2:10 pm.\n")
    assert _status_list(coder, text) == [("penicillin g benzathine", S.HISTORICAL),
                                         ("penicillin g benzathine", S.GIVEN)]


def test_a_dose_divided_over_the_lines_below_is_two_injections(coder):
    text = ("Ceftriaxone 2 g IM today - volume too much for one site so divide:\n"
            "  1 g IM R upper outer buttock (RN Suda 09:40)\n"
            "  1 g IM L upper outer buttock (RN Suda 09:42)\n")
    given = _given(coder, text)
    assert [(a.dose.value, a.site.laterality) for a in given] == [
        (Decimal("1"), "right"), (Decimal("1"), "left")]


def test_rabies_vaccines_named_abroad_are_rabies_vaccine(coder):
    text = "Ixiaro 0.5ml and Rabipur 1ml given IM today, L and R deltoid respectively (15:20).\n"
    assert [(a.drug.name, a.site.laterality) for a in _given(coder, text)] == [
        ("japanese encephalitis vaccine", "left"), ("rabies vaccine", "right")]


def test_a_uk_registered_general_nurse_is_nursing_staff(coder):
    text = "Ceftriaxone 1g IMI given R upper outer quadrant buttock 10:31 by P. Rowe, RGN.\n"
    (adm,) = _given(coder, text)
    assert adm.administered_by is not None and adm.administered_by.credential == "RGN"


def test_a_done_that_ends_another_tasks_sentence_is_not_the_drugs(coder):
    text = ("Plan: haloperidol 2 mg IM L deltoid given by me at 14:40. Stop lorazepam. "
            "Call son re: hospice referral - done, meeting Friday.\n")
    assert [a.drug.name for a in _given(coder, text)] == ["haloperidol"]


@pytest.mark.parametrize(("text", "found"), [
    pytest.param("Mental status by video colon casually dressed, calm, affect mildly constricted.",
                 ["Mental status", "affect mildly constricted"], id="dictated-mse"),
    pytest.param("Mental status: alert, affect euthymic, thought process linear.",
                 ["Mental status", "affect euthymic"], id="typed-mse"),
    pytest.param("Her mental status has declined over the year per her son.", [],
                 id="history-of-decline"),
])
def test_a_psychiatrists_mental_status_is_an_exam(coder, text, found):
    assert [s.text for s in coder.extractor.extract(text, date(2026, 3, 5)).em.exam] == found


def test_brought_over_in_a_history_is_no_copied_forward_block(coder):
    text = ("History: pruned a hedge grown from cuttings she brought over; itchy rash next day.\n"
            "Depo-Medrol 80 mg IMI left gluteal, given by Dr Thornton. Obs 15 min, nil reaction.\n")
    (adm,) = _given(coder, text)
    assert adm.drug.name == "methylprednisolone acetate"


def test_a_dose_given_into_each_gluteal_is_split(coder):
    text = ("Inj. Ceftriaxone 1 gm IM, given as 500 mg (2 ml) into each gluteal - right and left - "
            "to reduce volume. Given by Sr. Cruz 11:05.\n")
    assert [(a.dose.value, a.site.laterality) for a in _given(coder, text)] == [
        (Decimal("0.5"), "right"), (Decimal("0.5"), "left")]


def test_a_not_administered_in_the_next_sentence_of_a_long_line_is_another_drugs(coder):
    text = ("TECHNIQUE: CT of the abdomen and pelvis was performed after 100 mL of intravenous "
            "Isovue-300 contrast administration.  Oral contrast was not administered.")
    assert _statuses(coder, text)["iopamidol"] is S.GIVEN


def test_a_maintenance_label_names_the_regimen_not_todays_dose(coder):
    text = ("Maintenance: Aristada 882 mg IM q6 weeks, gluteal.\n"
            "05/19/2026  Aristada 882 mg  IM  R gluteal  10:12  BO\n")
    given = _given(coder, text, date(2026, 5, 19))
    assert [(a.drug.name, a.site.laterality) for a in given] == [
        ("aripiprazole lauroxil", "right")]


def test_a_maintenance_dose_given_today_keeps_its_own_cue(coder):
    text = "Maintenance dose: Xolair 300 mg SC given L posterior arm 10:40 by me.\n"
    assert _statuses(coder, text)["omalizumab"] is S.GIVEN


def test_a_repeated_inj_before_the_next_drug_keeps_both_drugs(coder):
    text = "Tx: Inj Dexamethasone 8mg + Inj Phenergan 25mg IM stat, L and R deltoid resp.\n"
    assert [(a.drug.name, a.route.value.value, a.site.laterality)
            for a in _given(coder, text)] == [("dexamethasone", "IM", "left"),
                                               ("promethazine", "IM", "right")]


@pytest.mark.parametrize(("text", "status"), [
    pytest.param("Benzathine benzylpenicillin 2.4 MU (imported Lentocilin vials - licensed "
                 "product out of stock) IMI L buttock 11:02.\n", S.GIVEN, id="substitute"),
    pytest.param("Bicillin L-A 2.4 MU IM out of stock - pt to return Monday.\n",
                 S.NOT_GIVEN, id="drug-itself-out"),
])
def test_the_usual_product_out_of_stock_is_not_the_substitutes_status(coder, text, status):
    assert _statuses(coder, text)["penicillin g benzathine"] is status


@pytest.mark.parametrize(("line", "nurse_only"), [
    pytest.param("Seen by: Philippa Rowe, RGN, Sexual Health Nurse   Clinic doctor: Dr A. Menon "
                 "(in clinic)", True, id="rgn"),
    pytest.param("Seen by: K. Lee, RN and Dr. Patel", False, id="with-doctor"),
    pytest.param("Seen by: Dr. Anika Patel", False, id="doctor"),
])
def test_a_visit_seen_by_nursing_staff_is_no_practitioner_em(coder, line, nurse_only):
    text = (f"{line}\nSx: nil. No dysuria.\nO/E: NAD.\n"
            "Ceftriaxone 1g IMI given R upper outer quadrant buttock 10:31.\n"
            "Dx: Z20.2 contact with STI\n")
    assert bool(coder.extractor.extract(text, date(2026, 3, 4)).em.no_em) is nurse_only


def test_a_gave_after_a_comma_charts_the_vial_the_patient_brought(coder):
    text = ("Pt brought her own vial of cyanocobalamin 1000 mcg/mL from the pharmacy.\n"
            "Dx: B12 deficiency (E53.8), monthly shots.\n"
            "Drew up 1 mL (1000 mcg) from her vial, gave IM L deltoid 09:15.\n")
    (adm,) = _given(coder, text)
    assert (adm.drug.name, adm.route.value.value, adm.site.laterality) == (
        "cyanocobalamin", "IM", "left")
    assert adm.supplied_by_patient is not None


def test_an_insulin_syringe_is_a_device_not_a_drug(coder):
    text = ("Med: semaglutide (compounded, 2.5 mg/mL) - clinic stock vial\n"
            "Dose: 0.25 mg = 0.1 mL = 10 units on U-100 insulin syringe\n"
            "Route: SC     Site: L lower abdomen\nGiven by MA at 4:22 PM.\n")
    assert [a.drug.name for a in _given(coder, text)] == ["semaglutide"]
    # insulin given with its own syringe is still insulin
    text = "Dose: 10 units insulin glargine SC L abd, given with insulin syringe 08:10.\n"
    assert [a.drug.name for a in _given(coder, text)] == ["insulin"]


@pytest.mark.parametrize("name", ["MIC+B12", "Lipo-B"])
def test_a_compounded_mixs_listed_contents_are_not_drugs_or_its_dose(coder, name):
    text = (f"Weekly shot: {name} (503B compounded: methionine 25 mg / inositol 50 mg / choline "
            "chloride 50 mg / cyanocobalamin 1,000 mcg per mL), 1 mL IM R deltoid - given by "
            "A. Trinh, MA @ 11:05.\n")
    (adm,) = _given(coder, text)
    assert adm.drug.name == "lipotropic injection"
    assert adm.drug.drug_class == "compounded"  # contents documented: an unlisted drug
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(1), "mL")


def test_a_compounders_additive_in_parentheses_is_part_of_the_mix(coder):
    text = ("compounded semaglutide 2.5 mg/mL (w/ pyridoxine) - office-use MDV, lot 0613-SG\n"
            "drew 10 units on U-100 insulin syringe = 0.1 mL = 0.25 mg\n"
            "given SQ R abd, 2 in from navel\n")
    assert [a.drug.name for a in _given(coder, text)] == ["semaglutide"]
    # two drugs of an ordinary order stay two
    text = "Ceftriaxone 1 g IM (with lidocaine 1% as diluent) and Toradol 60 mg IM given.\n"
    assert "ketorolac" in [a.drug.name for a in _given(coder, text)]


def test_the_vials_remainder_discarded_lines_later_is_waste_not_a_partial_dose(coder):
    text = ("hCG (Novarel) clinic stock: 5,000 USP unit vial reconstituted today w/ 2.5 mL "
            "bacteriostatic water = 2,000 units/mL\n"
            "Given: 0.75 mL = 1,500 units SC L abdomen 15:40 by P. Anaya, RN\n"
            "Tolerated, no site reaction. Remainder discarded (single-patient use).\n")
    assert _statuses(coder, text)["chorionic gonadotropin"] is S.GIVEN
    partial = ("Ceftriaxone 500 mg IM L ventrogluteal 14:05 (1 g vial reconstituted with 2.1 mL "
               "sterile water; pt pulled away after 0.6 mL, remainder discarded).\n")
    assert _statuses(coder, partial)["ceftriaxone"] is S.DISCONTINUED


def test_a_mar_row_under_an_indented_continuation_line_keeps_its_header(coder):
    text = ("Order                          | Freq | Admin time  | Dose  | Route | Status | By\n"
            "cefTRIAXone inj 1 g (ROCEPHIN) | ONCE | 01/08 10:14 | 1 g   | IM    | Given  | KL\n"
            "   reconstituted w/ lidocaine 1% 2.1 mL; 1.5\" needle\n"
            "ketorolac inj 30 mg (TORADOL)  | ONCE | --          | 30 mg | IM    | Held   | KL\n"
            "   hold reason: Cr 1.9 - held per Dr. Patel 10:10\n")
    assert _status_list(coder, text, date(2026, 1, 8)) == [
        ("ceftriaxone", S.GIVEN), ("ketorolac", S.NOT_GIVEN)]


@pytest.mark.parametrize(("first", "today"), [
    pytest.param("02/12/2026 09:20 cyanocobalamin 1000 mcg IM L deltoid completed",
                 "04/16/2026 09:11 cyanocobalamin 1000 mcg IM R deltoid completed", id="slash"),
    pytest.param("2026-02-12 09:20,cyanocobalamin,1000,mcg,IM,L deltoid,completed",
                 "2026-04-16 09:11,cyanocobalamin,1000,mcg,IM,R deltoid,completed", id="iso-csv"),
])
def test_todays_row_of_an_injection_history_log_is_todays_dose(coder, first, today):
    text = f"Injection history:\n{first}\n{today}\nTolerated inj. Next 05/14/2026.\n"
    statuses = _status_list(coder, text, date(2026, 4, 16))
    assert statuses[:2] == [("cyanocobalamin", S.HISTORICAL), ("cyanocobalamin", S.GIVEN)]


def test_each_dated_row_of_an_earlier_days_log_is_its_own_dose(coder):
    text = ("Injection log:\n"
            "02/12/2026 09:20 cyanocobalamin 1000 mcg IM L deltoid completed\n"
            "03/16/2026 09:05 cyanocobalamin 1000 mcg IM R deltoid completed\n"
            "04/16/2026 09:11 cyanocobalamin 1000 mcg IM L deltoid completed\n")
    assert _status_list(coder, text, date(2026, 4, 16)) == [
        ("cyanocobalamin", S.HISTORICAL), ("cyanocobalamin", S.HISTORICAL),
        ("cyanocobalamin", S.GIVEN)]


def test_ecw_assessments_heading_is_an_assessment(coder):
    text = ("Reason for Appointment\n1. Left flank pain since 5 am\n\n"
            "History of Present Illness\n44 yo M, sudden L flank pain, nausea.\n\n"
            "Examination\nL CVA tenderness. Abdomen soft.\n\n"
            "Assessments\n1. Renal colic on left side - N23 (Primary)\n\n"
            "Treatment\nKetorolac 60 mg IM now.\n")
    em = coder.extractor.extract(text, date(2026, 6, 30)).em
    assert [s.text for s in em.mdm][:1] == ["Assessments"]


def test_a_drugs_own_booked_appointment_is_planned_not_the_next_lines_given(coder):
    text = ("  - Toradol 30 mg IM R deltoid 10:15\n"
            "  - Keep Botox appt 09/30/2026. RTC prn.\n"
            "Meds given by Tasha Ngata, RN per my orders.\n")
    assert _status_list(coder, text, date(2026, 8, 19)) == [
        ("ketorolac", S.GIVEN), ("onabotulinumtoxina", S.PLANNED)]


@pytest.mark.parametrize(("text", "value"), [
    pytest.param("hCG (Novarel) clinic stock: 5,000 USP unit vial reconstituted w/ 2.5 mL "
                 "bacteriostatic water = 2,000 units/mL\n"
                 "Given: 0.75 mL = 1,500 units SC L abdomen 15:40 by P. Anaya, RN\n", 1500,
                 id="vial-then-drawn-dose"),
    pytest.param("Heparin 5,000 USP units SC L abdomen given 08:00.\n", 5000, id="dose"),
])
def test_usp_units_are_units(coder, text, value):
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(value), "units")


def test_checklist_lines_between_a_drug_and_its_listed_injections_are_skipped(coder):
    text = ("Drug: Ajovy (fremanezumab-vfrm) 225 mg/1.5 mL prefilled syringe x 3 = 675 mg.\n"
            "[x] Allergies reviewed - NKDA    [x] Syringes at room temp 30 min\n"
            "Injection 1:  225 mg  SC  L abdomen          09:20\n"
            "Injection 2:  225 mg  SC  R abdomen          09:21\n"
            "Injection 3:  225 mg  SC  L anterior thigh   09:23\n")
    assert [(a.dose.value, a.site.laterality, a.site.location) for a in _given(coder, text)] == [
        (Decimal(225), "left", "abdomen"), (Decimal(225), "right", "abdomen"),
        (Decimal(225), "left", "vastus_lateralis")]


def test_items_indented_under_the_drugs_line_are_its_details(coder):
    text = ("P: Mom prefers the shot.\n"
            "  Ceftriaxone 50 mg/kg x 13.4 kg = 670 mg IM x1 today\n"
            "   - 1 g vial reconstituted w/ 2.1 mL lidocaine 1% (350 mg/mL) -> 1.9 mL drawn\n"
            "   - given R anterolateral thigh by K. Boyd RN 16:58, lot 4CX817 exp 10/2027\n")
    (adm,) = _given(coder, text)
    assert (adm.drug.name, adm.dose.value, adm.site.location) == (
        "ceftriaxone", Decimal(670), "vastus_lateralis")
    # items at the same depth are statements of their own
    text = "Plan:\n- Toradol 60 mg IM now\n- Zofran 4 mg ODT given\n"
    assert _statuses(coder, text)["ketorolac"] is S.ORDERED


def test_a_volume_drawn_after_dilution_is_read_at_the_diluted_strength(coder):
    text = ("Procedure: Inj. Triamcinolone acetonide (Kenacort 10 mg/ml) diluted 1:1 with NS to "
            "5 mg/ml; total 2 ml injected intralesionally into the 6 patches, 30G insulin "
            "syringe. Pt tolerated well.\n")
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(10), "mg")


def test_injectate_after_the_needle_on_a_procedure_bullet_is_given(coder):
    text = ("PROCEDURE: R plantar fascia injection (medial approach)\n"
            " - Consent obtained, site marked, alcohol prep.\n"
            " - 25g 1.5\" needle; injectate: Kenalog-10 (triamcinolone acetonide) 10 mg/1 mL + "
            "lidocaine 1% x 1 mL.\n"
            " - Injected at the medial tubercle. Tol well.\n")
    got = {name: status for name, status, _ in _admins(coder, text)}
    assert got == {"triamcinolone acetonide": S.GIVEN, "lidocaine": S.GIVEN}
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert sorted(line.code for line in result.lines) == ["20550", "J3301"]


def test_a_procedure_forms_medication_field_is_its_drug_apart_from_the_ordered_shot(coder):
    """A keloid procedure form's "Medication:" field is the intralesional drug (11900); the
    plan's "Kenalog IM today" is the separate IM shot charted in its own form below."""
    text = ("A/P: Nummular dermatitis - Kenalog IM today as a bridge.\n"
            "PROCEDURE: Intralesional injection - KELOID\n"
            "  Sites: R earlobe x1, L earlobe x1\n"
            "  Medication: triamcinolone acetonide 40 mg/mL (Kenalog-40), undiluted\n"
            "  Volume: R 0.3 mL, L 0.3 mL (total 0.6 mL = 24 mg)\n"
            "PROCEDURE: Intramuscular injection\n"
            "  Medication: Kenalog-40 (triamcinolone acetonide 40 mg/mL)   Dose: 40 mg (1 mL)   "
            "Route: IM\n"
            "  Site: R ventrogluteal   Given by: T. Ybarra, MA   Time: 10:42\n")
    given = sorted((a.dose.value, a.route.value.value) for a in _given(coder, text))
    assert given == [(Decimal(24), "OTHER"), (Decimal(40), "IM")]
    result = coder.code(Encounter(text=text, place_of_service="11"))
    codes = sorted(line.code for line in result.lines)
    assert codes == ["11900", "96372", "J3301"]


def test_a_joint_named_only_in_the_procedure_title_takes_the_injectate_below_it(coder):
    """"Procedure: L knee arthrocentesis/injection, ..." names the knee; the "Injected
    Depo-Medrol 40 mg" below it, with no route of its own, went into the knee (20610). A shot
    with its own IM route under the same title stays a 96372."""
    text = ("Procedure: L knee arthrocentesis/injection, superolateral approach. Consent, "
            "time-out.\n18G: aspirated 12 mL clear fluid. Injected Depo-Medrol 40 mg (40 mg/mL, "
            "1 mL) + lidocaine 1% 4 mL. No complications.\n")
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert sorted(line.code for line in result.lines) == ["20610", "J1010"]
    text = "Procedure: L knee injection.\nToradol 60 mg IM R gluteal given 13:05.\n"
    result = coder.code(Encounter(text=text, place_of_service="11"))
    assert "96372" in [line.code for line in result.lines]


@pytest.mark.parametrize("text, value", [
    pytest.param("Methotrexate 50 mg per square meter times 1.68 equals 84 mg, given "
                 "intramuscularly in the right gluteus at 11:40.\n", Decimal(84), id="spoken"),
    pytest.param("Bortezomib 1.3 mg/m2 (2.2 mg) SC L abdomen given 10:00.\n", Decimal("2.2"),
                 id="written"),
    pytest.param("Methotrexate 50 mg/m² IM R gluteal given 11:40.\n", None, id="no-bsa-amount"),
])
def test_a_dose_per_body_surface_area_is_a_rate_not_the_dose(coder, text, value):
    (adm,) = _given(coder, text)
    assert (adm.dose.value if adm.dose else None) == value


def test_a_shot_at_the_named_pharmacy_is_elsewhere_even_when_that_is_done(coder):
    text = ("Plan: he had his flu shot at the Walgreens on Main on October third so that is "
            "done.\n")
    assert _statuses(coder, text)["influenza vaccine"] is S.HISTORICAL


@pytest.mark.parametrize("text, status", [
    pytest.param("- Vivitrol 380 mg IM gluteal q4 weeks - first dose ordered today, to be given "
                 "by nursing before he leaves.\n", S.ORDERED, id="ordered"),
    pytest.param("- Omalizumab: dosing table -> 375 mg SC q2wk. Consent signed. First dose "
                 "booked in clinic 05/19/2026 (3 syringes).\n", S.PLANNED, id="booked"),
])
def test_a_first_dose_ordered_or_booked_is_not_given(coder, text, status):
    assert [s for _, s, _ in _admins(coder, text)] == [status]


def test_an_empty_administration_record_leaves_the_order_ordered(coder):
    text = ("assessment acute gastroenteritis. plan promethazine twenty five milligrams I am now "
            "then oral rehydration trial in the office.\n---\n"
            "MEDICATION ADMINISTRATION RECORD\n"
            "Medication: ________   Dose: _____   Route: _____   Site: _____   Time: _____\n"
            "(no entries)\n")
    assert _statuses(coder, text)["promethazine"] is S.ORDERED


def test_a_blank_injection_given_field_charts_nothing(coder):
    text = ("Orders:\n - Cyanocobalamin 1000 mcg IM x1 today (nurse)\n"
            "Procedures / In-office meds:\n"
            "   Injection given: [ ]   Medication: ______   Dose: ***   Route: ***\n"
            "   Site: ***   Lot: ___   Given by: ___\n")
    assert S.GIVEN not in [s for _, s, _ in _admins(coder, text)]


def test_an_addendums_no_injection_today_overrules_a_carried_forward_plan_line(coder):
    text = ("P: Toradol 60 mg IM given in office today, tolerated. Heat.\n\n"
            "Addendum 03/12/2026 15:10: The Toradol line in the plan was carried forward from "
            "the 11/20/2025 visit and is wrong for today. No injection today.\n")
    assert S.GIVEN not in [s for _, s, _ in _admins(coder, text)]


def test_given_in_an_aside_about_the_last_dose_is_the_last_doses(coder):
    text = ("ID: 41 y/o M, schizophrenia, on haloperidol decanoate q4wk (last 05/12/2026, "
            "R gluteal, given here).\nInterval: doing poorly.\n")
    assert S.GIVEN not in [s for _, s, _ in _admins(coder, text, dos=date(2026, 6, 9))]


def test_a_syringe_number_before_its_dose_is_no_range(coder):
    text = ("Xolair 150 mg/mL prefilled syringe #1 - 150 mg subcutaneous, L posterior upper arm "
            "- 14:12\n")
    (adm,) = _given(coder, text)
    assert adm.dose.value == Decimal(150)


def test_a_rescue_pen_the_patient_carries_is_no_dose(coder):
    text = ("Product: [x] Xolair 300 mg/2 mL PFS   [ ] Xolair 150 mg/mL PFS\n"
            "Pre-screen: Fever [ ] Y [x] N    EpiPen present [x] Y\n"
            "Route: [x] SC   Site: [x] Abdomen - left lower quadrant\n"
            "Lot: 5D21X7   Time given: 10:02   Given by: Paulina Reyes, RN\n")
    assert [(a.drug.name, a.dose.value) for a in _given(coder, text)] == [
        ("omalizumab", Decimal(300))]


def test_own_supply_of_an_unrecognised_dosed_drug_is_not_the_injections(coder):
    text = ("bortezomib 2.44 mg SC L abdomen 09:40 given by L. Sorensen RN.\n"
            "Zanubrutinib-x 25 mg PO d1-14 - pt's own supply at home, taking.\n")
    (adm,) = _given(coder, text)
    assert adm.supplied_by_patient is None


def test_dates_of_the_other_numbered_doses_in_a_series_are_theirs(coder):
    text = ("Hep B series #3: Engerix-B 20 mcg/1 mL IM L deltoid, lot AHBVD118AB, exp 03/2028. "
            "#1 03/02/2026, #2 04/06/2026 (both here).\nTol well.\n")
    assert S.GIVEN in [s for _, s, _ in _admins(coder, text, dos=date(2026, 9, 14))]


def test_time_since_the_last_dose_is_not_the_doses_status(coder):
    text = ("Per standing order (dirty wound, > 5 yrs since last dose): Boostrix 0.5 mL IM R deltoid, "
            "14:42, lot U7314AA. VIS given. Tol well.\n")
    assert [s for _, s, _ in _admins(coder, text)] == [S.GIVEN]
    # the last dose named after the drug is still that dose's
    text = "S: here for her Depo-Provera, 15 weeks since last dose (01/13/2026 here, R deltoid).\n"
    assert S.HISTORICAL in [s for _, s, _ in _admins(coder, text, dos=date(2026, 4, 28))]


def test_a_dose_count_is_no_date_and_an_earlier_numbered_dose_is_no_repeat(coder):
    """"today dose 3/12" counts the series (not March 12th), and "(dose 2 given 02/10/2026)" is
    an earlier dose on its date, so the two syringes of today's dose are one split dose at two
    sites (XS), not a repeat (76)."""
    text = ("Romosozumab 210 mg monthly x12: today dose 3/12 (dose 2 given 02/10/2026).\n"
            "Evenity 210 mg = 2 prefilled syringes of 105 mg/1.17 mL, back to back:\n"
            "   syringe 1 - 105 mg subQ R thigh (anterior) 09:52\n"
            "   syringe 2 - 105 mg subQ L thigh (anterior) 09:53\n")
    result = coder.code(Encounter(text=text, place_of_service="11", date_of_service="2026-03-10"))
    assert sorted((ln.code, tuple(ln.modifiers)) for ln in result.lines) == [
        ("96372", ()), ("96372", ("XS",)), ("J3111", ())]
    assert all(a.repeat is None for a in result.administrations)


def test_a_dose_number_right_after_the_name_is_the_mentions_own(coder):
    text = "Here for HBV #3 (Engerix-B #1 10/14/25, #2 11/13/25).\n"
    assert _statuses(coder, text, dos=date(2026, 4, 14))["hepatitis b vaccine"] is S.HISTORICAL


@pytest.mark.parametrize(("text", "drug"), [
    pytest.param("plan deep oh Medrol eighty milligrams I am right glute given today",
                 "methylprednisolone acetate", id="deep-oh-medrol"),
    pytest.param("so loo Medrol 40 milligrams I am left deltoid given today",
                 "methylprednisolone sodium succinate", id="so-loo-medrol"),
])
def test_a_first_part_split_off_a_name_by_speech_recognition_is_heard(coder, text, drug):
    (adm,) = _given(coder, text)
    assert adm.drug.name == drug


def test_the_word_before_a_name_is_no_first_part_unless_it_sounds_like_one(coder):
    (adm,) = _given(coder, "gave the Medrol 80 mg IM right glute today")
    assert adm.drug.name == "methylprednisolone"


def test_a_silent_opening_letter_of_a_spoken_word_is_not_heard(coder):
    (adm,) = _given(coder, "plan love Knox eighty milligrams sub Q left lower abdomen given today")
    assert adm.drug.name == "enoxaparin"


def test_injected_into_a_named_bursa_is_intra_articular(coder):
    text = ("PROCEDURE:  Left greater trochanteric bursa injection.\n\n"
            "DESCRIPTION OF PROCEDURE: Consent obtained, time-out performed. Using a 22-gauge "
            "needle, 40 mg of Kenalog (1 mL of 40 mg/mL) and 4 mL of 1% lidocaine were injected "
            "into the trochanteric bursa after negative aspiration.\n")
    kenalog = next(a for a in _given(coder, text) if a.drug.name == "triamcinolone acetonide")
    assert kenalog.route is not None and kenalog.route.value is Route.INTRA_ARTICULAR
    lines = coder.code(Encounter(text=text, place_of_service="11",
                                 date_of_service="2026-02-04")).lines
    assert "20610" in [ln.code for ln in lines] and "96372" not in [ln.code for ln in lines]


def test_a_pain_score_after_words_is_no_date(coder):
    text = "we gave toradol 30 mg IM rt hip at 0810, pain down to 3/10 by 0850.\n"
    assert _status_list(coder, text, date(2026, 11, 19)) == [("ketorolac", S.GIVEN)]


def test_a_bare_number_before_a_side_and_site_is_the_dose(coder):
    (adm,) = _given(coder, "we gave toradol 30 rt hip by ma at 0810, tolerated.\n")
    assert (adm.dose.value, adm.dose.unit.value) == (30, "mg")


@pytest.mark.parametrize(("text", "route"), [
    pytest.param("gave zofran 4mg I'm R delt by Kayla MA 1040.", "IM", id="autocorrected-im"),
    pytest.param("zofran 4 mg IM given R delt. I'm concerned about dehydration.", "IM",
                 id="a-later-i-m-is-a-word"),
    pytest.param("zofran 4 mg given R delt. I'm concerned about dehydration.", None,
                 id="no-route-written"),
])
def test_an_autocorrected_im_after_an_amount_is_a_route(coder, text, route):
    (adm,) = _given(coder, text)
    assert (adm.route.value.value if adm.route else None) == route


def test_a_shot_with_its_own_site_takes_no_oral_route_from_the_next_drug(coder):
    text = "we gave toradol 30 mg rt hip by ma at 0810 and zofran odt 4 mg po at 0812.\n"
    ketorolac, ondansetron = _given(coder, text)
    assert ketorolac.route is None and ondansetron.route.value.value == "ORAL"


def test_an_antigen_field_names_the_forms_drug(coder):
    """A TB skin-test placement record: "Antigen: Tubersol ..." is the form's drug field, so its
    dose, method and site lines below chart the test placed (86580)."""
    text = ("TST PLACEMENT RECORD  04/06/2026 08:47\n"
            "Antigen: Tubersol 5 TU/0.1 mL    Lot C5897AA    Exp 11/2027\n"
            "Dose 0.1 mL    Method: intradermal (Mantoux)    Site: L volar forearm\n"
            "Read: 04/08/2026, 0830-1100 (48-72 h).\n")
    (adm,) = _given(coder, text, date(2026, 4, 6))
    assert adm.drug.name == "tuberculin purified protein derivative"
    lines = coder.code(Encounter(text=text, place_of_service="71",
                                 date_of_service="2026-04-06")).lines
    assert [ln.code for ln in lines] == ["86580"]


def test_a_number_sign_before_a_count_of_a_series_is_no_date(coder):
    """"Shingrix (RZV) #2/2" is the second of two doses, not February 2nd; "#1 07/21/2026" on
    the line above is still the first dose's date."""
    text = ("IIS record: Shingrix #1 07/21/2026 at this store.\n"
            "Vaccine               Dose     Route   Site        Lot\n"
            "Shingrix (RZV) #2/2   0.5 mL   IM      R deltoid   7R2K9\n")
    assert _status_list(coder, text, date(2026, 9, 29)) == [
        ("zoster vaccine", S.HISTORICAL), ("zoster vaccine", S.GIVEN)]


@pytest.mark.parametrize("label", [
    pytest.param("Last ESA:", id="colon"),
    pytest.param("Last ESA ................", id="dotted-leader"),
])
def test_a_last_dose_fields_date_before_the_drug_dates_it(coder, label):
    text = (f"  {label} 12/16/2025 Retacrit 40,000 units SC R post upper arm\n"
            "MEDICATION ADMINISTERED\n"
            "  Retacrit 40,000 units SC L post upper arm 08:58\n")
    assert _status_list(coder, text, date(2026, 1, 13)) == [
        ("epoetin alfa-epbx", S.HISTORICAL), ("epoetin alfa-epbx", S.GIVEN)]


def test_a_long_bracketed_composition_keeps_the_mixed_volume_with_the_second_drug(coder):
    """"1 mL of Celestone Soluspan (<its two salts> 6 mg/mL) mixed with 3 mL of bupivacaine":
    the 3 mL is the anesthetic's, however long the bracket naming the steroid's salts."""
    text = ("Under ultrasound the needle entered the bursa and 1 mL of Celestone Soluspan "
            "(betamethasone sodium phosphate and betamethasone acetate 6 mg/mL) mixed with 3 mL "
            "of 0.5% bupivacaine was injected.\n")
    steroid, anesthetic = _given(coder, text)
    assert (steroid.dose.value, steroid.dose.unit.value) == (6, "mg")
    assert (anesthetic.dose.value, anesthetic.dose.unit.value) == (15, "mg")


def test_a_given_field_with_an_amount_charts_todays_dose_of_the_ordered_regimen(coder):
    text = ("Medication: medroxyprogesterone 150 mg/mL   Order: 150 mg IM every 12 weeks\n"
            "Given: 150 mg / 1 mL   Route: IM   Site: R deltoid   Lot: MP4471\n")
    ((name, status),) = _status_list(coder, text)
    assert (name, status) == ("medroxyprogesterone acetate", S.GIVEN)


def test_a_given_field_left_blank_does_not_chart_the_regimen(coder):
    text = ("Medication: medroxyprogesterone 150 mg/mL   Order: 150 mg IM every 12 weeks\n"
            "Given: ___   Route: ___   Site: ___\n")
    assert S.GIVEN not in [st for _, st in _status_list(coder, text)]


def test_an_amended_entry_that_changes_the_route_replaces_the_struck_route_and_site(coder):
    """"AMENDED <date> by RN: ... was given IV push ..., NOT IM. Original entry charted in
    error.": one dose, by the corrected route, and the struck entry's site goes with it."""
    text = ("MAR 14:05: Phenergan 12.5 mg IM R deltoid - T. Ames RN\n"
            "AMENDED 03/02/2026 14:40 by T. Ames, RN: route corrected - promethazine 12.5 mg was "
            "given IV push via the existing L forearm line, NOT IM. Original entry charted in "
            "error.\n")
    (adm,) = _given(coder, text, date(2026, 3, 2))
    assert adm.route.value is Route.IV_PUSH and not adm.route.conflicts
    assert adm.site is None or adm.site.location != "deltoid"


@pytest.mark.parametrize("words", ["bowel wall edema, PO absorption poor",
                                   "nauseated, PO status uncertain"])
def test_po_as_the_patients_gut_is_no_route_of_the_shot(coder, words):
    text = f"Lasix 40 mg given L deltoid now (10:05), lot LX1123 - {words}.\n"
    (adm,) = _given(coder, text)
    assert adm.route is None or adm.route.value is not Route.ORAL


def test_home_pills_of_the_drug_lend_no_oral_route_to_the_shot_charted_at_a_site(coder):
    text = ("Meds: furosemide 40 mg PO daily, lisinopril 10 mg daily.\n"
            "Plan: furosemide 40 mg given R deltoid now (13:20) by me, lot FR0922.\n")
    (adm,) = _given(coder, text)
    assert adm.route is None and adm.site.location == "deltoid"


def test_the_oral_supplement_is_neither_todays_shot_nor_the_next_one(coder):
    """The home pills stay their own (historical) event: not merged into the dose injected
    today, nor into the next injection the plan books."""
    text = ("Taking oral B12 1000 mcg daily since spring.\n"
            "Plan: stop oral B12. Cyanocobalamin 1,000 mcg IM L deltoid given today, tolerated. "
            "Next B12 injection 06/11/2026.\n")
    events = [(st, a.route.value.value if a.route else None)
              for _, st, a in _admins(coder, text, date(2026, 5, 14))]
    assert sorted(events, key=str) == sorted(
        [(S.HISTORICAL, "ORAL"), (S.GIVEN, "IM"), (S.PLANNED, None)], key=str)


def test_a_past_season_in_a_past_tense_sentence_dates_an_uncued_course(coder):
    """"he was given a course of ... B12 with lidocaine ... IM at a polyclinic abroad this
    spring": no given-word, and the season puts the course behind the visit; the list's
    drugs share its date."""
    text = ("In Kyiv he was given a course of injections of a vitamin product (B1, B6, B12 with "
            "lidocaine) intramuscular at the polyclinic this spring. He asks to repeat it.\n")
    assert S.GIVEN not in [st for _, st in _status_list(coder, text, date(2026, 7, 14))]


def test_a_season_in_a_present_tense_plan_dates_nothing(coder):
    text = "Cyanocobalamin 1,000 mcg IM given L deltoid today; recheck level this spring.\n"
    assert [st for _, st in _status_list(coder, text, date(2026, 2, 14))] == [S.GIVEN]


def test_an_injection_of_the_next_drug_takes_its_route_from_before_it(coder):
    text = ("Plan: started methotrexate 15 mg orally weekly. As a bridge while the methotrexate "
            "takes effect I gave her an intramuscular injection of Kenalog-40 80 mg to the R "
            "ventrogluteal muscle, tolerated.\n")
    statuses = _status_list(coder, text)
    assert ("methotrexate", S.ORDERED) not in statuses
    assert ("triamcinolone acetonide", S.GIVEN) in statuses


def test_a_plan_that_says_the_drug_will_change_route_is_planned_not_ordered(coder):
    text = ("Assessment and Plan:\n"
            "2. Methotrexate will be switched to the subcutaneous route, 20 mg weekly; teaching "
            "visit next week.\n")
    assert _status_list(coder, text) == [("methotrexate", S.PLANNED)]


@pytest.mark.parametrize("held", ["Held 5 sec after push, no leakage.",
                                  "Needle held for 10 seconds, no leakage.",
                                  "Pressure held x 2 min."])
def test_a_needle_held_in_place_is_a_step_of_giving_not_a_held_dose(coder, held):
    text = f"Ceftriaxone 500 mg IM R ventrogluteal, 10:12, lot CF2231. {held}\n"
    assert [st for _, st in _status_list(coder, text)] == [S.GIVEN]


def test_a_dose_held_today_is_still_held(coder):
    text = "Ceftriaxone 500 mg IM ordered. Held - pt febrile to 39.4, provider notified.\n"
    assert S.GIVEN not in [st for _, st in _status_list(coder, text)]


def test_a_generic_with_its_dosage_form_then_its_brand_in_brackets_is_one_product(coder):
    """"Given: medroxyprogesterone acetate injectable suspension 104 mg/0.65 mL (Depo-SubQ
    Provera 104), subcutaneous, R lower abdomen": the brand restates the product, so the dose,
    route and site written after it are the one given dose's."""
    text = ("Reason for visit: Depo-SubQ Provera 104 due. Last dose 10/21/2025 in office.\n"
            "Given: medroxyprogesterone acetate injectable suspension 104 mg/0.65 mL (Depo-SubQ "
            "Provera 104), subcutaneous, L lower abdomen, 10:05. Lot SQ7712B.\nDx: Z30.42\n")
    (adm,) = _given(coder, text)
    assert (adm.dose.value, adm.route.value, adm.site.location) == (104, Route.SC, "abdomen")


def test_the_date_of_the_series_other_dose_does_not_date_todays(coder):
    text = ("7/14/26 0930 RN inj visit. Bicillin L-A 2.4 million units/4 mL IM R dorsoglut, wk 3 "
            "of 3 for late latent syphilis. wk 2 given 7/7 L dorsoglut. lot 5CX101. obs 15 min.\n")
    assert _status_list(coder, text, date(2026, 7, 14))[0] == ("penicillin g benzathine", S.GIVEN)


def test_a_line_opening_with_given_and_an_amount_charts_todays_dose_of_the_regimen(coder):
    text = ("P: Ceftriaxone 50 mg/kg IM daily x 3 days -> 50 x 14.0 = 700 mg/dose.\n"
            "   Given 700 mg IM R anterolateral thigh by M. Soto, MA @ 16:05. Tolerated.\n"
            "   Doses 2 and 3: nurse visits 2/11 and 2/12 (booked).\n")
    statuses = [st for _, st in _status_list(coder, text, date(2026, 2, 10))]
    assert S.GIVEN in statuses


def test_given_with_a_time_span_opening_a_line_charts_no_regimen_dose(coder):
    text = ("P: Ceftriaxone 1 g IM daily x 3 days, first dose at the infusion center tomorrow.\n"
            "   Given 2 weeks of symptoms, will also check a CBC.\n")
    assert S.GIVEN not in [st for _, st in _status_list(coder, text, date(2026, 2, 10))]


@pytest.mark.parametrize("asked", ["given??", "given ?", "administered?"])
def test_a_given_word_asked_as_a_question_charts_no_dose(coder, asked):
    text = ("Plan: Toradol 30 mg IM now for pain - ordered.\n"
            f"MA note: 14:05 Toradol 30 IM {asked} - order in, no MAR entry, pls clarify.\n")
    statuses = [st for _, st in _status_list(coder, text)]
    assert S.GIVEN not in statuses and S.ORDERED in statuses


@pytest.mark.parametrize("history", [
    "No documented MMR doses (records from abroad incomplete).",
    "No record of prior MMR vaccination.",
])
def test_no_record_of_earlier_doses_refuses_nothing_today(coder, history):
    text = (f"Titers: measles IgG neg. {history}\n"
            "Given today:\n"
            "   MMR II   0.5 mL  SC  R posterior upper arm   lot V2207   09:40\n")
    statuses = [st for _, st in _status_list(coder, text)]
    assert S.GIVEN in statuses and S.NOT_GIVEN not in statuses


def test_a_joint_injection_named_on_the_procedure_line_gives_its_injectate(coder):
    """"PROCEDURE: Ultrasound-guided L greater trochanteric bursa injection" over a checklist
    and "Injectate: Kenalog-40 40 mg/1 mL + 0.25% bupivacaine 4 mL": the procedure injected
    both, into the left bursa."""
    text = ("PROCEDURE: Ultrasound-guided L greater trochanteric bursa injection\n"
            "[x] Consent signed   [x] Time-out   [x] Chlorhexidine prep\n"
            "Injectate: triamcinolone acetonide (Kenalog-40) 40 mg/1 mL + 0.25% bupivacaine 4 mL\n"
            "Complications: none\n")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["triamcinolone acetonide", "bupivacaine"]
    assert all(a.site.laterality == "left" for a in given)


def test_a_joint_named_on_a_procedure_line_without_an_injection_gives_nothing(coder):
    text = ("Procedures: none today; L greater trochanteric bursa pain reviewed.\n"
            "Injectate options discussed: Kenalog-40 40 mg/1 mL next visit.\n")
    assert S.GIVEN not in [st for _, st in _status_list(coder, text)]


@pytest.mark.parametrize(("written", "side", "location"), [
    pytest.param("IM glúteo izquierdo", "left", "gluteal", id="spanish-gluteal"),
    pytest.param("IM deltoides derecho", "right", "deltoid", id="spanish-deltoid"),
    pytest.param("IM, deltoide gauche", "left", "deltoid", id="french-deltoid"),
])
def test_a_site_with_its_side_written_after_it_in_spanish_or_french(coder, written, side,
                                                                     location):
    text = (f"Enfermería (J. Palacios, LVN, 11:20):\n - Dexamethasone 10 mg/mL, 0.8 mL (8 mg) "
            f"{written}. NDC 70069-0021-25. Pt tolera bien.\n")
    (adm,) = _given(coder, text)
    assert (adm.site.laterality, adm.site.location) == (side, location)


def test_sites_offered_as_spanish_alternatives_document_no_site(coder):
    text = ("Orden: Invega Sustenna 156 mg IM c/4 semanas, deltoides o glúteo, alternar lados\n"
            "Fecha      | Medicamento             | Vía | Sitio              | Hora  | Enf.\n"
            "05/26/2026 | Invega Sustenna 156 mg  | IM  | deltoides derecho  | 10:02 | R. Olmos, RN\n")
    given = _given(coder, text, date(2026, 5, 26))
    assert [(a.site.laterality, a.site.location) for a in given] == [("right", "deltoid")]


def test_indented_rows_under_an_injectate_label_alone_are_each_injected(coder):
    text = ("Procedure:  [x] Plantar fascia injection   [ ] Neuroma injection\n"
            "Side:       [x] Left\n"
            "Injectate:\n"
            "   Celestone Soluspan (betamethasone sod phos/betamethasone acetate) 6 mg/mL ... 1 mL\n"
            "   Lidocaine 1% plain ... 1 mL\n"
            "Injected into: L plantar fascia origin at the medial calcaneal tubercle\n")
    names = [a.drug.name for a in _given(coder, text)]
    assert "betamethasone sodium phosphate and betamethasone acetate" in names
    assert "lidocaine" in names


def test_a_routeless_nurse_entry_is_the_ordered_shot_not_the_oral_regimen_after_it(coder):
    """A guard for the oral/shot split: "RN 11:05 - Ondansetron: ... give 4 mg" merges into
    the IM order, not into the "then ondansetron ODT q8h prn" written after it, so no order is
    left waiting (DOC-16)."""
    text = ("P: Ondansetron 4-8 mg IM x1 now. Then ondansetron ODT 4 mg q8h prn (Rx sent).\n"
            "RN 11:05 - Ondansetron: clarified dose with the CNM -> give 4 mg. Ondansetron 2 mg/mL "
            "vial, 2 mL drawn up, IM L deltoid. No reaction after 15 min.\n")
    statuses = [st for _, st in _status_list(coder, text)]
    assert S.ORDERED not in statuses and S.GIVEN in statuses


def test_a_split_listed_by_volume_under_a_volume_dose_gives_each_row_its_volume(coder):
    """A drug dosed by volume ("GamaSTAN 8.4 mL IM, split for volume:") split into rows that
    each write their volume ("4.2 mL R gluteal"): each injection is its row's volume, not the
    total (DRUG-11 adds them back for the drug line)."""
    text = ("Wt 84 kg -> GamaSTAN 8.4 mL IM, split for volume:\n"
            "   4.2 mL R gluteal (UOQ)  0941\n"
            "   4.2 mL L gluteal (UOQ)  0943\n"
            "   lot 32LK990  exp 09/2027\n")
    given = _given(coder, text)
    assert sorted((a.dose.value, a.dose.unit.value, a.site.laterality) for a in given) == [
        (Decimal("4.2"), "mL", "left"), (Decimal("4.2"), "mL", "right")]


def test_a_prescreen_check_that_the_patient_has_her_epinephrine_pen_is_no_dose(coder):
    """"epi auto-injector with her: YES" in a biologic's pre-check is the rescue pen she
    carries; the "Given:" row below it is the biologic's dose."""
    text = ("Med: Xolair (omalizumab) 150 mg/mL prefilled syringe - clinic stock\n"
            "Dose #7. Last dose 03/24/2026.\n"
            "Pre-check: no SOB, no reaction to prior doses, epi auto-injector with her: YES\n"
            "Given: 150 mg SC R posterior upper arm 09:18   Lot 4417Q   by: D. Marchetti, LPN\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.dose.value, a.route.value) for a in given] == [
        ("omalizumab", Decimal(150), Route.SC)]


def test_a_drug_named_in_the_notes_title_heads_the_forms_fields(coder):
    """"AVEED (testosterone undecanoate) ADMINISTRATION - REMS CHECKLIST" as the title, then
    "Dose:", "Route:", "Site:" and "Time:" fields: the titled drug's dose. A title over a log of
    many dates, or a dictation written as one long line, heads nothing."""
    form = ("AVEED (testosterone undecanoate) ADMINISTRATION - REMS CHECKLIST\n"
            "Date 11/03/2026   Clinic: Bayview Endocrine\n"
            "Administering HCP (REMS certified): Lionel Fairweather, MD\n"
            "[x] Pt counseled on POME and anaphylaxis; Medication Guide given\n"
            "[x] Vial inspected; lot AV2281, exp 01/2028\n"
            "Dose: 750 mg/3 mL     Route: IM, slow injection over 60 sec\n"
            "Site: R gluteus medius (upper outer quadrant)   Time: 10:05\n")
    given = _given(coder, form, dos=date(2026, 11, 3))
    assert [(a.drug.name, a.dose.value, a.route.value) for a in given] == [
        ("testosterone undecanoate", Decimal(750), Route.IM)]
    log = form.replace("REMS CHECKLIST", "LOG")
    assert _given(coder, log, dos=date(2026, 11, 3)) == []


def test_a_bracketed_copy_forward_banner_pastes_only_its_own_line(coder):
    """"[Copied forward from 10/13/2026 note - reviewed] Uzedy 100 mg SC monthly ..." is the
    pasted line; today's timed entries below it ("1045 Uzedy 100 mg/0.28 mL SC R posterior upper
    arm") are today's dose, after a refusal at 0910."""
    text = ("[Copied forward from 10/13/2026 note - reviewed] Uzedy (risperidone ER) 100 mg SC "
            "monthly. Last dose 10/13/2026 L abdomen.\n"
            "0905  Arrived for monthly Uzedy. BP 128/82\n"
            "0910  Uzedy 100 mg SC offered - client declined. Encouraged to think it over.\n"
            "1040  Client back after group, asking for the shot.\n"
            "1045  Uzedy 100 mg/0.28 mL SC R posterior upper arm, lot UZ3390 - M. Tanaka RN.\n")
    given = _given(coder, text, dos=date(2026, 11, 10))
    assert [(a.drug.name, a.site.laterality, a.site.location) for a in given] == [
        ("risperidone", "right", "upper_arm")]


def test_lidocaine_named_as_the_diluent_after_it_is_no_drug_of_its_own(coder):
    text = ("1318  Ceftriaxone 1 g (2.1 mL 1% lidocaine diluent) IM L ventrogluteal - C. Ortega "
            "RN. Lot CTX5502.\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.route.value, a.site.laterality) for a in given] == [
        ("ceftriaxone", Route.IM, "left")]


def test_a_split_lists_two_unequal_amounts_that_add_up_to_the_dose(coder):
    """"18 mcg SC - split due to volume: 2.5 mL (10 mcg) L lower abdomen + 2.0 mL (8 mcg) R
    lower abdomen": 10 and 8 mcg, not two halves (desmopressin, J2597 per mcg)."""
    text = ("Pt 34 y/o M, mild hemophilia A (FVIII 18%). Extraction today.\n"
            "07:58 Desmopressin 4 mcg/mL, total 4.5 mL (18 mcg) SC - split due to volume: "
            "2.5 mL (10 mcg) L lower abdomen + 2.0 mL (8 mcg) R lower abdomen.\n")
    given = _given(coder, text)
    assert sorted((a.drug.name, a.dose.value, a.site.laterality) for a in given) == [
        ("desmopressin", Decimal(8), "right"), ("desmopressin", Decimal(10), "left")]
    result = coder.code(Encounter(text=text, date_of_service=date(2026, 2, 19),
                                  place_of_service="11"))
    assert {d.code for d in result.diagnoses} == {"D66"}
    assert ("J2597", 18) in {(ln.code, ln.units) for ln in result.lines}


def test_a_bracketed_brand_gives_the_strength_its_name_fixes_to_the_generic_before_it(coder):
    """"Triamcinolone acetonide (Kenalog-40) 1.5 ml IM": 1.5 mL of 40 mg/mL is 60 mg."""
    text = ("P:\n- Triamcinolone acetonide (Kenalog-40) 1.5 ml IM @ R gluteal - given by "
            "A. Tsosie, LPN @ 10:45, lot KB8812. Tolerated.\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.dose.value, a.dose.unit.value) for a in given] == [
        ("triamcinolone acetonide", Decimal(60), "mg")]


def test_a_forms_field_lines_below_its_drug_field_speak_of_that_drug(coder):
    """"Medication/strength: Medroxyprogesterone acetate 150 mg/mL (Depo-Provera CI ...)", an
    order field that names it again ("... SO-11 DMPA continuation"), then "Dose:", "Route:",
    "Site:" and "Time given:" fields: the dose given. The form ends at a heading ("PROCEDURE:")
    or another drug's field."""
    text = ("NURSE VISIT: INJECTION (tmpl v3)\n"
            "Medication/strength: Medroxyprogesterone acetate 150 mg/mL (Depo-Provera CI "
            "prefilled syringe)\n"
            "Order: [x] Standing order # SO-11 DMPA continuation (signed P. Lindqvist MD "
            "01/15/2025)\n"
            "Indication / Dx: Z30.42 surveillance of injectable contraceptive\n"
            "Dose: 150 mg              Route: [x] IM  [ ] SC     Site: R deltoid\n"
            "Lot: DP7719   Exp: 04/2028   NDC: ____   Time given: 16:52\n"
            "Nurse/MA: Bianca Ferreira, RN\n")
    given = _given(coder, text, dos=date(2026, 2, 24))
    assert [(a.drug.name, a.dose.value, a.route.value, a.site.laterality) for a in given] == [
        ("medroxyprogesterone acetate", Decimal(150), Route.IM, "right")]
    two = ("PROCEDURE: Intralesional injection - KELOID\n"
           "  Medication: triamcinolone acetonide 40 mg/mL (Kenalog-40), undiluted\n"
           "  Volume: R 0.3 mL, L 0.3 mL (total 0.6 mL = 24 mg)\n"
           "PROCEDURE: Intramuscular injection\n"
           "  Medication: Kenalog-40 (triamcinolone acetonide 40 mg/mL)   Dose: 40 mg (1 mL)   "
           "Route: IM\n  Site: R ventrogluteal   Given by: T. Ybarra, MA   Time: 10:42\n")
    routes = sorted(str(a.route.value) if a.route else "" for a in _given(coder, two))
    assert routes.count(str(Route.IM)) == 1


def test_left_before_the_medication_was_given_is_no_dose(coder):
    text = ("P: Ketorolac 30 mg IM ordered 16:20; dark quiet room.\n"
            "16:38 RN (A. Costa): pt left before medication given - her ride arrived.\n")
    assert _given(coder, text) == []


def test_a_site_written_by_another_shots_place_names_no_dose(coder):
    """"L deltoid, 1 inch below Tdap" in a vaccine table: where the needle went, not a second
    Tdap."""
    text = ("| Vaccine | Product | Dose | Route | Site | Lot | Given by | Time |\n"
            "|---|---|---|---|---|---|---|---|\n"
            "| Tdap | Boostrix | 0.5 mL | IM | L deltoid | 7K9T2 | R. Soto, CMA | 15:42 |\n"
            "| HPV dose 1 | Gardasil 9 | 0.5 mL | IM | L deltoid, 1 inch below Tdap | Y33018 | "
            "R. Soto, CMA | 15:44 |\n")
    names = sorted(a.drug.name for a in _given(coder, text))
    assert names == ["human papillomavirus vaccine", "tdap vaccine"]


def test_a_forms_empty_time_given_field_charts_no_dose(coder):
    """"Dose: -- NOT GIVEN --" and "Time given: --" in a nurse-visit form: the dashes are an
    empty field, not a given dose."""
    text = ("Medication/strength: Medroxyprogesterone acetate 150 mg/mL (Depo-Provera CI)\n"
            "Order: [x] Standing order # SO-11 DMPA continuation\n"
            "Dose: -- NOT GIVEN --     Route: [ ] IM  [ ] SC     Site: --\n"
            "Lot: --   Exp: --   NDC: --   Time given: --\n"
            "Nurse/MA: Grace Oduya, RN\n")
    assert _given(coder, text, dos=date(2026, 7, 14)) == []


def test_a_discharge_copy_writing_the_same_time_another_way_is_the_same_dose(coder):
    """"Ondansetron 4 mg IM ... 09:05" in the chart and "ondansetron 4 mg injection at 9:05 AM"
    in the patient's discharge copy: one dose, not a re-dose."""
    text = ("Med admin: Ondansetron 4 mg/2 mL IM R deltoid 09:05 - J. Pike, MA. Tolerated.\n\n"
            "--- DISCHARGE INSTRUCTIONS ---\n"
            "Medications given in clinic: ondansetron (Zofran) 4 mg injection at 9:05 AM\n")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["ondansetron"]


def test_a_block_under_a_banner_dated_an_earlier_visit_is_that_visits_care(coder):
    """A printed block whose banner dates it to an earlier visit ("---- AVS (last updated
    04/20/2026) ----") carries that visit's dose forward; it is not today's."""
    text = ("P: wound healing, no injection today.\n\n"
            "---- AFTER VISIT SUMMARY (last updated 04/20/2026 10:02) ----\n"
            "Medications given in clinic: Tdap (Boostrix) 0.5 mL injection - left arm\n"
            "Keep the wound clean and dry.\n")
    assert _status_list(coder, text) == [("tdap vaccine", S.HISTORICAL)]


def test_a_copy_forward_banner_the_writer_edits_today_dates_nothing(coder):
    """"*** Carried forward from 04/20/2026 - edit as needed ***" heads today's edited note."""
    text = ("*** Carried forward from 04/20/2026 visit - edit as needed ***\n"
            "A: knee pain.\n"
            "P: Toradol 60 mg IM given R VG by MA, tolerated well.\n")
    assert _status_list(coder, text) == [("ketorolac", S.GIVEN)]


def test_a_dose_today_line_under_a_regimen_charts_its_first_dose(coder):
    """"Ceftriaxone 50 mg/kg = 800 mg IM daily x 3" over "Dose 1 today: ... 800 mg IM L thigh
    10:40 - RN": the regimen's dose of today was given."""
    text = ("P: Ceftriaxone 50 mg/kg/dose x 16 kg = 800 mg IM daily x 3 doses.\n"
            "   Dose 1 today: 1 g vial reconstituted w/ 2.1 mL 1% lidocaine = 350 mg/mL; 2.3 mL "
            "(800 mg) IM "
            "L anterolateral thigh 10:40 - S. Ruiz, RN.\n"
            "   Doses 2 and 3: nurse visits booked.\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.status_evidence.text) for a in given] == [
        ("ceftriaxone", "Dose 1 today:")]
    assert given[0].dose.value == Decimal(800)


def test_a_powder_reconstituted_then_partly_drawn_gives_the_amount_drawn(coder):
    """"hCG 10,000 units reconstituted with 1 mL ... drew 0.25 mL = 2,500 units": the powder's
    whole amount is what the vial held, not the dose."""
    text = ("Pregnyl 10,000 USP units reconstituted with 1 mL bacteriostatic water. Drew 0.25 mL "
            "= 2,500 units, given SC L lower abdomen 11:05 by C. Moss, MA.\n")
    assert _doses(coder, text) == [("chorionic gonadotropin", S.GIVEN, (Decimal(2500), "units"))]


def test_the_air_and_excess_expelled_from_a_prefilled_syringe_is_no_dose(coder):
    """"100 mg/1 mL prefilled syringe, 0.2 mL expelled, 80 mg (0.8 mL) SC": 80 mg went in."""
    text = ("Enoxaparin 100 mg/1 mL prefilled syringe, 0.2 mL expelled, 80 mg (0.8 mL) SC R "
            "abdomen 14:10 - L. Ng, RN.\n")
    assert _doses(coder, text) == [("enoxaparin", S.GIVEN, (Decimal(80), "mg"))]


def test_a_date_in_the_list_item_above_does_not_date_the_next_item(coder):
    """" - shingrex dose #2 (dose 1 on 03/02/2026) ..." over " - boostrics (Tdap) 0.5 mL IM"
    (both misspelt): the earlier date is the first item's series dose, not the Tdap's."""
    text = ("Vaccines given:\n"
            " - shingrex dose #2 (dose 1 on 03/02/2026), 0.5 mL IM L deltoid, lot A1 @ 10:02\n"
            " - boostrics (Tdap) 0.5 mL IM R deltoid, lot B2 @ 10:03\n")
    names = sorted(a.drug.name for a in _given(coder, text, dos=date(2026, 9, 1)))
    assert names == ["tdap vaccine", "zoster vaccine"]


def test_a_brand_glossed_with_its_vaccine_kind_keeps_the_brand(coder):
    """"Flublok (recombinant influenza vaccine, trivalent)": the brand, whose product code the
    gloss does not have."""
    text = ("Vaccine: Flublok (recombinant influenza vaccine, trivalent) 0.5 mL\n"
            "Route: IM   Site: R deltoid   Lot: Z9\nAdministered by: K. Ito, PharmD\n")
    (adm,) = _given(coder, text, dos=date(2026, 10, 1))
    assert adm.drug.evidence.text == "Flublok"


def test_a_prescription_handed_to_the_patient_is_no_dose(coder):
    """"cefixime 800 mg Rx for partner given to pt": the script was given, not the drug."""
    text = "P: EPT: cefixime 800 mg Rx for partner given to pt. Abstain 7 days.\n"
    assert _status_list(coder, text) == [("cefixime", S.PLANNED)]


def test_an_at_sign_before_a_24_hour_time_charts_the_dose(coder):
    """"Inj: ceftri 500mg IM @ 1122, lot ..." under the plan: the clock time charts the dose
    ("ceftri" is how clinicians shorten ceftriaxone)."""
    text = "P: gonococcal cervicitis.\nInj: ceftri 500mg IM @ 1122, lot 5X - D. Roe, MA.\n"
    (adm,) = _given(coder, text)
    assert adm.drug.name == "ceftriaxone"
    assert adm.time is not None and adm.time.value == "1122"


def test_a_weight_based_dose_drawn_from_a_vial_then_split_halves_the_dose_drawn(coder):
    """"1 g vial reconstituted ... Dose 560 mg = 1.6 mL, split: 0.8 mL IM R thigh + 0.8 mL IM L
    thigh": each syringe holds half of the 560 mg drawn, not half of the vial."""
    text = ("MED ADMIN: Ceftriaxone 1 g vial reconstituted with 2.1 mL 1% lidocaine = 350 mg/mL. "
            "Dose 560 mg (11.2 kg x 50 mg/kg) = 1.6 mL, split d/t volume: 0.8 mL IM R "
            "anterolateral thigh + 0.8 mL IM L anterolateral thigh, 10:05, P. Lane, RN.\n")
    assert [(a.dose.value, a.dose.unit.value) for a in _given(coder, text)] == [
        (Decimal(280), "mg"), (Decimal(280), "mg")]


def test_an_orders_start_time_is_its_schedule_not_a_second_dose(coder):
    """An EHR order line "..., 4 mg, IM, Once, Routine, Start: 05/01/26 10:05:00" and the MAR's
    "Administered ... 10:11": one dose, not a re-dose at another time."""
    text = ("Assessment/Plan\n1. Nausea with vomiting (R11.2)\n   Ordered:\n"
            "   promethazine (promethazine 25 mg/mL injectable solution), 12.5 mg, IM, Once, "
            "Routine, Start: 05/01/26 10:05:00 CDT, Stop: 05/01/26 10:05:00 CDT\n\n"
            "Medication Administration\n"
            "promethazine 12.5 mg, IM, Gluteal, Administered by: Hale, Ann, LPN, 05/01/26 "
            "10:11:00 CDT\n")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["promethazine"]


def test_a_syringe_that_delivered_no_drug_is_no_dose(coder):
    """"Syringe #1 ... needle came off the hub ... no drug delivered" then "Syringe #2 ... full
    dose delivered": one dose went in."""
    text = ("Syringe #1 - Xgeva 120 mg/1.7 mL vial draw: SC R abdomen 09:41 - needle came off "
            "the hub, syringe still full - no drug delivered. Complaint filed.\n"
            "Syringe #2 - Xgeva 120 mg/1.7 mL: SC L abdomen 09:46 - full dose delivered.\n")
    assert _status_list(coder, text) == [("denosumab", S.NOT_GIVEN), ("denosumab", S.GIVEN)]


def test_a_row_opened_by_its_drug_does_not_take_the_site_of_the_row_above(coder):
    """MAR rows with no stop at their ends: "ceftriaxone ... - IM - R gluteal" over "Bicillin
    L-A ... - IM - L gluteal"; the Bicillin went in the left."""
    text = ("MAR (S. Kowal, RN, 14:12):\n"
            "  ceftriaxone 500 mg (reconst. w/ 1 mL 1% lido) - IM - R gluteal\n"
            "  Bicillin L-A 2,400,000 units/4 mL - IM - L gluteal\n")
    sites = [(a.drug.name, a.site.laterality, a.site.location) for a in _given(coder, text)]
    assert sites == [("ceftriaxone", "right", "gluteal"),
                     ("penicillin g benzathine", "left", "gluteal")]


def test_a_site_time_and_lot_chart_a_dose_written_with_no_route_or_given_word(coder):
    """"Bicillin L-A 600,000 units/1 mL, lot 2MA1 - to L anterolateral thigh 09:12": the row
    charts the dose (its missing route is a documentation gap, not a missing dose); a lot and
    time of an earlier date ("placed 04/28/2026 07:05") chart that day's."""
    text = ("Nursing note\nBicillin L-A 600,000 units/1 mL, NDC 60793-0700-10, lot 2MA1 - to L "
            "anterolateral thigh 09:12, slow push. Cried, consolable.\n")
    assert _status_list(coder, text) == [("penicillin g benzathine", S.GIVEN)]
    placed = ("TST READ (placed 04/28/2026 07:05, L volar forearm, Tubersol lot T5):\n"
              "  Induration: 0 mm   Result: NEGATIVE\n")
    assert _given(coder, placed) == []


def test_an_after_visit_summarys_medications_given_during_this_visit_are_todays(coder):
    """An AVS heading "Medications given during this visit" lists today's doses: not the
    history its "Reason for Visit" heading opens."""
    text = ("AFTER VISIT SUMMARY\n\nReason for Visit\n  Birth control shot\n\n"
            "Medications given during this visit\n"
            "  medroxyPROGESTERone (DEPO-PROVERA) 150 mg/mL injection 150 mg\n"
            "    Dose: 150 mg    Route: Intramuscular    Site: Left Deltoid\n"
            "    Given by: Ana Ruiz, MA at 5/1/2026 9:14 AM\n\n"
            "What's Next\n  Your next Depo shot is due between 7/13/2026 and 8/1/2026.\n\n"
            "Patient Instructions\n  - Irregular spotting is common at first.\n")
    assert _status_list(coder, text) == [("medroxyprogesterone acetate", S.GIVEN),
                                         ("medroxyprogesterone acetate", S.PLANNED)]


def test_a_given_line_below_the_medication_list_table_is_todays_dose(coder):
    """Under "MEDICATION LIST" with a last-dose column, "Given: cyanocobalamin ... IM R deltoid
    08:52" charts today's dose; the table row stays the last dose."""
    text = ("MEDICATION LIST (reconciled 05/01/2026)\n"
            "| Medication | Sig | Last dose |\n"
            "| cyanocobalamin 1000 mcg/mL inj | 1 mL IM monthly (clinic) | 04/01/2026 |\n"
            "| lisinopril 10 mg tab | 1 tab PO daily | this AM |\n\n"
            "Reason: monthly B12 (E53.8).\n"
            "Given: cyanocobalamin 1000 mcg/1 mL IM L deltoid 08:52, lot 5A7. Tolerated.\n")
    statuses = [st for n, st in _status_list(coder, text) if n == "cyanocobalamin"]
    assert statuses == [S.HISTORICAL, S.GIVEN]


def test_the_site_in_an_aside_about_another_numbered_dose_is_that_doses(coder):
    """"here for Shingrix #2 (dose 1 given 03/02/2026 L deltoid, here)" then "Shingrix 0.5 mL IM
    R deltoid 10:12": the left deltoid was dose 1's, so the reason and the charted dose are one
    dose, not two."""
    text = ("D: 58 y/o F here for Shingrix #2 (dose 1 given 03/02/2026 L deltoid, here). Feels "
            "well.\nA: Shingrix (RZV) 0.5 mL IM R deltoid 10:12, lot 7Y2KL.\n")
    given = _given(coder, text)
    assert [(a.drug.name, a.site.laterality) for a in given] == [("zoster vaccine", "right")]


def test_a_health_maintenance_status_given_elsewhere_on_an_earlier_date_is_history(coder):
    """"| Tdap | given at Mercy ED 04/12/2026 (laceration) - up to date |": the status cell
    tells where and when it was given, not a dose of today."""
    text = ("Health maintenance:\n | Item | Status |\n"
            " | Tdap | given at Mercy ED 04/12/2026 (hand laceration) - up to date |\n"
            " | Pneumococcal | Prevnar 20 offered today - DECLINED |\n")
    assert ("tdap vaccine", S.HISTORICAL) in _status_list(coder, text)
    assert _given(coder, text) == []


def test_a_drug_given_for_the_partner_is_expedited_partner_therapy_not_a_dose(coder):
    """"EPT pack (cefixime 800 mg) given for partner": handed over for the partner to take."""
    text = ("Rocephin 500 mg IM R ventrogluteal @ 14:32 by P. Greer, RN.\n"
            "EPT pack (cefixime 800 mg) given for partner. No sex x7 days.\n")
    assert _status_list(coder, text) == [("ceftriaxone", S.GIVEN), ("cefixime", S.PLANNED)]


def test_a_patient_who_twisted_away_mid_injection_got_part_of_the_dose(coder):
    """"at ~1 mL pt twisted away, needle came out. Approx 1 mL (30 mg) given": the dose was
    stopped part way (MOD-04), and what went in is the dose."""
    text = ("Ketorolac 30 mg/mL, 2 mL (60 mg) drawn up. IM L VG. Began injection; at ~1 mL pt "
            "twisted away, needle came out. Approx 1 mL (30 mg) given. Pt declined a second "
            "stick.\n")
    (adm,) = [a for _, _, a in _admins(coder, text)]
    assert adm.status is S.DISCONTINUED
    assert (adm.dose.value, adm.dose.unit.value) == (Decimal(30), "mg")


def test_a_dose_diluted_before_injection_is_still_the_dose(coder):
    """"Total amount of botulinum toxin injected was 200 units diluted 25 units to 1 mL, 100 units
    in the right gastrocnemius": the 200 units went in; only a reconstituted powder's amount is
    what a vial held."""
    text = ("Botox injections: 100 units in the right gastrocnemius and 100 units in the left "
            "gastrocnemius. Total amount of botulinum toxin injected was 200 units diluted 25 "
            "units to 1 mL. The patient tolerated the procedure well.\n")
    doses = [a.dose and (a.dose.value, a.dose.unit.value) for a in _given(coder, text)]
    assert doses == [(Decimal(200), "units")]


def test_a_row_timed_today_below_an_immunization_history_table_is_given(coder):
    text = ("IMMUNIZATION HISTORY (state IIS, pulled 05/01/2026)\n"
            "  Tdap         03/11/2019                CVS\n"
            "  Hep B        no record\n"
            "Screen: no prior positive TST, LMP 04/10.\n"
            "09:12  Tubersol 0.1 mL (5 TU) intradermal L volar forearm. Lot T2A61, exp 03/2027.\n"
            "09:14  Heplisav-B 0.5 mL IM R deltoid, dose 1 of 2. Lot HB4410, exp 11/2027.\n")
    got = dict(_status_list(coder, text))
    assert got["tdap vaccine"] is S.HISTORICAL
    assert got["tuberculin purified protein derivative"] is S.GIVEN
    assert got["hepatitis b vaccine adjuvanted"] is S.GIVEN
    tst = next(a for a in _given(coder, text) if a.route.value.value == "INTRADERMAL")
    assert (tst.site.laterality, tst.site.location) == ("left", "other")  # "volar forearm"


def test_timed_rows_under_a_heading_dated_before_today_stay_that_days(coder):
    text = ("Injection history:\n04/02/2026\n"
            "09:10  cyanocobalamin 1000 mcg IM R deltoid lot B77\n")
    assert _status_list(coder, text) == [("cyanocobalamin", S.HISTORICAL)]


def test_the_order_of_an_unticked_checkbox_option_is_no_order(coder):
    text = ("TB test: [X] TST placed   [ ] IGRA drawn   [ ] CXR ordered\n"
            "  Tubersol 0.1 mL (5 TU) intradermal L volar forearm 0945, lot T5531A exp 10/2027\n"
            "  (intake standing order, A. Whitfield, MD). Read due 05/03 0945.\n")
    assert _status_list(coder, text) == [("tuberculin purified protein derivative", S.GIVEN)]


def test_intradermal_id_in_the_route_column_of_a_table(coder):
    text = ("| Item    | Product / dose      | Route | Site            | Lot   | Time  |\n"
            "| TB test | Tubersol PPD 0.1 mL | ID    | L volar forearm | T4412 | 10:05 |\n")
    (tst,) = _given(coder, text)
    assert tst.route.value.value == "INTRADERMAL"


def test_a_short_abbreviation_is_a_drug_only_after_the_inj_prefix(coder):
    text = ("A: Puncture wound R foot. P: Inj. TT 0.5ml IM L deltoid given by MA - lot U7713AA.\n"
            "TT 36.9 C at triage; TT and TTE results pending.")
    (tt,) = _given(coder, text)
    assert tt.drug.name == "tetanus toxoid-containing vaccine"
    assert tt.drug.evidence.text == "TT"
    assert [n for n, _, _ in _admins(coder, text)] == ["tetanus toxoid-containing vaccine"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Dupixent dose due today - pt gave it himself from his own pen, R thigh, RN "
                     "observed technique: correct.", id="gave-it-himself"),
        pytest.param("P: Switch to testosterone cypionate 200 mg/mL, 0.4 mL (80 mg) SC weekly at "
                     "home.\n   Teaching today: pt drew up 0.4 mL and self-injected SC R lower "
                     "abdomen at 10:40 under my observation.\n   Sharps container given.",
                     id="self-injected-where-the-site-is"),
        pytest.param("Pt brought her own Basaglar KwikPen + pen needles.\nCovered: priming, site "
                     "rotation (abdomen/thighs).\nReturn demo: pt dialed 10 units and self-injected "
                     "her first dose into her L lower abdomen at 13:48.\n\nTitration plan given "
                     "to pt (written copy):\n  Start Basaglar 10 units every evening.",
                     id="plan-given"),
    ],
)
def test_a_dose_the_patient_gives_in_the_room_is_not_the_practices(coder, text):
    assert _given(coder, text) == []


def test_a_dose_asked_to_be_given_later_is_not_given(coder):
    text = ("Plan: extraction of #30 and #31 under local anesthesia. I would ask that her "
            "September Prolia be given only once I confirm mucosal healing at 6 to 8 weeks.")
    assert S.GIVEN not in dict(_status_list(coder, text)).values()


def test_an_order_rows_clinic_administered_is_a_kind_of_order(coder):
    text = ("ORDERS PLACED THIS ENCOUNTER\n"
            "  tirzepatide (compounded 10 mg/mL) 2.5 mg SC once - clinic administered    "
            "Ordered 05/01/2026 14:52  S. Tanaka\n")
    assert _status_list(coder, text) == [("tirzepatide", S.ORDERED)]


def test_declining_the_im_shot_in_the_next_sentence_refuses_it(coder):
    text = ("P: Offered INFeD (iron dextran) 100 mg IM Z-track in the office today vs IV iron at "
            "the infusion center. Pt declines the IM shot (\"my sister's hip stayed brown\").")
    assert _status_list(coder, text) == [("iron dextran", S.NOT_GIVEN)]


def test_a_visit_dated_later_that_leads_the_item_plans_its_doses(coder):
    text = ("Plan:\n- 28 wk visit IN PERSON 05/29/2026 09:00: 1-hr GTT, CBC, antibody screen, then "
            "RhoGAM 300 mcg IM (pt agrees).\n- Kick counts from 28 wk.")
    assert _status_list(coder, text) == [("rho(d) immune globulin", S.PLANNED)]


def test_baqsimi_is_nasal_glucagon(coder):
    text = "1:53  Baqsimi 3 mg intranasal (R nostril) given by nurse per DMMP."
    (dose,) = _given(coder, text)
    assert (dose.drug.name, dose.route.value.value) == ("glucagon", "INTRANASAL")


def test_an_addendum_striking_the_timed_entry_documented_in_the_chart_in_error(coder):
    text = ("MEDICATION ADMINISTRATION\n05/01/2026 10:42  Ketorolac 60 mg IM L gluteal - K. Ruiz, "
            "CMA\n\nADDENDUM 05/01/2026 10:58 - K. Ruiz, CMA: Please DISREGARD the 10:42 medication "
            "administration entry above. It was documented in this patient's chart in error "
            "(belongs to the patient in room 4).")
    assert _status_list(coder, text) == [("ketorolac", S.NOT_GIVEN)]


def test_a_dated_label_opening_a_later_sentence_of_the_line_dates_what_follows(coder):
    text = ("Injury: 04/25/2026 game, removed from play by ATC. ED 04/26: CT head neg, Zofran 4 mg "
            "IVP x1 for nausea, d/c with concussion instructions.")
    assert _status_list(coder, text) == [("ondansetron", S.HISTORICAL)]


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        pytest.param("plan I mitt tricks 6 milligrams sub Q in the left thigh given by me at 2:10 "
                     "comma she rested", "sumatriptan", id="x-heard-as-ks"),
        pytest.param("plan so Fran 4 milligrams I am left deltoid given by our nurse at 6:52 comma "
                     "oral rehydration trial", "ondansetron", id="z-heard-as-s"),
    ],
)
def test_a_dictated_name_heard_by_its_sounds(coder, text, drug):
    (dose,) = _given(coder, text)
    assert dose.drug.name == drug


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("R: NP Ortiz called 21:45 - phone order read back: furosemide 60 mg IM x1 now; "
                     "O2 2 L.", id="phone-order-read-back"),
        pytest.param(" - 14:00 Called Dr. Pillai: order morphine 5 mg subcut now, then 5 mg subcut "
                     "q4h PRN via butterfly.", id="called-then-order"),
    ],
)
def test_an_order_taken_by_phone_is_not_yet_the_dose(coder, text):
    assert S.GIVEN not in dict(_status_list(coder, text)).values()


def test_a_drug_dispensed_to_the_patient_is_patient_supplied(coder):
    text = ("14:12 Morphine sulfate 10 mg/mL from comfort kit (dispensed to pt 04/20/2026 by hospice "
            "pharmacy): 0.5 mL = 5 mg SC via butterfly R upper chest.")
    (dose,) = _given(coder, text)
    assert dose.supplied_by_patient is not None
    assert dose.supplied_by_patient.evidence.text == "dispensed to pt"


def test_a_correction_that_the_wrong_medication_was_selected_strikes_the_entry(coder):
    text = ("MAR\n05/01/2026 11:20  ondansetron 4 mg IM L deltoid - R. Nakamura, RN\n"
            "CORRECTION 05/01/2026 11:48 - R. Nakamura, RN: wrong medication selected in MAR. The "
            "drug given at 11:20 was promethazine 25 mg IM L deltoid per PA Tanaka's order.")
    got = dict(_status_list(coder, text))
    assert got == {"ondansetron": S.NOT_GIVEN, "promethazine": S.GIVEN}


def test_the_amount_of_another_checkbox_option_is_not_the_drugs_dose(coder):
    text = ("Plan:\n  [x] In-clinic med: ketorolac 60 mg/2 mL IM  Site: L ventrogluteal  Time 16:48  "
            "Given by: R. Dominguez, CMA\n  [ ] Steroid taper   [x] Cyclobenzaprine 5 mg qhs prn "
            "#10 (Rx)\n")
    assert _doses(coder, text) == [("ketorolac", S.GIVEN, (Decimal(60), "mg"))]


def test_a_series_log_row_opened_by_its_dose_number_is_dated_by_its_date_cell(coder):
    text = ("  Dose   Date         Product       Dose     Route   Site        Lot\n"
            "  1      04/03/2026   Heplisav-B    0.5 mL   IM      L deltoid   HB4408\n"
            "  2      05/01/2026   Heplisav-B    0.5 mL   IM      R deltoid   HB4471\n")
    got = _status_list(coder, text)
    assert got == [("hepatitis b vaccine adjuvanted", S.HISTORICAL),
                   ("hepatitis b vaccine adjuvanted", S.GIVEN)]


def test_numbered_syringe_rows_under_a_dose_heading_are_the_two_parts_of_a_split(coder):
    text = ("Drug: romosozumab (Evenity) 105 mg/1.17 mL prefilled syringe x2 from office stock\n"
            "Monthly dose 210 mg:\n"
            "  Syringe 1 - 105 mg SC R lower abdomen 10:02\n"
            "  Syringe 2 - 105 mg SC L lower abdomen 10:04\n"
            "Tolerated, no reaction.\n"
            "Next dose 210 mg in 1 month, RTC 06/01/2026.\n")
    got = [(a.dose.value, a.site.laterality) for a in _given(coder, text)]
    assert got == [(Decimal(105), "right"), (Decimal(105), "left")]


@pytest.mark.parametrize("text, expected", [
    ("P: Discussed injecting the 1st MTP vs IM steroid - she chooses IM.\n"
     "Kenalog-40 40 mg IM L gluteal given by C. Devlin, LPN.",
     [("triamcinolone acetonide", S.GIVEN)]),
    ("Reason for visit: IM antibiotic per Dr. Chau's order: ceftriaxone 1 g IM given R VG 10:05.",
     [("ceftriaxone", S.GIVEN)]),
    ("Offered a steroid injection into the L shoulder - declines.\n"
     "Depo-Medrol 80 mg IM R gluteal given for the gout flare.",
     [("corticosteroid", S.NOT_GIVEN), ("methylprednisolone acetate", S.GIVEN)]),
])
def test_a_class_word_names_the_product_the_note_charts_as_given(coder, text, expected):
    assert _status_list(coder, text) == expected


def test_a_route_written_into_the_class_word_is_the_doses_route(coder):
    (dose,) = _given(coder, "IM steroid 80 mg given R gluteal today for radicular pain.")
    assert dose.drug.name == "corticosteroid"
    assert dose.route.value is Route.IM


@pytest.mark.parametrize("text, cue", [
    ("Pt brought own vial - cyanocobalamin 1000 mcg/mL (Costco pharmacy), label checked.\n"
     "Cyanocobalamin 1 mL IM R deltoid given 09:08. Tolerated.", "brought own"),
    ("Med: progesterone in oil 50 mg/mL vial - delivered to pt by the fertility pharmacy.\n"
     "Progesterone 50 mg IM R upper outer buttock given by RN 07:58.", "delivered to pt"),
    ("Depo-SubQ Provera 104 mg/0.65 mL syringe - picked up by pt at her pharmacy, brought "
     "today. Depo-SubQ Provera 104 mg SC L anterior thigh given 15:16.", "picked up by pt"),
])
def test_a_drug_the_patient_brought_from_the_pharmacy_is_patient_supplied(coder, text, cue):
    (dose,) = _given(coder, text)
    assert dose.supplied_by_patient is not None
    assert dose.supplied_by_patient.evidence.text == cue


@pytest.mark.parametrize("text", [
    ("Given: Cimzia 400 mg SC as 2 pens\n   Pen 1  200 mg  R lower abdomen  10:05\n"
     "   Pen 2  200 mg  L lower abdomen  10:06\nObserved 30 min, no reaction."),
    ("Cimzia (certolizumab) 400 mg = 2 x 200 mg/1 mL PFS, both SC:\n  #1 R abdomen 10:05\n"
     "  #2 L abdomen 10:06\nNo site reaction."),
    ("Cimzia 200 mg/mL - 2 mL = 400 mg total. Pt is thin and asked to split it:\n"
     "   1 mL (200 mg) SC R abdomen @ 10:05\n   1 mL (200 mg) SC L abdomen @ 10:06\nTolerated."),
])
def test_a_dose_given_as_two_listed_injections_is_split_at_its_two_sites(coder, text):
    got = [(a.dose.value, a.site.laterality) for a in _given(coder, text)]
    assert got == [(Decimal(200), "right"), (Decimal(200), "left")]


def test_a_dose_change_order_is_not_a_second_dose(coder):
    text = ("Dose change per protocol, Dr. Amari approved 09:10: Retacrit (epoetin alfa-epbx) "
            "INCREASE from 4,000 units to 8,000 units SC weekly.\n"
            "Today: Retacrit 10,000 units/mL vial - 0.8 mL = 8,000 units SC L posterior upper arm "
            "@ 09:25, lot RT2231.\n")
    assert [(a.dose.value, a.dose.unit.value) for a in _given(coder, text)] == [
        (Decimal(8000), "units")]


def test_a_given_by_line_under_a_plan_item_charts_its_injection(coder):
    text = ("A: Acute otitis media, right (H66.91).\n"
            "P: - Ceftriaxone 750 mg IM x1 today, then amoxicillin 875 mg BID x10 d (e-Rx).\n"
            "     Given by R. Patel, MA 15:20 - R ventrogluteal. Lot CX118. No rxn.\n")
    (dose,) = _given(coder, text)
    assert dose.drug.name == "ceftriaxone"
    assert (dose.site.laterality, dose.site.location) == ("right", "ventrogluteal")


def test_a_given_at_line_charts_the_standing_order_above_it(coder):
    text = ("Orders: lanreotide (Somatuline Depot) 90 mg/0.3 mL PFS every 4 weeks - Dr. Obi.\n"
            "Given 10:12: 90 mg deep subcutaneous, L upper outer buttock. Lot 24L1130.\n"
            "Tolerated. Next 06/26/2026.\n")
    (dose,) = _given(coder, text)
    assert dose.drug.name == "lanreotide"
    assert dose.route.value is Route.SC


def test_the_vis_edition_date_is_not_the_doses_date(coder):
    text = ("3. Z23 Tdap today.\n"
            "Immunization: Boostrix 0.5 mL IM R deltoid 10:14 lot 7XB31, VIS 01/2026 given.\n")
    assert _status_list(coder, text) == [("tdap vaccine", S.GIVEN)]


def test_b12_in_a_note_that_names_only_hydroxocobalamin_is_that_dose(coder):
    text = ("Received pt. for scheduled monthly Vit. B12 inj. as per Dr. Reyes order.\n"
            "Administered hydroxocobalamin 1000 mcg IM R deltoid @ 0912. Tolerated.\n")
    assert _status_list(coder, text) == [("hydroxocobalamin", S.GIVEN)]


def test_a_procedure_days_after_a_bridge_dose_does_not_bundle_it(coder):
    text = ("Warfarin held for colonoscopy on 05/04. Bridge: enoxaparin 1 mg/kg SC q12h through "
            "05/03 AM (last dose 24 h pre-procedure).\n"
            "09:40 enoxaparin 80 mg SC L lower abd given, J. Pruitt RN.\n")
    (dose,) = _given(coder, text)
    assert dose.procedure is None


@pytest.mark.parametrize("text", [
    ("Pt brought own vial: testosterone cypionate 200 mg/mL, 10 mL MDV, dispensed by his "
     "pharmacy (Rx label checked - name, drug, strength, exp 11/2027).\n"
     "Pre-check: BP 128/80, no leg swelling, no chest pain or shortness of breath. Hct 49.8 on "
     "01/27 (ok per Dr. Haskins, continue same dose). PSA stable.\n"
     "Drew 1 mL = 200 mg. IM R ventrogluteal 08:46, 22G 1.5\". L side used last time.\n"
     "Vial returned to pt.\n"),
    ("Pt's own vial: estradiol valerate 20 mg/mL, 5 mL MDV - label checked.\n"
     "Order: Dr. Okoye - estradiol valerate 10 mg IM every 7 days.\n"
     "Drew up 0.5 mL = 10 mg. IM L ventrogluteal 16:10, 23G 1\".\n"),
])
def test_a_drawn_up_dose_charted_by_its_route_is_the_brought_vials_dose(coder, text):
    """Status: "Drew 1 mL = 200 mg. IM R ventrogluteal 08:46" is the charting of the one dose
    the patient's own vial held, with the line's amount, route and site."""
    (dose,) = _given(coder, text)
    assert dose.route.value is Route.IM
    assert dose.site.location == "ventrogluteal"
    assert dose.supplied_by_patient is not None


def test_her_own_vial_says_who_supplied_it_not_who_gave_it(coder):
    """Status: "PATIENT SUPPLIED - her own vial from her pharmacy" names the supply; a note that
    says she gave it herself stays self-administered."""
    text = ("MED SOURCE: PATIENT SUPPLIED - her own vial from her pharmacy, estradiol valerate "
            "20 mg/mL, lot EV5512.\nDrew up 0.5 mL = 10 mg. IM to L vastus lateralis at 11:18. "
            "No bleeding, tolerated.\n")
    assert [n for n, s in _status_list(coder, text) if s is S.GIVEN] == ["estradiol valerate"]
    self_given = ("The patient then gave her own first dose - teriparatide 20 mcg SC in the L "
                  "anterior thigh from her own pen - with the RN watching only.\n")
    assert S.GIVEN not in {s for _, s in _status_list(coder, self_given)}


def test_a_previous_dose_row_is_that_days_dose_not_a_second_one_today(coder):
    """Status: "Previous dose: 02/02/2026 - Abilify Maintena 400 mg IM, L deltoid" is the last
    visit's row even though the dash splits it from its label; today's dose stays one."""
    text = ("Previous dose: 02/02/2026 - Abilify Maintena 400 mg IM, L deltoid, no problems.\n"
            "Today:\n"
            "Product: Abilify Maintena 400 mg vial kit, reconstituted w/ 1.9 mL SWFI = 200 mg/mL\n"
            "Dose given: 300 mg = 1.5 mL    Route: IM    Site: R deltoid    Time: 13:40\n")
    assert _doses(coder, text, date(2026, 3, 2)) == [
        ("aripiprazole", S.HISTORICAL, (Decimal(400), "mg")),
        ("aripiprazole", S.GIVEN, (Decimal(300), "mg"))]
    nxt = "Next due: 04/01/2026 - Abilify Maintena 400 mg IM.\n"
    assert _status_list(coder, nxt, date(2026, 3, 2)) == [("aripiprazole", S.PLANNED)]


def test_numbered_rows_of_one_dose_are_each_their_own_injection(coder):
    """MOD-02: "#1 Dupixent 200 mg ... R posterior upper arm - 14:12" over "#2 Dupixent 200 mg
    ... L posterior upper arm - 14:14": a "#N" row is its own item, so the row above it does
    not lend it its site and time."""
    text = ("Administration:\n"
            "  #1 Dupixent 200 mg/1.14 mL PFS - SC - R posterior upper arm - 14:12 - lot 6D2281\n"
            "  #2 Dupixent 200 mg/1.14 mL PFS - SC - L posterior upper arm - 14:14 - lot 6D2281\n"
            "  Total 400 mg. No bleeding, no rxn.\n")
    sides = [a.site.laterality for a in _given(coder, text)]
    assert sides == ["right", "left"]


def test_a_correction_that_moves_the_site_leaves_one_dose(coder):
    """Merge: the resident's line says R deltoid, the RN's MAR row says L ventrogluteal, and the
    attestation corrects the site ("given in the LEFT VENTROGLUTEAL per the RN MAR, not the
    right deltoid"): one dose at the corrected site, not a second injection."""
    text = ("Testosterone cypionate 200 mg/mL, 0.5 mL (100 mg) IM R deltoid by RN today.\n\n"
            "Nursing MAR 06/23/2026 10:48: testosterone cypionate 100 mg IM L ventrogluteal, "
            "lot TC5510 -- M. Oduya, RN\n"
            "Attestation: I agree with her plan, with one correction: the injection was given in "
            "the LEFT VENTROGLUTEAL per the RN MAR, not the right deltoid.\n")
    (dose,) = _given(coder, text, date(2026, 6, 23))
    assert (dose.site.laterality, dose.site.location) == ("left", "ventrogluteal")
    # without a correction, two charted sites stay two doses
    two = text.split("Attestation")[0]
    assert len(_given(coder, two, date(2026, 6, 23))) == 2


def test_a_planned_dose_then_held_is_no_dose_given(coder):
    """Status: "Planned Depo-Medrol 80 mg IM today for the flare - POC glucose 318 at 10:40 ->
    Depo-Medrol 80 mg IM HELD": the plan's intent and the hold, and no dose (the clock time is
    the glucose's)."""
    text = ("A: Cervical radiculopathy (M54.12). T2DM with hyperglycemia (E11.65).\n"
            "P: Planned Depo-Medrol 80 mg IM today for the flare - POC glucose 318 at 10:40 -> "
            "Depo-Medrol 80 mg IM HELD (steroid would worsen hyperglycemia).\n")
    assert S.GIVEN not in {s for _, s in _status_list(coder, text)}


def test_last_administered_is_the_last_dose_not_todays(coder):
    """Status: "Last administered here: 11/10/2026" under the standing order speaks of the last
    dose; the refusal today leaves no dose given."""
    text = ("RE: LAI order on file: haloperidol decanoate 100 mg IM q4 weeks (Dx F20.0)\n"
            "Last administered here: 11/10/2026, L dorsogluteal.\n"
            "Today: Haloperidol decanoate 100 mg IM was due. Pt refused the injection after "
            "counseling.\nNo medication administered.\n")
    assert S.GIVEN not in {s for _, s in _status_list(coder, text, date(2026, 12, 8))}


def test_a_plan_to_start_self_injecting_does_not_make_todays_dose_the_patients(coder):
    """A patient's own vial, drawn up and given by the nurse, stays the nurse's dose when the
    note ends on the plan to start self-injecting at home; "self-injected today" still is the
    patient's."""
    text = ("Brought her own vial: testosterone cypionate 200 mg/mL (pharmacy label checked).\n"
            "Given per standing order, 0.5 mL = 100 mg IM R ventrogluteal 10:05. Tolerated.\n"
            "Plans to start self-injecting at home next month.\n")
    [adm] = _given(coder, text)
    assert (adm.drug.name, adm.dose.value) == ("testosterone cypionate", 100)
    text = text.replace("Given per standing order, ", "She self-injected under observation, ")
    assert _given(coder, text) == []


def test_the_next_date_written_shorthand_dates_the_next_dose_not_todays_row(coder):
    """ "nxt 5/15" on today's dated row is the next dose's date; the row's dose is given."""
    text = "5/1 0915 depo-testosterone 1ml IM R VG lot QX1 tol. nxt 5/15 -jk ma\n"
    got = _status_list(coder, text)
    assert got[0] == ("testosterone cypionate", S.GIVEN)
    assert ("testosterone cypionate", S.PLANNED) in got[1:]


def test_immune_globulin_items_by_two_routes_are_two_injections(coder):
    """Rabies PEP: the immune globulin's total on its line, then indented items that infiltrate
    part around the wound (SC, at the wound) and give the rest IM; a "Given by" line closing
    the list charts both drugs. The parts must add up to the total and differ in route."""
    text = ("Plan:\n"
            "  Rabies PEP day 0:\n"
            "    HRIG (HyperRAB 300 IU/mL) 20 IU/kg x 90 kg = 1,800 IU = 6 mL\n"
            "      - 2 mL (600 IU) infiltrated SC into and around the R forearm wounds\n"
            "      - 4 mL (1,200 IU) IM L ventrogluteal\n"
            "    Imovax Rabies 1 mL IM L deltoid, lot Q1234\n"
            "    Given by P. Ortiz, RN 14:05-14:12. Observed 20 min.\n")
    got = [(a.drug.name, a.dose.value, a.route.value.value, a.site.laterality, a.site.location)
           for a in _given(coder, text)]
    assert got == [("rabies immune globulin", 600, "SC", "right", "other"),
                   ("rabies immune globulin", 1200, "IM", "left", "ventrogluteal"),
                   ("rabies vaccine", 1, "IM", "left", "deltoid")]
    # parts that do not add up to the total are not this dose's
    off = text.replace("(1,200 IU)", "(1,000 IU)")
    assert [a.dose.value for a in _given(coder, off) if a.drug.name.startswith("rabies imm")] == [
        1800]
    # a drug line indented as the other list, not opened by its drug, is no part of the list
    prose = text.replace("    HRIG (HyperRAB", "    Also HRIG (HyperRAB")
    assert [a.drug.name for a in _given(coder, prose)] == ["rabies vaccine"]


def test_a_dose_infiltrated_into_a_wound_is_given_there(coder):
    """"infiltrated ... into and around the L hand wounds" far from the drug's name is its
    given-word, and the wound (left, "other") is its site."""
    text = ("- HRIG (HyperRAB 300 IU/mL) 20 IU/kg x 30 kg = 600 IU = 2 mL, infiltrated subcut "
            "into and around the L hand wounds by me.\n")
    [adm] = _given(coder, text)
    assert (adm.dose.value, adm.route.value.value) == (600, "SC")
    assert (adm.site.laterality, adm.site.location) == ("left", "other")


def test_a_clock_led_plan_row_with_dose_and_site_charts_the_dose(coder):
    """"P: 13:45 diphenhydramine 50 mg R deltoid (RN ...)": a plan row opened by its clock
    time, with the dose and where it went, is given (no route written); the same row with no
    time is a plan."""
    text = ("A: Urticaria after a peanut exposure (T78.01XA).\n"
            "P: 13:45 diphenhydramine 50 mg R deltoid (RN K. Obi). Observe 4 h.\n")
    assert _status_list(coder, text)[0] == ("diphenhydramine", S.GIVEN)
    untimed = text.replace("13:45 ", "")
    assert ("diphenhydramine", S.GIVEN) not in _status_list(coder, untimed)


def test_dictated_total_time_in_words_is_read(coder):
    """EM time written out by a dictation system ("thirty two minutes") is minutes."""
    text = ("Plan: Toradol 60 mg IM given L deltoid, tolerated. I spent thirty two minutes total "
            "on the date of the encounter, including history and counseling period\n")
    ex = coder.extractor.extract(text, date(2026, 5, 1))
    assert ex.em.time_minutes == 32
    assert ex.em.time_evidence.text.endswith("thirty two minutes")


def test_given_per_a_named_doctors_orders_is_no_pending_order(coder):
    """"Meds given per Dr. Lindgren's orders:" over timed rows charts the doses given; the
    possessive doctor's name is still the authority for them, not an order waiting."""
    text = ("Meds given per Dr. Okafor's orders:\n"
            "  0912 thiamine 100 mg IM L deltoid (100 mg/mL vial, lot T1)\n"
            "  0913 cyanocobalamin 1,000 mcg IM R deltoid (lot C2)\n")
    assert _status_list(coder, text) == [("thiamine", S.GIVEN), ("cyanocobalamin", S.GIVEN)]


def test_a_relayed_order_after_the_drug_is_the_order_the_visit_carries_out(coder):
    """"Reason: ceftriaxone IM x1 per NP order" names the order; the dose charted below it is
    the one administration (not a second dose at another time)."""
    text = ("NURSE VISIT 15:40\n"
            "Reason: ceftriaxone IM x1 per NP order from the 09:20 visit. Dx pyelonephritis.\n"
            "Ceftriaxone 1 g reconstituted w/ lidocaine -> given IM R ventrogluteal 15:48.\n")
    got = [(n, st) for n, st in _status_list(coder, text) if n == "ceftriaxone"]
    assert got == [("ceftriaxone", S.GIVEN)]
    alone = "Reason: ceftriaxone 1 g IM x1 per NP order.\n"
    assert _status_list(coder, alone) == [("ceftriaxone", S.ORDERED)]


def test_her_own_named_vial_is_whose_vial_not_who_gave_it(coder):
    """"Her own cyanocobalamin 1000 mcg/mL vial from CVS: 1 mL IM L deltoid, given by me": the
    patient supplied the drug (no drug line) and the clinician gave it; "carries her own
    epinephrine autoinjector" beside a clinic-stock dose says nothing of that dose."""
    text = ("B12 deficiency (D51.0). Her own cyanocobalamin 1000 mcg/mL vial from the pharmacy "
            "(labeled for her): 1 mL IM L deltoid, given by me 11:25. Tolerated.\n")
    [adm] = _given(coder, text)
    assert adm.supplied_by_patient is not None
    assert adm.supplied_by_patient.evidence.text.lower() == "her own"
    stock = ("Omalizumab 150 mg SC L posterior upper arm 10:02, clinic stock. Observed 30 min. "
             "Carries her own epinephrine autoinjector.\n")
    assert [a.supplied_by_patient for a in _given(coder, stock)] == [None]


def test_a_total_as_two_prefilled_syringes_abbreviated_pfs_is_split(coder):
    """MOD-02: "210 mg = two 105 mg/1.17 mL PFS" over one row per syringe with its site: two
    injections of 105 mg."""
    text = ("Evenity (romosozumab) 210 mg = two 105 mg/1.17 mL PFS, given SC back to back:\n"
            "   #1 105 mg R abdomen 10:15\n   #2 105 mg L abdomen 10:16\n")
    got = [(a.dose.value, a.site.laterality) for a in _given(coder, text)]
    assert got == [(105, "right"), (105, "left")]


def test_remainder_discarded_as_its_own_statement_after_a_vial_dose_is_waste(coder):
    """"...vial reconstituted ...; 600 mg (1.7 mL) IM R vastus lateralis 20:05. Remainder
    discarded." is the vial's rest (waste), not a dose cut short, though on the vial's line;
    "pulled away after 0.6 mL, remainder discarded" stays a dose stopped part way."""
    text = ("MAR: ceftriaxone 1 g vial reconstituted with 2.1 mL 1% lidocaine = 350 mg/mL; 600 mg "
            "(1.7 mL) IM R vastus lateralis 20:05. Remainder discarded. No reaction.\n")
    assert _status_list(coder, text) == [("ceftriaxone", S.GIVEN)]
    cut = ("MAR: ceftriaxone 1 g vial reconstituted with 2.1 mL 1% lidocaine = 350 mg/mL; pt "
           "pulled away after 0.6 mL, remainder discarded.\n")
    assert _status_list(coder, cut) == [("ceftriaxone", S.DISCONTINUED)]


def test_a_skin_test_placed_on_an_earlier_day_is_read_today_not_placed(coder):
    # the abbreviation TST names the skin test; the product in brackets is the same dose
    placed = ("TST placed 11/02/2026 0710 R volar forearm (Aplisol 0.1 mL ID). Read 11/04/2026"
              " 0705 = 48 h: 0 mm induration. NEGATIVE.")
    assert _status_list(coder, placed, date(2026, 11, 4)) == [
        ("tuberculin purified protein derivative", S.HISTORICAL)]
    # the placement date in an aside right after the name
    aside = ("TST READ (placed 04/12/2026 07:05, L volar forearm, Tubersol lot T55190):\n"
             "  Induration: 0 mm     Result: NEGATIVE")
    assert {st for _, st in _status_list(coder, aside, date(2026, 4, 14))} == {S.HISTORICAL}
    # a day and month hyphenated, with no year
    dashed = "1) Annual TST read - placed 20-SEP 0710 here, R volar forearm: 0 mm at 48 h. NEG."
    assert _status_list(coder, dashed, date(2026, 9, 22)) == [
        ("tuberculin purified protein derivative", S.HISTORICAL)]
    today = "TST placed today 0710 L volar forearm, Tubersol 0.1 mL ID. Return 48-72 h to read."
    assert [a.drug.name for a in _given(coder, today, date(2026, 9, 22))] == [
        "tuberculin purified protein derivative"]
    # an aside far from the name dates an earlier dose, not the one due
    due = ("3. B12 deficiency (E53.8) - next B12 shot due at nurse visit 10/22/2026, not today "
           "(given 9/17).")
    assert ("cyanocobalamin", S.PLANNED) in _status_list(coder, due, date(2026, 10, 15))


def test_a_dash_separated_row_keeps_its_route_in_the_rows_statement(coder):
    # "- IM -" in a row of fields is the row's route, not a new statement, so the list's
    # "Administered:" reaches the second row too
    text = ("Administered:\n"
            "  Flucelvax Trivalent 2026-2027 - 0.5 mL - IM - left deltoid - lot 412778\n"
            "  Boostrix (Tdap) - 0.5 mL - IM - right deltoid - lot 7BX2J - exp 03/2028\n"
            "Dx: Z23 Encounter for immunization")
    assert [a.drug.name for a in _given(coder, text)] == ["influenza vaccine", "tdap vaccine"]
    # a dash before the route alone, with no field after it, still ends the statement: the
    # total written under two syringes is no third amount of the second
    text = ("Dose 1 of 3 today:\n"
            "  Bicillin L-A 1,200,000 units/2 mL syringe #1 - IM R dorsogluteal 13:42\n"
            "  Bicillin L-A 1,200,000 units/2 mL syringe #2 - IM L dorsogluteal 13:43\n"
            "  Total 2,400,000 units. Lot 5PB29 (both), exp 11/2027. Injected slowly.")
    assert [d for _, st, d in _doses(coder, text) if st is S.GIVEN] == [
        (Decimal(1200000), "units"), (Decimal(1200000), "units")]


def test_another_strengths_package_on_backorder_is_no_dose_withheld(coder):
    text = ("Med admin: cefTRIAXone 1 g vial (500 mg vials on backorder), reconstituted w/ 2.1 mL "
            "1% lidocaine = 350 mg/mL; 500 mg (1.43 mL) IM L ventrogluteal at 11:48.")
    assert _doses(coder, text) == [("ceftriaxone", S.GIVEN, (Decimal(500), "mg"))]
    held = "Ceftriaxone 500 mg IM not given: ceftriaxone vials on backorder. Sent to ED."
    assert _status_list(coder, held) == [("ceftriaxone", S.NOT_GIVEN)]


@pytest.mark.parametrize(("text", "drug"), [
    ("9/15 testo cyp 200mg/1mL IM R glute UOQ, lot T5520, tol. -K. Holt MA",
     "testosterone cypionate"),
    ("Administered by RN as demo dose: belimumab 200 mg SC R anterior thigh @ 13:40.",
     "belimumab"),
    ("Benlysta 200 mg SC L abdomen given by RN at 10:05.", "belimumab"),
])
def test_shorthand_and_biologic_names_from_rheumatology_notes(coder, text, drug):
    assert [a.drug.name for a in _given(coder, text, date(2026, 9, 15))] == [drug]


def test_a_kit_placed_in_the_patients_property_is_handed_over_not_given(coder):
    text = ("Vivitrol 380 mg IM R gluteal at 1412. Tolerated.\n"
            "Release packet: Narcan nasal 4 mg kit x2 placed in property.")
    assert [a.drug.name for a in _given(coder, text)] == ["naltrexone"]


def test_the_amount_of_a_two_chamber_act_o_vial_is_its_package_not_the_dose(coder):
    text = ("Plan: Solu-Medrol given in the home. The 125 mg Act-O-Vial was mixed, 80 mg (1.28 mL) "
            "drawn up and given IM into the right ventrogluteal at 2:40 PM, the remaining 45 mg "
            "discarded.")
    assert _doses(coder, text) == [
        ("methylprednisolone sodium succinate", S.GIVEN, (Decimal(80), "mg"))]


def test_a_dose_given_from_the_patients_own_emergency_kit_is_patient_supplied(coder):
    text = ("Per his DMMP I gave glucagon from his own emergency kit that we keep in the health "
            "office (GlucaGen HypoKit, pharmacy label with his name): mixed, 1 mg IM into his "
            "left outer thigh at 10:44.")
    given = _given(coder, text)
    assert [a.drug.name for a in given] == ["glucagon"]
    assert given[0].supplied_by_patient is not None


def test_a_lab_row_named_after_a_hormone_is_no_drug(coder):
    text = ("Row                     | 09/22/2025        | 03/24/2026\n"
            "Medication              | Eligard 45 mg     | Eligard 45 mg\n"
            "Testosterone (ng/dL)    | 18                | 14\n"
            "Route                   | SC                | SC\n"
            "Administered by         | K. Ames, RN       | K. Ames, RN\n"
            "RN note 03/24/2026: Eligard mixed per kit instructions, injected SC L lower abdomen "
            "09:40.")
    names = {a.drug.name for a in _given(coder, text, date(2026, 3, 24))}
    assert names == {"leuprolide"}
    # a strength column in the drug's own unit stays a drug's
    text = "Haloperidol decanoate (mg/mL) 100, 1.5 mL IM L deltoid given 10:12."
    assert [a.drug.name for a in _given(coder, text)] == ["haloperidol decanoate"]


def test_an_aside_with_the_doses_own_amount_and_route_dates_that_dose(coder):
    induction = ("34F, Crohn's (K50.80) - wk 8 post Stelara IV induction (390 mg IV 05/12/2026, "
                 "Summit infusion ctr).\nRN addendum 11:20: Stelara 90 mg/1 mL PFS (clinic stock) "
                 "SC R lower abdomen, lot 4PL22. Tol well.")
    assert _doses(coder, induction, date(2026, 7, 7)) == [
        ("ustekinumab", S.HISTORICAL, (Decimal(390), "mg")),
        ("ustekinumab", S.GIVEN, (Decimal(90), "mg"))]


def test_schedule_as_a_noun_is_no_plan(coder):
    """"Vaccines (immunocompromised schedule): Shingrix dose 1 ... given by me" is given today:
    the schedule the doses follow is no dose to be scheduled; "will schedule" still plans."""
    text = ("Vaccines (immunocompromised schedule): Shingrix dose 1, 0.5 mL IM R deltoid, lot "
            "7GH2C, exp 02/2028, given by me 14:25. VIS given.\nM. Okonkwo, PharmD")
    assert _status_list(coder, text) == [("zoster vaccine", S.GIVEN)]
    assert _status_list(coder, "Per CDC schedule, Shingrix 0.5 mL IM L deltoid given.") == [
        ("zoster vaccine", S.GIVEN)]
    planned = "Will schedule Shingrix 0.5 mL IM with the nurse."
    assert _status_list(coder, planned) == [("zoster vaccine", S.PLANNED)]


def test_established_as_a_demographic_item(coder):
    """EM-07: "38 y/o M, established." and "Visit type: Est" state the patient status; a
    diagnosis "established" mid-sentence does not."""
    for text in ("38 y/o M, established. Here to discuss travel.",
                 "Visit type: Est\nChief complaint: cough x3 days."):
        assert coder.extractor.extract(text, date(2026, 5, 1)).em.patient_status == "established"
    text = "Diagnosis of RA established, on methotrexate. Cough x3 days."
    assert coder.extractor.extract(text, date(2026, 5, 1)).em.patient_status is None


def test_a_thing_handed_over_is_no_dose_given(coder):
    """"Sharps container given. Dosing calendar given." after a teaching visit's drugs hands
    over things, not a dose: the drug stays ungiven. "Injection given." still charts it."""
    text = ("IVF teaching visit. Demonstrated on practice pad: Menopur mixing with Q-cap.\n"
            "Storage reviewed (Menopur room temp). Sharps container given. Dosing calendar "
            "given.\nN. Feldstein, PharmD")
    assert not _given(coder, text)
    shot = ("Storage reviewed (Menopur room temp). 75 IU SC L abdomen. Injection given.\n"
            "N. Feldstein, PharmD")
    assert [a.drug.name for a in _given(coder, shot)] == ["menotropins"]


def test_reconstitution_volume_with_no_diluent_named_is_not_the_dose(coder):
    """"Novarel 5,000 USP units/vial, recon w/ 5 mL" then "1,000 units = 1 mL": the volume the
    powder is mixed in is the vial's, so the dose is 1,000 units; a "1% lidocaine" after the
    volume is still that drug's own volume."""
    row = ("| 21:02 | Novarel 5,000 USP units/vial, recon w/ 5 mL (clinic) | 1,000 units = 1 mL | "
           "IM | R glute | J. Sato RN |")
    hcg = ("chorionic gonadotropin", S.GIVEN, (Decimal("1000"), "units"))
    assert _doses(coder, row) == [hcg]
    text = "Novarel 5,000 units/vial, recon w/ 5 mL: 1,000 units IM R glute by J. Sato RN"
    assert _doses(coder, text) == [hcg]


def test_a_dictated_plan_then_carried_out_in_one_sentence_is_given(coder):
    """A run-on dictated sentence states the plan and that it was carried out: "we will give
    Toradol 30 milligrams ... today which was administered by Marcy" is given; "will be given
    by the nurse" is still a plan. "right ventral gluteal" is the ventrogluteal site."""
    text = ("he would like something for the pain right now so we will give Toradol 30 "
            "milligrams IM in the right ventral gluteal today which was administered by Marcy "
            "our medical assistant at 10:40 and he tolerated it well")
    [given] = _given(coder, text)
    assert given.site is not None and given.site.location == "ventrogluteal"
    planned = ("so we will give Toradol 30 milligrams IM in the right ventral gluteal which "
               "will be given by the nurse before discharge")
    assert _status_list(coder, planned) == [("ketorolac", S.PLANNED)]


def test_an_order_heading_over_timed_rows_is_carried_out(coder):
    """"Orders per NP:" over " 1422  Solu-Medrol 125 mg IM ..." charts the orders as carried
    out, row by row on today's timeline; an order heading over untimed rows stays ordered."""
    text = ("Seen by K. Albers, NP (see NP note).\nOrders per NP:\n 1422  Solu-Medrol 125 mg IM L "
            "ventrogluteal\n 1424  Benadryl 50 mg IM R ventrogluteal\n"
            "D/C 1515.  -- M. Farrelly, RN")
    assert [n for n, st in _status_list(coder, text) if st is S.GIVEN] == [
        "methylprednisolone sodium succinate", "diphenhydramine"]
    sentence = text.replace("Orders per NP:", "Orders per NP, not yet given")
    assert ("methylprednisolone sodium succinate", S.GIVEN) not in _status_list(coder, sentence)
