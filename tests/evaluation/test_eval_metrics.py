"""Metrics against hand-computed tables."""

import math
from collections import Counter
from decimal import Decimal

import pytest
from pydantic import ValidationError

from evaluation.matching import (
    AdminFacts,
    FindingLabels,
    align_administrations,
    dose_key,
    line_key,
    site_key,
)
from evaluation.metrics import (
    PRF,
    Tally,
    automation_rate,
    claim_exact_match,
    ready_precision,
    score_administrations,
    score_diagnoses,
    score_findings,
    score_lines,
    status_accuracy,
    status_confusion,
)


def claim(*lines):
    """A claim multiset from (code, modifiers, units) triples."""
    return Counter(line_key(code, mods, units) for code, mods, units in lines)


def adm(drug, status="given", dose=None, route=None, site=None):
    """AdminFacts from readable values: dose ("30", "mg"), site ("left", "deltoid")."""
    return AdminFacts(
        drug=drug,
        status=status,
        dose=dose_key(Decimal(dose[0]), dose[1]) if dose else None,
        route=route,
        site=site_key(*site) if site else None,
    )


# --- PRF / Tally -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "zero_division", "expected"),
    [
        # fmt: off
        pytest.param((0, 0, 0), 0.0, (0.0, 0.0, 0.0),     id="empty-zd0"),
        pytest.param((0, 0, 0), 1.0, (1.0, 1.0, 1.0),     id="empty-zd1"),
        pytest.param((3, 1, 2), 0.0, (0.75, 0.6, 6 / 9),  id="mixed"),
        pytest.param((5, 0, 0), 0.0, (1.0, 1.0, 1.0),     id="perfect"),
        pytest.param((0, 2, 0), 1.0, (0.0, 1.0, 0.0),     id="only-fp-recall-undefined"),
        pytest.param((0, 0, 3), 1.0, (1.0, 0.0, 0.0),     id="only-fn-precision-undefined"),
        pytest.param((1, 3, 0), 0.0, (0.25, 1.0, 0.4),    id="low-precision"),
        # fmt: on
    ],
)
def test_prf_result(counts, zero_division, expected):
    tp, fp, fn = counts
    r = PRF(tp=tp, fp=fp, fn=fn).result(zero_division=zero_division)
    assert (r.precision, r.recall, r.f1) == pytest.approx(expected)
    assert (r.tp, r.fp, r.fn) == counts


def test_prf_nan_zero_division_and_sum():
    assert math.isnan(PRF().result(zero_division=math.nan).f1)
    assert PRF(tp=1, fp=2, fn=3) + PRF(tp=4, fp=5, fn=6) == PRF(tp=5, fp=7, fn=9)


def test_prf_f1_is_harmonic_mean():
    r = PRF(tp=7, fp=3, fn=5).result()
    assert r.f1 == pytest.approx(2 * r.precision * r.recall / (r.precision + r.recall))


def test_counts_cannot_be_negative_or_exceed_total():
    with pytest.raises(ValidationError):
        PRF(tp=-1)
    with pytest.raises(ValidationError):
        Tally(hits=2, total=1)


def test_prf_from_multisets_counts_repeats():
    prf = PRF.from_multisets(Counter({"a": 2, "b": 1}), Counter({"a": 3, "c": 1}))
    assert prf == PRF(tp=2, fp=2, fn=1)


# --- claims and lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "pred", "match"),
    [
        # fmt: off
        pytest.param(claim(("99202", ["25"], 1), ("J1885", [], 2)),
                     claim(("J1885", [], 2), ("99202", ["25"], 1)),   True,  id="order-free"),
        pytest.param(claim(("96372", ["XS", "59"], 1)),
                     claim(("96372", ["59", "XS"], 1)),               True,  id="unordered"),
        pytest.param(claim(("J1885", [], 2)),
                     claim(("J1885", [], 1)),                         False, id="units-differ"),
        pytest.param(claim(("96372", [], 1), ("96372", [], 1)),
                     claim(("96372", [], 1)),                         False, id="repeat-counts"),
        pytest.param(claim(("J3420", [], None)),
                     claim(("J3420", [], None)),                      True,  id="null-units"),
        pytest.param(claim(("J3420", [], None)),
                     claim(("J3420", [], 1)),                         False, id="null-vs-one"),
        pytest.param(claim(), claim(),                                True,  id="both-empty"),
        pytest.param(claim(), None,                                   False, id="no-prediction"),
        pytest.param(claim(("96372", [], 1)),
                     claim(("96372", ["XS"], 1)),                     False, id="extra-modifier"),
        # fmt: on
    ],
)
def test_claim_exact_match_single(gold, pred, match):
    r = claim_exact_match([gold], [pred])
    assert (r.hits, r.total, r.value) == (int(match), 1, float(match))


