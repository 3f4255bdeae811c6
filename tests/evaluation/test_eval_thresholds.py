"""Threshold files: the shipped one, and malformed ones."""

import json

import pytest

from evaluation.thresholds import load_thresholds
from models import ErrorCode, ShotcoderError


def test_shipped_file_gates_the_headline_and_field_accuracies():
    thresholds = load_thresholds()
    assert "claim_exact_match" in thresholds and "administrations.dose_accuracy" in thresholds
    assert all(0.0 <= v <= 1.0 for v in thresholds.values())


def test_reads_a_given_file(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"lines.f1": 0.9, "claim_exact_match": 1}), encoding="utf-8")
    assert load_thresholds(path) == {"lines.f1": 0.9, "claim_exact_match": 1.0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # fmt: off
        pytest.param("{",                        "invalid JSON",       id="bad-json"),
        pytest.param("[0.5]",                    "expected a JSON object", id="not-object"),
        pytest.param('{"lines.f1": "high"}',     "lines.f1: threshold", id="not-number"),
        pytest.param('{"lines.f1": 1.5}',        "lines.f1: threshold", id="above-one"),
        pytest.param('{"lines.f1": true}',       "lines.f1: threshold", id="bool"),
        # fmt: on
    ],
)
def test_malformed_files_fail(tmp_path, content, message):
    path = tmp_path / "t.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ShotcoderError, match=message) as info:
        load_thresholds(path)
    assert info.value.code is ErrorCode.INVALID_REQUEST
