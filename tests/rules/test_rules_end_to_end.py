"""Catalog rules end to end: a short note per rule ID, the case that triggers it and a near miss."""

from __future__ import annotations

import pytest

from models import Encounter, Severity
from tests.helpers import assert_spans_match

GIVEN = "Dx: renal colic (N23). Toradol 60 mg IM R gluteal given by K. Ruiz, RN. Dr. Lee on site."
EM = ("HPI: 3 days of right flank pain radiating to the groin. Exam: right CVA tenderness, "
      "abdomen soft. Assessment: renal colic (N23). ")


def _code(coder, text: str, **meta):
    meta.setdefault("date_of_service", "2026-03-02")
    enc = Encounter(text=text, **meta)
    result = coder.code(enc)
    assert_spans_match(text, result)
    return result


def _lines(result):
    return sorted((ln.code, tuple(ln.modifiers), ln.units) for ln in result.lines)


def _ids(result, severity=None):
    return {f.rule_id for f in result.findings if severity is None or f.severity is severity}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Pt declined the Toradol 60 mg IM injection today. Renal colic (N23).",
                     id="declined"),
        pytest.param("Toradol 60 mg IM was given 2 weeks ago at urgent care. Renal colic (N23).",
                     id="earlier-visit"),
        pytest.param("Will start Toradol 60 mg IM next visit if pain persists. Renal colic (N23).",
                     id="planned"),
        pytest.param("Home meds:\n- Vivitrol 380 mg IM monthly\n\nAssessment: OUD (F11.20).",
                     id="med-list"),
    ],
)
def test_not_given_gets_no_96372(coder, text):
    result = _code(coder, text, place_of_service="11")
    assert "96372" not in {ln.code for ln in result.lines}
    assert result.status.value == "no_charge"


