"""End to end: run_evaluation with a stub coder on a 3-record corpus, report files, thresholds."""

import hashlib
import json

import pytest

from evaluation import check_thresholds, format_summary, load_thresholds, run_evaluation
from evaluation.thresholds import metric_value
from models import (
    Administration,
    CodingResult,
    Diagnosis,
    Dose,
    Drug,
    Encounter,
    ErrorCode,
    Finding,
    Line,
    RouteValue,
    ShotcoderError,
    Site,
    Span,
    Versions,
)

VERSIONS = Versions(
    shotcoder="0.1.0", rules="r-digest", hcpcs="2026Q1", icd10cm="2026", ncci="26.1"
)

B12 = "PHI-ALPHA Mrs Doe: cyanocobalamin 1,000 mcg IM L delt per standing order, pernicious anemia."
KETO = "PHI-BRAVO new pt, low back pain radiating; ketorolac 30 mg IM right ventrogluteal."
BOOM = "PHI-CHARLIE note the coder chokes on."


def span(text, needle, label):
    start = text.index(needle)
    return Span.of(text, start, start + len(needle), label)


def gold_span(text, needle, label):
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), "label": label}


CORPUS = [
    {
        "id": "b12",
        "text": B12,
        "place_of_service": "11",
        "payer": "medicare",
        "category": "nursing_note",
        "tags": ["CODE-01", "DRUG-02"],
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
                {"code": "J3420", "units": 1},
            ],
            "diagnoses": ["D51.0"],
            "findings": [],
            "warnings": [],
            "spans": [
                gold_span(B12, "cyanocobalamin", "DRUG"),
                gold_span(B12, "1,000 mcg", "DOSE"),
                gold_span(B12, "L delt", "SITE"),
            ],
        },
    },
    {
        "id": "keto",
        "text": KETO,
        "billed_em": "99202",
        "category": "soap",
        "tags": ["EM-02", "DRUG-02"],
        "gold": {
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
            "lines": [
                {"code": "99202", "modifiers": ["25"], "units": 1},
                {"code": "96372", "modifiers": [], "units": 1},
                {"code": "J1885", "modifiers": [], "units": 2},
            ],
            "diagnoses": ["M54.42"],
            "findings": [],
            "warnings": [],
        },
    },
    {
        "id": "boom",
        "text": BOOM,
        "category": "soap",
        "tags": ["DRUG-02"],
        "gold": {"status": "no_charge", "administrations": [], "lines": [], "diagnoses": []},
    },
]


def b12_result():
    t = B12
    adm = Administration(
        id="a1",
        status="given",
        drug=Drug(
            name="cyanocobalamin", hcpcs=("J3420",), evidence=span(t, "cyanocobalamin", "DRUG")
        ),
        dose=Dose(value=1, unit="mg", evidence=span(t, "1,000 mcg", "DOSE")),
        route=RouteValue(value="IM", evidence=span(t, "IM", "ROUTE")),
        site=Site(laterality="left", location="deltoid", evidence=span(t, "L delt", "SITE")),
    )
    return CodingResult(
        id="b12",
        status="ready",
        lines=(
            Line(
                code="96372", kind="administration", rule_ids=("CODE-01",), administration_id="a1"
            ),
            Line(code="J3420", kind="drug", rule_ids=("DRUG-02",), administration_id="a1"),
        ),
        administrations=(adm,),
        diagnoses=(
            Diagnosis(
                code="D51.0", source="mapped", evidence=span(t, "pernicious anemia", "DIAGNOSIS")
            ),
        ),
        findings=(Finding(rule_id="DOC-09", severity="info", message="Lot not documented."),),
        versions=VERSIONS,
    )


