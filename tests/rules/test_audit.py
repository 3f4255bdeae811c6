"""AUD: a submitted claim checked against what the note supports (catalog section 9)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from models import AuditRequest, Severity

NOTE = ("HPI: 3 days of right flank pain radiating to the groin. Exam: right CVA tenderness, "
        "abdomen soft. Assessment: renal colic (N23). Toradol 60 mg IM R gluteal given by "
        "K. Ruiz, RN. Dr. Lee on site.")
INJECTION_ONLY = "Renal colic (N23). Toradol 60 mg IM R gluteal given by RN. Dr. Lee on site."


def _audit(coder, lines, text=NOTE, pos="11", **enc):
    request = AuditRequest.model_validate({
        "encounter": {"text": text, "date_of_service": "2026-03-02", **enc},
        "claim": {"place_of_service": pos, "lines": lines},
    })
    return coder.audit(request)


def _rules(result):
    return {f.rule_id for f in result.audit}


def test_clean_claim_has_no_findings(coder):
    r = _audit(coder, [{"code": "99213", "modifiers": ["25"]}, {"code": "96372"},
                       {"code": "J1885", "units": 4, "dx": ["N23"]}])
    assert r.audit == ()


@pytest.mark.parametrize(
    ("lines", "rule", "text"),
    [
        # fmt: off
        pytest.param([{"code": "96372"}], "DRUG-01", NOTE, id="96372-without-drug"),
        pytest.param([{"code": "96372"}, {"code": "J1885", "units": 2}], "DRUG-07", NOTE,
                     id="units-do-not-match-dose"),
        pytest.param([{"code": "96372"}, {"code": "J3420"}], "DRUG-06", NOTE,
                     id="j-code-does-not-match-drug"),
        pytest.param([{"code": "99211"}, {"code": "96372"}, {"code": "J1885", "units": 4}],
                     "EM-01", INJECTION_ONLY, id="99211-with-96372"),
        pytest.param([{"code": "96372", "modifiers": ["25"]}, {"code": "J1885", "units": 4}],
                     "EM-04", NOTE, id="25-on-96372"),
        pytest.param([{"code": "99213"}, {"code": "96372"}, {"code": "J1885", "units": 4}],
                     "EM-02", NOTE, id="em-without-25"),
        pytest.param([{"code": "99213", "modifiers": ["25"]}, {"code": "96372"},
                      {"code": "J1885", "units": 4}], "EM-03", INJECTION_ONLY,
                     id="em-not-documented"),
        pytest.param([{"code": "96372"}, {"code": "96372"}, {"code": "J1885", "units": 4}],
                     "MOD-01", NOTE, id="second-96372-without-xs"),
        pytest.param([{"code": "96372"}, {"code": "J1885", "units": 4, "dx": ["M54.5"]}],
                     "DX-02", NOTE, id="invalid-icd"),
        pytest.param([{"code": "96372"}, {"code": "J1885", "units": 4, "ndc": "12-34"}],
                     "DRUG-08", NOTE, id="malformed-ndc"),
        # fmt: on
    ],
)
def test_each_difference_names_its_rule(coder, lines, rule, text):
    r = _audit(coder, lines, text=text)
    assert rule in _rules(r)
    assert all(f.severity in (Severity.ERROR, Severity.WARNING) for f in r.audit)


def test_facility_pos_on_submitted_claim(coder):
    r = _audit(coder, [{"code": "96372"}, {"code": "J1885", "units": 4}], pos="22")
    assert "POS-01" in _rules(r)


def test_esrd_facility_pos_on_submitted_claim(coder):
    text = "ESRD on HD (N18.6). Epogen 4,000 units SC L upper arm given by RN. Dr. Lee on site."
    lines = [{"code": "96372"}, {"code": "Q4081", "units": 4}]
    assert "POS-01" in _rules(_audit(coder, lines, text=text, pos="65"))
    assert "POS-01" not in _rules(_audit(coder, lines, text=text, pos="11"))


def test_vaccine_billed_as_96372(coder):
    r = _audit(coder, [{"code": "96372"}], text="Shingrix 0.5 mL IM L deltoid given. Dr. Lee "
                                                "on site.")
    assert "CODE-01" in _rules(r)


def test_terminated_code_names_its_replacement(coder):
    text = "RA (M05.79). Depo-Medrol 40 mg IM L deltoid given. Dr. Lee on site."
    r = _audit(coder, [{"code": "96372"}, {"code": "J1030"}], text=text)
    f = next(f for f in r.audit if f.rule_id == "DRUG-10")
    assert "J1010" in f.message and f.corrected is not None and f.corrected.units == 40


def test_audit_endpoint(coder):
    app = create_app(Settings(), coder=coder)
    with TestClient(app) as client:
        body = client.post("/v1/audit", json={
            "encounter": {"text": NOTE, "date_of_service": "2026-03-02"},
            "claim": {"place_of_service": "11", "lines": [{"code": "96372", "modifiers": ["25"]}]},
        }).json()
        assert {f["rule_id"] for f in body["audit"]} >= {"EM-04", "DRUG-01"}
        bad = client.post("/v1/audit", json={"encounter": {"text": NOTE}, "claim": {"lines": 3}})
        assert bad.status_code == 422 and "error" in bad.json()


SUPPLIED = ("Dx: postmenopausal osteoporosis (M81.0). Dr. Olsen on site.\n"
            "** PATIENT-SUPPLIED DRUG ** Prolia dispensed by her Part D pharmacy.\n"
            "Prolia (denosumab) 60 mg SC R posterior upper arm 10:05 by K. Brandt, RN.")


def test_drug_01_a_patient_supplied_drug_needs_no_drug_line(coder):
    r = _audit(coder, [{"code": "96372", "dx": ["M81.0"]}], text=SUPPLIED)
    assert "DRUG-01" not in _rules(r)


def test_drug_06_a_patient_supplied_drug_billed_by_the_practice(coder):
    r = _audit(coder, [{"code": "96372"}, {"code": "J0897", "units": 60}], text=SUPPLIED)
    found = [f for f in r.audit if f.rule_id == "DRUG-06"]
    assert found and found[0].severity is Severity.ERROR and found[0].line_index == 1
    assert any("SUPPLIED" in s.text for s in found[0].evidence)


_RIG_NOTE = ("Dog bite R calf (S81.851A, W54.0XXA), rabies exposure (Z20.3). Wt 60 kg. HyperRAB "
             "20 IU/kg = 1,200 IU = 4 mL IM L ventrogluteal given by J. Park, RN. Dr. Lee on site.")


@pytest.mark.parametrize(("units", "expected"), [
    pytest.param(8, set(), id="1200-iu-is-8-units-of-150"),
    pytest.param(1, {"DRUG-07"}, id="one-unit-is-a-units-error"),
])
def test_drug_07_a_cpt_product_code_billed_per_amount_is_checked_like_a_j_code(
        coder, units, expected):
    r = _audit(coder, [{"code": "96372", "dx": ["Z20.3"]},
                       {"code": "90375", "units": units, "dx": ["Z20.3"]}], text=_RIG_NOTE)
    assert _rules(r) & {"DRUG-07", "DRUG-01"} == expected
