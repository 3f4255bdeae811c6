"""Extractor: components on awkward strings, status, linking, and the span invariant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.pipeline import PIPE_NAMES
from models import AdministrationStatus as S
from models import Route
from tests.helpers import assert_spans_match


def test_pipeline_order_is_fixed(small_extractor):
    assert tuple(small_extractor.nlp.pipe_names) == PIPE_NAMES


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # fmt: off
        pytest.param("Ceftriaxone 1g IM R VG given.", "1", "g", id="1g-no-space"),
        pytest.param("Ceftriaxone 1 gram IM left gluteal given.", "1", "g", id="1-gram"),
        pytest.param("B12 1,000 mcg IM L deltoid given.", "1000", "mcg", id="thousands-comma"),
        pytest.param("B12 1,000mcg/1mL IM L delt given.", "1000", "mcg", id="conc-with-volume"),
        pytest.param("Toradol 60mg/2mL, 1 mL IM L glute given.", "30", "mg", id="conc-then-volume"),
        pytest.param("Ketorolac 2 mL of 30 mg/mL IM R VG given.", "60", "mg", id="volume-of-conc"),
        pytest.param("Epinephrine 1:1000 0.3 mL IM R thigh given.", "0.3", "mg", id="ratio"),
        pytest.param("Epinephrine 1:1000, 0.3 mL IM R thigh given.", "0.3", "mg",
                     id="ratio-then-comma"),
        pytest.param("Toradol sixty mg IM R glute given.", "60", "mg", id="spelled-out"),
        pytest.param("Kenalog 0.5mL IM L glute given.", "0.5", "mL", id="volume-only"),
        pytest.param("B12 1000 mcg's IM L deltoid given.", "1000", "mcg", id="unit-typo"),
        # fmt: on
    ],
)
def test_dose_forms(small_extractor, text, value, unit):
    ex = small_extractor.extract(text)
    adm = ex.administrations[0]
    assert adm.dose is not None
    assert adm.dose.value == Decimal(value)
    assert adm.dose.unit.value == unit
    assert_spans_match(text, ex)


def test_needle_gauge_is_not_a_gram_dose(small_extractor):
    text = "Cyanocobalamin IM left deltoid with a 23G 1-inch needle, given."
    assert small_extractor.extract(text).administrations[0].dose is None


@pytest.mark.parametrize(
    ("text", "route", "site"),
    [
        # fmt: off
        pytest.param("Toradol 30 mg intramuscularly, R ventrogluteal, given.", Route.IM,
                     ("right", "ventrogluteal"), id="intramuscularly"),
        pytest.param("B12 1000 mcg SQ L upper arm given.", Route.SC, ("left", "upper_arm"),
                     id="sq-upper-arm"),
        pytest.param("B12 1000 mcg subcut RLQ abdomen given.", Route.SC, ("right", "abdomen"),
                     id="subcut-rlq"),
        pytest.param("toradol 60 mg im rt glut given", Route.IM, ("right", "gluteal"),
                     id="lowercase-im"),
        pytest.param("Ceftriaxone 500 mg IM R upper outer quadrant given.", Route.IM,
                     ("right", "gluteal"), id="uoq"),
        # fmt: on
    ],
)
def test_route_and_site(small_extractor, text, route, site):
    adm = small_extractor.extract(text).administrations[0]
    assert adm.route is not None and adm.route.value is route
    assert adm.site is not None and (adm.site.laterality, adm.site.location) == site


def test_intramedullary_nail_is_not_an_im_route(small_extractor):
    text = "Antegrade IM nail placed. Ketorolac 30 mg given at the end of the case."
    adm = small_extractor.extract(text).administrations
    assert all(a.route is None or a.route.value is not Route.IM for a in adm)


def test_subcutaneous_tissue_is_anatomy(small_extractor):
    text = "Closed the subcutaneous tissue with Vicryl. Lidocaine 1% infiltrated."
    for adm in small_extractor.extract(text).administrations:
        assert adm.route is None or adm.route.value is not Route.SC


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # fmt: off
        pytest.param("Patient declined Toradol today.", S.NOT_GIVEN, id="declined"),
        pytest.param("Toradol 60 mg IM refused by patient.", S.NOT_GIVEN, id="refused-after"),
        pytest.param("Vivitrol 380 mg IM given 4 weeks ago at another clinic.", S.HISTORICAL,
                     id="weeks-ago"),
        pytest.param("Will give Toradol 60 mg IM if pain persists.", S.PLANNED, id="conditional"),
        pytest.param("Plan: Rocephin 1 g IM x1 - ordered.", S.ORDERED, id="ordered"),
        pytest.param("Toradol 60 mg IM R glute given, tolerated well.", S.GIVEN, id="given"),
        pytest.param("Ketorolac 60 mg IM L VG started; injection stopped after 30 mg due to "
                     "vasovagal reaction.", S.DISCONTINUED, id="stopped"),
        # fmt: on
    ],
)
def test_status(small_extractor, text, status):
    ex = small_extractor.extract(text)
    assert ex.administrations, text
    assert ex.administrations[0].status is status
    assert ex.administrations[0].status_evidence is not None
    assert_spans_match(text, ex)


def test_negation_does_not_leak_across_sentences(small_extractor):
    text = "Declined flu shot. Toradol 30 mg IM given L VG."
    by_name = {a.drug.name: a.status for a in small_extractor.extract(text).administrations}
    assert by_name["influenza vaccine"] is S.NOT_GIVEN
    assert by_name["ketorolac"] is S.GIVEN


def test_negation_belongs_to_the_nearest_drug(small_extractor):
    text = "Toradol 30 mg IM given R glute and Phenergan declined."
    by_name = {a.drug.name: a.status for a in small_extractor.extract(text).administrations}
    assert by_name == {"ketorolac": S.GIVEN, "promethazine": S.NOT_GIVEN}


def test_two_drugs_in_one_sentence_keep_their_own_dose_and_site(small_extractor):
    text = ("Methylprednisolone given: Depo-Medrol 40 mg IM left deltoid and cyanocobalamin "
            "1,000 mcg IM right deltoid, both tolerated.")
    adms = {a.drug.name: a for a in small_extractor.extract(text).administrations}
    dm, b12 = adms["methylprednisolone acetate"], adms["cyanocobalamin"]
    assert (dm.dose.value, dm.site.laterality) == (Decimal(40), "left")
    assert (b12.dose.value, b12.site.laterality) == (Decimal(1000), "right")


def test_medication_list_entry_is_not_given_today(small_extractor):
    text = ("Medications:\n- Vivitrol 380 mg IM monthly\n- Lisinopril 10 mg daily\n\n"
            "Assessment: doing well.")
    adms = small_extractor.extract(text).administrations
    assert all(a.status is not S.GIVEN for a in adms)


def test_explicit_icd_codes_need_icd_shape_and_context(small_extractor):
    text = "Pernicious anemia (D51.0). Monthly B12 injections. Room B12."
    codes = [d.code for d in small_extractor.extract(text).diagnoses]
    assert codes == ["D51.0"]


def test_diluent_is_not_a_second_drug(small_extractor):
    text = "Rocephin 500 mg reconstituted w/ 1% lidocaine 1 mL, given IM R glut."
    names = [a.drug.name for a in small_extractor.extract(text).administrations]
    assert names == ["ceftriaxone"]