def test_code01_and_drug02(coder):
    r = _code(coder, GIVEN, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J1885", (), 4)]
    assert r.status.value == "ready"
    assert {"CODE-01"} <= set(r.lines[0].rule_ids)


def test_code02_vaccine_is_not_96372(coder):
    r = _code(coder, "Shingrix 0.5 mL IM L deltoid given, lot X1. Dr. Lee on site.",
              place_of_service="11")
    assert _lines(r) == [("90471", (), 1), ("90750", (), 1)]
    assert [d.code for d in r.diagnoses] == ["Z23"]


def test_code02_unnamed_flu_vaccine_asks_for_product(coder):
    r = _code(coder, "Flu shot given IM R deltoid. Dr. Lee on site.", place_of_service="11")
    assert ("90471", (), 1) in _lines(r)
    assert "CODE-02" in _ids(r, Severity.WARNING)
    assert r.status.value == "needs_review"


def test_code02_vaccine_product_code_from_the_brands_dosage(coder):
    """CODE-02: a brand with adult, pediatric and dialysis codes takes the one its documented
    dose or formulation names (kb/vaccine_doses.csv); without a dose the coder chooses."""
    cases = [
        ("Havrix 1 mL IM R deltoid given by RN.", "90632"),
        ("Havrix 0.5 mL IM L vastus lateralis given by RN.", "90633"),
        ("Havrix 1440 EL.U/1 mL IM, L deltoid, given by RN.", "90632"),  # the adult strength
        ("Engerix-B 20 mcg IM L deltoid given by RN.", "90746"),
        ("Recombivax HB dialysis formulation 40 mcg/1 mL IM R deltoid given by RN.", "90740"),
        ("Engerix-B 20 mcg/mL (dialysis dosing) 2 x 1 mL IM R and L deltoid given by RN.", "90747"),
        # Fluarix is one presentation in two formulas: the valency on its line decides
        ("Fluarix (influenza vaccine, trivalent, PF syringe) 0.5 mL IM L deltoid given by RN.",
         "90656"),
        ("Fluarix 2023-2024 quadrivalent 0.5 mL IM L deltoid given by RN.", "90686"),
    ]
    for text, code in cases:
        r = _code(coder, "Dr. Lee on site. " + text, place_of_service="11")
        products = {ln.code for ln in r.lines} - {"90471", "90472"}
        assert products == {code}, (text, products)
        assert "CODE-02" not in _ids(r, Severity.WARNING)
    r = _code(coder, "Dr. Lee on site. Havrix given IM R deltoid by RN.", place_of_service="11")
    assert "CODE-02" in _ids(r, Severity.WARNING)
    assert not {"90632", "90633"} & {ln.code for ln in r.lines}


def test_code04_iv_push(coder):
    r = _code(coder, "Ondansetron 4 mg IV push given at 10:05 for nausea with vomiting (R11.2).",
              place_of_service="11")
    assert ("96374", (), 1) in _lines(r) and "96372" not in {ln.code for ln in r.lines}


def test_code04_additional_pushes_are_one_add_on_line_with_units(coder):
    text = ("Urticaria (L50.9). IV access placed. Benadryl 50 mg IV push 10:05, Solu-Medrol "
            "125 mg IV push 10:08, Pepcid 20 mg IV push 10:10. Hives resolved.")
    r = _code(coder, text, place_of_service="11")
    pushes = [ln for ln in r.lines if ln.code in ("96374", "96375")]
    assert [(ln.code, ln.units) for ln in pushes] == [("96374", 1), ("96375", 2)]
    assert {sp.text for sp in pushes[1].evidence} >= {"Solu-Medrol", "Pepcid"}


def test_code10_trigger_point_and_intralesional_take_their_procedure_code(coder):
    tpi = ("Procedure: trigger point injections for myofascial pain (M79.18). Kenalog-40 1 mL "
           "(40 mg) + 0.25% bupivacaine 4 mL; 1 mL injected into each of 4 trigger points "
           "(3 muscles).")
    r = _code(coder, tpi, place_of_service="11")
    assert _lines(r) == [("20553", (), 1), ("J3301", (), 4)]
    assert "DOC-03" not in _ids(r)
    keloid = ("Keloid scars (L91.0), two lesions. Kenalog-10 injected intralesionally, 0.5 mL "
              "into each (10 mg total).")
    assert [ln for ln in _lines(_code(coder, keloid, place_of_service="11"))
            if ln[0].startswith("119")] == [("11900", (), 1)]
    # muscles not counted: the smaller code, for review
    r = _code(coder, "Myofascial pain (M79.18). Lidocaine 1% 2 mL injected at each trigger point.",
              place_of_service="11")
    assert _lines(r) == [("20552", (), 1)]
    assert "CODE-10" in _ids(r, Severity.WARNING) and r.status.value == "needs_review"


@pytest.mark.parametrize(
    ("procedure", "code"),
    [
        pytest.param("Procedure: Left greater occipital nerve block, landmark technique",
                     "64405", id="occipital-nerve"),
        pytest.param("Procedure: Injection, L 3rd interspace neuroma", "64455",
                     id="interdigital-neuroma"),
        pytest.param("PROCEDURE - L 1st dorsal compartment injection:", "20550",
                     id="first-dorsal-compartment"),
        pytest.param("Procedure: Injection, left plantar fascia (medial band)", "20550",
                     id="plantar-fascia"),
    ],
)
def test_code10_injection_procedures_named_by_target(coder, procedure, code):
    # the procedure's injectate is given by it (no IM route of its own): the procedure's code
    # and the drug line, no 96372; a separate IM shot for another problem is 96372-XS (MOD-07)
    text = (f"Dx: M79.18.\n{procedure}\nInjectate: dexamethasone sodium phosphate 4 mg/mL, "
            "1 mL with 1% lidocaine 1 mL.\nKetorolac 60 mg IM R gluteal given by J. Soto, LPN "
            "for a flare of low back pain (M54.50).")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [(code, (), 1), ("96372", ("XS",), 1), ("J1100", (), 4),
                         ("J1885", (), 4)]
    assert "DOC-03" not in _ids(r)
    # the diagnosis alone names no procedure: the IM shot is a plain 96372
    text = ("Occipital neuralgia (M54.81); plantar fasciitis (M72.2). Discussed an occipital "
            "nerve block at the next visit.\nKetorolac 60 mg IM R gluteal given by J. Soto, LPN.")
    assert _lines(_code(coder, text, place_of_service="11")) == [("96372", (), 1),
                                                                  ("J1885", (), 4)]


def test_code10_trigger_point_injectate_line_without_a_verb(coder):
    # "Injectate:" under the procedure line lists what the procedure injected; the count of
    # muscles picks 20553 and the local anaesthetic has no drug line
    text = ("PROCEDURE: Trigger point injections\nMuscles: L upper trap, R upper trap, "
            "L levator scap, R rhomboid (4 muscles)\nInjectate: 1% lidocaine, 1 mL per trigger "
            "point, 4 mL total\nMyalgia (M79.1).")
    assert _lines(_code(coder, text, place_of_service="11")) == [("20553", (), 1)]
    # an injectate line with no procedure performed above it stays unknown (not given)
    text = "Plan: trigger point injections next visit.\nInjectate: 1% lidocaine 4 mL.\nM79.1."
    assert _lines(_code(coder, text, place_of_service="11")) == []


def test_code10_intralesional_and_a_separate_im_shot_of_the_same_drug(coder):
    # the procedure's drug and a separate IM injection for another problem: 11900 and 96372-XS,
    # one J3301 line for the two amounts (15 mg + 40 mg = 6 units of 10 mg)
    text = ("Dx: keloids (L91.0); severe contact dermatitis (L23.7).\n"
            "Procedure: intralesional injection, 3 lesions. Kenalog-10 (10 mg/mL) 0.6 mL, "
            "0.5 mL and 0.4 mL = 1.5 mL total, 30G needle. Tolerated.\n"
            "For the dermatitis: Kenalog-40 40 mg IM R gluteal given by the MA.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("11900", (), 1), ("96372", ("XS",), 1), ("J3301", (), 6)]
    # dermatology shorthand: "ILK" is the intralesional procedure; nine patches are 11901
    text = ("Alopecia areata (L63.9), 9 patches on the scalp. ILK: Kenalog-10 diluted to 5 mg/mL, "
            "0.2 mL into each patch, total 1.8 mL (9 mg). Tolerated.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("11901", (), 1), ("J3301", (), 1)]


def test_code06_joint_injection_replaces_96372(coder):
    text = ("Procedure: right knee intra-articular injection for primary OA right knee (M17.11). "
            "Kenalog 40 mg injected into the joint. Tolerated well.")
    r = _code(coder, text, place_of_service="11")
    codes = {ln.code for ln in r.lines}
    assert "20610" in codes and "J3301" in codes and "96372" not in codes


def test_pos01_facility_suppresses_administration_and_drug(coder):
    r = _code(coder, EM + "Toradol 60 mg IM R gluteal given.", place_of_service="23",
              billed_em="99284")
    assert _lines(r) == [("99284", (), 1)]


def test_pos01_esrd_facility_suppresses_drugs_but_not_vaccines(coder):
    # POS 65: the dialysis unit's ESA and its administration are the facility's (ESRD PPS
    # consolidated billing); a vaccine given there stays on the claim, and POS 11 keeps the ESA
    esa = ("ESRD on HD (N18.6, Z99.2), anemia of CKD (D63.1). Epogen 4,000 units SC L upper arm "
           "given by RN. Dr. Lee on site.")
    r = _code(coder, esa, place_of_service="65")
    assert not {ln.code for ln in r.lines} & {"96372", "Q4081", "J0885"}
    assert "POS-01" in _ids(r)
    office = {ln.code for ln in _code(coder, esa, place_of_service="11").lines}
    assert "96372" in office
    vaccine = ("ESRD on HD (N18.6). Recombivax HB 40 mcg IM L deltoid given by RN. Dr. Lee on "
               "site.")
    assert "90471" in {ln.code for ln in _code(coder, vaccine, place_of_service="65").lines}


def test_pos02_telehealth_with_injection_is_an_error(coder):
    r = _code(coder, "Video visit. " + GIVEN, place_of_service="10")
    assert "POS-02" in _ids(r, Severity.ERROR)
    assert r.status.value == "incomplete"


def test_pos02_from_the_note_and_an_unchecked_telehealth_box(coder):
    # the practitioner's part of the visit by video, the shot in person: POS-02 whatever the POS
    text = ("Psychiatrist: Dr. Feinberg via secure VIDEO 13:05-13:35, interviewed pt.\n" + GIVEN)
    assert "POS-02" in _ids(_code(coder, text, place_of_service="15"), Severity.ERROR)
    # a visit-type checkbox left empty says the visit was not telehealth
    text = "Visit type: [ ] New  [X] Established  [ ] Telehealth  [ ] Group\n" + GIVEN
    assert "POS-02" not in _ids(_code(coder, text))


def test_pos02_a_phone_note_about_yesterdays_shot_is_no_charge(coder):
    # the shot was given yesterday at another clinic (its note "received by fax"); the only dose
    # today is the parent's acetaminophen by mouth, which needs no one present
    text = ("TELEPHONE ENCOUNTER\nMom states she was seen at urgent care yesterday, got a "
            "\"Rocephin shot in the leg\" (UC note received by fax: ceftriaxone 600 mg IM R thigh "
            "03/01 18:50). Fever 101.8 this am, gave Tylenol 5 mL at 0700.\n"
            "Recheck tomorrow with Dr. Patel.")
    r = _code(coder, text, place_of_service="02")
    assert _lines(r) == []
    assert "POS-02" not in _ids(r)
    assert r.status.value == "no_charge"


def test_pos05_fqhc_named_by_the_practice_itself(coder):
    text = "Practice: Cascadia Family Health Centers - a Federally Qualified Health Center\n" + GIVEN
    assert "POS-05" in _ids(_code(coder, text), Severity.WARNING)
    # a referral to one elsewhere does not make this visit an FQHC visit
    text = GIVEN + " Referred to the FQHC across town for dental care."
    assert "POS-05" not in _ids(_code(coder, text))


def test_em01_99211_with_injection(coder):
    r = _code(coder, GIVEN, place_of_service="11", billed_em="99211")
    assert "EM-01" in _ids(r, Severity.ERROR)
    assert "99211" not in {ln.code for ln in r.lines}


def test_em02_modifier_25_on_em_not_on_96372(coder):
    r = _code(coder, EM + GIVEN, place_of_service="11", billed_em="99213")
    lines = _lines(r)
    assert ("99213", ("25",), 1) in lines and ("96372", (), 1) in lines


def test_em03_billed_em_without_documentation(coder):
    r = _code(coder, GIVEN, place_of_service="11", billed_em="99213")
    assert "EM-03" in _ids(r, Severity.ERROR)


def test_em03_not_raised_when_dictation_starts_a_prescription(coder):
    """Prescription drug management dictated with the unit spelled out is decision making."""
    text = ("Established patient, cough and fever for five days, crackles at the right base. "
            "Assessment community acquired pneumonia right lower lobe. Plan Rocephin one "
            "gram IM given in the right gluteus here in clinic, then start doxycycline 100 "
            "milligrams twice daily for 7 days.")
    r = _code(coder, text, place_of_service="11", billed_em="99214")
    assert "EM-03" not in _ids(r)
    assert ("99214", ("25",), 1) in _lines(r)


@pytest.mark.parametrize("title", ["BEHAVIORAL HEALTH LAI CLINIC - INJECTION RECORD",
                                   "Injection log", "Encounter Type: Nurse Only",
                                   "SATURDAY INJECTION CLINIC - RN ONLY"])
def test_a_nurse_pre_injection_screen_under_an_injection_record_title_is_no_em(coder, title):
    """An RN's pre-injection check (symptoms, BP) on an injection record is not an E/M."""
    text = (f"{title}\nDx: Schizophrenia (F20.0)\nPre-injection: denies SI/HI, sleeping 7 h. "
            "BP 118/76.\nInvega Sustenna 156 mg IM L deltoid. Tolerated.\n- M. Okonkwo, RN\n")
    r = _code(coder, text, place_of_service="11")
    assert "EM-06" not in _ids(r)
    assert not r.em.significant


def test_em06_billed_em_alone_when_the_shot_is_only_scheduled(coder):
    """A follow-up whose injection is booked for a later nurse visit bills its E/M alone, without
    25; the later nurse visit does not make this an injection-only visit."""
    text = ("Endocrinology follow-up. Osteoporosis (M81.0) on denosumab; last Prolia 07/14/2026. "
            "Reviewed ONJ risk before her dental implant.\nPlan: Prolia not due today. Order "
            "signed for Prolia 60 mg SC at the 01/14/2027 nurse visit.")
    r = _code(coder, text, date_of_service="2026-12-10", place_of_service="11",
              billed_em="99213")
    assert _lines(r) == [("99213", (), 1)]
    assert r.status.value == "ready"


@pytest.mark.parametrize(("before", "billed"), [
    ("Prolia 60 mg SC is ordered for her nurse visit on June 3rd, not today.", True),
    ("She is here today for her nurse visit.", False),
])
def test_em03_a_nurse_visit_the_plan_points_to_is_not_this_visit(coder, before, billed):
    """EM-03: "ordered for her nurse visit on June 3rd" names a later visit, so the physician's
    evaluation of today stands; "here today for her nurse visit" is this one."""
    text = (EM + "Total time 30 minutes. " + before + " " + GIVEN)
    r = _code(coder, text, place_of_service="11", patient_status="established",
              billed_em="99214")
    assert (("99214", ("25",), 1) in _lines(r)) is billed
    assert ("EM-03" in _ids(r, Severity.ERROR)) is not billed


def test_em06_level_by_time_and_needs_coder_without_it(coder):
    timed = _code(coder, EM + "Total time spent on the date of the encounter: 32 minutes. "
                  + GIVEN, place_of_service="11", patient_status="established")
    assert ("99214", ("25",), 1) in _lines(timed)
    untimed = _code(coder, EM + GIVEN, place_of_service="11")
    assert "EM-06" in _ids(untimed, Severity.WARNING)
    assert not any(ln.kind.value == "em" for ln in untimed.lines)


def test_drug08_medicaid_requires_ndc_and_normalises_it(coder):
    r = _code(coder, GIVEN, place_of_service="11", payer="medicaid")
    assert "DRUG-08" in _ids(r, Severity.ERROR)
    with_ndc = _code(coder, GIVEN + " NDC 0409-3795-01.", place_of_service="11",
                     payer="medicaid")
    drug = next(ln for ln in with_ndc.lines if ln.code == "J1885")
    assert drug.ndc == "00409-3795-01"


def test_drug10_vintage_notice_and_terminated_code_replacement(coder):
    r = _code(coder, "Depo-Medrol 40 mg IM L deltoid given for RA (M05.79). Dr. Lee on site.",
              place_of_service="11")
    assert ("J1010", (), 40) in _lines(r)
    notes = [f.message for f in r.findings if f.rule_id == "DRUG-10"]
    assert any("J1030" in n and "J1010" in n for n in notes)
    assert any("older than the date of service" in n for n in notes)


def test_dx02_invalid_code_is_an_error_and_dx03_missing_indication(coder):
    r = _code(coder, GIVEN.replace("(N23)", "(M54.5)"), place_of_service="11")
    assert "DX-02" in _ids(r, Severity.ERROR)
    r2 = _code(coder, "Toradol 60 mg IM R gluteal given by RN. Dr. Lee on site.",
               place_of_service="11")
    assert "DX-03" in _ids(r2, Severity.ERROR)


def test_mod01_second_injection_gets_xs(coder):
    text = ("RA (M05.79) and pernicious anemia (D51.0). Depo-Medrol 40 mg IM left deltoid given. "
            "Cyanocobalamin 1,000 mcg IM right deltoid given. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert [ln.modifiers for ln in r.lines if ln.code == "96372"] == [(), ("XS",)]


def test_doc12_staff_injection_without_supervision(coder):
    r = _code(coder, "Renal colic (N23). Toradol 60 mg IM R gluteal given by K. Ruiz, RN.",
              place_of_service="11")
    assert "DOC-12" in _ids(r, Severity.WARNING)
    near_miss = _code(coder, GIVEN, place_of_service="11")
    assert "DOC-12" not in _ids(near_miss)


@pytest.mark.parametrize("supervision", [
    "Orders (Dr. Y. Abiodun, present in clinic):",
    "Date 03/26/2026 | Allergist on site: Dr. P. Venkataraman",
    "Provider on site: E. Blum, WHNP",
    "Provider: Grace Okafor, WHNP-BC (in clinic)",
    "Seen today by Dr. Hannah Cole for her prenatal visit.",
    "Order: Dr. Ana Sorensen (saw pt today - see her note)",
    "Order: Haloperidol decanoate 100 mg IM q4 weeks (Dr. P. Lindgren, psychiatrist - on site "
    "today)",
    "Ordering: Dr. Michael Ray (in office)",
    "RN VISIT - 04/20/2026 - Dr. M. Solberg (supervising, in clinic)",
    "Given by: J. Patel, MA   Ordered by: Dr. Moreno (seen today)",
    "Dr. Pruitt stepped in - lungs clear, ok to give.",
    "Provider: Thomas Okafor, DPM",
    "Prescriber: A. Lund, PMHNP-BC",
    "Ordering/on site: Dr. Marcus Abernathy (pulmonology)",
    "-P.Gaines LPN. Dr. Iyer in ofc.",
])
def test_doc12_practitioner_present_written_as_a_label(coder, supervision):
    text = (supervision + "\nRenal colic (N23). Toradol 60 mg IM R gluteal given by K. Ruiz, "
            "RN.\n")
    assert "DOC-12" not in _ids(_code(coder, text, place_of_service="11"))


@pytest.mark.parametrize("order", [
    "Per Dr. Feldman's standing order (signed 07/2025):",
    "Ordering: Dr. Michael Ray (office closed today; phone order)",
    "Ordered by: Dr. Moreno, last seen 01/12/2026",
    "No provider on site today (Saturday clinic); Dr. Feldman on call by phone.",
    "Dr. Feldman not in clinic today; no other provider in clinic.",
])
def test_doc12_a_named_orderer_who_is_not_there_is_no_supervision(coder, order):
    text = order + "\nRenal colic (N23). Toradol 60 mg IM R gluteal given by K. Ruiz, RN.\n"
    assert "DOC-12" in _ids(_code(coder, text, place_of_service="11"), Severity.WARNING)


def test_doc17_an_unchosen_form_option_is_no_route(coder):
    text = ("Product:\n  [ ] Depo-Provera CI 150 mg/mL  IM (deltoid / gluteal)\n"
            "  [x] depo-subQ provera 104  104 mg/0.65 mL  SC (anterior thigh / abdomen)\n"
            "Pregnancy test: [ ] done  [x] not indicated\nSite given: left lower abdomen\n"
            "Dx: Z30.42\nAdministered by: R. Sato, MA   Provider on site: E. Blum, WHNP\n")
    r = _code(coder, text, place_of_service="11")
    assert not {"DOC-17", "DOC-04"} & _ids(r)
    (adm,) = [a for a in r.administrations if a.status.value == "given"]
    assert (adm.route.value.value, adm.site.laterality, adm.site.location) == (
        "SC", "left", "abdomen")


def test_doc04_an_abdomen_without_its_side(coder):
    text = ("Asthma (J45.50). Fasenra 30 mg SC abd @1105, lot 1B72. Tol. Dr Amin in clinic. "
            "-- P. Nakamura RN")
    r = _code(coder, text, place_of_service="11")
    assert "DOC-04" in _ids(r, Severity.WARNING)
    sided = _code(coder, text.replace("SC abd", "SC LLQ abd"), place_of_service="11")
    assert "DOC-04" not in _ids(sided)


def test_doc16_an_oral_prescription_is_not_an_unadministered_order(coder):
    text = ("RA (M05.79). I have started methotrexate 15 mg orally once weekly. Kenalog 80 mg "
            "IM R ventrogluteal given by me, tolerated.")
    assert "DOC-16" not in _ids(_code(coder, text, place_of_service="11"))
    text = "Pyelonephritis (N10). Ceftriaxone 1 g IM ordered."
    assert "DOC-16" in _ids(_code(coder, text, place_of_service="11"), Severity.WARNING)


def test_doc16_an_order_the_note_says_was_not_carried_out_needs_no_look(coder):
    """DOC-16 asks for a look at an order with no outcome; "ondansetron injection out in
    Pyxis, pharmacy backordered" is the outcome, and the substitute given is coded."""
    text = ("HPI: 2 d of nausea and vomiting, 6 episodes today. Can't keep water down.\n"
            "Exam: HR 102, dry mucosa, abd soft, nontender.\nA: Nausea with vomiting (R11.2).\n"
            "P: Zofran 4 mg IM now, then PO challenge. Ondansetron ODT Rx. ORS.\n"
            "15:45 handoff to evening RN - Zofran IM due.\n\n"
            "RN NOTE 16:02 (M. Ferreira, RN): ondansetron injection out in Pyxis, pharmacy "
            "backordered. Dr. Achebe notified - verbal order changed to promethazine 12.5 mg IM. "
            "Promethazine 25 mg/mL, 0.5 mL (12.5 mg) IM R ventrogluteal 16:05.\n")
    r = _code(coder, text, place_of_service="11", billed_em="99213")
    assert "DOC-16" not in _ids(r)
    assert [ln for ln in _lines(r) if ln[0] != "99213"] == [("96372", (), 1), ("J2550", (), 1)]


def test_doc17_route_conflict(coder):
    r = _code(coder, "Promethazine 25 mg IM/IV given for nausea (R11.0). Dr. Lee on site.",
              place_of_service="11")
    assert "DOC-17" in _ids(r, Severity.ERROR)


def test_doc17_im_iv_at_a_muscle_site_is_still_the_injection(coder):
    """DOC-17: "IM/IV" with a deltoid or gluteal site is a shot whose route is written two ways;
    the 96372 line stays, held by the error. With no site the service cannot be chosen."""
    text = ("Ankle sprain (S93.401A). Ketorolac 30 mg IM/IV x1 - given 10:32 by MA, {site}"
            "Dr. Lee on site.")
    shot = _code(coder, text.format(site="L deltoid. "), place_of_service="11")
    assert ("96372", (), 1) in _lines(shot) and ("J1885", (), 2) in _lines(shot)
    assert "DOC-17" in _ids(shot, Severity.ERROR) and shot.status.value == "incomplete"
    bare = _code(coder, text.format(site=""), place_of_service="11")
    assert "96372" not in {ln.code for ln in bare.lines}
    assert "DOC-17" in _ids(bare, Severity.ERROR)
    # "IV" elsewhere at a site no shot goes to is not settled either
    hand = _code(coder, text.format(site="L hand. "), place_of_service="11")
    assert "96372" not in {ln.code for ln in hand.lines}


def test_doc03_route_not_stated_holds_the_office_shot(coder):
    r = _code(coder, "Renal colic (N23). Toradol 30 mg given in L deltoid by K. Ruiz, RN. "
              "Dr. Lee on site.", place_of_service="11")
    assert "DOC-03" in _ids(r, Severity.ERROR)
    assert ("96372", (), 1) in _lines(r) and ("J1885", (), 2) in _lines(r)
    assert r.status.value == "incomplete"
    # A drug that has no IM/SC form gets no 96372 when its route is not written.
    oral = _code(coder, "Renal colic (N23). Tylenol 650 mg given.", place_of_service="11")
    assert not _lines(oral) and "DOC-03" not in _ids(oral)
    # Nor does a steroid injected into a target with a local anaesthetic: a procedure, not a shot
    heel = _code(coder, "Plantar fasciitis, right foot (M72.2). The patient was given injections "
                 "of 3 cc of 1% lidocaine plain with dexamethasone 4 mg.", place_of_service="11")
    assert "96372" not in {ln.code for ln in heel.lines}


def test_pay02_prior_auth_drug_and_administration(coder):
    text = "OUD (F11.20). Vivitrol 380 mg IM R gluteal given. Dr. Lee on site."
    r = _code(coder, text, place_of_service="11", payer="commercial")
    assert sum(f.rule_id == "PAY-02" for f in r.findings) == 2
    ok = _code(coder, text, place_of_service="11", payer="commercial",
               prior_authorizations=[{"code": "J2315"}, {"code": "96372"}])
    assert "PAY-02" not in _ids(ok)


def test_pay05_non_prescribing_rendering_provider(coder):
    r = _code(coder, GIVEN, place_of_service="11",
              rendering_provider={"credential": "LCSW"})
    assert "PAY-05" in _ids(r, Severity.ERROR)


def test_unknown_metadata_is_said(coder):
    r = _code(coder, GIVEN)
    assert {"POS-03", "PAY-04"} <= _ids(r, Severity.INFO)
    assert r.place_of_service == "11" and r.payer == "commercial"


def test_mod03_redose_at_a_later_time_gets_76(coder):
    text = ("Opioid overdose (T40.2X1A). 14:21 naloxone 0.4 mg IM R deltoid by Dr. Liu. "
            "14:25 no response; naloxone 0.4 mg IM L deltoid given at 14:25 by Dr. Liu.")
    r = _code(coder, text, place_of_service="11")
    assert sorted(ln.modifiers for ln in r.lines if ln.code == "96372") == [(), ("76",)]
    assert "MOD-03" in _ids(r, Severity.WARNING)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Opioid overdose (T40.2X1A). 14:21 Dr. Liu: naloxone 0.4 mg IM R deltoid.\n"
                     "14:24 no change. Dr. Liu called to the lobby; Dr. Patel (covering) gave "
                     "naloxone 0.4 mg IM L deltoid at 14:25.", id="named-before-the-drug"),
        pytest.param("Gastroenteritis (A08.4).\n\n09:35  Aaron Whitfield, MD\nP: promethazine 25 mg "
                     "IM R deltoid at 09:52.\n\n15:10  Priya Menon, MD (covering for Dr. Whitfield)"
                     "\nStill vomiting. Repeat: promethazine 12.5 mg IM L deltoid at 15:22.",
                     id="block-headers"),
    ],
)
def test_mod03_redose_by_another_named_practitioner_gets_77(coder, text):
    r = _code(coder, text, place_of_service="11")
    assert sorted(ln.modifiers for ln in r.lines if ln.code == "96372") == [(), ("77",)]
    assert "MOD-03" in _ids(r, Severity.WARNING)


def test_im_in_one_place_sc_in_another_is_one_conflicting_event(coder):
    text = ("B12 deficiency (E53.8). Order: cyanocobalamin 1000 mcg IM monthly.\n"
            "Given today: cyanocobalamin 1000 mcg subcut R upper arm. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert [ln.code for ln in r.lines].count("96372") == 1
    assert "DOC-17" in _ids(r, Severity.ERROR)


def test_denosumab_is_96372_under_either_brand(coder):
    """CODE-03 covers antineoplastics; denosumab (Xgeva for bone metastases, Prolia for
    osteoporosis) is not one, so both doses are 96372 with J0897 per mg."""
    xgeva = _code(coder, "Bone metastases from prostate cancer (C79.51). Xgeva 120 mg SC "
                  "L abdomen given. Dr. Lee on site.", place_of_service="11")
    prolia = _code(coder, "Postmenopausal osteoporosis (M81.0). Prolia 60 mg SC L abdomen "
                   "given. Dr. Lee on site.", place_of_service="11")
    assert _lines(xgeva) == [("96372", (), 1), ("J0897", (), 120)]
    assert _lines(prolia) == [("96372", (), 1), ("J0897", (), 60)]


def test_gc_goes_on_services_not_on_the_drug_line(coder):
    text = (EM + "Resident: A. Bee, MD (PGY-2). Toradol 60 mg IM R gluteal given by the "
            "resident. Attending: I saw and examined the patient and was physically present "
            "for the injection.")
    r = _code(coder, text, place_of_service="11", billed_em="99213")
    mods = {ln.code: ln.modifiers for ln in r.lines}
    assert "GC" in mods["96372"] and "GC" in mods["99213"] and "GC" not in mods["J1885"]
    # the clinic's nurse gave the shot: the resident took no part in that service (MOD-05)
    r = _code(coder, text.replace("by the resident", "by K. Ruiz, RN"), place_of_service="11",
              billed_em="99213")
    mods = {ln.code: ln.modifiers for ln in r.lines}
    assert "GC" not in mods["96372"] and "GC" in mods["99213"]


@pytest.mark.parametrize("split", [
    "given as 1.2 million units in each dorsogluteal muscle because of volume",
    # the site as one word, and the two sites charted after the split
    "= 1.2 MU (2 mL syringe) x 2, one in each dorsogluteal: R DG 14:10 / L DG 14:12",
    "= 1.2 MU x 2, one in each ventrogluteal: R VG 14:10 / L VG 14:12",
    # each part with its own bracketed site detail
    "given as 1.2 million units IM in the right buttock (ventrogluteal) and 1.2 million units IM "
    "in the left buttock (ventrogluteal)",
])
def test_mod02_split_dose_is_two_injections_and_one_drug_line(coder, split):
    text = ("Latent syphilis (A53.0). Bicillin L-A 2.4 million units IM " + split
            + ". Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert sorted(_lines(r)) == [("96372", (), 1), ("96372", ("XS",), 1), ("J0561", (), 24)]
    assert "MOD-02" in _ids(r, Severity.WARNING)


def test_mod02_two_syringes_minutes_apart_at_two_sites_are_one_split_dose(coder):
    """Back-to-back syringes of one drug at two sites are one dose split for volume (MOD-02);
    the same drug again several minutes later is a re-dose (MOD-03)."""
    text = ("Latent syphilis (A53.0). Dose #2 of 3.\n"
            "  Syringe A: Bicillin L-A 1,200,000 units/2 mL IM R gluteal  11:02\n"
            "  Syringe B: Bicillin L-A 1,200,000 units/2 mL IM L gluteal  11:04\n"
            "Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("96372", ("XS",), 1), ("J0561", (), 24)]
    assert "MOD-02" in _ids(r, Severity.WARNING) and "MOD-03" not in _ids(r)
    text = ("Anaphylaxis to peanut (T78.01XA).\n"
            "12:04 epinephrine 1 mg/mL 0.3 mg IM R anterolateral thigh - Dr. Lee\n"
            "12:10 epinephrine 1 mg/mL 0.3 mg IM L anterolateral thigh - Dr. Lee\n")
    r = _code(coder, text, place_of_service="11")
    assert sorted(ln.modifiers for ln in r.lines if ln.code == "96372") == [(), ("76",)]


def test_mod02_hormonal_chemo_split_into_two_syringes_is_warned(coder):
    """Fulvestrant 500 mg as two 250 mg IM syringes: one 96402 and the split-dose warning."""
    text = ("Metastatic breast ca (C50.911, C79.51). Faslodex 500 mg IM given as two 250 mg/5 mL "
            "syringes, one in each gluteal muscle (R and L), by RN 10:15. Tolerated.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96402", (), 1), ("J9395", (), 20)]
    assert "MOD-02" in _ids(r, Severity.WARNING)
    [msg] = [f.message for f in r.findings if f.rule_id == "MOD-02"]
    assert "96402" in msg


def test_mod02_two_products_of_one_substance_are_not_a_split_dose(coder):
    text = ("Schizophrenia (F20.0). Aristada Initio 675 mg IM L deltoid given, then Aristada "
            "882 mg IM R gluteal given by me. Both tolerated.")
    r = _code(coder, text, place_of_service="11")
    assert sorted(_lines(r)) == [("96372", (), 1), ("96372", ("XS",), 1), ("J1943", (), 675),
                                 ("J1944", (), 882)]
    assert "MOD-02" not in _ids(r)


def test_drug04_a_product_named_under_its_family_header_keeps_its_own_code(coder):
    # "Aristada initiation regimen" heads the list; the Initio row is J1943, not Aristada's J1944
    text = ("Schizophrenia (F20.9). Aristada initiation regimen today, all given by me:\n"
            "  1) Aristada Initio 675 mg IM L deltoid 10:02\n"
            "  2) Aristada 441 mg IM R deltoid 10:06\n")
    r = _code(coder, text, place_of_service="11")
    assert sorted(_lines(r)) == [("96372", (), 1), ("96372", ("XS",), 1), ("J1943", (), 675),
                                 ("J1944", (), 441)]


def test_drug04_haloperidol_dec_is_the_decanoate(coder):
    text = ("Schizophrenia (F20.9). Haloperidol dec 100 mg/mL: 0.75 mL (75 mg) given IM R "
            "ventrogluteal 11:10 by P. Nakamura, RN.")
    r = _code(coder, text, place_of_service="11")
    assert ("J1631", (), 2) in _lines(r)


def test_dx02_names_the_missing_seventh_character(coder):
    r = _code(coder, "Rh negative, anti-D antibodies (O36.019). RhoGAM 300 mcg IM L deltoid "
              "given. Dr. Lee on site.", place_of_service="11")
    msg = next(f.message for f in r.findings if f.rule_id == "DX-02")
    assert "O36.019" in msg and "7th character" in msg


def test_code10_botulinum_toxin_is_chemodenervation_not_96372(coder):
    """CODE-10: a botulinum toxin is never 96372. Chronic migraine decides 64615
    (kb/code_sets.yaml); any other indication leaves the procedure code to the coder."""
    migraine = ("Chronic migraine (G43.709). Botox 155 units IM, 31 sites per PREEMPT protocol, "
                "lot C1234C5. Tolerated.")
    r = _code(coder, migraine, place_of_service="11")
    assert _lines(r) == [("64615", (), 1), ("J0585", (), 155)]
    spasticity = ("Post-stroke spasticity R arm (I69.331). Xeomin 200 units injected IM into R biceps, "
                  "brachioradialis and FCR under EMG guidance. Tolerated.")
    r = _code(coder, spasticity, place_of_service="11")
    assert _lines(r) == [("J0588", (), 200)]
    assert "CODE-10" in _ids(r, Severity.WARNING)
    assert r.status.value == "needs_review"


def test_procedure_product_given_later_in_its_paragraph(coder):
    text = ("Product: Botox 200 Units vial, reconstituted with 4 mL NS. Lot C7781C4, exp 10/2027.\n"
            "Injection map (30G, 5 U per site):\n"
            "  corrugator 10 U (2), procerus 5 U (1), frontalis 20 U (4), temporalis 40 U (8)\n"
            "  Total 200 U injected, 0 U wasted.\n")
    r = _code(coder, text, place_of_service="11")
    (adm,) = r.administrations
    assert adm.status.value == "given" and adm.status_evidence.text == "injected"


def test_code10_intravitreal_injection_is_its_own_procedure(coder):
    """CODE-10: an intravitreal injection is 67028 (kb/code_sets.yaml route_procedures), which
    carries the drug line; never 96372. A needle written 'via 30g' is not a 30 g dose."""
    text = ("PROC OD: consent, time-out. Eylea 2 mg/0.05 mL intravitreal via 30g, 4 mm post "
            "limbus. Lot 4E227, exp 6/2027. Exudative AMD OD (H35.3211).")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("67028", (), 1), ("J0178", (), 2)]
    text = "Lucentis 0.5 mg injected intravitreally OS by Dr. Moreau. Wet AMD OS (H35.3221)."
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("67028", (), 1), ("J2778", (), 5)]


def test_code10_nebulizer_treatment_is_94640_with_its_inhalation_drug_line(coder):
    """CODE-10: a nebulized treatment given in the office is 94640 (kb/code_sets.yaml
    route_procedures) with the inhalation solution's drug line (J7613 per 1 mg: 2.5 mg is 3),
    and it makes the E/M take 25; two drugs in one nebulizer are one treatment."""
    text = ("Wheeze and cough x2 days, mild intermittent asthma exacerbation (J45.21). Exam: "
            "expiratory wheeze. Albuterol 2.5 mg/3 mL nebulized x1 at 14:10, wheeze improved. "
            "Decision: oral steroid burst sent.")
    r = _code(coder, text, place_of_service="11", billed_em="99213")
    assert _lines(r) == [("94640", (), 1), ("99213", ("25",), 1), ("J7613", (), 3)]
    text = ("Asthma exacerbation (J45.41). Albuterol 2.5 mg + ipratropium 0.5 mg via nebulizer "
            "given in clinic, improved.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("94640", (), 1), ("J7613", (), 3), ("J7644", (), 1)]
    assert "CODE-10" not in _ids(r, Severity.WARNING)


def test_code10_nebulizer_count_racemic_epinephrine_and_treatment_not_needed(coder):
    """CODE-10: "nebs x 3" in one entry is several treatments the lines do not count: a
    warning asks for the count. Racemic epinephrine by nebulizer has no code of its own in the
    extract: no 94640 and never the epinephrine injection J0171. "Albuterol neb not needed" is
    not a treatment."""
    text = "Asthma exacerbation (J45.41). Albuterol 2.5 mg nebs x 3 given back to back, improved."
    r = _code(coder, text, place_of_service="20")
    count = [f for f in r.findings if f.rule_id == "CODE-10" and f.severity is Severity.WARNING]
    assert [f.evidence[-1].text for f in count] == ["x 3"]
    text = ("Croup (J05.0). Treatment given in clinic: racemic epinephrine 0.5 mL of 2.25% in 3 mL "
            "NS by nebulizer one time, and dexamethasone 9 mg IM L thigh.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J1100", (), 9)]
    assert {a.drug.name for a in r.administrations} == {
        "racepinephrine", "dexamethasone"}
    text = ("14:05 epinephrine 0.3 mg IM R anterolateral thigh - RN. Anaphylaxis (T78.2XXA).\n"
            "14:40 no wheeze, SpO2 98%. Albuterol neb not needed.")
    r = _code(coder, text, place_of_service="20")
    assert _lines(r) == [("96372", (), 1), ("J0171", (), 3)]


def test_drug05_a_split_unlisted_biologic_is_one_j3590_line(coder):
    """DRUG-05 with DRUG-11: Emgality has no code of its own; a 240 mg loading dose given as
    two pens at two sites is two 96372 (MOD-02) and one J3590 line naming both amounts."""
    text = ("RN visit, Dr. Sato in clinic. Migraine with aura (G43.109).\n"
            "emgality 240mg loading dose = 2 x 120mg/mL pens from clinic stock\n"
            " - pen 1: 120mg subQ L abd 0932\n - pen 2: 120mg subQ R abd 0933\n")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("96372", ("XS",), 1), ("J3590", (), 1)]
    (drug,) = [ln for ln in r.lines if ln.code == "J3590"]
    assert drug.note.startswith("galcanezumab, 120 mg + 120 mg")
    assert [f.rule_id for f in r.findings if f.rule_id == "DRUG-05"] == ["DRUG-05"]


