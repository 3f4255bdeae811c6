"""Corpus reader: valid records, and errors that name the line without quoting the note."""

import json
from decimal import Decimal

import pytest
import yaml

from evaluation.corpus import GoldEncounter, read_corpus
from evaluation.corpus.build import load_sources
from models import Encounter, ErrorCode, ShotcoderError

NOTE = "SECRET-NOTE-TEXT ketorolac 30 mg IM right ventrogluteal"


def gold(**overrides):
    g = {
        "status": "ready",
        "administrations": [
            {
                "drug": "ketorolac",
                "dose": {"value": 30, "unit": "mg"},
                "route": "IM",
                "site": {"laterality": "right", "location": "ventrogluteal"},
                "status": "given",
            }
        ],
        "lines": [{"code": "96372", "modifiers": [], "units": 1}, {"code": "J1885", "units": 2}],
        "diagnoses": ["M54.42"],
    }
    g.update(overrides)
    return g


def record(rid="enc-1", **overrides):
    r = {"id": rid, "text": NOTE, "place_of_service": "11", "gold": gold()}
    r.update(overrides)
    return r


def write(tmp_path, lines):
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(
        b"".join(
            (x if isinstance(x, bytes) else (x if isinstance(x, str) else json.dumps(x)).encode())
            + b"\n"
            for x in lines
        )
    )
    return path


def test_reads_minimal_and_full_records(tmp_path):
    full = record(
        "enc-2",
        category="soap",
        tags=["CODE-01", "DRUG-02"],
        gold=gold(
            findings=[],
            warnings=["DOC-09"],
            spans=[{"start": 17, "end": 26, "label": "DRUG"}],
        ),
    )
    path = write(tmp_path, [record(), "", "   ", full])
    records = read_corpus(path)
    assert [r.id for r in records] == ["enc-1", "enc-2"]
    minimal, rich = records
    assert minimal.category == "uncategorised" and minimal.tags == ()
    assert minimal.gold.findings is None and minimal.gold.warnings is None
    assert minimal.gold.spans is None
    assert minimal.gold.lines[1].modifiers == () and minimal.gold.lines[1].units == 2
    assert minimal.gold.administrations[0].dose.value == Decimal(30)
    assert rich.category == "soap" and rich.tags == ("CODE-01", "DRUG-02")
    assert rich.gold.findings == () and rich.gold.warnings == ("DOC-09",)
    assert NOTE[17:26] == "ketorolac"


def test_encounter_part_has_no_gold(tmp_path):
    (rec,) = read_corpus(write(tmp_path, [record(category="soap", tags=["DOC-02"])]))
    enc = rec.encounter()
    assert type(enc) is Encounter
    assert enc.model_dump() == {
        **Encounter(text=NOTE, id="enc-1", place_of_service="11").model_dump()
    }
    assert isinstance(rec, GoldEncounter)


def test_null_units_and_null_dose_are_valid(tmp_path):
    g = gold(
        status="incomplete",
        administrations=[{"drug": "ketorolac", "dose": None, "route": None, "status": "given"}],
        lines=[{"code": "J1885", "modifiers": [], "units": None}],
        findings=["DOC-02"],
    )
    (rec,) = read_corpus(write(tmp_path, [record(gold=g)]))
    assert rec.gold.lines[0].units is None
    assert rec.gold.administrations[0].dose is None


def test_missing_id_gets_the_encounter_default(tmp_path):
    r = record()
    del r["id"]
    (rec,) = read_corpus(write(tmp_path, [r]))
    assert rec.id.startswith("enc-") and rec.encounter().id == rec.id


def bad_gold(**overrides):
    return record(gold=gold(**overrides))


def bad_adm(**fields):
    return bad_gold(administrations=[{"drug": "k", "status": "given", **fields}])


def bad_span(start, end, label="DRUG"):
    return bad_gold(spans=[{"start": start, "end": end, "label": label}])


