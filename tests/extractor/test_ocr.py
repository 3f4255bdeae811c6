"""OCR and markup repair: same length, known words only, spans cut from the original note."""

from __future__ import annotations

import pytest

from extractor.ocr import repair
from models import Encounter
from tests.helpers import assert_spans_match

FAX = (
    "NURSE VlSIT - Bl2 lNJECTlON\n"
    "Dx: pernicious anernia (D5l.O)\n"
    "Adrninistered: Cyanocobalarnin l000 rncg/rnL, l rnL lM L de1toid\n"
    "Lot 4Cl18   Exp l0/2O27   Tirne l0:l5\n"
    "To1erated wel1. T. Nguyen, CMA\n"
)


def _code(coder, text: str, **meta):
    meta.setdefault("date_of_service", "2026-02-03")
    meta.setdefault("place_of_service", "11")
    result = coder.code(Encounter(text=text, **meta))
    assert_spans_match(text, result)
    return result


def _lines(result):
    return sorted((ln.code, tuple(ln.modifiers), ln.units) for ln in result.lines)


def test_repair_keeps_length_and_undoes_look_alikes() -> None:
    fixed = repair(FAX)
    assert len(fixed.text) == len(FAX)
    for want in (
        "B12 INJECTION",
        "anemia (D51.0)",
        "Cyanocobalamin 1000",
        "mcg/mL",
        "1 mL IM L deltoid",
        "Exp 10/2027",
        "Time 10:15",
        "Tolerated well",
    ):
        assert want in fixed.text, want
    # a lot number is not a number: its letters stay
    assert "Lot 4Cl18" in fixed.text


@pytest.mark.parametrize(
    "clean",
    [
        "On 2L O2 by nasal cannula, SpO2 97%. Lot 4C118, exp 10/2027. BP 120/80.",
        "Kenalog 40 mg IM left deltoid; patient will return in 4 weeks. Dr. Kern on site.",
        "Pain 7/10, in to the clinic at 10:15; II/VI murmur; RN gave it.",
    ],
)
def test_repair_leaves_clean_text_alone(clean: str) -> None:
    assert repair(clean).text == clean


def test_repair_rejoins_split_words_only_into_known_words() -> None:
    text = "Inve ga Sus tenna 234 rng lM L del toid; Whitfie ld; in to the room"
    fixed = repair(text)
    assert fixed.text.startswith("Invega Sustenna 234 mg IM L deltoid;")
    assert "deltoid" in fixed.text and "234 mg IM" in fixed.text
    assert "Whitfie ld" in fixed.text and "in to the room" in fixed.text


def test_html_residue_becomes_lines_and_spaces() -> None:
    text = "<b>P:</b><ul><li>Rocephin 500&nbsp;mg IM R&nbsp;ventrogluteal x1 today</li>\n<li>x</li>"
    fixed = repair(text)
    assert len(fixed.text) == len(text)
    assert "Rocephin 500 mg" in fixed.text and "R ventrogluteal" in fixed.text
    assert "\n" in fixed.text.split("Rocephin")[0]  # the list item starts a line


def test_faxed_b12_nurse_visit_codes_from_the_original_offsets(coder) -> None:
    result = _code(coder, FAX, payer="medicare")
    assert ("96372", (), 1) in _lines(result)
    assert ("J3420", (), 1) in _lines(result)
    drug = result.administrations[0].drug
    # evidence is the damaged word as the note has it, whole
    assert drug.evidence.text == "Cyanocobalarnin"


def test_html_residue_note_bills_the_documented_dose(coder) -> None:
    text = (
        "<div><b>A:</b> Gonococcal cervicitis (A54.03).<br>\n"
        "<b>P:</b><ul><li>Rocephin (ceftriaxone) 500&nbsp;mg IM R&nbsp;ventrogluteal x1 today "
        "&ndash; given by J. Pham, RN</li></ul></div>"
    )
    assert ("J0696", (), 2) in _lines(_code(coder, text))


def test_broken_words_long_acting_injectable(coder) -> None:
    text = (
        "Dx: Schizo affective dis order, bipolar type (F25.O)\n"
        "Inve ga Sus tenna (paliperidone palmi tate) 234 rng lM\n"
        "L de ltoid - mainte nance dose, last O5/l2/2O26.\nGiven by: S. Kaur, RN\n"
    )
    result = _code(coder, text, date_of_service="2026-06-09")
    assert ("J2426", (), 234) in _lines(result)


def test_page_banner_inside_a_sentence_is_lifted_out() -> None:
    text = (
        "MAR: ketorolac tromethamine 30 mg/mL -\n"
        "==========================================\n"
        "ALVAREZ, VICTOR   DOB 03/02/1977   MRN 7710345   Page 2 of 2\n"
        "==========================================\n"
        "1 mL IM R ventrogluteal 10:42 by D. Ng, LPN.\n"
    )
    fixed = repair(text)
    assert len(fixed.text) == len(text)
    assert "30 mg/mL - 1 mL IM R ventrogluteal" in fixed.text
    assert "Page 2" not in fixed.text
    # a banner after a finished sentence leaves the line break
    done = text.replace("mg/mL -", "mg/mL.")
    assert "mg/mL.\n1 mL IM" in repair(done).text


def test_a_short_function_word_is_never_half_of_a_split_word() -> None:
    text = "I decided not to dig it out of the liver bed."
    assert repair(text).text == text


def test_look_alikes_across_a_decimal_point_and_before_a_glued_unit() -> None:
    text = "BSA l.77 m2; mass 2.l cm; give O.5 mL; Toradol 3Omg; 2.I gave it; 2.Orthostatic"
    fixed = repair(text).text
    assert len(fixed) == len(text)
    for want in ("BSA 1.77 m2", "2.1 cm", "give 0.5 mL", "Toradol 30mg"):
        assert want in fixed, want
    # a numbered list item keeps its word, whatever follows the point
    assert "2.I gave it; 2.Orthostatic" in fixed


def test_damaged_decimal_and_glued_dose_bill_the_documented_amount(coder) -> None:
    text = (
        "Dx: acute gonococcal urethritis (A54.01)\n"
        "Ceftriaxone O.5 g IM R ventrogluteal x1 and ketorolac 3Omg IM L deltoid.\n"
        "Given by M. Ortiz, RN. Tolerated well.\n"
    )
    lines = _lines(_code(coder, text))
    assert ("J0696", (), 2) in lines
    assert ("J1885", (), 2) in lines


@pytest.mark.parametrize("word", ["glúteo", "ventroglúteo", "inyección", "aplicó", "réaction"])
def test_a_word_with_an_accented_letter_is_no_ocr_damage(word) -> None:
    """Its ASCII letters ("gl" of "glúteo") are no word of their own to repair ("g1úteo")."""
    text = f"Dexamethasone 8 mg IM {word} izquierdo, lot 4Q118."
    assert repair(text).text == text