@pytest.mark.parametrize(("drug", "dx"), [
    ("Skyrizi 180 mg/1.2 mL", "Crohn's disease (K50.90)"),
    ("Entyvio 108 mg/0.68 mL pen", "Ulcerative pancolitis (K51.00)"),
])
def test_drug05_a_subcutaneous_dose_is_not_billed_on_an_intravenous_only_code(coder, drug, dx):
    """DRUG-02/DRUG-05: J2327 is "risankizumab-rzaa, intravenous" and J3380 "vedolizumab
    intravenous"; a subcutaneous dose has no code of its own and is unlisted."""
    text = (f"Nurse visit, Dr. Anand in clinic. {dx}. {drug} from clinic stock, "
            "given SC L lower abdomen by B. Holt, RN, lot X1.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J3590", (), 1)]
    assert "DRUG-05" in _ids(r, Severity.WARNING)


@pytest.mark.parametrize("name", ["Adbry", "tralokinumab-ldrm"])
def test_drug05_tralokinumab_has_no_code_of_its_own(coder, name):
    text = (f"Atopic dermatitis (L20.9). {name} 300 mg SC L upper arm given by N. Hale, RN. "
            "Dr. Matsuda in clinic.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J3590", (), 1)]
    assert "DRUG-05" in _ids(r, Severity.WARNING)