P = pytest.param
BAD = [
    # fmt: off
    # line 3 of the corpus            the message must contain             id
    P('{"id": "x", "text": ',          "invalid JSON",                      id="bad-json"),
    P("[1, 2]",                         "expected a JSON object",            id="not-object"),
    P({"id": "x", "gold": gold()},      "missing 'text'",                    id="no-text"),
    P(record(text="   "),               "text is blank",                     id="blank-text"),
    P({"id": "x", "text": NOTE},        "missing 'gold'",                    id="no-gold"),
    P(bad_gold(status="done"),          "bad gold: gold.status",             id="status"),
    P(bad_adm(dose={"value": 3, "unit": "kg"}),
                                        "gold.administrations.0.dose.unit",  id="unit"),
    P(bad_adm(dose={"value": 0, "unit": "mg"}),
                                        "gold.administrations.0.dose.value", id="zero-dose"),
    P(bad_gold(administrations=[{"drug": "k"}]),
                                        "gold.administrations.0.status",     id="adm-status"),
    P(bad_adm(site={"laterality": "up"}),
                                        "gold.administrations.0.site.later", id="laterality"),
    P(bad_gold(lines=[{"code": "J1885", "units": 0}]),
                                        "bad gold: gold.lines.0.units",      id="zero-units"),
    P(bad_gold(lines=None),             "bad gold: gold.lines",              id="null-lines"),
    P(record(gold={"status": "ready"}), "bad gold: gold.administrations",    id="partial"),
    P(bad_gold(warning=["DOC-09"]),     "gold.warning: Extra inputs",        id="typo-key"),
    P(bad_gold(findings=["DOC9"]),      "bad gold: gold.findings.0",         id="rule-id"),
    P(bad_span(5, 999),                 "past the end of the text",          id="span-end"),
    P(bad_span(5, 5),                   "bad gold: gold.spans.0",            id="empty-span"),
    P(bad_span(0, 5, "NOPE"),           "bad gold: gold.spans.0.label",      id="label"),
    P(record(secret="x"),               "secret: Extra inputs",              id="extra-key"),
    P(record(place_of_service="11a"),   "place_of_service",                  id="pos"),
    P(record("enc-0"),                  "duplicate id 'enc-0' (first on line 1)",
                                                                             id="duplicate"),
    P(b"\xff\xfe{}",                   "not valid UTF-8",                   id="bad-utf8"),
    # fmt: on
]


@pytest.mark.parametrize(("bad", "message"), BAD)
def test_first_invalid_line_is_named(tmp_path, bad, message):
    # line 1 valid, line 2 blank, line 3 bad, line 4 also bad (never reached)
    path = write(tmp_path, [record("enc-0"), "", bad, "{not json either"])
    with pytest.raises(ShotcoderError) as info:
        read_corpus(path)
    err = info.value
    assert err.code is ErrorCode.CORPUS_INVALID
    assert err.context["line"] == 3
    assert str(err).startswith("[corpus_invalid] corpus.jsonl line 3: ")
    assert message in err.message
    assert "SECRET-NOTE-TEXT" not in str(err)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(ShotcoderError, match="no records"):
        read_corpus(write(tmp_path, ["", ""]))
    with pytest.raises(ShotcoderError, match="cannot read") as info:
        read_corpus(tmp_path / "absent.jsonl")
    assert info.value.code is ErrorCode.CORPUS_INVALID


def test_reads_what_the_corpus_build_writes(tmp_path):
    """The build's output (spans by text, category, tags, ``spans: []``) reads back."""
    src = tmp_path / "src"
    src.mkdir()
    text = "B12: cyanocobalamin 1,000 mcg IM left deltoid. Next dose in 1 month, left deltoid."
    sources = [
        {
            "id": "nurse-b12-001",
            "split": "train",
            "category": "nursing_note",
            "tags": ["CODE-01", "DRUG-02"],
            "place_of_service": "11",
            "payer": "medicare",
            "text": text,
            "gold": {
                "status": "ready",
                "administrations": [
                    {
                        "drug": "cyanocobalamin",
                        "dose": {"value": 1000, "unit": "mcg"},
                        "route": "IM",
                        "site": {"laterality": "left", "location": "deltoid"},
                        "status": "given",
                    }
                ],
                "lines": [
                    {"code": "96372", "modifiers": [], "units": 1},
                    {"code": "J3420", "modifiers": [], "units": 1},
                ],
                "diagnoses": ["D51.0"],
                "findings": [],
                "warnings": [],
                "spans": [
                    {"label": "DRUG", "text": "cyanocobalamin"},
                    {"label": "DOSE", "text": "1,000 mcg"},
                    {"label": "SITE", "text": "left deltoid", "occurrence": 2},
                ],
            },
        },
        {
            "id": "nurse-b12-002",
            "split": "train",
            "text": "B12 1000 mcg IM given.",
            "gold": {"status": "ready", "administrations": [], "lines": [], "diagnoses": []},
        },
    ]
    (src / "b12.yaml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    built = load_sources(src)["train"]
    path = write(tmp_path, [json.dumps(r, sort_keys=True) for r in built])
    first, second = read_corpus(path)
    assert first.category == "nursing_note"
    spans = {s.label.value: text[s.start : s.end] for s in first.gold.spans}
    assert spans == {"DRUG": "cyanocobalamin", "DOSE": "1,000 mcg", "SITE": "left deltoid"}
    assert first.gold.spans[2].start == text.rindex("left deltoid")
    assert second.gold.spans == ()  # the build writes [] when the source has no spans
    assert second.category == "uncategorised"