def test_claim_exact_match_rate_and_empty_corpus():
    gold = [claim(("96372", [], 1)), claim(("J1885", [], 2)), claim()]
    pred = [claim(("96372", [], 1)), claim(("J1885", [], 1)), None]
    r = claim_exact_match(gold, pred)
    assert (r.hits, r.total) == (1, 3)
    assert r.value == pytest.approx(1 / 3)
    assert claim_exact_match([], [], zero_division=1.0).value == 1.0


LINES_GOLD = [
    claim(("99202", ["25"], 1), ("96372", [], 1), ("J1885", [], 2)),
    claim(("96372", [], 1), ("96372", ["XS"], 1), ("J3420", [], 1)),
]
LINES_PRED = [
    claim(("99202", [], 1), ("96372", [], 1), ("J1885", [], 2)),
    claim(("96372", [], 1), ("96372", [], 1), ("J3420", [], 1), ("J0696", [], 4)),
]


@pytest.mark.parametrize(
    ("pred", "codes_only", "counts"),
    [
        # fmt: off
        # enc1: 99202 loses its 25 -> 1 fp + 1 fn; enc2: the second 96372 lacks XS, J0696 extra
        pytest.param(LINES_PRED, False, (4, 3, 2),  id="full-tuple"),
        # codes alone: only J0696 is wrong
        pytest.param(LINES_PRED, True,  (6, 1, 0),  id="codes-only"),
        pytest.param([None, None], False, (0, 0, 6), id="no-predictions"),
        pytest.param(LINES_GOLD, False, (6, 0, 0),  id="perfect"),
        # fmt: on
    ],
)
def test_score_lines(pred, codes_only, counts):
    r = score_lines(LINES_GOLD, pred, codes_only=codes_only)
    tp, fp, fn = counts
    assert (r.tp, r.fp, r.fn) == counts
    assert r.f1 == pytest.approx(2 * tp / (2 * tp + fp + fn))


# --- administrations ---------------------------------------------------------------------------

KETO = {"dose": ("30", "mg"), "route": "IM", "site": ("right", "ventrogluteal")}
FIELDS = ("drug", "dose", "route", "site", "status")


def accuracies(**hits_total):
    """Expected (hits, total) per field; unspecified fields get the default."""
    default = hits_total.pop("default")
    return {f: hits_total.get(f, default) for f in FIELDS}


@pytest.mark.parametrize(
    ("gold", "pred", "prf", "acc"),
    [
        # fmt: off
        pytest.param([adm("ketorolac", **KETO)], [adm("ketorolac", **KETO)],
                     (1, 0, 0), accuracies(default=(1, 1)), id="all-right"),
        pytest.param([adm("ceftriaxone", dose=("1", "g"))],
                     [adm("ceftriaxone", dose=("1000", "mg"))],
                     (1, 0, 0), accuracies(default=(1, 1)), id="g-equals-1000-mg"),
        pytest.param([adm("cyanocobalamin", dose=("1000", "mcg"))],
                     [adm("cyanocobalamin", dose=("1", "mg"))],
                     (1, 0, 0), accuracies(default=(1, 1)), id="mcg-equals-mg"),
        pytest.param([adm("ceftriaxone", dose=("0.5", "g"))],
                     [adm("ceftriaxone", dose=("500", "mg"))],
                     (1, 0, 0), accuracies(default=(1, 1)), id="decimal-g"),
        pytest.param([adm("ketorolac", dose=("2", "mL"))], [adm("ketorolac", dose=("2", "mg"))],
                     (1, 0, 0), accuracies(dose=(0, 1), default=(1, 1)), id="mL-not-mass"),
        pytest.param([adm("ketorolac", dose=("30", "mg"))], [adm("ketorolac")],
                     (1, 0, 0), accuracies(dose=(0, 1), default=(1, 1)), id="dose-missed"),
        pytest.param([adm("ketorolac")], [adm("ketorolac", dose=("30", "mg"))],
                     (1, 0, 0), accuracies(dose=(0, 1), default=(1, 1)), id="dose-invented"),
        pytest.param([adm("methylprednisolone acetate", route="IM")],
                     [adm("methylprednisolone", route="IM")],
                     (1, 0, 0), accuracies(drug=(0, 1), default=(1, 1)), id="first-word-match"),
        pytest.param([adm("ketorolac", site=("left", "deltoid"))],
                     [adm("ketorolac", site=(None, "deltoid"))],
                     (1, 0, 0), accuracies(site=(0, 1), default=(1, 1)), id="laterality-missed"),
        pytest.param([adm("ketorolac", site=("left", "deltoid"))],
                     [adm("ketorolac", site=("left", "gluteal"))],
                     (1, 0, 0), accuracies(site=(0, 1), default=(1, 1)), id="location-wrong"),
        pytest.param([adm("ketorolac", route="IM")], [adm("ketorolac", route="SC")],
                     (1, 0, 0), accuracies(route=(0, 1), default=(1, 1)), id="route-wrong"),
        pytest.param([adm("ketorolac", "not_given")], [adm("ketorolac", "not_given")],
                     (0, 0, 0), accuracies(default=(1, 1)), id="not-given-both"),
        # gold not given, predicted given: a false positive, paired in pass 2, status wrong
        pytest.param([adm("ketorolac", "not_given")], [adm("ketorolac")],
                     (0, 1, 0), accuracies(status=(0, 1), default=(1, 1)), id="predicted-given"),
        # gold given, predicted declined: a false negative, and unpaired (pass 1 needs given)
        pytest.param([adm("ketorolac", **KETO)], [adm("ketorolac", "not_given", **KETO)],
                     (0, 0, 1), accuracies(default=(0, 1)), id="predicted-not-given"),
        pytest.param([adm("ketorolac", **KETO), adm("naltrexone", "historical")],
                     [adm("ketorolac", **KETO)],
                     (1, 0, 0), accuracies(default=(1, 2)), id="historical-missed"),
        pytest.param([adm("ketorolac", **KETO)], [],
                     (0, 0, 1), accuracies(default=(0, 1)), id="nothing-predicted"),
        pytest.param([], [adm("ketorolac", **KETO), adm("ondansetron", "planned")],
                     (0, 1, 0), accuracies(default=(0, 0)), id="only-extra"),
        pytest.param([adm("ketorolac", site=("left", "deltoid")),
                      adm("ketorolac", site=("right", "deltoid"))],
                     [adm("ketorolac", site=("right", "deltoid")),
                      adm("ketorolac", site=("left", "deltoid"))],
                     (2, 0, 0), accuracies(default=(2, 2)), id="same-drug-twice"),
        # fmt: on
    ],
)
def test_score_administrations(gold, pred, prf, acc):
    r = score_administrations([gold], [pred])
    assert (r.tp, r.fp, r.fn) == prf
    for name, (hits, total) in acc.items():
        rate = getattr(r, f"{name}_accuracy")
        assert (rate.hits, rate.total) == (hits, total), name