@pytest.mark.parametrize(("drug", "dx"), [
    ("Kineret (anakinra) 100 mg/0.67 mL", "Gout flare, knee (M10.061)"),
    ("Winrevair 45 mg", "Pulmonary arterial hypertension (I27.0)"),
    ("Pegasys 180 mcg/0.5 mL", "Chronic hepatitis D (B18.0)"),
])
def test_drug05_biologics_without_a_code_of_their_own_are_unlisted(coder, drug, dx):
    """DRUG-05: anakinra, sotatercept and peginterferon alfa-2a have no Level II code; a dose
    given in the office is unlisted J3590 (never a guessed specific code)."""
    text = (f"{dx}. {drug} SC R lower abdomen at 10:20 from clinic stock, given by T. Reyes, RN, "
            "lot Q1. Dr. Okafor in clinic.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J3590", (), 1)]
    assert "DRUG-05" in _ids(r, Severity.WARNING)


def test_drug02_vutrisiran_is_billed_per_mg(coder):
    """DRUG-02: J0225 is vutrisiran per 1 mg: the 25 mg dose is 25 units."""
    text = ("hATTR amyloidosis with polyneuropathy (E85.1). Amvuttra 25 mg/0.5 mL PFS SC L upper "
            "arm 11:05, lot V2, by M. Chu, RN. Dr. Ito in clinic.")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert [ln for ln in lines if ln[0].startswith("J")] == [("J0225", (), 25)]


def test_drug02_nandrolone_is_billed_per_50_mg(coder):
    """DRUG-02: J2320 is nandrolone decanoate up to 50 mg, so 100 mg is two units."""
    text = ("Anemia in CKD stage 3a (D63.1, N18.31). Nandrolone decanoate 100 mg/mL, 1 mL = 100 mg "
            "IM R ventrogluteal at 10:07, lot ND1, given by me. E. Park, DO")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert [ln for ln in lines if ln[0].startswith("J")] == [("J2320", (), 2)]


def test_an_abbreviated_hcg_inj_is_the_drug_and_its_missing_dose_is_doc02(coder):
    """DOC-02: "hcg inj given sc" names chorionic gonadotropin; with no amount the units are
    unknown, never guessed."""
    text = ("pt here for hcg inj (dx E23.0 per np). hcg inj given sc R abd 0915, tol well. "
            "np on site. -kb, ma")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J0725", (), None)]
    assert "DOC-02" in _ids(r)


@pytest.mark.parametrize(
    ("dose", "expected"),
    [("24 mg", [("J0577", (), 1)]), ("96 mg", [("J0578", (), 1)]), ("48 mg", [("J0577", (), None)])],
    ids=["weekly", "monthly", "no-labeled-dose"],
)
def test_drug02_dose_band_picks_the_per_dose_code(coder, dose, expected):
    """DRUG-02: Brixadi's two per-dose codes are told apart by the labeled dose (weekly up to
    32 mg is J0577, monthly 64-128 mg is J0578); a dose in neither band leaves units unknown."""
    text = (f"OUD, severe (F11.20). Brixadi {dose} SC L posterior upper arm at 14:20, given by "
            "me, lot BX9931. T. Hargrove, MD")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert [ln for ln in lines if ln[0].startswith("J")] == expected


@pytest.mark.parametrize(
    ("product", "expected"),
    [("Lupron Depot 22.5 mg 3-month kit (leuprolide acetate for depot suspension)",
      [("J9217", (), 3)]),
     ("Lupron Depot 11.25 mg (3-month)", [("J1950", (), 3)]),
     ("Lupron Depot 7.5 mg", [("J9217", (), 1)]),
     ("leuprolide acetate depot 22.5 mg", [("J1954", (), None)])],
    ids=["urology-3-month", "gynecology-3-month", "urology-monthly", "product-unnamed"],
)
def test_drug02_labeled_strengths_pick_the_leuprolide_code(coder, product, expected):
    """DRUG-02: Lupron Depot's codes differ by product: urology strengths (7.5/22.5/30/45 mg)
    are J9217 per 7.5 mg, gynecology 3.75/11.25 mg J1950 per 3.75 mg; a 22.5 mg depot whose
    product is unnamed (Lupron Depot or Cipla's J1954) leaves units for the coder."""
    text = (f"Dx: C61. {product} IM L gluteal given 11:05 by L. Haskins, LPN. "
            "Dr. Feldstein in clinic.")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert [ln for ln in lines if ln[0].startswith("J")] == expected


def test_drug02_co_packaged_kit_components_share_the_kit_code(coder):
    """DRUG-02/DRUG-11 with MOD-01: Cabenuva's two injections are two 96372 (different drugs,
    different sites) and one J0741 line for the summed dose (600 + 900 mg per 5 mg = 300); the
    cabotegravir half alone is PrEP (J0739 per mg)."""
    kit = ("HIV-1 infection (B20), on Cabenuva q2 months. Dr. Li on site.\n"
           "  cabotegravir ER 600 mg/3 mL IM L ventrogluteal 10:21 lot 24CAB77\n"
           "  rilpivirine ER 900 mg/3 mL IM R ventrogluteal 10:23 lot 24RPV51\n")
    r = _code(coder, kit, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("96372", ("XS",), 1), ("J0741", (), 300)]
    prep = ("HIV PrEP (Z29.81, Z20.6). Apretude (cabotegravir) 600 mg/3 mL IM L ventrogluteal "
            "10:21 lot 24CAB77 by RN. Dr. Li on site.")
    assert _lines(_code(coder, prep, place_of_service="11")) == [
        ("96372", (), 1), ("J0739", (), 600)]

def test_code02_counseled_minor_is_90460_per_vaccine_and_90461_per_component(coder):
    """CODE-02: a physician counselling a patient under 19 is 90460 per vaccine plus 90461 per
    additional component (Tdap has three); staff counselling alone stays 90471/90472."""
    shots = ("Given by T. Nguyen, CMA: Boostrix 0.5 mL IM L deltoid; MenQuadfi 0.5 mL IM R "
             "deltoid; Gardasil 9 0.5 mL IM L deltoid.")
    counseled = ("WELL CHILD 11 YR. Z00.129, Z23. I counseled mom and Jaylen on each vaccine and "
                 "its components. " + shots + "\nA. Brandt, MD")
    r = _code(coder, counseled, place_of_service="11")
    admin = [ln for ln in _lines(r) if ln[0] in ("90460", "90461", "90471", "90472")]
    assert admin == [("90460", (), 3), ("90461", (), 2)]
    staff = "WELL CHILD 11 YR. Z00.129, Z23. VIS given by CMA. " + shots + "\nA. Brandt, MD"
    admin = [ln for ln in _lines(_code(coder, staff, place_of_service="11"))
             if ln[0] in ("90460", "90461", "90471", "90472")]
    assert admin == [("90471", (), 1), ("90472", (), 2)]
    adult = counseled.replace("WELL CHILD 11 YR", "45 y/o M")
    admin = [ln for ln in _lines(_code(coder, adult, place_of_service="11"))
             if ln[0] in ("90460", "90461", "90471", "90472")]
    assert admin == [("90471", (), 1), ("90472", (), 2)]


def test_code02_counsel_with_no_subject_is_the_writers_in_a_practitioners_note(coder):
    """CODE-02: "Counseled pt and mom on influenza vaccine" is the writer's counselling: 90460
    when a practitioner heads the note, 90471 when a nurse visit or a staff signature says the
    writer is staff."""
    body = ("12 y/o M, est. Flu vaccine due. Counseled pt and mom on influenza vaccine (benefits,"
            " side effects). They agree. Z23.\nFluLaval Trivalent 0.5 mL IM L deltoid 13:34, lot "
            "3F88V, given by T. Greer, RN.")
    np_note = "Pediatric Care  10/20/2026\nNP visit - Rowan Achebe, CPNP-PC\n" + body
    codes = [ln[0] for ln in _lines(_code(coder, np_note, place_of_service="11"))]
    assert "90460" in codes and "90471" not in codes
    nurse = "Pediatric Care  10/20/2026\nNurse visit - ordering: Dr. Achebe, MD\n" + body
    codes = [ln[0] for ln in _lines(_code(coder, nurse, place_of_service="11"))]
    assert "90471" in codes and "90460" not in codes
    signed = np_note + "\nT. Greer, RN"
    codes = [ln[0] for ln in _lines(_code(coder, signed, place_of_service="11"))]
    assert "90471" in codes and "90460" not in codes


def test_code02_counseling_by_a_credentialed_practitioner_named_by_title(coder):
    """CODE-02: "FNP reviewed HPV vaccine benefits" is a practitioner's counselling; reviewing
    the vaccine record is not."""
    shot = "Gardasil 9, 0.5 mL IM L deltoid, dose 1 of 2. Lot X0447. VIS given."
    text = ("15 y/o F, annual exam. Z00.129. Vaccine counseling: FNP reviewed HPV vaccine "
            "benefits, risks and schedule with patient and mother.\n" + shot)
    codes = [ln[0] for ln in _lines(_code(coder, text, place_of_service="11"))]
    assert "90460" in codes and "90471" not in codes
    text = "15 y/o F, annual exam. Z00.129. MD reviewed vaccine record: HPV due.\n" + shot
    codes = [ln[0] for ln in _lines(_code(coder, text, place_of_service="11"))]
    assert "90471" in codes and "90460" not in codes


def test_code02_counseling_on_a_vaccine_named_by_its_short_name(coder):
    """CODE-02: "I counseled ... on Tdap" is vaccine counselling, and "Aaliyah P., 13 y," states
    the patient's age; reviewing the HPV results is not vaccine counselling."""
    shot = "Boostrix 0.5 mL IM L deltoid given by LPN, lot B7K29."
    text = ("Seen by: D. Cho, MD\nPatient: Aaliyah P., 13 y, established.\nZ23. I counseled "
            "mom and Aaliyah on Tdap today (benefits, side effects, VIS given).\n" + shot)
    codes = [ln[0] for ln in _lines(_code(coder, text, place_of_service="11"))]
    assert "90460" in codes and "90471" not in codes
    text = ("Seen by: D. Cho, MD\nPatient: Aaliyah P., 13 y, established.\nZ23. I discussed "
            "the HPV results with mom.\n" + shot)
    codes = [ln[0] for ln in _lines(_code(coder, text, place_of_service="11"))]
    assert "90471" in codes and "90460" not in codes


def test_code02_nurse_signed_first_person_counseling_is_not_the_physicians(coder):
    text = ("16 y/o F. Z23. I reviewed the VIS and the flu vaccine's risks with pt and mom. "
            "Flucelvax 0.5 mL IM L deltoid given.\n- K. Pham, MA")
    codes = [ln[0] for ln in _lines(_code(coder, text, place_of_service="11"))]
    assert "90471" in codes and "90460" not in codes


def test_code02_rsv_antibody_is_96380_or_96381_with_its_product_by_dose(coder):
    """CODE-02: nirsevimab is an RSV antibody given as the season's immunization: never 96372
    or an unlisted J-code; 96380 when a physician counsels on the date, 96381 otherwise, and the
    product code by the dose (50 mg 90380, 100 mg 90381)."""
    shot = ("Beyfortus (nirsevimab-alip) 50 mg/0.5 mL IM L anterolateral thigh given by "
            "D. Park, RN. Z29.11.")
    text = ("4 m.o. infant, RSV season. Dr. Halvorsen spoke with mom: RSV disease, nirsevimab "
            "efficacy and side effects. " + shot)
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("90380", (), 1), ("96380", (), 1)]
    assert r.status.value == "ready"
    staff = "4 m.o. infant, RSV season. Standing order. " + shot.replace(
        "50 mg/0.5 mL", "100 mg/1 mL")
    assert _lines(_code(coder, staff, place_of_service="11")) == [
        ("90381", (), 1), ("96381", (), 1)]
    # a dose no product code carries is the coder's: a warning, no guessed product
    odd = _code(coder, staff.replace("100 mg/1 mL", "200 mg"), place_of_service="11")
    assert _lines(odd) == [("96381", (), 1)]
    assert "CODE-02" in _ids(odd, Severity.WARNING)


def test_code02_oral_vaccine_in_the_list_given_is_charted(coder):
    """CODE-02: "RotaTeq (RV5) 2 mL PO" among the vaccines given is given (oral: 90474 after an
    injected one), and Vivotif is the oral typhoid vaccine (90690), not Typhim Vi."""
    text = ("2 mo WCC. Z00.129, Z23.\nAssessment: well child.\nImmunizations:\n"
            "  - Vaxelis (DTaP-IPV-Hib-HepB) 0.5 mL IM L anterolateral thigh\n"
            "  - RotaTeq (RV5) 2 mL PO\nGiven by J. Alvarez, RN.")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert ("90697", (), 1) in lines and ("90680", (), 1) in lines
    assert ("90474", (), 1) in lines
    text = ("Travel nurse visit. Z23.\n - Vivotif (typhoid vaccine live, oral) capsule #1 "
            "swallowed PO here, observed.\nR. Grant, RN")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert ("90690", (), 1) in lines and ("90691", (), 1) not in lines


def test_code02_oral_vaccine_dispensed_or_discussed_is_not_given(coder):
    """CODE-02 guard: capsules dispensed for home ("Not taken in clinic") or an oral vaccine
    discussed as the alternative are no administration, while one swallowed here is."""
    given = ("Z23. Typhim Vi 0.5 mL IM L deltoid, lot UT447.\n")
    for line in ("Vivotif: 4 capsules dispensed; pt to take 1 cap every other day. Not taken "
                 "in clinic.", "Oral typhoid (Vivotif) discussed as alternative, pt prefers the "
                 "injection."):
        lines = _lines(_code(coder, given + line + "\nN. Ferrante, RN", place_of_service="11"))
        assert ("90690", (), 1) not in lines and ("90474", (), 1) not in lines
    lines = _lines(_code(coder, given + "Vivotif capsule #1 taken in clinic with water.\nRN",
                         place_of_service="11"))
    assert ("90690", (), 1) in lines


def test_code02_vaqta_dose_written_in_antigen_units_picks_the_adult_or_pediatric_code(coder):
    """CODE-02: "Vaqta 50 U/1 mL" is the adult 90632 and "Vaqta 25 U/0.5 mL" the pediatric
    90633, whichever of the amount or the volume the note's dose is read as."""
    adult = _code(coder, "Z23, Z20.5. Vaqta 50 U/1 mL IM L deltoid 0946, lot Y011723. RN",
                  place_of_service="11")
    assert ("90632", (), 1) in _lines(adult) and "CODE-02" not in _ids(adult, Severity.WARNING)
    child = _code(coder, "Z23. Vaqta 25 U/0.5 mL IM L deltoid 0946, lot Y011723. RN",
                  place_of_service="11")
    assert ("90633", (), 1) in _lines(child)


