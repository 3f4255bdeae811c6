"""Evaluation layer: the metrics ``shotcoder evaluate`` reports, one function per contract metric.

House style follows scikit-learn: truth first, then predictions, options keyword-only, an
explicit ``zero_division`` for empty denominators, and results as typed models built from counts
(:class:`PRF` for precision/recall/F1, :class:`Tally` for rates). Every function takes one entry
per encounter, aligned, and raises ``ValueError`` when the sequences differ in length. A
prediction of ``None`` means the coder produced nothing for that encounter (it raised); it never
matches. :func:`score_corpus` computes them all for a corpus. ``METRICS.md`` has a card per
metric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence

from pydantic import NonNegativeInt, model_validator

from evaluation.corpus import GoldEncounter
from evaluation.matching import (
    WARNING_ONLY,
    AdminFacts,
    FindingLabels,
    LineKey,
    SpanKey,
    align_administrations,
    diagnosis_key,
    gold_admin_facts,
    gold_finding_labels,
    gold_line_keys,
    gold_span_keys,
    max_bipartite_matching,
    result_admin_facts,
    result_finding_labels,
    result_line_keys,
    result_span_keys,
    spans_overlap,
)
from models import CodingResult, DomainModel, EncounterStatus

ERROR_STATUS = "error"
"""Status label of an encounter the coder raised on (a column of the confusion matrix)."""

READY = EncounterStatus.READY.value


def _ratio(numerator: int, denominator: int, zero_division: float) -> float:
    return numerator / denominator if denominator else zero_division


# --- result models -----------------------------------------------------------------------------


class PRFResult(DomainModel):
    """Precision, recall and F1 with the counts they were computed from."""

    precision: float
    recall: float
    f1: float
    tp: NonNegativeInt
    fp: NonNegativeInt
    fn: NonNegativeInt


class PRF(DomainModel):
    """True positive, false positive and false negative counts; add them to micro-average."""

    tp: NonNegativeInt = 0
    fp: NonNegativeInt = 0
    fn: NonNegativeInt = 0

    def __add__(self, other: PRF) -> PRF:
        """Sum the counts of two tallies."""
        return PRF(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    @classmethod
    def from_multisets(cls, gold: Counter[object], pred: Counter[object]) -> PRF:
        """Count the matches between two multisets (an item repeated n times matches n times)."""
        tp = sum((gold & pred).values())
        return cls(tp=tp, fp=sum(pred.values()) - tp, fn=sum(gold.values()) - tp)

    @classmethod
    def from_sets(cls, gold: Collection[object], pred: Collection[object]) -> PRF:
        """Count the matches between two sets (duplicates collapse)."""
        g, p = set(gold), set(pred)
        tp = len(g & p)
        return cls(tp=tp, fp=len(p) - tp, fn=len(g) - tp)

    def result(self, *, zero_division: float = 0.0) -> PRFResult:
        """Return precision, recall and F1 plus the raw counts.

        F1 is ``2tp / (2tp + fp + fn)``, which equals the harmonic mean of precision and recall
        whenever both are defined.

        Args:
            zero_division: The value of a ratio whose denominator is zero (no predictions for
                precision, no gold items for recall, neither for F1).
        """
        return PRFResult(
            precision=_ratio(self.tp, self.tp + self.fp, zero_division),
            recall=_ratio(self.tp, self.tp + self.fn, zero_division),
            f1=_ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, zero_division),
            tp=self.tp,
            fp=self.fp,
            fn=self.fn,
        )


class RateResult(DomainModel):
    """A share (accuracy, rate, recall) with its numerator and denominator."""

    value: float
    hits: NonNegativeInt
    total: NonNegativeInt


class Tally(DomainModel):
    """Hits out of a total; add tallies to pool them."""

    hits: NonNegativeInt = 0
    total: NonNegativeInt = 0

    @model_validator(mode="after")
    def _hits_within_total(self) -> Tally:
        if self.hits > self.total:
            raise ValueError("hits exceed total")
        return self

    def __add__(self, other: Tally) -> Tally:
        """Sum the counts of two tallies."""
        return Tally(hits=self.hits + other.hits, total=self.total + other.total)

    def result(self, *, zero_division: float = 0.0) -> RateResult:
        """Return the share ``hits / total``; ``zero_division`` when the total is zero."""
        return RateResult(
            value=_ratio(self.hits, self.total, zero_division), hits=self.hits, total=self.total
        )


class AdministrationScores(PRFResult):
    """P/R/F1 of given administrations plus per-field accuracy over all gold administrations."""

    drug_accuracy: RateResult
    dose_accuracy: RateResult
    route_accuracy: RateResult
    site_accuracy: RateResult
    status_accuracy: RateResult


class FindingScores(PRFResult):
    """P/R/F1 of error findings by rule id, and recall of required warnings."""

    encounters: NonNegativeInt
    warning_recall: RateResult
    warning_encounters: NonNegativeInt


class LabelledPRF(PRFResult):
    """Micro P/R/F1 over all labels plus one result per label."""

    per_label: dict[str, PRFResult]


class SpanScores(DomainModel):
    """Span P/R/F1 in strict (same offsets) and lenient (overlap) modes."""

    strict: LabelledPRF
    lenient: LabelledPRF
    encounters: NonNegativeInt


class ConfusionMatrix(DomainModel):
    """Counts of (gold, predicted) status pairs.

    ``counts[i][j]`` is the number of encounters with gold ``labels[i]`` predicted ``labels[j]``.
    """

    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]


class MetricSet(DomainModel):
    """Every contract metric for one set of encounters (a corpus or a category)."""

    encounters: NonNegativeInt
    coder_errors: NonNegativeInt
    claim_exact_match: RateResult
    lines: PRFResult
    line_codes: PRFResult
    administrations: AdministrationScores
    diagnoses: PRFResult
    findings: FindingScores
    spans: SpanScores
    status_accuracy: RateResult
    status_confusion: ConfusionMatrix
    ready_precision: RateResult
    automation_rate: RateResult


class TagScores(DomainModel):
    """The headline numbers over the records carrying one rule tag."""

    encounters: NonNegativeInt
    claim_exact_match: RateResult
    status_accuracy: RateResult


# --- metrics -----------------------------------------------------------------------------------


def claim_exact_match(
    gold: Sequence[Counter[LineKey]],
    pred: Sequence[Counter[LineKey] | None],
    *,
    zero_division: float = 0.0,
) -> RateResult:
    """Share of encounters whose predicted claim equals the gold claim as a multiset.

    Args:
        gold: Gold claim per encounter, a multiset of (code, modifiers, units).
        pred: Predicted claim per encounter; ``None`` (no prediction) never matches.
        zero_division: Value when there are no encounters.

    Returns:
        Matching encounters out of all encounters.

    Raises:
        ValueError: If the sequences differ in length.
    """
    tally = Tally()
    for g, p in zip(gold, pred, strict=True):
        tally += Tally(hits=int(p is not None and +g == +p), total=1)
    return tally.result(zero_division=zero_division)


def _codes(lines: Counter[LineKey]) -> Counter[str]:
    out: Counter[str] = Counter()
    for (code, _modifiers, _units), n in lines.items():
        out[code] += n
    return out


def score_lines(
    gold: Sequence[Counter[LineKey]],
    pred: Sequence[Counter[LineKey] | None],
    *,
    codes_only: bool = False,
    zero_division: float = 0.0,
) -> PRFResult:
    """Micro P/R/F1 over claim lines compared as multisets, one Counter per encounter.

    Args:
        gold: Gold claim per encounter.
        pred: Predicted claim per encounter; ``None`` counts as an empty claim.
        codes_only: Compare codes alone instead of (code, modifiers, units).
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    total = PRF()
    for g, p in zip(gold, pred, strict=True):
        p = p or Counter()
        if codes_only:
            total += PRF.from_multisets(_codes(g), _codes(p))
        else:
            total += PRF.from_multisets(g, p)
    return total.result(zero_division=zero_division)