def test_score_administrations_pools_encounters():
    gold = [
        [adm("ketorolac", **KETO)],
        [adm("ceftriaxone", dose=("1", "g")), adm("b12", "planned")],
    ]
    pred = [
        [adm("ketorolac", **{**KETO, "route": "SC"})],
        [adm("ceftriaxone", dose=("250", "mg"))],
    ]
    r = score_administrations(gold, pred)
    assert (r.tp, r.fp, r.fn) == (2, 0, 0)
    # ketorolac IM vs SC wrong; ceftriaxone no route on both sides right; b12 unpaired wrong
    assert (r.route_accuracy.hits, r.route_accuracy.total) == (1, 3)
    assert (r.dose_accuracy.hits, r.dose_accuracy.total) == (1, 3)
    assert r.status_accuracy.value == pytest.approx(2 / 3)


def test_align_prefers_unused_and_status_agreeing_candidates():
    gold = [adm("ketorolac", "not_given"), adm("ketorolac")]
    pred = [adm("ketorolac"), adm("ketorolac", "not_given")]
    # pass 1 pairs the given ones (gold 1 -> pred 0); pass 2 gets the leftover pred 1
    assert align_administrations(gold, pred) == [1, 0]


# --- diagnoses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "pred", "counts"),
    [
        # fmt: off
        pytest.param([["M54.42", "J18.9"]], [["m5442", "Z23"]],  (1, 1, 1), id="normalised"),
        pytest.param([["D51.0"]], [["D51.0", "D51.0"]],          (1, 0, 0), id="duplicates"),
        pytest.param([[]], [["Z23"]],                            (0, 1, 0), id="extra"),
        pytest.param([["Z23"], ["F11.20"]], [["Z23"], []],       (1, 0, 1), id="pooled"),
        # fmt: on
    ],
)
def test_score_diagnoses(gold, pred, counts):
    r = score_diagnoses(gold, pred)
    assert (r.tp, r.fp, r.fn) == counts


# --- findings ----------------------------------------------------------------------------------


def labels(errors=None, warnings=None):
    """FindingLabels from lists (None = not labelled)."""
    return FindingLabels(
        errors=frozenset(errors) if errors is not None else None,
        warnings=frozenset(warnings) if warnings is not None else None,
    )