def test_code02_bracketed_brand_after_the_generic_gives_the_product_code(coder):
    r = _code(coder, "Z23. MenACWY (MenQuadfi) 0.5 mL IM R deltoid given by MA per Dr. Lee.",
              place_of_service="11")
    assert ("90619", (), 1) in _lines(r)
    assert "CODE-02" not in _ids(r, Severity.WARNING)


def test_code10_intravitreal_procedure_forms(coder):
    """CODE-10: the route of an intravitreal form is in its title or a later 'Injection:' field."""
    titled = ("PROCEDURE - intravitreal injection OS\n"
              "Drug: Avastin (bevacizumab) 1.25 mg/0.05 mL repackaged syringe, lot BVZ-26-0311\n"
              "Time-out done. Wet AMD OS (H35.3221).")
    assert _lines(_code(coder, titled, place_of_service="11")) == [
        ("67028", (), 1), ("J9035", (), 1)]
    form = ("Eye: OD\nMedication: Eylea (aflibercept) 2 mg/0.05 mL, single-dose vial\n"
            "Lot: 5E23KP   Exp: 10/2027\n"
            "Anesthesia: proparacaine, lidocaine 3.5% gel. Lid speculum.\n"
            "Injection: 30G needle, 3.5 mm posterior to limbus, intravitreal.\n"
            "Diagnosis: DME right eye - E11.3311\n")
    assert _lines(_code(coder, form, place_of_service="11")) == [
        ("67028", (), 1), ("J0178", (), 2)]


def test_code10_tuberculin_skin_test_is_86580_with_no_drug_line(coder):
    """CODE-10: a PPD placed intradermally is the skin test's own code 86580 (kb/code_sets.yaml
    skin_tests), which includes the material: no drug line and no 96372. With an IM shot the
    same day, the 96372 takes XS (NCCI pairs 86580/96372)."""
    text = ("Nurse visit. PPD for school clearance, Z11.1. Tubersol 0.1 mL ID L volar forearm, "
            "placed by RN. Return 48-72 h for read.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("86580", (), 1)]
    both = ("Depo-Provera 150 mg IM R deltoid given; Z30.42. " + text)
    r = _code(coder, both, place_of_service="11")
    assert _lines(r) == [("86580", (), 1), ("96372", ("XS",), 1), ("J1050", (), 150)]
    read = "PPD placed 3/1 read today: 0 mm induration, negative. Z11.1."
    assert "86580" not in [ln[0] for ln in _lines(_code(coder, read, place_of_service="11"))]


def test_dx04_exposure_to_a_sexually_transmitted_infection_supports_ceftriaxone(coder):
    text = ("Nurse visit. Partner tested positive for gonorrhea; patient asymptomatic.\n"
            "Per standing order: Ceftriaxone 500 mg IM given R ventrogluteal 10:14. Observed 15 "
            "min.\nDx: Contact w/ and exposure to GC (Z20.2)\n")
    result = _code(coder, text, place_of_service="11")
    assert ("J0696", (), 2) in _lines(result)
    assert "DX-04" not in _ids(result)
    # a diagnosis no listed condition supports is still DX-04
    result = _code(coder, text.replace("Contact w/ and exposure to GC (Z20.2)",
                                       "Low back pain (M54.50)"), place_of_service="11")
    assert "DX-04" in _ids(result)


def test_doc02_a_dose_a_thousand_times_the_mue_has_no_units(coder):
    """DOC-02: "B12 1000 mg" is 1,000 units of J3420 (MUE 1): the unit is miswritten, and the
    drug line keeps unknown units rather than a guess; 1000 mcg bills 1 unit."""
    text = ("B12 per Dr. Sandoval standing order (pernicious anemia, D51.0).\n"
            "B12 1000 mg IM L delt - pt tolerated well.\n-A. Green, MA\n")
    r = _code(coder, text, place_of_service="11")
    assert ("J3420", (), None) in _lines(r)
    assert "DOC-02" in _ids(r, Severity.ERROR)
    r = _code(coder, text.replace("1000 mg", "1000 mcg"), place_of_service="11")
    assert ("J3420", (), 1) in _lines(r)
    assert "DOC-02" not in _ids(r)


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        pytest.param("7 mL", ("J1460", (), 7), id="per-cc-up-to-10"),
        pytest.param("12 mL", ("J1560", (), 1), id="over-10-cc-is-one-dose"),
    ],
)
def test_gamma_globulin_is_billed_by_volume_in_its_dose_band(coder, dose, expected):
    text = (f"GamaSTAN (immune globulin) {dose} IM R ventrogluteal given 14:48, lot B3110207. "
            "Hep A exposure, household contact (Z20.5).")
    result = _code(coder, text)
    assert expected in _lines(result)
    assert "DOC-02" not in _ids(result)


def test_a_per_kg_volume_is_a_rate_and_the_worked_out_volume_is_the_dose(coder):
    text = ("HepaGam B (hepatitis B immune globulin) 0.06 mL/kg = 4.5 mL IM R ventrogluteal at "
            "08:10. Needlestick, HBsAg-positive source (Z20.5).")
    assert ("J1571", (), 9) in _lines(_code(coder, text))  # per 0.5 mL


def test_a_dose_split_into_two_unequal_volumes_keeps_each_volume(coder):
    text = ("GamaSTAN (immune globulin, human) 7 mL IM total: 4 mL L ventrogluteal + 3 mL R "
            "ventrogluteal 14:48, lot B3110207. Travel, hep A prophylaxis (Z29.89).")
    result = _code(coder, text)
    doses = sorted(a.dose.value for a in result.administrations)
    assert doses == [3, 4]
    assert _lines(result) == [("96372", (), 1), ("96372", ("XS",), 1), ("J1460", (), 7)]
    assert "MOD-02" in _ids(result, Severity.WARNING)
    assert "DX-04" not in _ids(result)  # prophylaxis (Z29.8) supports immune globulin


def test_a_2nd_dose_at_another_site_is_a_repeat_not_a_split(coder):
    text = ("1414 Naloxone 0.4 mg/1 mL IM R deltoid - K. Osei, RN. BVM ventilation.\n"
            "1417 no change, resp 4 -> naloxone 0.4 mg IM L deltoid (2nd dose) - K. Osei RN\n"
            "Accidental fentanyl poisoning (T40.411A).")
    result = _code(coder, text)
    assert ("96372", ("76",), 1) in _lines(result)  # MOD-03: the same service repeated
    assert "MOD-03" in _ids(result, Severity.WARNING)
    assert "MOD-02" not in _ids(result)


def test_a_dictated_note_with_spoken_headings_and_sites_codes_the_visit(coder):
    text = ("Established patient with her typical migraine since five AM period no fever comma "
            "no neck stiffness period new paragraph exam BP one twenty two over seventy eight "
            "comma neuro exam nonfocal period new paragraph assessment migraine without aura not "
            "intractable period new paragraph plan Toradol sixty milligrams I am right glue teal "
            "and Phenergan twenty five milligrams I am left glue teal both given by Marcus LPN "
            "at eleven thirty period")
    result = _code(coder, text, place_of_service="11", billed_em="99213",
                   patient_status="established")
    assert ("99213", ("25",), 1) in _lines(result)
    assert {"DOC-04", "DOC-14", "EM-03"}.isdisjoint(_ids(result))
    sites = sorted((a.site.laterality, a.site.location) for a in result.administrations)
    assert sites == [("left", "gluteal"), ("right", "gluteal")]


def test_a_nurse_visit_dated_before_today_does_not_make_today_a_nurse_visit(coder):
    text = ("S: Follow-up of hypothyroidism and B12 deficiency. Loading dose given 02/03/2026 "
            "(nurse visit); back today for the next shot and her visit. More tired, cold.\n"
            "O: HR 58, thyroid non-tender, skin dry.\n"
            "A/P: Hypothyroidism (E03.9) - TSH 9.1, raise levothyroxine to 100 mcg. "
            "B12 deficiency (E53.8) - cyanocobalamin 1000 mcg IM L deltoid given today by "
            "J. Ruiz, MA.\n")
    result = _code(coder, text, date_of_service="2026-03-02", place_of_service="11",
                   billed_em="99213", patient_status="established")
    assert ("99213", ("25",), 1) in _lines(result)  # EM-02
    assert "EM-03" not in _ids(result)


def test_a_psychiatrist_on_site_is_direct_supervision(coder):
    text = ("LAI clinic. Psychiatrist on site: Dr. Amara Diallo.\n"
            "Dx: Schizoaffective disorder, bipolar type (F25.0)\n"
            "Aristada 882 mg IM L deltoid at 09:50, tolerated. - P. Nguyen, RN\n")
    result = _code(coder, text, place_of_service="11")
    assert "DOC-12" not in _ids(result)


def test_code_06_both_knees_are_one_bilateral_line(coder):
    text = ("Bilateral knee OA (M17.0). Procedure: knee injections, landmark guided.\n"
            "  Right knee: Kenalog-40 40 mg, intra-articular.\n"
            "  Left knee: Kenalog-40 40 mg, intra-articular.\n")
    result = _code(coder, text)
    assert _lines(result) == [("20610", ("50",), 1), ("J3301", (), 8)]


def test_em_03_a_nurses_part_of_a_practitioner_visit_is_no_nurse_visit(coder):
    text = ("Sore throat x 3 days, fever. Exam: exudative tonsils, tender anterior nodes.\n"
            "Dx: Strep pharyngitis (J02.0).\n"
            "Nursing note (RN, 10:20): Bicillin L-A 1.2 million units IM R VG given.\n")
    result = _code(coder, text, billed_em="99213", place_of_service="11")
    assert "EM-03" not in _ids(result)
    assert ("99213", ("25",), 1) in _lines(result)


def test_em_03_a_nurse_visit_the_plan_books_is_a_later_visit(coder):
    text = (EM + "Toradol 60 mg IM R gluteal given by K. Ruiz, RN. Recheck at nurse visit in "
            "2 wks.")
    result = _code(coder, text, billed_em="99213", place_of_service="11")
    assert "EM-03" not in _ids(result)


@pytest.mark.parametrize("billed, bundled", [("99309", True), ("99310", True), ("99305", False)])
def test_a_nursing_facility_visit_with_indicator_0_includes_the_injection(coder, billed, bundled):
    # MOD-07: NCCI pairs 99307-99310 over 96372 with modifier indicator 0, 99304-99306 with 1
    text = (
        "Monthly nursing facility visit, NP. Staff report 2 lb weight loss and more napping.\n"
        "Exam: afebrile, BP 118/64. Alert, at baseline. Lungs clear, RRR, abdomen soft.\n"
        "A/P:\n1. Abnormal weight loss (R63.4) - supplement shake BID, weekly weights, CBC in "
        "2 weeks.\n2. Pernicious anemia (D51.0) - cyanocobalamin 1,000 mcg IM R deltoid given by "
        "me at 14:20, lot 71A2; tolerated.\n"
    )
    result = _code(coder, text, place_of_service="32", payer="medicare", billed_em=billed,
                   patient_status="established")
    lines = _lines(result)
    assert ("J3420", (), 1) in lines
    if bundled:
        assert lines == sorted([("J3420", (), 1), (billed, (), 1)])
        assert "MOD-07" in _ids(result, Severity.INFO)
    else:
        assert (billed, ("25",), 1) in lines and any(code == "96372" for code, _, _ in lines)


@pytest.mark.parametrize("who, em", [
    ("First time seeing me; she is followed in our practice by my partner, Dr. Patel.", "99214"),
    ("New patient, first visit to our practice.", "99203"),
])
def test_a_partners_patient_is_established_for_the_time_level(coder, who, em):
    # EM-07: a patient seen by a physician of the same group is established; EM-06 time levels
    text = (
        f"{who}\n4 days of productive cough and fever; vomiting pills.\n"
        "Exam: T 101.2, crackles R base.\nA/P: Community-acquired pneumonia (J18.9). "
        "Ceftriaxone 1 g IM R ventrogluteal given by M. Lopes, RN.\nTotal time today: 32 minutes.\n"
    )
    lines = _lines(_code(coder, text))
    assert (em, ("25",), 1) in lines and ("J0696", (), 4) in lines


def test_em_02_a_dictated_visit_without_headings_is_a_separate_em(coder):
    # One dictated paragraph: the history is the patient's own account, the exam a spoken
    # "blood pressure 118/70", and the plan is headed mid-paragraph.
    text = ("Dr. Patel dictating on an established patient seen for follow-up. He admits he has "
            "missed most of his oral B12 and he has been more tired at work. No numbness or "
            "tingling. Exam today blood pressure 118/70, conjunctivae pink, gait steady. "
            "Assessment and plan by problem. Problem one, vitamin B12 deficiency (E53.8), back "
            "to injections: cyanocobalamin 1000 mcg IM in the left deltoid given today by our "
            "nurse. Problem two, essential hypertension (I10), continue lisinopril.\n")
    result = _code(coder, text, billed_em="99213", place_of_service="11",
                   patient_status="established")
    assert "EM-03" not in _ids(result)
    assert ("99213", ("25",), 1) in _lines(result)  # EM-02


@pytest.mark.parametrize("assessment, em_03", [
    # a dictated "Assessment" run on after the exam heads the assessment
    ("Assessment migraine without aura, not intractable.", False),
    ("Impression, migraine without aura.", False),
    # an assessment of something is a sentence, not a heading
    ("Assessment of her neck was unremarkable.", True),
])
def test_em_03_a_dictated_assessment_run_on_after_the_exam(coder, assessment, em_03):
    text = ("The patient is an established female with a migraine since yesterday, vomited twice. "
            "Exam, blood pressure 128/82. Neck supple. Cranial nerves intact. " + assessment
            + " Plan, we gave her sixty milligrams of Toradol intramuscularly into the right "
            "deltoid, given by nurse Renee at 10:40. Headache diary, follow up in four weeks.")
    result = _code(coder, text, billed_em="99214", place_of_service="11",
                   patient_status="established")
    assert ("EM-03" in _ids(result, Severity.ERROR)) is em_03
    assert (("99214", ("25",), 1) in _lines(result)) is not em_03


