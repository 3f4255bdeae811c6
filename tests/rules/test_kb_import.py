"""`shotcoder kb import`: CMS-format files update the KB tables, report changes, stay loadable."""

from __future__ import annotations

import csv
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from api.cli import main
from models import ErrorCode, ShotcoderError
from rules.kb import DEFAULT_KB_DIR, KnowledgeBase
from rules.kb_import import (
    HCPCS_TABLE,
    MUE_TABLE,
    NDC_TABLE,
    PTP_TABLE,
    default_release,
    import_hcpcs,
    import_mue,
    import_ndc,
    import_ptp,
    join_descriptor,
    ndc11,
    table_releases,
)

FIXTURES = Path(__file__).parent / "fixtures" / "cms"
ANWEB_CSV = FIXTURES / "HCPC2026_APR_ANWEB.csv"
LAYOUT_CSV = FIXTURES / "hcpcs_level2_layout.csv"
MUE_CSV = FIXTURES / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
PTP_F1 = FIXTURES / "ccipra-v323r0-f1.txt"
PTP_F2 = FIXTURES / "ccipra-v323r0-f2.txt"
NDC_CSV = FIXTURES / "October 2026 ASP NDC-HCPCS Crosswalk.csv"
BAD_MUE = FIXTURES / "bad_mue.csv"
SHARED_HCPCS = Path(__file__).resolve().parents[3] / "shared" / "data" / "cms" / (
    "hcpcs_level2.csv")
J0139_LONG = (
    "Injection, testamab-abcd (synthetic test product for shotcoder fixtures), for intravenous "
    "or subcutaneous use, not for use when drug is self administered, 10 mg"
)


@pytest.fixture()
def kb_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "kb"
    shutil.copytree(DEFAULT_KB_DIR, dst)
    return dst


def _count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def _csv_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _kb_invalid(excinfo: pytest.ExceptionInfo[ShotcoderError]) -> str:
    assert excinfo.value.code is ErrorCode.KB_INVALID
    return excinfo.value.message


# --------------------------------------------------------------------------- HCPCS


def test_hcpcs_anweb_csv_reports_added_terminated_and_changed(kb_copy):
    before = _count(kb_copy / HCPCS_TABLE)
    report = import_hcpcs(ANWEB_CSV, kb_copy, release="HCPCS 2026 April (test)", dry_run=False)

    assert report.written and not report.dry_run
    assert report.added == ["J0139", "Q5999"]
    assert report.terminated == ["J1885"]
    assert {(c.key, c.field, c.old, c.new) for c in report.changed} >= {
        ("J3420", "amount", "1000", "500"),
        ("J3420", "long_description", "Injection, vitamin b-12 cyanocobalamin, up to 1000 mcg",
         "Injection, vitamin b-12 cyanocobalamin, up to 500 mcg"),
    }
    assert report.changed_keys == ["J3420"]
    assert report.removed == []
    assert report.rows_before == before
    assert report.rows_after == before + 2
    assert len(report.kept) == before - 4  # G0008, J0696, J1885, J3420 are in the file

    kb = KnowledgeBase.load(kb_copy)
    new = kb.hcpcs["J0139"]
    assert new.long_description == J0139_LONG  # three RECID 3/4 rows joined
    assert (new.amount, new.unit, new.amount_kind) == (10, "mg", "per")
    assert new.add_date == date(2026, 4, 1) and new.release == "HCPCS 2026 April (test)"
    assert kb.hcpcs["J1885"].termination_date == date(2026, 3, 31)
    assert not kb.hcpcs["J1885"].in_force(date(2026, 4, 2))
    assert (kb.hcpcs["J3420"].amount, kb.hcpcs["J3420"].amount_kind) == (500, "up_to")
    assert kb.hcpcs["J1030"] == KnowledgeBase.load().hcpcs["J1030"]  # not in the file: kept
    assert "A4206" not in kb.hcpcs and "JW" not in kb.hcpcs  # not J/Q/G0008-10; a modifier
    assert kb.hcpcs_release == "HCPCS 2026 April (test)"  # G0008 comes first