def keto_result():
    t = KETO
    adm = Administration(
        id="a1",
        status="given",
        drug=Drug(name="ketorolac", evidence=span(t, "ketorolac", "DRUG")),
        dose=Dose(value=15, unit="mg", evidence=span(t, "30 mg", "DOSE")),
        route=RouteValue(value="IM", evidence=span(t, "IM", "ROUTE")),
    )
    return CodingResult(
        id="keto",
        status="needs_review",
        lines=(
            Line(code="99202", kind="em", modifiers=("25",), rule_ids=("EM-02", "EM-06")),
            Line(
                code="96372", kind="administration", rule_ids=("CODE-01",), administration_id="a1"
            ),
            Line(code="J1885", kind="drug", units=1, rule_ids=("DRUG-02",), administration_id="a1"),
        ),
        administrations=(adm,),
        findings=(
            Finding(
                rule_id="DOC-04",
                severity="warning",
                message="Site not documented.",
                administration_id="a1",
            ),
        ),
        versions=VERSIONS.model_copy(update={"shotcoder": "0.1.1"}),
    )


class StubCoder:
    """Returns fixed results by encounter id; raises for 'boom' with the note in the message."""

    def __init__(self, boom=None):
        self.seen = []
        self.boom = boom or ValueError(f"cannot parse {BOOM}")

    def __call__(self, encounter):
        self.seen.append(encounter)
        if encounter.id == "boom":
            if isinstance(self.boom, Exception):
                raise self.boom
            return self.boom
        return {"b12": b12_result, "keto": keto_result}[encounter.id]()


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "tiny.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in CORPUS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(corpus_path, tmp_path_factory):
    coder = StubCoder()
    report_dir = tmp_path_factory.mktemp("out") / "report"
    report = run_evaluation(
        corpus_path,
        coder=coder,
        report_dir=report_dir,
        extra={"nlp_config": '[nlp]\nlang = "en"\n'},
    )
    return report, coder, report_dir


def test_coder_sees_plain_encounters_only(run):
    _, coder, _ = run
    assert [e.id for e in coder.seen] == ["b12", "keto", "boom"]
    assert all(type(e) is Encounter for e in coder.seen)
    assert not any(hasattr(e, "gold") for e in coder.seen)


def test_overall_metrics(run):
    report, _, _ = run
    m = report.overall
    assert (m.encounters, m.coder_errors) == (3, 1)
    assert (m.claim_exact_match.hits, m.claim_exact_match.total) == (1, 3)
    assert (m.status_accuracy.hits, m.status_accuracy.total) == (1, 3)
    assert (m.ready_precision.hits, m.ready_precision.total) == (1, 1)
    assert (m.automation_rate.hits, m.automation_rate.total) == (1, 3)
    assert (m.lines.tp, m.lines.fp, m.lines.fn) == (4, 1, 1)
    assert (m.line_codes.tp, m.line_codes.fp, m.line_codes.fn) == (5, 0, 0)
    a = m.administrations
    assert (a.tp, a.fp, a.fn) == (2, 0, 0)
    assert (a.dose_accuracy.hits, a.dose_accuracy.total) == (1, 2)  # 1 mg == 1000 mcg; 15 != 30
    assert (a.site_accuracy.hits, a.site_accuracy.total) == (1, 2)
    assert (m.diagnoses.tp, m.diagnoses.fp, m.diagnoses.fn) == (1, 0, 1)
    assert (m.findings.tp, m.findings.fp, m.findings.fn, m.findings.encounters) == (0, 0, 0, 2)
    assert m.findings.warning_encounters == 2
    assert (m.spans.encounters, m.spans.strict.tp, m.spans.strict.fp) == (1, 3, 0)
    assert set(m.spans.strict.per_label) == {"DRUG", "DOSE", "SITE"}
    cm = dict(zip(m.status_confusion.labels, m.status_confusion.counts, strict=True))
    assert cm["ready"][m.status_confusion.labels.index("needs_review")] == 1
    assert cm["no_charge"][m.status_confusion.labels.index("error")] == 1


