"""Rule registry: every registered ID is in the catalog, versions match the reviewed snapshot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from models import ErrorCode, ShotcoderError
from rules.registry import registered, rule, rules_digest

SNAPSHOT = Path(__file__).parent / "registry_snapshot.json"


def test_registry_matches_reviewed_snapshot():
    current = {r.rule_id: r.version for r in registered()}
    assert current == json.loads(SNAPSHOT.read_text())


def test_every_rule_has_summary_source_and_docstring_source_line():
    for spec in registered():
        assert re.fullmatch(r"(CODE|POS|EM|DRUG|MOD|DX|DOC|PAY|AUD)-\d{2}", spec.rule_id)
        assert spec.summary and spec.source
        assert "Source:" in (spec.fn.__doc__ or ""), spec.rule_id


def test_duplicate_registration_is_refused():
    with pytest.raises(ShotcoderError) as info:
        rule("CODE-01", version=1, summary="x", source="y")(lambda ctx: [])
    assert info.value.code is ErrorCode.DUPLICATE_RULE


def test_digest_names_rule_count():
    assert rules_digest().startswith(f"{len(registered())} rules sha256:")