def test_hcpcs_xlsx_with_banner_matches_the_csv_export(kb_copy, tmp_path):
    rows: list[list[object]] = []
    for i, row in enumerate(_csv_rows(ANWEB_CSV)):
        if i < 3:
            rows.append([c or None for c in row])
            continue
        # Excel keeps RECID, SEQNUM and dates as numbers; blank cells are empty.
        rows.append([int(c) if c.isdigit() and j not in (0, 3, 4) else (c or None)
                     for j, c in enumerate(row)])
    workbook = _xlsx(tmp_path / "HCPC2026_APR_ANWEB_v2.xlsx", rows)
    from_csv = tmp_path / "from_csv"
    shutil.copytree(kb_copy, from_csv)
    import_hcpcs(ANWEB_CSV, from_csv, release="r", dry_run=False)
    report = import_hcpcs(workbook, kb_copy, release="r", dry_run=False)
    assert report.sources == ("HCPC2026_APR_ANWEB_v2.xlsx",)
    assert (kb_copy / HCPCS_TABLE).read_bytes() == (from_csv / HCPCS_TABLE).read_bytes()


def test_hcpcs_repo_layout_csv(kb_copy):
    report = import_hcpcs(LAYOUT_CSV, kb_copy, release="HCPCS 2026 July (test)", dry_run=False)
    assert report.added == ["Q5999"]
    assert report.terminated == ["J1885"]
    assert [(c.key, c.field, c.old, c.new) for c in report.changed if c.field == "amount"] == [
        ("J0696", "amount", "250", "500")]
    assert KnowledgeBase.load(kb_copy).hcpcs["J0696"].amount == 500


@pytest.mark.skipif(not SHARED_HCPCS.exists(), reason="shared/data/cms not beside the repo")
def test_hcpcs_reimport_of_the_current_source_changes_nothing(kb_copy):
    original = (kb_copy / HCPCS_TABLE).read_bytes()
    release = KnowledgeBase.load(kb_copy).hcpcs_release
    report = import_hcpcs(SHARED_HCPCS, kb_copy, release=release, dry_run=False)
    assert (report.added, report.terminated, report.changed, report.kept) == ([], [], [], [])
    assert (kb_copy / HCPCS_TABLE).read_bytes() == original


def test_hcpcs_dry_run_writes_nothing(kb_copy):
    original = (kb_copy / HCPCS_TABLE).read_bytes()
    report = import_hcpcs(ANWEB_CSV, kb_copy, release="r", dry_run=True)
    assert report.added and not report.written
    assert "dry run" in report.summary()
    assert (kb_copy / HCPCS_TABLE).read_bytes() == original
    assert sorted(p.name for p in kb_copy.glob(".*.tmp")) == []


def test_hcpcs_continuation_without_first_row_is_kb_invalid(kb_copy, tmp_path):
    rows = _csv_rows(ANWEB_CSV)
    bad = [r for r in rows if not (r[0] == "J0139" and r[2] == "3")]
    path = tmp_path / "HCPC2026_APR_ANWEB.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(bad)
    with pytest.raises(ShotcoderError) as info:
        import_hcpcs(path, kb_copy, release="r", dry_run=False)
    message = _kb_invalid(info)
    assert message.startswith("HCPC2026_APR_ANWEB.csv row 6:") and "J0139" in message


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        pytest.param(["Injection, abc, for in", "travenous use, 1 mg"],
                     "Injection, abc, for in travenous use, 1 mg", id="short-piece-gets-a-space"),
        pytest.param(["x" * 79 + "y", "z, 1 mg"], "x" * 79 + "yz, 1 mg", id="full-width-cut"),
        pytest.param(["Injection, abc, ", "1 mg"], "Injection, abc, 1 mg", id="trailing-space"),
        pytest.param(["Injection,  abc", " per 1 mg"], "Injection, abc per 1 mg", id="leading"),
    ],
)
def test_join_descriptor(parts, joined):
    assert join_descriptor(parts) == joined