def test_breakdowns(run):
    report, _, _ = run
    assert set(report.by_category) == {"nursing_note", "soap"}
    soap = report.by_category["soap"]
    assert soap.encounters == 2 and soap.coder_errors == 1 and soap.claim_exact_match.hits == 0
    assert report.by_category["nursing_note"].claim_exact_match.value == 1.0
    assert set(report.by_tag) == {"CODE-01", "DRUG-02", "EM-02"}
    drug02 = report.by_tag["DRUG-02"]
    assert drug02.encounters == 3 and drug02.claim_exact_match.hits == 1
    assert report.by_tag["EM-02"].status_accuracy.hits == 0


def test_mismatches_say_what_differed(run):
    report, _, _ = run
    by_id = {m.id: m for m in report.mismatches}
    assert set(by_id) == {"keto", "boom"}
    assert [(d.kind, d.predicted) for d in by_id["boom"].differences] == [("error", "ValueError")]
    keto = by_id["keto"]
    assert not keto.claim_match and not keto.status_match
    kinds = {(d.kind, d.field) for d in keto.differences}
    assert kinds == {
        ("status", None),
        ("line", None),
        ("administration", "dose"),
        ("administration", "site"),
        ("diagnosis", None),
    }
    (status,) = [d for d in keto.differences if d.kind == "status"]
    assert (status.gold, status.predicted, status.rule_ids) == (
        "ready",
        "needs_review",
        ("DOC-04",),
    )
    (line,) = [d for d in keto.differences if d.kind == "line"]
    assert line.gold == {"code": "J1885", "modifiers": [], "units": 2}
    assert line.predicted == {"code": "J1885", "modifiers": [], "units": 1}
    assert line.rule_ids == ("DRUG-02",)
    (dose,) = [d for d in keto.differences if d.field == "dose"]
    assert (dose.subject, dose.gold, dose.predicted) == ("ketorolac", "30 mg", "15 mg")
    assert dose.rule_ids == ("CODE-01", "DOC-04", "DRUG-02")


def test_report_files_written_without_phi(run, corpus_path):
    report, _, report_dir = run
    names = sorted(p.name for p in report_dir.iterdir())
    assert names == ["field_accuracy.png", "report.json", "report.md", "status_confusion.png"]
    for png in ("field_accuracy.png", "status_confusion.png"):
        assert (report_dir / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert data == json.loads(report.model_dump_json())
    assert data["corpus"] == {
        "name": "tiny.jsonl",
        "sha256": hashlib.sha256(corpus_path.read_bytes()).hexdigest(),
        "records": 3,
    }
    assert data["versions"]["shotcoder"] == "0.1.0"  # the first result's block
    assert data["extra"] == {"nlp_config": '[nlp]\nlang = "en"\n'}
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "| claim exact match | 0.333 | 1/3 |" in md
    assert "keto" in md and "boom" in md
    phi = [r["text"] for r in CORPUS] + ["PHI-", "Mrs Doe", "1,000 mcg", "L delt", "cannot parse"]
    for path in report_dir.iterdir():
        content = path.read_bytes()
        for secret in phi:
            assert secret.encode() not in content, (path.name, secret)


def test_format_summary(run):
    report, _, _ = run
    summary = format_summary(report)
    assert "3 encounters" in summary and "1 coder errors" in summary
    row = next(line for line in summary.splitlines() if line.startswith("claim exact match"))
    assert row.split()[-2:] == ["0.333", "1/3"]
    assert "PHI-" not in summary


def test_no_report_dir_writes_nothing(corpus_path):
    before = set(corpus_path.parent.iterdir())
    report = run_evaluation(corpus_path, coder=StubCoder())
    assert set(corpus_path.parent.iterdir()) == before
    assert report.extra == {}


@pytest.mark.parametrize(
    ("boom", "described"),
    [
        pytest.param("not a result", "TypeError", id="wrong-return-type"),
        pytest.param(
            ShotcoderError(ErrorCode.TEXT_TOO_LONG, "too long"),
            "ShotcoderError[text_too_long]",
            id="shotcoder-error",
        ),
        pytest.param(RecursionError(BOOM), "RecursionError", id="any-exception"),
    ],
)
def test_coder_failures_become_error_entries(corpus_path, boom, described):
    report = run_evaluation(corpus_path, coder=StubCoder(boom))
    (boom_mm,) = [m for m in report.mismatches if m.id == "boom"]
    assert boom_mm.differences[0].predicted == described
    assert report.overall.coder_errors == 1


def test_extra_must_be_json_before_coding(corpus_path):
    coder = StubCoder()
    with pytest.raises(ValueError):
        run_evaluation(corpus_path, coder=coder, extra={"config": object()})
    assert coder.seen == []


def test_all_failing_coder_still_reports(corpus_path, tmp_path):
    def coder(_):
        raise RuntimeError("down")

    report = run_evaluation(corpus_path, coder=coder, report_dir=tmp_path / "r")
    assert report.versions is None
    assert report.overall.claim_exact_match.hits == 0
    assert report.overall.automation_rate.value == 0.0
    assert (tmp_path / "r" / "status_confusion.png").exists()


# --- thresholds against a real report ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # fmt: off
        pytest.param("claim_exact_match", 1 / 3, id="rate"),
        pytest.param("status_accuracy", 1 / 3, id="status"),
        pytest.param("lines.f1", 0.8, id="lines-f1"),
        pytest.param("administrations.dose_accuracy", 0.5, id="dose"),
        pytest.param("spans.strict.per_label.DRUG.f1", 1.0, id="per-label"),
        pytest.param("by_category.nursing_note.claim_exact_match", 1.0, id="category"),
        pytest.param("by_tag.DRUG-02.claim_exact_match", 1 / 3, id="tag"),
        # fmt: on
    ],
)
def test_metric_value(run, name, value):
    report, _, _ = run
    assert metric_value(report, name) == pytest.approx(value)