def score_administrations(
    gold: Sequence[Sequence[AdminFacts]],
    pred: Sequence[Sequence[AdminFacts]],
    *,
    zero_division: float = 0.0,
) -> AdministrationScores:
    """Score administrations: detection of given ones, then field accuracy over all gold ones.

    P/R/F1: gold ``given`` administrations against predicted ``given`` ones, matched one to one
    by drug key (first word of the name). Field accuracy (drug name, dose after mass-unit
    conversion, route, site laterality and location, status) is over every gold administration,
    given or not, paired by :func:`~evaluation.matching.align_administrations`; a field of an
    unpaired gold administration counts as wrong, and "not documented" on both sides is right.

    Args:
        gold: Gold administrations per encounter.
        pred: Predicted administrations per encounter.
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    prf = PRF()
    fields = ("drug", "dose", "route", "site", "status")
    tallies = dict.fromkeys(fields, Tally())
    for g_admins, p_admins in zip(gold, pred, strict=True):
        pairs = align_administrations(g_admins, p_admins)
        tp = sum(1 for g, pi in zip(g_admins, pairs, strict=True) if g.given and pi is not None)
        n_gold = sum(1 for g in g_admins if g.given)
        n_pred = sum(1 for p in p_admins if p.given)
        prf += PRF(tp=tp, fp=n_pred - tp, fn=n_gold - tp)
        for g, pi in zip(g_admins, pairs, strict=True):
            p = p_admins[pi] if pi is not None else None
            for name in fields:
                hit = p is not None and getattr(g, name) == getattr(p, name)
                tallies[name] += Tally(hits=int(hit), total=1)
    zd = zero_division
    accuracies = {f"{k}_accuracy": t.result(zero_division=zd) for k, t in tallies.items()}
    return AdministrationScores(**prf.result(zero_division=zd).model_dump(), **accuracies)


def score_diagnoses(
    gold: Sequence[Collection[str]],
    pred: Sequence[Collection[str]],
    *,
    zero_division: float = 0.0,
) -> PRFResult:
    """Micro P/R/F1 over ICD-10-CM codes, compared as sets per encounter.

    Codes are compared upper case without the dot (``m54.42`` equals ``M5442``).

    Raises:
        ValueError: If the sequences differ in length.
    """
    total = PRF()
    for g, p in zip(gold, pred, strict=True):
        total += PRF.from_sets({diagnosis_key(c) for c in g}, {diagnosis_key(c) for c in p})
    return total.result(zero_division=zero_division)


def score_findings(
    gold: Sequence[FindingLabels],
    pred: Sequence[FindingLabels],
    *,
    zero_division: float = 0.0,
) -> FindingScores:
    """P/R/F1 of error findings by rule id, and recall of required warnings.

    Errors are scored only on encounters whose gold lists ``findings`` (an empty list counts:
    any predicted error is then a false positive); warnings only on encounters whose gold lists
    ``warnings``, for recall only. Rule ids are compared as sets per encounter.

    Args:
        gold: Gold finding labels per encounter (``None`` parts are not labelled).
        pred: Predicted finding labels per encounter.
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    errors, warnings = PRF(), Tally()
    error_encounters = warning_encounters = 0
    for g, p in zip(gold, pred, strict=True):
        if g.errors is not None:
            error_encounters += 1
            errors += PRF.from_sets(g.errors, p.errors or frozenset())
        if g.warnings is not None:
            warning_encounters += 1
            found = g.warnings & (p.warnings or frozenset())
            warnings += Tally(hits=len(found), total=len(g.warnings))
    return FindingScores(
        **errors.result(zero_division=zero_division).model_dump(),
        encounters=error_encounters,
        warning_recall=warnings.result(zero_division=zero_division),
        warning_encounters=warning_encounters,
    )


