"""CLI: code from a file and stdin, batch keeps every record, clear errors."""

from __future__ import annotations

import io
import json

from api import cli

NOTE = "Renal colic (N23). Toradol 60 mg IM R gluteal given by RN. Dr. Lee on site."


def test_code_json_from_file(tmp_path, capsys, coder, monkeypatch):
    monkeypatch.setattr(cli, "_coder", lambda: coder)
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    assert cli.main(["code", str(note), "--pos", "11", "--dos", "2026-03-02",
                     "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert {ln["code"] for ln in body["lines"]} == {"96372", "J1885"}


def test_code_table_from_stdin(capsys, coder, monkeypatch):
    monkeypatch.setattr(cli, "_coder", lambda: coder)
    monkeypatch.setattr("sys.stdin", io.StringIO(NOTE))
    assert cli.main(["code", "-"]) == 0
    out = capsys.readouterr().out
    assert "96372" in out and "J1885" in out


def test_code_bad_metadata_is_a_clear_error(tmp_path, capsys, coder, monkeypatch):
    monkeypatch.setattr(cli, "_coder", lambda: coder)
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    assert cli.main(["code", str(note), "--pos", "ABC"]) == 2
    assert "invalid_encounter" in capsys.readouterr().err


def test_batch_writes_one_record_per_line_in_order(tmp_path, coder, monkeypatch):
    monkeypatch.setattr(cli, "_coder", lambda: coder)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "one", "text": NOTE}),
        "{not json",
        json.dumps({"id": "three", "text": ""}),
        "",
        json.dumps({"id": "five", "text": NOTE, "payer": "nobody"}),
        json.dumps({"id": "six", "text": "Declined the flu shot."}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    assert cli.main(["batch", str(src), str(out), "--quiet"]) == 0
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(records) == 6
    assert records[0]["id"] == "one" and records[0]["status"] == "ready"
    assert records[1]["error"]["code"] == "invalid_json" and records[1]["line"] == 2
    assert records[2]["error"]["code"] == "invalid_encounter"
    assert records[3]["error"]["code"] == "invalid_request"
    assert records[4]["error"]["code"] == "unknown_payer_profile"
    assert records[5]["status"] == "no_charge"


def test_kb_info_lists_every_table_with_vintage(capsys):
    assert cli.main(["kb", "info"]) == 0
    out = capsys.readouterr().out
    for table in ("hcpcs.csv", "drugs.csv", "cms/mue_practitioner.csv", "payers/medicare.yaml"):
        assert table in out
    assert "HCPCS 2024 July" in out and "2024-07-01" in out


def test_kb_info_reports_a_broken_table(tmp_path, capsys):
    import shutil

    from rules.kb import DEFAULT_KB_DIR

    kb = tmp_path / "kb"
    shutil.copytree(DEFAULT_KB_DIR, kb)
    (kb / "drugs.csv").write_text("name,codes\nx,J9999\n")
    assert cli.main(["kb", "info", "--kb-dir", str(kb)]) == 2
    assert "kb_invalid" in capsys.readouterr().err


def test_batch_turns_a_defect_into_an_error_record(coder):
    class Faulty:
        def code(self, encounter):
            if "BOOM" in encounter.text:
                raise ValueError("defect")
            return coder.code(encounter)

    lines = [json.dumps({"id": "a", "text": "BOOM"}), json.dumps({"id": "b", "text": NOTE})]
    records = list(cli.iter_batch(iter(lines), Faulty()))
    assert records[0] == {"line": 1, "error": {
        "code": "internal_error", "message": records[0]["error"]["message"]}}
    assert "ValueError" in records[0]["error"]["message"] and records[1]["status"] == "ready"