# --------------------------------------------------------------------------- MUE


def test_mue_csv_with_copyright_banner(kb_copy):
    before = _count(kb_copy / MUE_TABLE)
    report = import_mue(MUE_CSV, kb_copy, release="NCCI MUE practitioner, effective 2026-10-01",
                        dry_run=False)
    assert report.added == ["J0139"]
    assert {(c.key, c.field, c.old, c.new) for c in report.changed} == {
        ("96372", "mue_value", "4", "6"),
        ("J3420", "mue_value", "1", "2"),
        ("J3420", "mai", "3", "2"),
        ("J3420", "mue_rationale", "Prescribing Information", "CMS Policy"),
    }
    assert report.rows_before == before and report.rows_after == 5
    assert len(report.removed) == before - 4 and "0001U" in report.removed

    kb = KnowledgeBase.load(kb_copy)
    assert kb.mue["96372"].mue_value == 6
    assert kb.mue["J1885"].mai == 3
    assert kb.mue["J1885"].mai_description == "Date of Service Edit: Clinical"  # bare digit
    assert kb.mue["J3420"].mai_description == "Date of Service Edit: Policy"
    assert table_releases(kb_copy)[MUE_TABLE] == "NCCI MUE practitioner, effective 2026-10-01"


def test_mue_xlsx_numeric_codes_keep_leading_zeros(kb_copy, tmp_path):
    workbook = _xlsx(tmp_path / "MCR_MUE_PractitionerServices_Eff_10-01-2026.xlsx", [
        ["CPT codes, descriptions and other data only are copyright 2025 AMA.", None, None, None],
        ["HCPCS/\nCPT Code", "Practitioner Services MUE Values", "MUE Adjudication Indicator",
         "MUE Rationale"],
        [100, 1, "2 Date of Service Edit: Policy", "CMS Policy"],
        [96372, 6.0, "3 Date of Service Edit: Clinical", "Clinical: Data"],
        ["J1885", 8, 3, "Prescribing Information"],
    ])
    import_mue(workbook, kb_copy, release="r", dry_run=False)
    kb = KnowledgeBase.load(kb_copy)
    assert sorted(kb.mue) == ["00100", "96372", "J1885"]
    assert kb.mue["96372"].mue_value == 6


def test_mue_zip_as_published(kb_copy, tmp_path):
    archive = tmp_path / "medicare-ncci-2026-q4-practitioner-services-mue-table.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("README.pdf", b"%PDF-1.4 not a table")
        zf.writestr("MCR_MUE_PractitionerServices_Eff_10-01-2026.csv", MUE_CSV.read_bytes())
    report = import_mue(archive, kb_copy, release="r", dry_run=False)
    assert report.sources == (f"{archive.name}:MCR_MUE_PractitionerServices_Eff_10-01-2026.csv",)
    assert KnowledgeBase.load(kb_copy).mue["96372"].mue_value == 6


def test_bad_mue_value_is_kb_invalid_naming_file_and_row(kb_copy):
    original = (kb_copy / MUE_TABLE).read_bytes()
    with pytest.raises(ShotcoderError) as info:
        import_mue(BAD_MUE, kb_copy, release="r", dry_run=False)
    message = _kb_invalid(info)
    assert message.startswith("bad_mue.csv row 4: J1885: MUE value")
    assert info.value.context["row"] == 4
    assert (kb_copy / MUE_TABLE).read_bytes() == original