@pytest.mark.parametrize("heading, separate", [
    ("PA addendum (S. Patel, PA-C):", True),
    ("Addendum (J. Cole, MD):", True),
    ("RN reassessment:", False),  # the nurse's own follow-up is still the nurse visit
])
def test_em_a_practitioner_addendum_under_a_nursing_note_is_a_visit(coder, heading, separate):
    text = ("PEDS URGENT CARE - NURSING NOTE\n"
            "1140  ondansetron 2 mg IM R vastus lateralis, tolerated. - R. Beaumont, RN\n\n"
            f"{heading} 3 yo w/ vomiting x 12h (8 episodes), afebrile, 2 wet diapers today. "
            "Exam: mucous membranes tacky, cap refill < 2 s, abd soft NT. Dx: nausea with "
            "vomiting (R11.2). ORT plan reviewed with mom, return precautions.\n")
    result = _code(coder, text, billed_em="99213", place_of_service="20",
                   patient_status="established")
    assert (("99213", ("25",), 1) in _lines(result)) is separate
    assert ("EM-03" in _ids(result, Severity.ERROR)) is not separate


def test_em_03_the_nurse_visit_a_line_schedules_is_not_this_visit(coder):
    text = ("S: 3-month f/u. Energy better; no falls.\nO: BP 122/78, P 70. Gait normal.\n"
            "Impression and Recommendations:\n  D51.0 - B12 1000 mcg IM today, continue monthly."
            "\n  E03.9 - levothyroxine 88 mcg daily.\n"
            "Injection: cyanocobalamin 1000 mcg IM L deltoid by A. Mendez, MA.\n"
            "Next B12: 06/16/2026 (nurse visit).\n")
    result = _code(coder, text, billed_em="99213", place_of_service="11",
                   patient_status="established")
    assert "EM-03" not in _ids(result)
    assert ("99213", ("25",), 1) in _lines(result)


def test_dx_01_fibroid_bleeding_phrases_map_to_their_codes(coder):
    text = ("Assessment: heavy menstrual bleeding with regular cycles from an intramural uterine "
            "fibroid. Depo-Provera 150 mg IM R deltoid given today for bleeding control.\n")
    result = _code(coder, text, place_of_service="11")
    assert {"N92.0", "D25.1"} <= {d.code for d in result.diagnoses}


PROLIA = ("Dx: postmenopausal osteoporosis (M81.0). Dr. Olsen on site.\n"
          "Medication: Prolia (denosumab) 60 mg/1 mL prefilled syringe\n"
          "{source}\n"
          "Prolia 60 mg SC R upper arm given at 10:12 by G. Estrada, RN.")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("Source: [ ] office stock   [X] patient supplied (specialty pharmacy)",
                     id="checkbox"),
        pytest.param("Pt brought her own Prolia from Accredo in a cooler.", id="brought-own"),
        pytest.param("Pt brought her own Prolia from Accredo. Clinic stock not used.",
                     id="clinic-stock-not-used"),
        pytest.param("Not clinic stock - do NOT bill the drug.", id="not-clinic-stock"),
        pytest.param("Billing note: administration only - do not bill drug.", id="do-not-bill"),
    ],
)
def test_drug_01_a_patient_supplied_drug_gets_no_drug_line(coder, source):
    r = _code(coder, PROLIA.format(source=source), place_of_service="11")
    assert _lines(r) == [("96372", (), 1)]
    supplied = [f for f in r.findings if f.rule_id == "DRUG-01"]
    assert supplied and supplied[0].severity is Severity.INFO
    given = [a for a in r.administrations if a.status.value == "given"]
    assert given and all(a.supplied_by_patient is not None for a in given)


def test_drug_01_a_supply_statement_naming_no_drug_speaks_for_the_drug_given(coder):
    # one dictated line names her prednisone and montelukast too; "the drug" is the Xolair given
    text = ("Severe persistent allergic asthma (J45.50). Before Xolair she needed prednisone "
            "bursts; current regimen Breo and montelukast. Her specialty pharmacy shipped her "
            "syringes home and she brought them today in a cooler, so the drug is "
            "patient-supplied and we do not bill for it. Our nurse gave Xolair 150 mg SC left "
            "upper arm at 3:10 pm. Observed 30 minutes.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1)]
    assert "DRUG-01" in _ids(r, Severity.INFO)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("Source: [X] office stock   [ ] patient supplied", id="office-ticked"),
        pytest.param("Glucose on pt's own meter: 110.", id="own-meter"),
        pytest.param("The patient provided written consent.", id="provided-consent"),
        pytest.param("Warfarin 5 mg PO tonight from her own supply.", id="other-drug-own"),
    ],
)
def test_drug_01_office_stock_keeps_the_drug_line(coder, source):
    r = _code(coder, PROLIA.format(source=source), place_of_service="11")
    assert ("J0897", (), 60) in _lines(r)
    assert all(a.supplied_by_patient is None for a in r.administrations)


