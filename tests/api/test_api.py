"""HTTP API: contract endpoints, the error envelope, and no 500 for any input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.main import create_app
from api.settings import Settings
from models import CodingResult
from tests.helpers import assert_spans_match

NOTE = (
    "Toradol 60 mg IM given in the right gluteal by K. Ruiz, RN, for renal colic (N23). "
    "Dr. Alvarez on site. Tolerated well."
)


@pytest.fixture(scope="module")
def client(coder):
    app = create_app(Settings(), coder=coder)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _assert_envelope(resp, status: int | None = None) -> dict:
    assert 400 <= resp.status_code < 500, resp.status_code
    if status is not None:
        assert resp.status_code == status
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    return body["error"]


def test_code_returns_contract_result_with_valid_spans(client):
    resp = client.post("/v1/code", json={"text": NOTE, "place_of_service": "11",
                                         "date_of_service": "2026-03-02"})
    assert resp.status_code == 200
    body = resp.json()
    codes = sorted((ln["code"], ln["units"]) for ln in body["lines"])
    assert codes == [("96372", 1), ("J1885", 4)]
    for line in body["lines"]:
        assert line["evidence"], line
        for span in line["evidence"]:
            assert NOTE[span["start"]:span["end"]] == span["text"]
    assert body["versions"]["hcpcs"].startswith("HCPCS 2024")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        pytest.param({"text": ""}, "empty_text", id="empty-text"),
        pytest.param({"text": "   \n "}, "empty_text", id="blank-text"),
        pytest.param({"text": 42}, "invalid_encounter", id="text-wrong-type"),
        pytest.param({"note": "x"}, "invalid_encounter", id="missing-text"),
        pytest.param({"text": "x", "place_of_service": 11}, "invalid_encounter", id="pos-int"),
        pytest.param({"text": "x", "place_of_service": "ABC"}, "invalid_encounter", id="pos-bad"),
        pytest.param({"text": "x", "date_of_service": "yesterday"}, "invalid_encounter",
                     id="bad-date"),
        pytest.param({"text": "x", "surprise": 1}, "invalid_encounter", id="extra-key"),
        pytest.param([1, 2, 3], "invalid_encounter", id="json-array"),
    ],
)
def test_bad_encounters_get_4xx_envelope(client, payload, code):
    err = _assert_envelope(client.post("/v1/code", json=payload), 422)
    assert err["code"] == code


def test_unknown_payer_names_the_profiles(client):
    err = _assert_envelope(client.post("/v1/code", json={"text": NOTE, "payer": "acme"}), 422)
    assert err["code"] == "unknown_payer_profile"
    assert "medicare" in err["message"] and "bho" in err["message"]


def test_non_json_body(client):
    resp = client.post("/v1/code", content=b"this is not json",
                       headers={"content-type": "application/json"})
    assert _assert_envelope(resp, 400)["code"] == "invalid_json"


def test_binary_garbage(client):
    resp = client.post("/v1/code", content=bytes(range(256)) * 8,
                       headers={"content-type": "application/json"})
    _assert_envelope(resp)


def test_five_megabyte_note_is_rejected_and_server_keeps_serving(client):
    big = json.dumps({"text": "B12 1000 mcg IM. " * 300_000})
    assert len(big) > 5_000_000
    resp = client.post("/v1/code", content=big, headers={"content-type": "application/json"})
    assert _assert_envelope(resp, 413)["code"] == "text_too_long"
    assert client.get("/v1/health").json()["status"] == "ok"


def test_unknown_route_and_method(client):
    assert _assert_envelope(client.get("/v1/nope"), 404)["code"] == "not_found"
    assert _assert_envelope(client.get("/v1/code"), 405)["code"] == "method_not_allowed"


def test_batch_keeps_order_and_reports_errors_in_place(client):
    payload = {"encounters": [{"id": "a", "text": NOTE}, {"id": "b", "text": NOTE, "payer": "x"},
                              {"id": "c", "text": "Declined the flu shot today."}]}
    body = client.post("/v1/code/batch", json=payload).json()
    results = body["results"]
    assert [r.get("id") for r in results] == ["a", "b", "c"]
    assert results[1]["error"]["code"] == "unknown_payer_profile"
    assert results[2]["status"] == "no_charge"


def test_version_and_health(client):
    v = client.get("/v1/version").json()
    assert {"shotcoder", "rules", "hcpcs", "icd10cm", "ncci"} <= set(v)
    assert client.get("/v1/health").json()["drugs"] > 100


def test_openapi_and_offline_docs(client):
    assert "/v1/code" in client.get("/openapi.json").json()["paths"]
    html = client.get("/docs").text
    assert "/v1/code" in html and "cdn" not in html.lower()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(min_size=0, max_size=400),
    pos=st.one_of(st.none(), st.text(max_size=3)),
    payer=st.one_of(st.none(), st.sampled_from(["medicare", "medicaid", "bho", "zzz"])),
    em=st.one_of(st.none(), st.text(max_size=6)),
)
def test_no_input_produces_a_500(client, text, pos, payer, em):
    payload = {"text": text, "place_of_service": pos, "payer": payer, "billed_em": em}
    resp = client.post("/v1/code", json=payload)
    assert resp.status_code < 500
    if resp.status_code == 200:
        assert_spans_match(text, CodingResult.model_validate(resp.json()))


class _Faulty:
    """The real coder, except that a note containing "BOOM" hits a defect."""

    def __init__(self, coder):
        self._coder = coder

    def __getattr__(self, name):
        return getattr(self._coder, name)

    def code(self, encounter):
        if "BOOM" in encounter.text:
            raise KeyError("defect")
        return self._coder.code(encounter)


def test_a_defect_is_an_envelope_and_never_drops_a_batch_record(coder, caplog):
    app = create_app(Settings(), coder=_Faulty(coder))
    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.post("/v1/code", json={"text": "BOOM secret note"})
        assert resp.status_code == 500
        assert resp.json() == {"error": {"code": "internal_error", "message": resp.json()[
            "error"]["message"]}} and "KeyError" in resp.json()["error"]["message"]
        payload = {"encounters": [{"id": "a", "text": NOTE}, {"id": "b", "text": "BOOM"},
                                  {"id": "c", "text": NOTE}]}
        results = c.post("/v1/code/batch", json=payload).json()["results"]
    assert [r.get("id") for r in results] == ["a", "b", "c"]
    assert results[1]["error"]["code"] == "internal_error" and results[2]["status"] == "ready"
    assert "secret" not in caplog.text
