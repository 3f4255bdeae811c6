"""The corpus covers the rule catalog: every rule ID tagged at least twice, and every rule whose
findings gold can list has both a record that triggers it and a near miss that must not."""

import json
from collections import Counter
from pathlib import Path

import pytest

from evaluation.corpus.reader import read_corpus

CORPUS = Path(__file__).resolve().parents[2] / "evaluation" / "corpus"
CATALOG = [
    line.strip()
    for line in (CORPUS / "CATALOG_IDS.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
AUDIT_ONLY = ("DRUG-01", "DRUG-06", "DRUG-07", "EM-04")


@pytest.fixture(scope="module")
def records():
    return [r for split in ("train", "dev", "test") for r in read_corpus(CORPUS / f"{split}.jsonl")]


def _fired(record):
    return set(record.gold.findings or ()) | set(record.gold.warnings or ())


def test_catalog_list_is_the_registry_plus_folded_and_audit_rules():
    snapshot = json.loads(
        (Path(__file__).resolve().parents[1] / "rules" / "registry_snapshot.json").read_text()
    )
    assert set(snapshot) <= set(CATALOG)
    assert set(AUDIT_ONLY) <= set(CATALOG) and len(CATALOG) == len(set(CATALOG))


def test_every_rule_id_is_tagged_twice(records):
    tagged = Counter(t for r in records for t in set(r.tags))
    assert {i: tagged[i] for i in CATALOG if tagged[i] < 2} == {}
    assert set(tagged) <= set(CATALOG), "a tag that is not a catalog rule ID"


def test_labelable_rules_have_a_trigger_and_a_near_miss(records):
    labelable = {i for r in records for i in _fired(r)}
    assert set(AUDIT_ONLY) <= labelable, "audit-only rules are labeled through records' claims"
    missing = {}
    for rule in sorted(labelable):
        tagged = [r for r in records if rule in r.tags]
        triggers = sum(rule in _fired(r) for r in tagged)
        near = len(tagged) - triggers
        if not triggers or not near:
            missing[rule] = (triggers, near)
    assert missing == {}


def test_audit_only_rules_come_from_records_with_a_claim(records):
    for rule in AUDIT_ONLY:
        fired_in = [r for r in records if rule in _fired(r)]
        assert fired_in and all(r.claim is not None for r in fired_in), rule