def test_drug_01_the_supply_statement_names_its_drug(coder):
    text = ("Dx: RA (M05.79); B12 deficiency (E53.8). Dr. Tanaka in clinic.\n"
            "1) Humira (adalimumab) 40 mg/0.4 mL pen - pt-supplied, lot 1213450, exp 11/2026 - "
            "40 mg SC L lower abdomen 10:15 by RN.\n"
            "2) Cyanocobalamin 1000 mcg/mL - office stock, lot 4C552, exp 02/2028 - 1000 mcg IM "
            "R deltoid 10:17 by RN.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("96372", ("XS",), 1), ("J3420", (), 1)]


def test_code_07_venom_extracts_in_a_flowsheet_are_allergen_immunotherapy(coder):
    text = ("VENOM IMMUNOTHERAPY - MAINTENANCE FLOWSHEET\n"
            "Dx: bee allergy status (Z91.030).\n\n"
            "| Extract                    | Conc       | Dose   | Route | Site         | Time  |\n"
            "| Honey bee venom            | 100 mcg/mL | 1.0 mL | SC    | R post arm   | 10:02 |\n"
            "| Mixed vespid venom protein | 300 mcg/mL | 1.0 mL | SC    | L post arm   | 10:03 |\n"
            "\n30 min obs: no systemic reaction. J. Whitcombe, RN\n")
    assert _lines(_code(coder, text)) == [("95117", (), 1)]  # never 96372


def test_doc_16_a_mar_row_filled_from_the_order_but_never_charted_is_not_billed(coder):
    text = ("P: Orders: Toradol 30 mg IM, Phenergan 12.5 mg IM. Migraine (G43.009).\n\n"
            "MEDICATION ADMINISTRATION\n"
            "| Med          | Dose    | Route | Site      | Time  | By          |\n"
            "| Ketorolac    | 30 mg   | IM    | L VG      | 13:12 | B. Soto, MA |\n"
            "| Promethazine | 12.5 mg | IM    |           |       |             |\n")
    result = _code(coder, text)
    assert _lines(result) == [("96372", (), 1), ("J1885", (), 2)]
    assert "DOC-16" in _ids(result, Severity.WARNING)


def test_mod_03_a_repeat_permitted_by_the_order_marks_only_the_repeat(coder):
    text = ("P: ondansetron 4 mg IM now, may repeat x1 in 30 min if still vomiting. Viral "
            "gastroenteritis (A08.4).\nNursing (R. Ito, RN):\n"
            "1040 ondansetron 4 mg IM L deltoid\n"
            "1115 vomited -> ondansetron 4 mg IM repeated, R deltoid\n")
    expected = [("96372", (), 1), ("96372", ("76",), 1), ("J2405", (), 8)]
    assert _lines(_code(coder, text)) == expected



@pytest.mark.parametrize("text, meta", [
    pytest.param(  # a risk assessment section below the PMH line is decision making
        "Travel Clinic - Physician consult\nTraveler 45F, 3-month posting in the Amazon.\n"
        "PMH: rheumatoid arthritis on methotrexate 15 mg PO weekly.\n"
        "Risk/counseling: rabies (animal work), typhoid; YF vaccine contraindicated on MTX.\n"
        "Given today (by me): Typhim Vi 0.5 mL IM R deltoid lot V9920.\n"
        "Dx: travel counseling (Z71.84); immunization (Z23).\nTotal time on date: 40 minutes.\n",
        {}, id="risk-assessment"),
    pytest.param(  # "PMH none" is a pertinent negative of the history
        "Pre-travel consultation.\nPMH none. Meds none. NKDA.\n"
        "Typhoid, malaria (high risk) discussed - Malarone chosen.\n"
        "Vaccines today: Typhim Vi 0.5 mL IM L deltoid lot V2K117 (RN T. Abara).\n"
        "Rx: Malarone 250/100 1 tab daily.\nA: travel counseling (Z71.84).\n",
        {"billed_em": "99203"}, id="pmh-none"),
])
def test_em_06_a_pre_travel_consultation_is_a_separate_e_m(coder, text, meta):
    result = _code(coder, text, patient_status="new", **meta)
    assert ("99203", ("25",), 1) in _lines(result)


def test_drug_07_a_dose_clarified_before_giving_replaces_the_plans(coder):
    """The plan's "now" order and the nurse's charted dose are one injection: the clarified
    amount is billed once, and a later time in the plan's next sentence is not a second dose."""
    text = ("A: acute gout flare L knee (M10.062).\n"
            "P: Kenalog 80 mg IM now. Labs drawn; uric acid appt at lab 15:45.\n"
            "RN note 14:20: order clarified with Dr. Ames (diabetic) - changed to 40 mg. "
            "Kenalog 40 mg/mL 1 mL IM L gluteal at 14:25, lot TK112.\n")
    result = _code(coder, text)
    assert _lines(result) == [("96372", (), 1), ("J3301", (), 4)]
    [given] = [a for a in result.administrations if a.status.value == "given"]
    assert given.dose.value == 40


def test_doc_16_an_order_never_charted_stays_ordered_past_the_after_visit_summary(coder):
    """"AVS given" at discharge hands over paper; it does not chart the ordered injection."""
    text = ("A: acute otitis media, bilateral (H66.93), vomiting amoxicillin.\n"
            "P: Rocephin 50 mg/kg = 750 mg IM ordered. Fluids, recheck ears in 2 wk.\n"
            "19:40 Discharged with father. AVS given, questions answered.\n")
    result = _code(coder, text, billed_em="99213", patient_status="established")
    assert _lines(result) == [("99213", (), 1)]
    assert "DOC-16" in _ids(result)


def test_mod_04_the_vials_rest_discarded_after_the_dose_was_drawn_is_not_a_partial_dose(coder):
    text = ("A: Gonorrhea, uncomplicated (A54.02).\n"
            "Ceftriaxone 500 mg IM L ventrogluteal 14:05 (1 g vial reconstituted with 2.1 mL "
            "sterile water; 1.2 mL drawn up, remainder discarded). Lot K7741.\n")
    result = _code(coder, text)
    assert _lines(result) == [("96372", (), 1), ("J0696", (), 2)]
    drew = text.replace("1.2 mL drawn up, remainder discarded",
                        "drew 1.2 mL from the vial, remainder discarded")
    assert _lines(_code(coder, drew)) == [("96372", (), 1), ("J0696", (), 2)]
    text = text.replace("1.2 mL drawn up, remainder discarded",
                        "pt pulled away after 0.6 mL, remainder discarded")
    assert ("96372", ("52",), 1) in _lines(_code(coder, text))


def test_em_03_a_provider_note_below_the_nurses_note_is_the_practitioners_visit(coder):
    """"(see RN note)" in the provider's plan points at the nurse's part of the visit."""
    text = ("Nursing note 06/02/2026 18:10 - T. Ruiz, RN\n"
            "Per NP order: ondansetron 4 mg IM L deltoid at 18:05. Tolerated.\n\n"
            "Provider note - M. Cho, NP, 17:50\n"
            "S: vomiting x 12 h, unable to keep fluids down, no blood, no abd pain.\n"
            "O: mucous membranes tacky, abdomen soft, nontender.\n"
            "A: Vomiting.\n"
            "P: ondansetron IM (see RN note), oral rehydration, return if worse.\n")
    result = _code(coder, text, billed_em="99213", patient_status="established")
    assert "EM-03" not in _ids(result)
    assert ("99213", ("25",), 1) in _lines(result)


def test_mod_04_an_order_discontinued_before_giving_is_not_a_discontinued_injection(coder):
    text = ("A: Syphilis exposure (Z20.2), already treated at the health department 05/03.\n"
            "P: Penicillin G benzathine 2.4 million units IM order from triage protocol "
            "discontinued by Dr. Lee 10:20 - already given 05/03 there.\n")
    result = _code(coder, text)
    assert not [ln for ln in result.lines if ln.code in ("96372", "J0561")]
    assert "MOD-04" not in _ids(result)


def test_drug_07_no_shot_holds_the_drink_measured_after_it(coder):
    text = ("A: Gastroenteritis (A08.4).\n"
            "P: Zofran 4mg/2mL IM R delt at 0915 by RN - vomiting stopped, drank apple juice "
            "x 250mL by 0950.\n")
    assert ("J2405", (), 4) in _lines(_code(coder, text))


def test_drug_07_a_combination_products_parts_are_not_its_dose(coder):
    text = ("A: Strep pharyngitis (J02.0).\n"
            "Bicillin C-R (penicillin G benzathine 450,000 units + penicillin G procaine 150,000 "
            "units) 600,000 units/1 mL IM L ventrogluteal 15:05 by RN.\n")
    assert ("J0558", (), 6) in _lines(_code(coder, text))


def test_doc_16_an_ehr_administration_section_that_records_nothing_leaves_the_order_ordered(
        coder):
    text = ("A/P: B12 deficiency (D51.9) - start cyanocobalamin, first dose in clinic today.\n"
            "Orders Placed This Encounter\n"
            "  cyanocobalamin 1,000 mcg/mL injection - 1,000 mcg, Intramuscular, Once, clinic "
            "administered\n"
            "Medications Administered This Visit\n"
            "  None recorded\n")
    result = _code(coder, text)
    assert not [ln for ln in result.lines if ln.code in ("96372", "J3420")]
    assert "DOC-16" in _ids(result)



@pytest.mark.parametrize(("dx", "pos", "expected"), [
    ("D63.0 anemia in neoplastic disease", "11", ("Q5106", (), 40)),
    ("D63.1 anemia in CKD; N18.6 ESRD; Z99.2 dialysis", "11", ("Q5105", (), 400)),
    ("D63.1 anemia in chronic kidney disease", "65", ("Q5105", (), 400)),
])
def test_drug02_esrd_and_non_esrd_codes_follow_the_patient(coder, dx, pos, expected):
    """DRUG-02: a "for ESRD on dialysis" code needs ESRD or dialysis on the claim (or an ESRD
    facility); otherwise the drug's non-ESRD code, whatever gives fewer units. At POS 65 the
    facility bills it (POS-01), and the finding names the code it would carry."""
    text = (f"Dx: {dx}. Hgb 9.2.\nRetacrit (epoetin alfa-epbx) 40,000 units SC L posterior "
            "upper arm given 10:40 by RN, lot 2RT551.")
    result = _code(coder, text, place_of_service=pos)
    if pos == "65":
        (pos01,) = [f for f in result.findings if f.rule_id == "POS-01"]
        assert expected[0] in pos01.message and "Q5106" not in pos01.message
        return
    lines = _lines(result)
    assert expected in lines
    assert not {ln[0] for ln in lines} & ({"Q5105", "Q5106"} - {expected[0]})


@pytest.mark.parametrize(("name", "dx", "expected"), [
    ("Mircera", "D63.1 anemia in CKD; N18.4 CKD stage 4", ("J0888", (), 120)),
    ("methoxy polyethylene glycol-epoetin beta", "D63.1 anemia in CKD; N18.6 ESRD; Z99.2 dialysis",
     ("J0887", (), 120)),
])
def test_drug02_mircera_bills_epoetin_beta_per_mcg(coder, name, dx, expected):
    """DRUG-04/DRUG-02: HCPCS names Mircera "epoetin beta", 1 mcg per unit; the ESRD code
    only for a patient on dialysis."""
    text = f"Dx: {dx}. Hgb 9.4.\n{name} 120 mcg SC R abdomen given 09:15 by RN, lot MC4471."
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert expected in lines
    assert ("96372", (), 1) in lines


def test_doc12_a_note_that_denies_a_provider_on_site_outweighs_a_named_orderer(coder):
    order = "Order: Prolia 60 mg SC every 6 months - Hiro Sato, MD, 12/03/2025.\n"
    denial = "No provider in the office this afternoon (Dr. Sato at a conference).\n"
    given = "Dx: osteoporosis (M81.0). Prolia 60 mg SC R upper arm given by R. Dubois, LPN.\n"
    r = _code(coder, order + denial + given, place_of_service="11")
    found = [f for f in r.findings if f.rule_id == "DOC-12"]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "No provider in the office" in [e.text for e in found[0].evidence]
    # the signer's credential alone is taken as a practitioner there
    assert "DOC-12" not in _ids(_code(coder, order + given, place_of_service="11"))


@pytest.mark.parametrize(("product", "expected"), [
    pytest.param("HyperRHO S/D Mini-Dose 50 mcg", "J2788", id="mini-dose"),
    pytest.param("HyperRHO S/D 300 mcg", "J2790", id="full-dose"),
])
def test_drug02_the_anti_d_mini_dose_bills_its_own_code(coder, product, expected):
    text = (f"Complete miscarriage at 9 weeks, Rh negative (O03.9). {product} IM L deltoid "
            "given by J. Park, RN. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), (expected, (), 1)]


@pytest.mark.parametrize(("age", "expected"), [
    # MMR has three components: 90460 for the first, 90461 for each other one
    pytest.param("9 y 2 m", [("90460", (), 1), ("90461", (), 2), ("90707", (), 1)],
                 id="child-counselled"),
    pytest.param("19 y 2 m", [("90471", (), 1), ("90707", (), 1)], id="adult"),
])
def test_code02_counselling_on_the_risks_of_a_vaccine_under_19_is_90460(coder, age, expected):
    text = (f"Well visit, {age}, here with mother. I counselled mother on the risks and benefits "
            "of MMR. MMR II 0.5 mL SC R arm given by J. Park, RN, lot M123. Z23.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == expected


def test_code12_a_spoken_glue_tee_us_is_a_site_not_a_procedure(coder):
    text = ("Knee pain, osteoarthritis right knee (M17.11). Dr. Lee on site. Toradol 60 mg IM "
            "given in the right glue tee us by J. Park, RN.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J1885", (), 4)]
    assert "CODE-12" not in _ids(r)


@pytest.mark.parametrize(("product", "expected"), [
    pytest.param("HyperRAB", "90375", id="rig-human"),
    pytest.param("HRIG", "90375", id="generic"),
    pytest.param("Imogam Rabies-HT", "90376", id="rig-heat-treated"),
])
def test_drug02_rabies_immune_globulin_bills_its_cpt_product_code_per_150_iu(
        coder, product, expected):
    text = ("Dog bite R calf (S81.851A, W54.0XXA), rabies exposure (Z20.3). Wt 60 kg. "
            f"{product} 20 IU/kg = 1,200 IU IM L ventrogluteal given by J. Park, RN. "
            "Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == sorted([("96372", (), 1), (expected, (), 8)])
    assert "DRUG-05" not in _ids(r)


@pytest.mark.parametrize(("dose", "units"), [
    pytest.param("94.5 mg", 2, id="rounds-up-to-the-next-50-mg"),
    pytest.param("150 mg", 3, id="whole-units"),
])
def test_drug02_palivizumab_bills_its_cpt_product_code_per_50_mg(coder, dose, units):
    text = ("Ex-29 wk preemie, CLD of prematurity (P27.1), RSV season. Wt 6.3 kg. "
            f"Synagis {dose} IM R anterolateral thigh given by J. Park, RN. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == sorted([("96372", (), 1), ("90378", (), units)])
    assert "DRUG-05" not in _ids(r)


def test_drug02_methylnaltrexone_bills_j2212_per_0_1_mg(coder):
    text = ("Opioid-induced constipation (K59.03). Relistor 12 mg/0.6 mL SC L lower abdomen given "
            "by B. Chandler, RN @ 11:10 as a teaching dose. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11", payer="commercial")
    assert _lines(r) == sorted([("96372", (), 1), ("J2212", (), 120)])


@pytest.mark.parametrize(("history", "bundled"), [
    pytest.param("No melena; colonoscopy 2025 nl.", False, id="dated-to-an-earlier-year"),
    pytest.param("No melena; prior colonoscopy normal.", False, id="prior"),
    pytest.param("Upper endoscopy 3 yrs ago normal.", False, id="years-ago"),
    pytest.param("Colonoscopy today under moderate sedation.", True, id="todays-study"),
])
def test_code12_a_study_of_an_earlier_day_bundles_no_iv_push(coder, history, bundled):
    text = (f"Iron deficiency anemia (D50.9), intolerant of oral iron. {history}\n"
            "Venofer 200 mg/10 mL slow IV push over 5 min via L hand PIV by T. Boyle, RN, 10:40. "
            "Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert ("CODE-12" in _ids(r)) is bundled


@pytest.mark.parametrize("given", [
    pytest.param("JYNNEOS 0.5 mL SC L posterior upper arm, lot FDP00123", id="subcutaneous"),
    pytest.param("Mpox vaccine 0.1 mL intradermal L volar forearm, lot FDP00123",
                 id="intradermal-dose-sparing"),
])
def test_code02_the_mpox_vaccine_is_a_vaccine_not_a_96372(coder, given):
    text = (f"Mpox PEP, exposure day 3 (Z20.828). {given}, given by K. Osei, RN. Dr. Lee on site. "
            "Dose 2 due in 28 days.")
    r = _code(coder, text, place_of_service="11", payer="commercial")
    assert _lines(r) == sorted([("90471", (), 1), ("90611", (), 1)])


def test_pos05_needs_more_than_a_dose_by_mouth(coder):
    """An FQHC visit where only an oral dose was taken in clinic has nothing to bundle."""
    oral = ("Gonococcal urethritis (A54.01). Ceftriaxone 500 mg IM declined. "
            "Cefixime 800 mg PO stat, swallowed in clinic 14:10.")
    assert "POS-05" not in _ids(_code(coder, oral, place_of_service="50"))
    assert "POS-05" in _ids(_code(coder, GIVEN, place_of_service="50"), Severity.WARNING)


def test_doc02_a_compounded_mixs_volume_with_its_listed_contents_is_its_dose(coder):
    """DOC-02 v2: 1 mL of a mix whose contents per mL are listed is a documented dose."""
    text = ("Dx: Obesity class 2 (E66.812). MIC+B12 (503B compounded: methionine 25 mg / inositol "
            "50 mg / choline chloride 50 mg / cyanocobalamin 1,000 mcg per mL), 1 mL IM R deltoid "
            "- given by A. Trinh, MA. Dr. Lee on site.")
    r = _code(coder, text, place_of_service="11")
    assert _lines(r) == [("96372", (), 1), ("J3490", (), 1)]
    assert "DOC-02" not in _ids(r) and "DRUG-05" in _ids(r, Severity.WARNING)
    # a single drug's volume with no concentration still leaves its units unknown
    plain = GIVEN.replace("Toradol 60 mg", "Toradol 2 mL")
    assert "DOC-02" in _ids(_code(coder, plain, place_of_service="11"), Severity.ERROR)


@pytest.mark.parametrize(("brand", "code"), [("Fluarix Trivalent", "90656"),
                                             ("FluLaval Trivalent", "90656")])
def test_code02_a_trivalent_brand_names_its_product_code(coder, brand, code):
    text = f"Imms: {brand} 0.5 mL IM R deltoid given by CMA, lot F7731. Z23. Dr. Lee on site."
    r = _code(coder, text, place_of_service="11")
    assert (code, (), 1) in _lines(r) and "CODE-02" not in _ids(r)


def test_code02_counselling_that_names_the_vaccines_as_its_object(coder):
    """CODE-02: "I discussed the MenACWY booster, HPV #2 and MenB with Tomas and his mom" is the
    practitioner's counselling on each vaccine named (90460 per vaccine given)."""
    text = ("Well adolescent visit, 16 y/o M. Counseling: I discussed the MenACWY booster, HPV #2 "
            "and MenB with Tomas and his mom - benefits, risks; VIS given. MenB deferred.\n"
            "Vaccines given (A. Ruiz, LPN): MenQuadfi 0.5 mL IM L deltoid; Gardasil 9 0.5 mL IM "
            "R deltoid.\nD. Price, PA-C")
    admin = [ln for ln in _lines(_code(coder, text, place_of_service="11"))
             if ln[0] in ("90460", "90461", "90471", "90472")]
    assert admin == [("90460", (), 2)]
    record = text.replace("I discussed the MenACWY booster, HPV #2 and MenB with Tomas and his "
                          "mom", "I reviewed the HPV record with the registry")
    admin = [ln for ln in _lines(_code(coder, record, place_of_service="11"))
             if ln[0] in ("90460", "90461", "90471", "90472")]
    assert admin == [("90471", (), 1), ("90472", (), 1)]


def test_em03_spoken_paragraph_headings_of_unedited_dictation_are_sections(coder):
    """EM-03: unedited dictation keeps "new paragraph exam", "new paragraph assessment": those
    are the note's exam and assessment, so the billed E/M is documented."""
    text = ("thirty one year old established patient with an itchy blistering rash on both "
            "forearms for four days after pulling weeds period no trouble breathing period new "
            "paragraph exam linear streaks of vesicles on a red base both forearms period new "
            "paragraph assessment allergic contact dermatitis from poison ivy period new "
            "paragraph plan Kenalog 40 mg IM left gluteal given by our MA period triamcinolone "
            "cream twice daily period return if spreading to face")
    r = _code(coder, text, place_of_service="11", billed_em="99213")
    assert "EM-03" not in _ids(r)
    assert ("99213", ("25",), 1) in _lines(r)


@pytest.mark.parametrize(("exam", "separate"), [
    pytest.param("BP 128/82, HR 76.", False, id="vitals-only"),
    pytest.param("BP 128/82. Lungs clear, no wheezing.", True, id="examined"),
])
def test_em06_vital_signs_are_no_examination(coder, exam, separate):
    """EM-06: history, vital signs and a "Dx:" field on an injection visit are the nurse's
    intake; with a practitioner's examination finding they are a separate E/M to level."""
    text = ("Here for testosterone injection, last one 2 weeks ago. No chest pain. "
            f"{exam}\nDx: hypogonadism (E29.1)\n"
            "Testosterone cypionate 200 mg IM R ventrogluteal given, lot TC4411. Tol well.\n")
    r = _code(coder, text, place_of_service="11", payer="commercial")
    assert ("EM-06" in _ids(r, Severity.WARNING)) is separate


@pytest.mark.parametrize(("signed", "assessment", "separate"), [
    pytest.param("K. Osei, RN", "A: Tolerated injection, no distress.", False, id="nurse-dar"),
    pytest.param("K. Osei, RN", "A: Sciatica flare, likely L5 radiculopathy.", True,
                 id="nurse-note-with-decision-making"),
    pytest.param("K. Osei, FNP", "A: Tolerated injection, no distress.", True,
                 id="practitioner-soap"),
])
def test_em06_soap_headings_over_a_nurse_visit_are_no_em(coder, signed, assessment, separate):
    """EM-06: "S:/O:/A:" headings over a nurse's injection visit with no E/M billed are no
    separately identifiable E/M; a practitioner's note, or real decision making, still is."""
    text = ("S: Here for monthly Haldol dec. Sleeping 7 hrs, denies SI.\n"
            "O: BP 124/78.\n"
            f"{assessment}\n"
            "Haloperidol decanoate 100 mg IM L dorsogluteal, Z-track, lot HD2290. "
            f"Next 06/01/2026.\n{signed}\n")
    r = _code(coder, text, place_of_service="11", payer="commercial")
    assert ("EM-06" in _ids(r, Severity.WARNING)) is separate


PRENATAL = ("Prenatal visit, G2P1 at 28w2d. No LOF, no VB, +FM. BP 112/70. FH 28 cm, FHT 146. "
            "GTT today. Blood type O neg, antibody screen negative.\n"
            "A/P: IUP 28 wks, Rh negative. RhoGAM 300 mcg IM L deltoid given, lot RG2231.\n")


@pytest.mark.parametrize(("billed", "separate"), [
    pytest.param(None, False, id="routine-visit"),
    pytest.param("99213", True, id="problem-visit-billed"),
])
def test_em06_a_routine_prenatal_visit_is_in_the_global_package(coder, billed, separate):
    """EM-06 / EM-03: a routine prenatal visit (a fetal check at a prenatal or global-OB visit)
    is no separately identifiable E/M; a problem visit the practitioner bills still is."""
    r = _code(coder, PRENATAL, place_of_service="11", payer="commercial", billed_em=billed,
              patient_status="established")
    assert "EM-06" not in _ids(r, Severity.WARNING)
    assert any(ln.kind.value == "em" for ln in r.lines) is separate
    ex = coder.extractor.extract(PRENATAL, None)
    assert [s.text for s in ex.em.prenatal] == ["FH 28", "Prenatal"]


@pytest.mark.parametrize(("dos", "product"), [
    pytest.param("2026-11-03", "90673", id="trivalent-era"),
    pytest.param("2023-11-03", None, id="quadrivalent-era-needs-the-valency"),
])
def test_code02_a_flu_brand_without_its_valency_is_the_seasons_product(coder, dos, product):
    """CODE-02: from the 2024-25 season every US influenza vaccine is trivalent, so "Flublok"
    alone is Flublok trivalent (90673); before it, the valency had to be documented."""
    r = _code(coder, "Flublok 0.5 mL IM L deltoid given, VIS given. Tolerated.",
              place_of_service="11", payer="commercial", date_of_service=dos)
    products = [ln.code for ln in r.lines if ln.kind.value == "vaccine_product"]
    assert products == ([product] if product else [])
    assert ("CODE-02" in _ids(r, Severity.WARNING)) is (product is None)


def test_drug02_rolvedon_is_eflapegrastim_per_tenth_of_a_mg(coder):
    """DRUG-02: Rolvedon (eflapegrastim-xnst) is its own G-CSF, J1449 per 0.1 mg (13.2 mg is 132
    units), not a pegfilgrastim code."""
    r = _code(coder, "Rolvedon (eflapegrastim-xnst) 13.2 mg/0.6 mL SC L abdomen given 10:05, day 2 "
              "after TC. Dx: C50.911, Z51.11.", place_of_service="11", payer="commercial")
    assert ("J1449", (), 132) in _lines(r) and ("96372", (), 1) in _lines(r)


def test_em02_a_terse_ex_heading_documents_the_exam_of_a_billed_visit(coder):
    """EM-02: "Ex:" is how terse notes head the exam; with the billed level and no shot today,
    the visit is the E/M alone (no 25, no administration line)."""
    text = ("ORTHO f/u - J. Marsh, PA-C   05/01/2026\n"
            "60M est. L knee OA (M17.12). CSI L knee 03/30/2026 here - 4 wks relief.\n"
            "Wants another shot today.\n"
            "Ex: L knee sm effusion, med JLT, ROM 0-110, stable lig.\n"
            "Plan: no repeat CSI < 3 mo -> not today. PT referral. RTC 7/1.\n")
    r = _code(coder, text, place_of_service="11", billed_em="99213",
              date_of_service="2026-05-01")
    assert _lines(r) == [("99213", (), 1)]


@pytest.mark.parametrize("text", [
    "Abx shot given IM L glute per NP Reyes for strep pharyngitis (J02.0). Tol well. -Jas, MA",
    "Dx: lumbar radiculopathy (M54.16). IM steroid 80 mg given R gluteal today, tolerated.",
    "Lipo-Lean 1 mL IM L deltoid given by Bree (MA). Obesity (E66.9).",
])
def test_an_injection_named_only_by_its_class_is_billed_without_a_drug_line_doc_01(coder, text):
    result = _code(coder, text)
    assert _lines(result) == [("96372", (), 1)]
    assert "DOC-01" in _ids(result, Severity.ERROR)


def test_an_annual_wellness_visit_goes_out_beside_the_injection_without_25_em_05(coder):
    text = ("Subsequent Annual Wellness Visit. HRA reviewed, screening schedule updated, ACP "
            "discussed. Pernicious anemia (D51.0): cyanocobalamin 1000 mcg IM L deltoid given by "
            "RN 10:20. Tolerated.")
    result = _code(coder, text, billed_em="G0439", payer="medicare", place_of_service="11")
    assert ("G0439", (), 1) in _lines(result)
    assert ("96372", (), 1) in _lines(result)


def test_a_sub_interns_note_with_a_teaching_addendum_takes_no_gc(coder):
    text = ("Medical student note -- J. Park, MS4 (sub-intern). Teaching physician: A. Rao, MD.\n"
            "HPI: 3 days of dysuria and scrotal pain. Exam: tender L epididymis. Assessment: "
            "acute epididymitis (N45.1). Plan: ceftriaxone 500 mg IM L ventrogluteal given by RN.\n"
            "Teaching physician addendum: I saw and examined the patient with the student and "
            "agree with the assessment and plan. -- A. Rao, MD")
    result = _code(coder, text, billed_em="99203", place_of_service="11")
    assert all("GC" not in ln.modifiers for ln in result.lines)
    assert ("99203", ("25",), 1) in _lines(result)


@pytest.mark.parametrize("product, name", [
    ("Jubbonti 60 mg/mL PFS", "denosumab-bbdz"),
    ("Wyost 120 mg/1.7 mL", "denosumab-bbdz"),
    ("Ebglyss 250 mg/2 mL pen", "lebrikizumab"),
    ("Repatha SureClick 140 mg/mL", "evolocumab"),
])
def test_drugs_without_a_code_of_their_own_bill_unlisted(coder, product, name):
    """DRUG-05: a denosumab biosimilar is not the reference product's J0897, and newer biologics
    without a Level II code are the unlisted biologic J3590, never a guessed code."""
    text = (f"Dx: postmenopausal osteoporosis (M81.0), atopic dermatitis (L20.9), HeFH (E78.01).\n"
            f"{product} given SC L upper arm by RN 10:05. Dr. Lee on site. Tolerated.\n")
    result = _code(coder, text, place_of_service="11")
    assert [a.drug.name for a in result.administrations] == [name]
    assert {ln.code for ln in result.lines} == {"96372", "J3590"}
    assert "DRUG-05" in _ids(result, Severity.WARNING)


def test_a_manufacturer_sample_bills_the_administration_only(coder):
    """DRUG-01: a dose given from the clinic's manufacturer sample supply was not bought by the
    practice, so no drug line; the same dose from clinic stock is billed."""
    text = ("Start alirocumab for HeFH (E78.01). First dose today from our manufacturer sample "
            "supply: Praluent 150 mg/mL pen (sample, lot 3A711) given SC L abdomen by RN at 11:50. "
            "Dr. Lee on site.\n")
    result = _code(coder, text, place_of_service="11")
    assert _lines(result) == [("96372", (), 1)]
    (adm,) = result.administrations
    assert adm.supplied_by_patient is not None
    assert adm.supplied_by_patient.kind == "manufacturer_sample"
    stock = ("Start alirocumab for HeFH (E78.01). Praluent 150 mg/mL pen from clinic stock given "
             "SC L abdomen by RN at 11:50. Dr. Lee on site.\n")
    assert "J3590" in {ln.code for ln in _code(coder, stock, place_of_service="11").lines}


def test_an_unticked_first_dose_in_clinic_box_is_no_dose(coder):
    """Status: "[ ] First dose given in clinic" beside "[x] First dose at home" is the form's
    unchosen option: the pen was prescribed, not injected."""
    text = ("Assessment: T2DM (E11.65).\nPlan:\n"
            "  [x] Start GLP-1 RA: Ozempic 0.25 mg SC weekly - Rx sent\n"
            "  [x] Pen teaching done today with trainer pen (no medication)\n"
            "  [ ] First dose given in clinic\n"
            "  [x] First dose at home Sunday - pt prefers\n")
    result = _code(coder, text, place_of_service="11", billed_em="99214")
    assert "96372" not in {ln.code for ln in result.lines}


def test_immune_globulin_infiltrated_and_given_im_is_two_96372_without_a_split_warning(coder):
    """Rabies PEP: immune globulin infiltrated SC around the wound plus the rest IM is two
    injections (96372 and 96372-XS), the drug line adds the parts back (1,500 IU = 10 units of
    90375), and MOD-02's volume-split warning does not apply to parts given by two routes."""
    text = ("New patient, dog bite L hand today. Rabies exposure (Z20.3), open bite of left hand "
            "(S61.452A).\n"
            "P: Rabies PEP day 0:\n"
            "  * HRIG (HyperRAB 300 IU/mL) 20 IU/kg x 75 kg = 1,500 IU = 5 mL\n"
            "      1.5 mL (450 IU) infiltrated subcutaneously around the L hand wounds\n"
            "      3.5 mL (1,050 IU) IM R ventrogluteal\n"
            "  * RabAvert 1 mL IM R deltoid, lot R55, exp 05/2027 (Z23)\n"
            "  Given by the RN with me present 11:10. Observed 20 min.\n")
    result = _code(coder, text, place_of_service="11", payer="commercial")
    lines = _lines(result)
    assert ("90375", (), 10) in lines
    assert [ln for ln in lines if ln[0] == "96372"] == [("96372", (), 1), ("96372", ("XS",), 1)]
    assert "MOD-02" not in _ids(result)


def test_an_earlier_separate_telehealth_visit_does_not_make_the_nurse_visit_telehealth(coder):
    """POS-02: the in-person nurse visit that carries out the order of this morning's video
    visit (a separate encounter) is no telehealth encounter; a note that is the video visit is."""
    text = ("NURSE VISIT - IN PERSON 15:40\n"
            "Reason: ceftriaxone per NP order from this morning's video visit (separate "
            "telehealth encounter, 09:20). Dx pyelonephritis (N10).\n"
            "Ceftriaxone 1 g IM R ventrogluteal 15:48, lot C1. Observed 20 min.\n")
    assert "POS-02" not in _ids(_code(coder, text, place_of_service="11"))
    video = text.replace("from this morning's video visit (separate telehealth encounter, "
                         "09:20)", "on today's telehealth visit")
    assert "POS-02" in _ids(_code(coder, video, place_of_service="11"))


def test_code02_oral_cholera_vaccine_drunk_in_clinic(coder):
    """CODE-02: Vaxchora, the live oral cholera vaccine, drunk in clinic after an injected vaccine
    is its product code (90625) plus the oral add-on administration (90474)."""
    text = ("Travel vaccines, Z23.\n10:05 Typhim Vi 0.5 mL IM to left deltoid, lot V1K882.\n"
            "10:09 Vaxchora: buffer packet into 100 mL cold water, then the active packet - pt "
            "drank the whole dose PO in clinic.\nT. Gutierrez, CMA")
    lines = _lines(_code(coder, text, place_of_service="11"))
    assert ("90625", (), 1) in lines and ("90474", (), 1) in lines
    assert ("90471", (), 1) in lines and ("90691", (), 1) in lines


def test_em06_timed_practitioner_visit_without_injection(coder):
    """EM-06: a practitioner's video consult with a plan and a total time, no shot given, is
    leveled by its time (99214 for 32 minutes, established); EM-07 reads "38 y/o M,
    established." With a shot given, or with no practitioner, the same text is no E/M."""
    note = ("VIDEO VISIT - Travel Medicine\nProvider: L. Hartigan, FNP-C. Patient at home.\n"
            "38 y/o M, established. Trip to Laos 05/10-07/20.\nDiscussed:\n - Rabies: PrEP "
            "recommended.\nA/P: Pre-travel counseling (Z71.84).\n - Nurse visit booked 04/14 "
            "for Imovax #1.\n - Rx sent: atovaquone-proguanil.\nTotal time on date of service: "
            "32 minutes.\nL. Hartigan, FNP-C")
    assert _lines(_code(coder, note, place_of_service="10")) == [("99214", (), 1)]
    nurse = note.replace("FNP-C", "RN")
    assert not any(ln.kind.value == "em" for ln in _code(coder, nurse,
                                                          place_of_service="11").lines)
    shot = note + "\nToradol 60 mg IM R gluteal given by RN."
    assert not any(ln.kind.value == "em" for ln in _code(coder, shot,
                                                         place_of_service="11").lines)


def test_code06_joint_from_a_ticked_joint_field(coder):
    """CODE-06: a procedure form's "Joint: [ ] knee [x] glenohumeral" names the joint the
    injectate went into (a major joint: 20611 with a recorded ultrasound image); an unticked
    option is no joint."""
    form = ("PROCEDURE NOTE - Joint injection (ultrasound-guided)\n"
            "Joint:    [ ] knee   [x] glenohumeral   [ ] other: ____\nSide:     [x] R\n"
            "Guidance: [x] ultrasound - needle tip intra-articular confirmed; images saved to "
            "PACS\nInjectate: methylprednisolone acetate 40 mg/mL x 1 mL (40 mg)\n"
            "Indication: adhesive capsulitis (M75.01). Tolerated well.\nH. Mizrahi MD")
    lines = _lines(_code(coder, form, place_of_service="11"))
    assert ("20611", (), 1) in lines and ("J1010", (), 40) in lines
    small = form.replace("[ ] knee   [x] glenohumeral", "[x] wrist   [ ] glenohumeral")
    lines = _lines(_code(coder, small, place_of_service="11"))
    assert ("20606", (), 1) in lines and ("20611", (), 1) not in lines


def test_em03_nursing_visit_title_and_signature_is_no_practitioner_em(coder):
    """EM-03: "RN Injection Visit" over a SOAP note the RN signs is a nurse visit: its "A:" is the
    nurse's, so a billed 99212 has no separate evaluation. The same note signed by a
    practitioner, or under another title, keeps its E/M."""
    note = ("RN Injection Visit - Men's Health      02/03/2026 09:05      (Dr. Pak in clinic)\n"
            "S: pt here for q2wk T inj. Dose down per Dr. Pak: Hct 52.8. No HA, no CP/SOB.\n"
            "O: BP 132/84, P 70.\nA: Primary hypogonadism (E29.1) on TRT; erythrocytosis "
            "(D75.1).\nP: Testosterone cypionate 200 mg/mL - 0.5 mL (100 mg) IM L VG @0912. "
            "Tol, no rxn.\nG. Amsel, RN")
    r = _code(coder, note, place_of_service="11", billed_em="99212")
    assert not any(ln.kind.value == "em" for ln in r.lines)
    assert "EM-03" in {f.rule_id for f in r.findings}
    for other in (note.replace("RN Injection Visit", "Men's Health Visit"),
                  note.replace("G. Amsel, RN", "D. Pak, MD")):
        r = _code(coder, other, place_of_service="11", billed_em="99212")
        assert ("99212", ("25",), 1) in _lines(r)


def test_code02_trivalent_flu_presentation_from_its_line(coder):
    """CODE-02: "Fluzone Trivalent PFS 0.5 mL" is the preservative-free syringe (90656); from a
    multi-dose vial it is 90658; with no presentation written the coder is asked."""
    note = ("RN visit. Dx Z23.\n1012  Fluzone Trivalent PFS 0.5 mL IM R deltoid   lot UT9921\n"
            "-- S. Mbeki, RN")
    assert ("90656", (), 1) in _lines(_code(coder, note, place_of_service="11"))
    mdv = note.replace("PFS 0.5 mL", "0.5 mL from the MDV")
    assert ("90658", (), 1) in _lines(_code(coder, mdv, place_of_service="11"))
    bare = _code(coder, note.replace(" PFS", ""), place_of_service="11",
                 date_of_service="2026-10-20")
    assert not any(ln.code in ("90656", "90658") for ln in bare.lines)
    assert "CODE-02" in _ids(bare, Severity.WARNING)