def test_file_without_a_header_is_kb_invalid(kb_copy, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("this,is\nnot,a CMS table\n")
    with pytest.raises(ShotcoderError) as info:
        import_mue(path, kb_copy, release="r", dry_run=False)
    assert "no MUE" in _kb_invalid(info) and "header row" in info.value.message


@pytest.mark.parametrize("name", ["table.xls", "table.pdf", "missing.csv"])
def test_unreadable_sources_are_kb_invalid(kb_copy, tmp_path, name):
    path = tmp_path / name
    if name != "missing.csv":
        path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ShotcoderError) as info:
        import_mue(path, kb_copy, release="r", dry_run=False)
    assert _kb_invalid(info).startswith(name)


def test_import_keeps_the_table_file_mode(kb_copy):
    path = kb_copy / MUE_TABLE
    path.chmod(0o444)
    import_mue(MUE_CSV, kb_copy, release="r", dry_run=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


# --------------------------------------------------------------------------- PTP


def test_ptp_parts_keep_96372_pairs_and_flag_activity(kb_copy):
    before = _csv_rows(kb_copy / PTP_TABLE)
    report = import_ptp([PTP_F1, PTP_F2], kb_copy, release="NCCI PTP practitioner ccipra-v323r0",
                        dry_run=False, as_of=date(2026, 10, 1))
    assert report.added == ["96372/99385", "J1885/96372"]
    assert report.terminated == ["96372/99212"]
    assert [(c.key, c.field, c.old, c.new) for c in report.changed] == [
        ("96372/99211", "modifier_indicator", "0", "1")]
    assert "00100/96372" not in report.removed and "96372/99213" in report.removed
    assert report.rows_before == len(before) - 1 and report.rows_after == 7
    assert any("f1, f2" in n for n in report.notes)  # f3/f4 not given
    assert any("2026-10-01" in n for n in report.notes)

    kb = KnowledgeBase.load(kb_copy)
    rows = {(r.column_1, r.column_2, r.deletion_date): r for r in kb.ptp}
    assert ("10060", "11900", "*") not in rows  # no 96372
    assert rows[("96372", "99385", "*")].active_2024q3 == "Y"
    assert rows[("96372", "99385", "*")].em_pair == "Y"
    assert rows[("96372", "99212", "20260630")].active_2024q3 == "N"
    assert rows[("J1885", "96372", "*")].em_pair == "N"
    assert kb.ptp_pair("96372", "99211").modifier_indicator == "1"
    assert kb.ptp_pair("96372", "99212") is None
    written = _csv_rows(kb_copy / PTP_TABLE)
    assert written[0][:7] == before[0]  # the project's header, nothing renamed
    assert written[0][7:] == ["effective_date", "release"]


def test_ptp_active_flag_follows_the_import_date(kb_copy):
    import_ptp([PTP_F2, PTP_F1], kb_copy, release="r", dry_run=False, as_of=date(2026, 6, 30))
    kb = KnowledgeBase.load(kb_copy)
    rows = {(r.column_1, r.column_2, r.deletion_date): r for r in kb.ptp}
    assert rows[("96372", "99212", "20260630")].active_2024q3 == "Y"  # last day in effect
    assert rows[("96372", "99385", "*")].active_2024q3 == "N"  # not effective yet


def test_ptp_comma_separated_xlsx_part(kb_copy, tmp_path):
    lines = PTP_F1.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Column 1"))
    workbook = _xlsx(tmp_path / "ccipra-v323r0-f1.xlsx", [
        [lines[0]],
        *([c or None for c in line.split("\t")] for line in lines[start:]),
        [None, None, None, None, None, "9=not applicable", None],
    ])
    report = import_ptp([workbook], kb_copy, release="r", dry_run=False, as_of=date(2026, 10, 1))
    assert report.sources == ("ccipra-v323r0-f1.xlsx",)
    assert KnowledgeBase.load(kb_copy).ptp_pair("96372", "99211").modifier_indicator == "1"


def test_ptp_bad_modifier_is_kb_invalid(kb_copy, tmp_path):
    path = tmp_path / "ccipra-v323r0-f1.txt"
    path.write_text(PTP_F1.read_text().replace("99211\t\t20200101\t*\t1", "99211\t\t20200101\t*\t7"))
    with pytest.raises(ShotcoderError) as info:
        import_ptp([path], kb_copy, release="r", dry_run=False)
    assert _kb_invalid(info).startswith("ccipra-v323r0-f1.txt row 8: 96372/99211: modifier")


# --------------------------------------------------------------------------- NDC


def test_ndc_crosswalk_with_banner_normalises_ndcs(kb_copy):
    before = _count(kb_copy / NDC_TABLE)
    report = import_ndc(NDC_CSV, kb_copy, release="ASP NDC-HCPCS crosswalk, 2026 Q4",
                        dry_run=False)
    assert report.added == ["01234567890"]
    assert [(c.key, c.field, c.old, c.new) for c in report.changed] == [
        ("00409733201", "bill_units_per_pkg", "40", "50")]
    assert report.rows_before == before and report.rows_after == 5
    assert len(report.removed) == before - 4
    assert any("01234567890 (J0139 kept, J1100" in n for n in report.notes)

    kb = KnowledgeBase.load(kb_copy)
    row = kb.ndc["01234567890"]  # 4-4-2 padded to 5-4-2
    assert (row.hcpcs_code, row.ndc_5_4_2, row.labeler_name) == (
        "J0139", "01234-5678-90", "Example Labs®")  # cp1252 source decoded
    assert row.source_quarter == "2026 Q4" and row.source_shard == NDC_CSV.name
    assert row.source_commit.startswith("sha256:")
    assert kb.ndc["00409733201"].bill_units_per_pkg == "50"


def test_ndc_xlsx_numeric_ndc_regains_leading_zeros(kb_copy, tmp_path):
    workbook = _xlsx(tmp_path / "October 2026 ASP NDC-HCPCS Crosswalk.xlsx", [
        ["ASP NDC-HCPCS Crosswalk"],
        ["HCPCS Code", "Short Description", "LABELER NAME", "NDC", "Drug Name", "HCPCS dosage",
         "PKG SIZE", "PKG QTY", "BILLUNITS", "BILLUNITSPKG"],
        ["J0696", "Ceftriaxone", "Pfizer Inc", 409733201, "Ceftriaxone", "250 MG", 1, 10, 4, 40],
        ["J1885", "Ketorolac", "Pfizer Inc", "00409-3795-01", "Ketorolac", "15 MG", 1, 25, 2.5,
         62.5],
    ])
    import_ndc(workbook, kb_copy, release="r", dry_run=False)
    kb = KnowledgeBase.load(kb_copy)
    assert sorted(kb.ndc) == ["00409379501", "00409733201"]
    assert kb.ndc["00409379501"].bill_units_per_item == "2.5"
    assert kb.ndc["00409733201"].pkg_qty == "10"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("00409-7332-01", "00409733201"), ("0409-7332-01", "00409733201"),
     ("00409-732-01", "00409073201"), ("00409-7332-1", "00409733201"),
     ("00409733201", "00409733201"), (409733201, "00409733201")],
)
def test_ndc11(cell, expected):
    assert ndc11(cell) == expected