def _span_prf(gold: list[SpanKey], pred: list[SpanKey], *, lenient: bool) -> PRF:
    if lenient:
        tp = max_bipartite_matching(
            len(gold), len(pred), lambda i, j: spans_overlap(gold[i], pred[j])
        )
    else:
        tp = len(set(gold) & set(pred))
    return PRF(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def _labelled(per_label: dict[str, PRF], zero_division: float) -> LabelledPRF:
    micro = sum(per_label.values(), PRF())
    return LabelledPRF(
        **micro.result(zero_division=zero_division).model_dump(),
        per_label={k: v.result(zero_division=zero_division) for k, v in sorted(per_label.items())},
    )


def score_spans(
    gold: Sequence[Collection[SpanKey] | None],
    pred: Sequence[Collection[SpanKey]],
    *,
    labels: Iterable[str] | None = None,
    zero_division: float = 0.0,
) -> SpanScores:
    """Span P/R/F1 per label, strict (same offsets) and lenient (overlap).

    Only encounters with gold spans (not ``None``) are scored, and only spans whose label is in
    ``labels``. Duplicate spans collapse. Strict: a predicted span is right when a gold span has
    the same start, end and label. Lenient: gold and predicted spans of one label are paired one
    to one by overlap (a maximum matching), so one long prediction cannot claim two gold spans.

    Args:
        gold: Gold spans per encounter, ``None`` when not labelled.
        pred: Predicted spans per encounter.
        labels: Labels to score; by default every label found in the scored gold spans.
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    pairs = [(set(g), set(p)) for g, p in zip(gold, pred, strict=True) if g is not None]
    wanted = set(labels) if labels is not None else {label for g, _ in pairs for *_, label in g}
    strict = {label: PRF() for label in wanted}
    lenient = {label: PRF() for label in wanted}
    for g, p in pairs:
        for label in wanted:
            g_l = sorted(s for s in g if s[2] == label)
            p_l = sorted(s for s in p if s[2] == label)
            strict[label] += _span_prf(g_l, p_l, lenient=False)
            lenient[label] += _span_prf(g_l, p_l, lenient=True)
    return SpanScores(
        strict=_labelled(strict, zero_division),
        lenient=_labelled(lenient, zero_division),
        encounters=len(pairs),
    )


def status_accuracy(
    gold: Sequence[str], pred: Sequence[str | None], *, zero_division: float = 0.0
) -> RateResult:
    """Share of encounters whose predicted status equals the gold status.

    Raises:
        ValueError: If the sequences differ in length.
    """
    tally = Tally()
    for g, p in zip(gold, pred, strict=True):
        tally += Tally(hits=int(p is not None and str(g) == str(p)), total=1)
    return tally.result(zero_division=zero_division)


def status_confusion(
    gold: Sequence[str], pred: Sequence[str | None], *, labels: Sequence[str] | None = None
) -> ConfusionMatrix:
    """Confusion matrix of encounter statuses (rows gold, columns predicted).

    Args:
        gold: Gold status per encounter.
        pred: Predicted status per encounter; ``None`` is counted under ``"error"``.
        labels: Row/column order; by default the four contract statuses, plus ``"error"`` when
            some prediction is missing, plus any other value seen. Pairs with a label outside an
            explicit list are left out.

    Raises:
        ValueError: If the sequences differ in length.
    """
    pairs = [
        (str(g), ERROR_STATUS if p is None else str(p)) for g, p in zip(gold, pred, strict=True)
    ]
    if labels is None:
        order = [s.value for s in EncounterStatus]
        seen = {x for pair in pairs for x in pair}
        extra = sorted(seen - set(order) - {ERROR_STATUS})
        labels = [*order, *extra, *([ERROR_STATUS] if ERROR_STATUS in seen else [])]
    index = {label: i for i, label in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for g, p in pairs:
        if g in index and p in index:
            counts[index[g]][index[p]] += 1
    return ConfusionMatrix(labels=tuple(labels), counts=tuple(tuple(row) for row in counts))


def ready_precision(
    gold: Sequence[Counter[LineKey]],
    pred: Sequence[Counter[LineKey] | None],
    pred_status: Sequence[str | None],
    *,
    zero_division: float = 0.0,
) -> RateResult:
    """Among encounters predicted ``ready``, the share whose claim exactly matches gold.

    Args:
        gold: Gold claim per encounter.
        pred: Predicted claim per encounter.
        pred_status: Predicted status per encounter.
        zero_division: Value when no encounter is predicted ``ready``.

    Raises:
        ValueError: If the sequences differ in length.
    """
    tally = Tally()
    for g, p, s in zip(gold, pred, pred_status, strict=True):
        if s is not None and str(s) == READY:
            tally += Tally(hits=int(p is not None and +g == +p), total=1)
    return tally.result(zero_division=zero_division)


def automation_rate(pred_status: Sequence[str | None], *, zero_division: float = 0.0) -> RateResult:
    """Share of all encounters predicted ``ready`` (sent to billing without review)."""
    hits = sum(1 for s in pred_status if s is not None and str(s) == READY)
    return Tally(hits=hits, total=len(pred_status)).result(zero_division=zero_division)


def score_corpus(
    records: Sequence[GoldEncounter],
    results: Sequence[CodingResult | None],
    *,
    warning_severities: Collection[str] = WARNING_ONLY,
    zero_division: float = 0.0,
) -> MetricSet:
    """Compute every contract metric over aligned records and coding results.

    Args:
        records: Gold records.
        results: The coder's result per record; ``None`` where the coder raised. Such an
            encounter is a claim and status mismatch and contributes empty predictions.
        warning_severities: Severities counted as warnings for warning recall.
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    if len(records) != len(results):
        raise ValueError(f"{len(records)} records but {len(results)} results")
    golds = [r.gold for r in records]
    gold_lines = [gold_line_keys(g) for g in golds]
    pred_lines = [result_line_keys(r) if r is not None else None for r in results]
    pred_status = [r.status.value if r is not None else None for r in results]
    empty = FindingLabels(errors=frozenset(), warnings=frozenset())
    zd = {"zero_division": zero_division}
    return MetricSet(
        encounters=len(records),
        coder_errors=sum(r is None for r in results),
        claim_exact_match=claim_exact_match(gold_lines, pred_lines, **zd),
        lines=score_lines(gold_lines, pred_lines, **zd),
        line_codes=score_lines(gold_lines, pred_lines, codes_only=True, **zd),
        administrations=score_administrations(
            [gold_admin_facts(g) for g in golds],
            [result_admin_facts(r) if r is not None else () for r in results],
            **zd,
        ),
        diagnoses=score_diagnoses(
            [g.diagnoses for g in golds],
            [[d.code for d in r.diagnoses] if r is not None else [] for r in results],
            **zd,
        ),
        findings=score_findings(
            [gold_finding_labels(g) for g in golds],
            [
                result_finding_labels(r, warning_severities=warning_severities)
                if r is not None
                else empty
                for r in results
            ],
            **zd,
        ),
        spans=score_spans(
            [gold_span_keys(g) for g in golds],
            [result_span_keys(r) if r is not None else frozenset() for r in results],
            **zd,
        ),
        status_accuracy=status_accuracy([g.status.value for g in golds], pred_status, **zd),
        status_confusion=status_confusion([g.status.value for g in golds], pred_status),
        ready_precision=ready_precision(gold_lines, pred_lines, pred_status, **zd),
        automation_rate=automation_rate(pred_status, **zd),
    )


def score_tag(
    records: Sequence[GoldEncounter],
    results: Sequence[CodingResult | None],
    *,
    zero_division: float = 0.0,
) -> TagScores:
    """Claim exact match and status accuracy over a subset of records (one rule tag's).

    Raises:
        ValueError: If the sequences differ in length.
    """
    gold_lines = [gold_line_keys(r.gold) for r in records]
    pred_lines = [result_line_keys(r) if r is not None else None for r in results]
    return TagScores(
        encounters=len(records),
        claim_exact_match=claim_exact_match(gold_lines, pred_lines, zero_division=zero_division),
        status_accuracy=status_accuracy(
            [r.gold.status.value for r in records],
            [r.status.value if r is not None else None for r in results],
            zero_division=zero_division,
        ),
    )
