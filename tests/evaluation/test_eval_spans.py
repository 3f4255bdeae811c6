"""Span P/R/F1: hand-computed tables, seqeval strict IOB2 as an oracle, lenient properties."""

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.matching import max_bipartite_matching
from evaluation.metrics import score_spans

seqeval_metrics = pytest.importorskip("seqeval.metrics")
seqeval_scheme = pytest.importorskip("seqeval.scheme")


def counts(r):
    return (r.tp, r.fp, r.fn)


@pytest.mark.parametrize(
    ("gold", "pred", "strict", "lenient"),
    [
        # fmt: off
        # DRUG exact; DOSE off by one char (lenient only); ROUTE predicted elsewhere
        pytest.param([(0, 5, "DRUG"), (10, 15, "DOSE"), (20, 25, "ROUTE")],
                     [(0, 5, "DRUG"), (10, 14, "DOSE"), (30, 35, "ROUTE")],
                     {"DRUG": (1, 0, 0), "DOSE": (0, 1, 1), "ROUTE": (0, 1, 1)},
                     {"DRUG": (1, 0, 0), "DOSE": (1, 0, 0), "ROUTE": (0, 1, 1)},
                     id="exact-boundary-miss"),
        # one long prediction cannot claim two gold spans
        pytest.param([(0, 5, "DRUG"), (6, 10, "DRUG")], [(0, 10, "DRUG")],
                     {"DRUG": (0, 1, 2)}, {"DRUG": (1, 0, 1)}, id="one-to-one"),
        # same offsets, other label: wrong in both modes
        pytest.param([(0, 5, "DRUG")], [(0, 5, "DOSE")],
                     {"DRUG": (0, 0, 1)}, {"DRUG": (0, 0, 1)}, id="label-mismatch-ignored-label"),
        # touching half-open spans do not overlap
        pytest.param([(0, 5, "SITE")], [(5, 9, "SITE")],
                     {"SITE": (0, 1, 1)}, {"SITE": (0, 1, 1)}, id="adjacent-not-overlap"),
        # a greedy pairing finds 1; the maximum matching finds 2 (A-Y, B-X)
        pytest.param([(0, 10, "DOSE"), (10, 12, "DOSE")], [(5, 11, "DOSE"), (0, 3, "DOSE")],
                     {"DOSE": (0, 2, 2)}, {"DOSE": (2, 0, 0)}, id="augmenting-path"),
        pytest.param([(0, 5, "DRUG"), (0, 5, "DRUG")], [(0, 5, "DRUG")],
                     {"DRUG": (1, 0, 0)}, {"DRUG": (1, 0, 0)}, id="duplicates-collapse"),
        # fmt: on
    ],
)
def test_score_spans_table(gold, pred, strict, lenient):
    r = score_spans([gold], [pred])
    assert {k: counts(v) for k, v in r.strict.per_label.items()} == strict
    assert {k: counts(v) for k, v in r.lenient.per_label.items()} == lenient
    assert counts(r.strict) == tuple(map(sum, zip(*strict.values(), strict=True)))
    assert r.encounters == 1


def test_unlabelled_encounters_are_skipped():
    r = score_spans([None, [(0, 3, "DRUG")]], [[(0, 3, "DRUG"), (5, 9, "DOSE")], [(0, 3, "DRUG")]])
    assert r.encounters == 1
    assert counts(r.strict) == (1, 0, 0)


def test_labels_option_scores_labels_gold_never_has():
    r = score_spans([[(0, 3, "DRUG")]], [[(0, 3, "DRUG"), (5, 9, "LOT")]], labels=["DRUG", "LOT"])
    assert counts(r.strict.per_label["LOT"]) == (0, 1, 0)
    assert r.strict.per_label["LOT"].recall == 0.0  # zero_division


# --- seqeval oracle (strict mode, IOB2) --------------------------------------------------------

LABELS = ["DRUG", "DOSE", "SITE"]
segments = st.lists(
    st.tuples(st.sampled_from(["O", *LABELS]), st.integers(min_value=1, max_value=3)),
    min_size=1,
    max_size=12,
)


def token_spans(segs, n_tokens):
    """Non-overlapping (first token, end token, label) spans over n_tokens tokens."""
    out, pos = [], 0
    for label, width in segs:
        if pos >= n_tokens:
            break
        width = min(width, n_tokens - pos)
        if label != "O":
            out.append((pos, pos + width, label))
        pos += width
    return out


def iob2(spans, n_tokens):
    tags = ["O"] * n_tokens
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


@st.composite
def sentence(draw):
    gold_segs = draw(segments)
    n_tokens = sum(w for _, w in gold_segs)
    widths = draw(st.lists(st.integers(1, 6), min_size=n_tokens, max_size=n_tokens))
    pred_segs = draw(segments)
    return widths, token_spans(gold_segs, n_tokens), token_spans(pred_segs, n_tokens)


def to_chars(spans, widths):
    starts = [sum(widths[:i]) + i for i in range(len(widths))]  # one space between tokens
    return [(starts[s], starts[e - 1] + widths[e - 1], label) for s, e, label in spans]


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence(), min_size=1, max_size=4))
def test_strict_matches_seqeval(sentences):
    y_true = [iob2(g, len(w)) for w, g, _ in sentences]
    y_pred = [iob2(p, len(w)) for w, _, p in sentences]
    gold = [to_chars(g, w) for w, g, _ in sentences]
    pred = [to_chars(p, w) for w, _, p in sentences]
    labels = {label for spans in gold + pred for *_, label in spans}
    ours = score_spans(gold, pred, labels=labels, zero_division=0.0)
    if not labels:
        assert counts(ours.strict) == (0, 0, 0)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = seqeval_metrics.classification_report(
            y_true,
            y_pred,
            mode="strict",
            scheme=seqeval_scheme.IOB2,
            output_dict=True,
            zero_division=0,
        )
    for label in labels:
        mine = ours.strict.per_label[label]
        theirs = oracle[label]
        assert mine.precision == pytest.approx(theirs["precision"]), label
        assert mine.recall == pytest.approx(theirs["recall"]), label
        assert mine.f1 == pytest.approx(theirs["f1-score"]), label
        assert mine.tp + mine.fn == theirs["support"], label
    micro = oracle["micro avg"]
    assert ours.strict.precision == pytest.approx(micro["precision"])
    assert ours.strict.recall == pytest.approx(micro["recall"])
    assert ours.strict.f1 == pytest.approx(micro["f1-score"])


@settings(max_examples=200, deadline=None)
@given(st.lists(sentence(), min_size=1, max_size=4))
def test_lenient_bounds(sentences):
    gold = [to_chars(g, w) for w, g, _ in sentences]
    pred = [to_chars(p, w) for w, _, p in sentences]
    r = score_spans(gold, pred)
    assert r.lenient.tp >= r.strict.tp
    for label, strict in r.strict.per_label.items():
        lenient = r.lenient.per_label[label]
        assert lenient.tp + lenient.fn == strict.tp + strict.fn  # same gold
        assert lenient.tp + lenient.fp == strict.tp + strict.fp  # same predictions


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 6),
    st.integers(0, 6),
    st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5))),
)
def test_matching_is_maximum(n_left, n_right, edges):
    """Kuhn's algorithm agrees with brute force on small graphs."""
    from itertools import permutations

    edges = {(i, j) for i, j in edges if i < n_left and j < n_right}
    size = max_bipartite_matching(n_left, n_right, lambda i, j: (i, j) in edges)
    best = 0
    for perm in permutations(range(max(n_left, n_right)), n_left):
        best = max(best, sum((i, j) in edges for i, j in enumerate(perm)))
    assert size == best