def test_ambiguous_ndc_is_kb_invalid(kb_copy, tmp_path):
    path = tmp_path / "crosswalk.csv"
    path.write_text(NDC_CSV.read_text(encoding="cp1252").replace("00409-7332-20", "0409733220"))
    with pytest.raises(ShotcoderError) as info:
        import_ndc(path, kb_copy, release="r", dry_run=False)
    assert _kb_invalid(info).startswith("crosswalk.csv row 11: J0696: NDC '0409733220'")


# --------------------------------------------------------------------------- release names, CLI


@pytest.mark.parametrize(
    ("kind", "name", "release"),
    [
        ("hcpcs", "HCPC2026_APR_ANWEB_v2.xlsx", "HCPCS 2026 April (HCPC2026_APR_ANWEB_v2)"),
        ("mue", "MCR_MUE_PractitionerServices_Eff_10-01-2026.xlsx",
         "NCCI MUE practitioner, effective 2026-10-01"),
        ("mue", "medicare-ncci-2026-q4-practitioner-services-mue-table.zip",
         "NCCI MUE practitioner, 2026 Q4"),
        ("ptp", "ccipra-v323r0-f1.txt", "NCCI PTP practitioner ccipra-v323r0"),
        ("ndc", "October 2026 ASP NDC-HCPCS Crosswalk.csv", "ASP NDC-HCPCS crosswalk, 2026 Q4"),
        ("ndc", "crosswalk.csv", None),
    ],
)
def test_default_release(kind, name, release):
    assert default_release(kind, [Path(name)]) == release


