"""Knowledge base: broken tables stop start-up naming the file and row; vintage and codes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from models import ErrorCode, ShotcoderError
from rules.kb import DEFAULT_KB_DIR, KnowledgeBase


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "kb"
    shutil.copytree(DEFAULT_KB_DIR, dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load_error(directory: Path) -> ShotcoderError:
    with pytest.raises(ShotcoderError) as info:
        KnowledgeBase.load(directory)
    assert info.value.code is ErrorCode.KB_INVALID
    return info.value


def test_duplicate_key_names_file_and_both_rows(kb_copy):
    path = kb_copy / "drugs.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    err = _load_error(kb_copy)
    assert "drugs.csv" in err.message and "duplicate key" in err.message
    assert f"row {len(lines) + 1}" in err.message and "first at row 2" in err.message


def test_unknown_unit_names_the_row(kb_copy):
    _edit(kb_copy / "hcpcs.csv", ",15,mg,per,", ",15,mgs,per,")
    err = _load_error(kb_copy)
    assert "hcpcs.csv row" in err.message and "unit" in err.message


def test_missing_column(kb_copy):
    _edit(kb_copy / "drugs.csv", "name,codes,drug_class,", "name,codes,klass,")
    err = _load_error(kb_copy)
    assert "drugs.csv" in err.message and "drug_class" in err.message


def test_unknown_route_in_drug_row(kb_copy):
    _edit(kb_copy / "drugs.csv", "IM|IV_PUSH", "IM|IVPUSH")
    assert "route" in _load_error(kb_copy).message


def test_term_pointing_to_unknown_drug(kb_copy):
    _edit(kb_copy / "drug_terms.csv", "rocephin,ceftriaxone,", "rocephin,ceftriaxon,")
    assert "rocephin" in _load_error(kb_copy).message


@pytest.mark.parametrize(("table", "term"), [("vaccine_doses.csv", "havrix"),
                                             ("term_concentrations.csv", "kenalog-40")])
def test_dose_tables_name_only_known_terms(kb_copy, table, term):
    _edit(kb_copy / table, f"{term},", f"{term}x,")
    err = _load_error(kb_copy)
    assert table in err.message and f"{term}x" in err.message


def test_broken_payer_profile(kb_copy):
    _edit(kb_copy / "payers" / "medicaid.yaml", "distinct_modifier: XS", "distinct_modifier: XX")
    assert "medicaid.yaml" in _load_error(kb_copy).message


def test_custom_payer_profile_directory(tmp_path):
    custom = tmp_path / "payers"
    custom.mkdir()
    (custom / "acme.yaml").write_text(
        "name: acme\nlabel: Acme Health\nbenefit: medical\ncovers_96372: true\n"
        "ndc_required: true\ndistinct_modifier: '59'\nsad_exclusion: false\nsource: contract\n"
    )
    kb = KnowledgeBase.load(payer_dirs=[custom])
    assert kb.payers["acme"].distinct_modifier == "59"


def test_terminated_codes_and_vintage():
    kb = KnowledgeBase.load()
    assert not kb.hcpcs["J1030"].in_force(date(2026, 3, 2))
    assert kb.hcpcs["J1010"].in_force(date(2026, 3, 2))
    assert kb.hcpcs_vintage <= date(2024, 7, 1)
    assert kb.checksums["hcpcs"] and kb.checksums["ncci"]
    assert kb.mue["96372"].mue_value == 4
    assert kb.ptp_pair("96372", "99211").modifier_indicator == "0"


def test_a_code_is_limited_to_the_routes_its_descriptor_names():
    kb = KnowledgeBase.load()
    assert kb.hcpcs["J3357"].routes == {"SC"}  # ustekinumab, for subcutaneous injection
    assert kb.hcpcs["J3358"].routes == {"IV_PUSH", "IV_INFUSION"}
    assert kb.hcpcs["J2354"].routes == {"SC", "IV_PUSH", "IV_INFUSION"}  # octreotide non-depot
    assert kb.hcpcs["J2353"].routes == {"IM"}  # octreotide depot
    assert kb.hcpcs["J3301"].routes == frozenset()  # triamcinolone: the descriptor names none


def test_code_sets_are_data_and_validated(kb_copy):
    kb = KnowledgeBase.load()
    assert "23" in kb.codes.facility_pos and "11" not in kb.codes.facility_pos
    assert kb.codes.joint_codes["major"]["ultrasound"] == "20611"
    _edit(kb_copy / "code_sets.yaml", 'unlisted_drug: "J3490"', 'unlisted_drug: "3490"')
    assert "code_sets.yaml" in _load_error(kb_copy).message


def test_code_sets_name_only_drugs_the_drug_table_knows(kb_copy):
    _edit(kb_copy / "code_sets.yaml", "  tuberculin purified protein derivative: \"86580\"",
          "  tuberculin ppd typo: \"86580\"")
    error = _load_error(kb_copy)
    assert "code_sets.yaml" in error.message and "tuberculin ppd typo" in error.message