def test_check_thresholds(run):
    report, _, _ = run
    failures = check_thresholds(
        report,
        {
            "claim_exact_match": 0.5,
            "lines.f1": 0.8,
            "administrations.route_accuracy": 1.0,
            "lines": 0.1,
            "lines.f2": 0.1,
        },
    )
    assert failures == [
        "claim_exact_match: 0.3333 < required 0.5000",
        "lines: unknown metric (required 0.1000)",
        "lines.f2: unknown metric (required 0.1000)",
    ]


def test_shipped_thresholds_all_resolve(run):
    report, _, _ = run
    thresholds = load_thresholds()
    assert thresholds and all(0.0 <= v <= 1.0 for v in thresholds.values())
    zeroed = dict.fromkeys(thresholds, 0.0)
    assert check_thresholds(report, zeroed) == []  # every shipped name is a known metric


def test_records_with_a_claim_are_scored_as_audits(tmp_path):
    """A record carrying a submitted claim goes to the auditor; its audit findings are scored."""
    from models import AuditFinding, AuditResult

    with_claim = dict(CORPUS[0], id="b12", claim={"lines": [{"code": "96372", "units": 1}]})
    with_claim["gold"] = dict(CORPUS[0]["gold"], findings=["DRUG-01"])
    plain = dict(CORPUS[0], id="b12-plain")
    path = tmp_path / "audit.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (with_claim, plain)), encoding="utf-8")
    requests = []

    def auditor(request):
        requests.append(request)
        assert not hasattr(request.encounter, "gold")
        return AuditResult(
            **b12_result().model_dump(),
            audit=(AuditFinding(rule_id="DRUG-01", severity="error", message="no drug line"),),
        )

    coded = []

    def coder(encounter):
        coded.append(encounter.id)
        return b12_result()

    report = run_evaluation(path, coder=coder, auditor=auditor)
    assert [r.claim.lines[0].code for r in requests] == ["96372"]
    assert coded == ["b12-plain"]
    f = report.overall.findings
    assert (f.tp, f.fp, f.fn) == (1, 0, 0)
    # without an auditor the claim is ignored: the gold DRUG-01 is then missed
    report = run_evaluation(path, coder=coder)
    assert report.overall.findings.fn == 1