def test_cli_kb_import_then_kb_info(kb_copy, capsys):
    code = main(["kb", "import", "mue", str(MUE_CSV), "--kb-dir", str(kb_copy)])
    out = capsys.readouterr().out
    assert code == 0
    assert "release: NCCI MUE practitioner, effective 2026-10-01" in out
    assert "added 1, terminated 0, changed 2," in out
    assert "96372 (mue_value 4 -> 6)" in out
    assert main(["kb", "info", "--kb-dir", str(kb_copy)]) == 0
    info = capsys.readouterr().out
    line = next(x for x in info.splitlines() if x.startswith("cms/mue_practitioner.csv"))
    assert "NCCI MUE practitioner, effective 2026-10-01" in line and " 5 " in line


def test_cli_kb_import_dry_run_and_ptp_parts(kb_copy, capsys):
    original = (kb_copy / PTP_TABLE).read_bytes()
    code = main(["kb", "import", "ptp", str(PTP_F1), str(PTP_F2), "--kb-dir", str(kb_copy),
                 "--dry-run", "--as-of", "2026-10-01"])
    out = capsys.readouterr().out
    assert code == 0 and "dry run, nothing written" in out
    assert "terminated: 96372/99212" in out
    assert (kb_copy / PTP_TABLE).read_bytes() == original


@pytest.mark.parametrize("release", [["--release", "r"], []], ids=["named", "unnamed"])
def test_cli_kb_import_bad_file_exits_2(kb_copy, capsys, release):
    code = main(["kb", "import", "mue", str(BAD_MUE), "--kb-dir", str(kb_copy), *release])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error [kb_invalid]: bad_mue.csv row 4")


def test_cli_kb_import_needs_a_release_name(kb_copy, capsys, tmp_path):
    path = tmp_path / "crosswalk.csv"
    shutil.copy(NDC_CSV, path)
    original = (kb_copy / NDC_TABLE).read_bytes()
    assert main(["kb", "import", "ndc", str(path), "--kb-dir", str(kb_copy)]) == 2
    assert capsys.readouterr().err.startswith("error [invalid_request]: cannot tell the release")
    assert (kb_copy / NDC_TABLE).read_bytes() == original


def test_cli_kb_import_one_file_unless_ptp(kb_copy, capsys):
    code = main(["kb", "import", "mue", str(MUE_CSV), str(BAD_MUE), "--kb-dir", str(kb_copy)])
    assert code == 2
    assert capsys.readouterr().err.startswith("error [invalid_request]: kb import mue takes one")


def test_outpatient_hospital_mue_table_is_not_taken_for_practitioner(kb_copy, tmp_path):
    path = tmp_path / "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv"
    path.write_text(MUE_CSV.read_text().replace("Practitioner Services", "Outpatient Hospital "
                                                "Services"))
    with pytest.raises(ShotcoderError) as info:
        import_mue(path, kb_copy, release="r", dry_run=False)
    assert "no MUE" in _kb_invalid(info)