@pytest.mark.parametrize(
    ("gold", "pred", "prf", "recall", "encounters"),
    [
        # fmt: off
        pytest.param([labels()], [labels(["DOC-02"], ["DOC-04"])],
                     (0, 0, 0), (0, 0), (0, 0), id="not-labelled-ignored"),
        pytest.param([labels([], [])], [labels(["DOC-02"], ["DOC-04"])],
                     (0, 1, 0), (0, 0), (1, 1), id="empty-gold-counts-fp"),
        pytest.param([labels(["DOC-02", "DX-03"])], [labels(["DOC-02"], [])],
                     (1, 0, 1), (0, 0), (1, 0), id="error-missed"),
        pytest.param([labels(None, ["DOC-04", "EM-06"])], [labels([], ["DOC-04", "PAY-01"])],
                     (0, 0, 0), (1, 2), (0, 1), id="warning-recall-only"),
        pytest.param([labels(["DOC-02"], ["DOC-04"]), labels(["EM-03"], ["PAY-02"])],
                     [labels(["DOC-02", "POS-02"], ["DOC-04"]), labels([], ["PAY-02"])],
                     (1, 1, 1), (2, 2), (2, 2), id="pooled"),
        # fmt: on
    ],
)
def test_score_findings(gold, pred, prf, recall, encounters):
    r = score_findings(gold, pred)
    assert (r.tp, r.fp, r.fn) == prf
    assert (r.warning_recall.hits, r.warning_recall.total) == recall
    assert (r.encounters, r.warning_encounters) == encounters


# --- status, ready precision, automation -------------------------------------------------------

STATUS_GOLD = ["ready", "ready", "needs_review", "incomplete", "no_charge", "ready"]
STATUS_PRED = ["ready", "needs_review", "needs_review", "ready", "no_charge", None]


def test_status_accuracy_and_confusion():
    r = status_accuracy(STATUS_GOLD, STATUS_PRED)
    assert (r.hits, r.total) == (3, 6)
    cm = status_confusion(STATUS_GOLD, STATUS_PRED)
    assert cm.labels == ("ready", "needs_review", "incomplete", "no_charge", "error")
    assert cm.counts == (
        (1, 1, 0, 0, 1),
        (0, 1, 0, 0, 0),
        (1, 0, 0, 0, 0),
        (0, 0, 0, 1, 0),
        (0, 0, 0, 0, 0),
    )


def test_status_confusion_explicit_labels_drop_others():
    cm = status_confusion(["ready", "incomplete"], ["ready", None], labels=["ready", "incomplete"])
    assert cm.counts == ((1, 0), (0, 0))


@pytest.mark.parametrize(
    ("statuses", "matches", "precision", "automation"),
    [
        # fmt: off
        pytest.param(["ready", "ready", "needs_review", None], [True, False, True, False],
                     (1, 2), (2, 4), id="one-of-two-ready-right"),
        pytest.param(["needs_review", "incomplete"], [True, True],
                     (0, 0), (0, 2), id="nothing-ready"),
        pytest.param(["ready", "ready"], [True, True], (2, 2), (2, 2), id="all-ready-right"),
        # fmt: on
    ],
)
def test_ready_precision_and_automation_rate(statuses, matches, precision, automation):
    gold = [claim(("96372", [], 1)) for _ in statuses]
    pred = [
        None if s is None else claim(("96372", [], 1)) if m else claim(("96372", [], 2))
        for s, m in zip(statuses, matches, strict=True)
    ]
    rp = ready_precision(gold, pred, statuses)
    ar = automation_rate(statuses)
    assert (rp.hits, rp.total) == precision
    assert (ar.hits, ar.total) == automation


def test_ready_precision_zero_division_is_explicit():
    assert ready_precision([], [], [], zero_division=1.0).value == 1.0
    assert ready_precision([], [], []).value == 0.0


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: claim_exact_match([claim()], []), id="claim"),
        pytest.param(lambda: score_lines([claim()], [claim(), claim()]), id="lines"),
        pytest.param(lambda: score_administrations([[]], []), id="administrations"),
        pytest.param(lambda: score_diagnoses([[]], []), id="diagnoses"),
        pytest.param(lambda: score_findings([labels()], []), id="findings"),
        pytest.param(lambda: status_accuracy(["ready"], []), id="status"),
        pytest.param(lambda: ready_precision([claim()], [claim()], []), id="ready-precision"),
    ],
)
def test_misaligned_inputs_raise(call):
    with pytest.raises(ValueError):
        call()


def test_a_conflicting_route_compares_as_no_route(coder):
    # The corpus labels a conflicting route null (with DOC-17); the coder reports the first
    # route with its conflicts, which is no resolved route.
    from evaluation.matching import result_admin_facts
    from models import Encounter

    conflict = coder.code(Encounter(text="B12 1000 mcg IM/SC given R deltoid by RN."))
    clean = coder.code(Encounter(text="B12 1000 mcg IM given R deltoid by RN."))
    assert [a.route.conflicts for a in conflict.administrations][0]
    assert [f.route for f in result_admin_facts(conflict)] == [None]
    assert [f.route for f in result_admin_facts(clean)] == ["IM"]
