"""Evaluation layer: the evaluation report: metrics, breakdowns, mismatches, files and summary.

The report never holds note text or span text (PHI): mismatches carry codes, rule ids, drug
names, vocabulary values and span offsets only, and a coder exception is recorded by its type,
not its message. :func:`write_report` writes ``report.json``, ``report.md`` and two PNG charts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import JsonValue, NonNegativeInt

from evaluation.corpus import GoldAdministration, GoldEncounter
from evaluation.matching import (
    WARNING_ONLY,
    LineKey,
    SpanKey,
    align_administrations,
    diagnosis_key,
    gold_admin_facts,
    gold_finding_labels,
    gold_line_keys,
    gold_span_keys,
    line_rule_ids,
    result_admin_facts,
    result_finding_labels,
    result_line_keys,
    result_span_keys,
    spans_overlap,
)
from evaluation.metrics import MetricSet, PRFResult, RateResult, TagScores, score_corpus, score_tag
from models import Administration, CodingResult, DomainModel, Severity, Versions

DiffKind = Literal[
    "error", "status", "line", "administration", "diagnosis", "finding", "warning", "span"
]
ADMIN_FIELDS = ("drug", "dose", "route", "site", "status")

FIELD_ACCURACY_PNG = "field_accuracy.png"
STATUS_CONFUSION_PNG = "status_confusion.png"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
MD_MISMATCH_ROWS = 50
"""Mismatched encounters listed in ``report.md``; ``report.json`` lists them all."""


class Difference(DomainModel):
    """One thing the prediction got wrong for an encounter.

    Attributes:
        kind: What differs (a coder ``error``, the ``status``, a ``line``, ...).
        field: For administrations, the field that differs (``dose``, ``route``, ...); ``None``
            when the whole item is missing or extra.
        subject: What the difference is about, e.g. the drug of an administration.
        gold: The gold value (``None`` when the prediction has an extra item).
        predicted: The predicted value (``None`` when the prediction misses the item).
        rule_ids: Rule ids of the predicted lines or findings involved.
    """

    kind: DiffKind
    field: str | None = None
    subject: str | None = None
    gold: JsonValue = None
    predicted: JsonValue = None
    rule_ids: tuple[str, ...] = ()


class Mismatch(DomainModel):
    """An encounter whose prediction differs from gold, with every difference found."""

    id: str
    category: str
    tags: tuple[str, ...]
    claim_match: bool
    status_match: bool
    differences: tuple[Difference, ...]


class CorpusInfo(DomainModel):
    """Which corpus was scored: file name (not path), checksum and size."""

    name: str
    sha256: str
    records: NonNegativeInt


class EvaluationReport(DomainModel):
    """Everything ``shotcoder evaluate`` reports for one run."""

    corpus: CorpusInfo
    versions: Versions | None
    extra: dict[str, JsonValue]
    overall: MetricSet
    by_category: dict[str, MetricSet]
    by_tag: dict[str, TagScores]
    mismatches: tuple[Mismatch, ...]


# --- differences -------------------------------------------------------------------------------


def _line_json(key: LineKey) -> JsonValue:
    code, modifiers, units = key
    return {"code": code, "modifiers": sorted(modifiers), "units": units}


def _expand(lines: Counter[LineKey], code: str) -> list[LineKey]:
    return sorted(
        (k for k in lines.elements() if k[0] == code), key=lambda k: (sorted(k[1]), k[2] or 0)
    )


def _line_differences(gold: Counter[LineKey], result: CodingResult) -> list[Difference]:
    pred = result_line_keys(result)
    missing, extra = gold - pred, pred - gold
    out = []
    for code in sorted({k[0] for k in missing} | {k[0] for k in extra}):
        # Pair a missing and an extra line of the same code: "units 2 instead of 4" reads
        # better than one missing and one extra line.
        for g, p in itertools.zip_longest(_expand(missing, code), _expand(extra, code)):
            out.append(
                Difference(
                    kind="line",
                    gold=_line_json(g) if g else None,
                    predicted=_line_json(p) if p else None,
                    rule_ids=line_rule_ids(result, p) if p else (),
                )
            )
    return out


def _dose_text(value: Decimal, unit: str) -> str:
    return f"{format(value.normalize(), 'f')} {unit}"


def _site_json(laterality: str | None, location: str | None) -> JsonValue:
    if laterality is None and location is None:
        return None
    return {"laterality": laterality, "location": location}


def _gold_admin_values(adm: GoldAdministration) -> dict[str, JsonValue]:
    """Field values of a gold administration in report form."""
    return {
        "drug": adm.drug,
        "dose": _dose_text(adm.dose.value, adm.dose.unit.value) if adm.dose else None,
        "route": adm.route.value if adm.route else None,
        "site": _site_json(adm.site.laterality, adm.site.location) if adm.site else None,
        "status": adm.status.value,
    }


def _pred_admin_values(adm: Administration) -> dict[str, JsonValue]:
    """Field values of a predicted administration in report form (no spans, no span text)."""
    return {
        "drug": adm.drug.name,
        "dose": _dose_text(adm.dose.value, adm.dose.unit.value) if adm.dose else None,
        "route": adm.route.value.value if adm.route else None,
        "site": _site_json(adm.site.laterality, adm.site.location) if adm.site else None,
        "status": adm.status.value,
    }


def _admin_rule_ids(result: CodingResult, admin_id: str) -> tuple[str, ...]:
    ids = {r for line in result.lines if line.administration_id == admin_id for r in line.rule_ids}
    ids |= {f.rule_id for f in result.findings if f.administration_id == admin_id}
    return tuple(sorted(ids))


def _administration_differences(record: GoldEncounter, result: CodingResult) -> list[Difference]:
    gold_facts, pred_facts = gold_admin_facts(record.gold), result_admin_facts(result)
    pairs = align_administrations(gold_facts, pred_facts)
    out = []
    for gi, pi in enumerate(pairs):
        gold_adm = record.gold.administrations[gi]
        g_values = _gold_admin_values(gold_adm)
        if pi is None:
            out.append(Difference(kind="administration", subject=gold_adm.drug, gold=g_values))
            continue
        adm = result.administrations[pi]
        p_values = _pred_admin_values(adm)
        rule_ids = _admin_rule_ids(result, adm.id)
        out.extend(
            Difference(
                kind="administration",
                field=name,
                subject=gold_adm.drug,
                gold=g_values[name],
                predicted=p_values[name],
                rule_ids=rule_ids,
            )
            for name in ADMIN_FIELDS
            if getattr(gold_facts[gi], name) != getattr(pred_facts[pi], name)
        )
    paired = {pi for pi in pairs if pi is not None}
    for pi, adm in enumerate(result.administrations):
        if pi not in paired and pred_facts[pi].given:
            out.append(
                Difference(
                    kind="administration",
                    subject=adm.drug.name,
                    predicted=_pred_admin_values(adm),
                    rule_ids=_admin_rule_ids(result, adm.id),
                )
            )
    return out


def _span_json(span: SpanKey) -> JsonValue:
    return {"start": span[0], "end": span[1], "label": span[2]}


def _span_differences(
    gold: frozenset[SpanKey], pred: frozenset[SpanKey], labels: Collection[str]
) -> list[Difference]:
    missing = sorted(s for s in gold - pred if s[2] in labels)
    extra = sorted(s for s in pred - gold if s[2] in labels)
    out = []
    for g in missing:
        # Show a boundary error as one difference when a wrong-offset prediction overlaps it.
        p = next((p for p in extra if p[2] == g[2] and spans_overlap(g, p)), None)
        if p is not None:
            extra.remove(p)
        out.append(
            Difference(kind="span", gold=_span_json(g), predicted=_span_json(p) if p else None)
        )
    out.extend(Difference(kind="span", predicted=_span_json(p)) for p in extra)
    return out


def diff_encounter(
    record: GoldEncounter,
    result: CodingResult | None,
    *,
    error: str | None = None,
    span_labels: Collection[str] | None = None,
    warning_severities: Collection[str] = WARNING_ONLY,
) -> list[Difference]:
    """List every difference between a record's gold and its prediction that a metric counts.

    Args:
        record: The gold record.
        result: The coder's result, ``None`` when the coder raised.
        error: The coder error description when ``result`` is ``None``.
        span_labels: Span labels scored; by default the record's own gold labels.
        warning_severities: Severities counted as warnings.

    Returns:
        The differences, empty when the prediction matches gold everywhere it is scored.
    """
    gold = record.gold
    if result is None:
        return [Difference(kind="error", predicted=error or "coder failed")]
    out: list[Difference] = []
    if result.status.value != gold.status.value:
        raised = sorted(
            {f.rule_id for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}
        )
        out.append(
            Difference(
                kind="status",
                gold=gold.status.value,
                predicted=result.status.value,
                rule_ids=tuple(raised),
            )
        )
    out += _line_differences(gold_line_keys(gold), result)
    out += _administration_differences(record, result)
    g_dx = {diagnosis_key(c): c for c in gold.diagnoses}
    p_dx = {diagnosis_key(d.code): d.code for d in result.diagnoses}
    out += [Difference(kind="diagnosis", gold=g_dx[k]) for k in sorted(g_dx.keys() - p_dx.keys())]
    out += [
        Difference(kind="diagnosis", predicted=p_dx[k]) for k in sorted(p_dx.keys() - g_dx.keys())
    ]
    g_f = gold_finding_labels(gold)
    p_f = result_finding_labels(result, warning_severities=warning_severities)
    if g_f.errors is not None:
        p_errors = p_f.errors or frozenset()
        out += [
            Difference(kind="finding", gold=r, rule_ids=(r,)) for r in sorted(g_f.errors - p_errors)
        ]
        out += [
            Difference(kind="finding", predicted=r, rule_ids=(r,))
            for r in sorted(p_errors - g_f.errors)
        ]
    if g_f.warnings is not None:
        missed = g_f.warnings - (p_f.warnings or frozenset())
        out += [Difference(kind="warning", gold=r, rule_ids=(r,)) for r in sorted(missed)]
    g_spans = gold_span_keys(gold)
    if g_spans is not None:
        labels = span_labels if span_labels is not None else {s[2] for s in g_spans}
        out += _span_differences(g_spans, result_span_keys(result), labels)
    return out


# --- building ----------------------------------------------------------------------------------


def build_report(
    records: Sequence[GoldEncounter],
    results: Sequence[CodingResult | None],
    *,
    corpus: CorpusInfo,
    errors: Mapping[int, str] | None = None,
    extra: Mapping[str, JsonValue] | None = None,
    warning_severities: Collection[str] = WARNING_ONLY,
    zero_division: float = 0.0,
) -> EvaluationReport:
    """Score aligned records and results and assemble the report.

    Args:
        records: Gold records in corpus order.
        results: The coder's result per record, ``None`` where it raised.
        corpus: Which corpus was scored.
        errors: Coder error descriptions by record index (type names, no messages).
        extra: Anything the caller wants recorded (e.g. the spaCy config).
        warning_severities: Severities counted as warnings for warning recall.
        zero_division: Value of a ratio with a zero denominator.

    Raises:
        ValueError: If the sequences differ in length.
    """
    if len(records) != len(results):
        raise ValueError(f"{len(records)} records but {len(results)} results")
    errors = errors or {}
    overall = score_corpus(
        records, results, warning_severities=warning_severities, zero_division=zero_division
    )

    by_category: dict[str, MetricSet] = {}
    for category in sorted({r.category for r in records}):
        idx = [i for i, r in enumerate(records) if r.category == category]
        by_category[category] = score_corpus(
            [records[i] for i in idx],
            [results[i] for i in idx],
            warning_severities=warning_severities,
            zero_division=zero_division,
        )
    by_tag: dict[str, TagScores] = {}
    for tag in sorted({t for r in records for t in r.tags}):
        idx = [i for i, r in enumerate(records) if tag in r.tags]
        by_tag[tag] = score_tag(
            [records[i] for i in idx], [results[i] for i in idx], zero_division=zero_division
        )

    span_labels = set(overall.spans.strict.per_label)
    mismatches = []
    for i, (record, result) in enumerate(zip(records, results, strict=True)):
        diffs = diff_encounter(
            record,
            result,
            error=errors.get(i),
            span_labels=span_labels,
            warning_severities=warning_severities,
        )
        if diffs:
            gold_lines = gold_line_keys(record.gold)
            mismatches.append(
                Mismatch(
                    id=record.encounter_id,
                    category=record.category,
                    tags=record.tags,
                    claim_match=result is not None and +gold_lines == +result_line_keys(result),
                    status_match=result is not None
                    and result.status.value == record.gold.status.value,
                    differences=tuple(diffs),
                )
            )
    versions = next((r.versions for r in results if r is not None), None)
    return EvaluationReport(
        corpus=corpus,
        versions=versions,
        extra=dict(extra or {}),
        overall=overall,
        by_category=by_category,
        by_tag=by_tag,
        mismatches=tuple(mismatches),
    )


# --- rendering ---------------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:.3f}"


def _rate(r: RateResult) -> tuple[str, str]:
    return _num(r.value), f"{r.hits}/{r.total}"


def _prf(r: PRFResult) -> tuple[str, str]:
    return (
        f"{_num(r.precision)} / {_num(r.recall)} / {_num(r.f1)}",
        f"tp {r.tp} fp {r.fp} fn {r.fn}",
    )


def headline_rows(m: MetricSet) -> list[tuple[str, str, str]]:
    """Return (metric, value, count) rows of the headline numbers, in reading order."""
    a = m.administrations
    rows = [
        ("claim exact match", *_rate(m.claim_exact_match)),
        ("ready precision", *_rate(m.ready_precision)),
        ("automation rate", *_rate(m.automation_rate)),
        ("status accuracy", *_rate(m.status_accuracy)),
        ("lines P / R / F1", *_prf(m.lines)),
        ("line codes P / R / F1", *_prf(m.line_codes)),
        ("administrations P / R / F1", *_prf(a)),
    ]
    rows += [
        (f"  {name} accuracy", *_rate(getattr(a, f"{name}_accuracy"))) for name in ADMIN_FIELDS
    ]
    rows += [
        ("diagnoses P / R / F1", *_prf(m.diagnoses)),
        (f"error findings P / R / F1 ({m.findings.encounters} enc)", *_prf(m.findings)),
        (
            f"warning recall ({m.findings.warning_encounters} enc)",
            *_rate(m.findings.warning_recall),
        ),
        (f"spans strict P / R / F1 ({m.spans.encounters} enc)", *_prf(m.spans.strict)),
        (f"spans lenient P / R / F1 ({m.spans.encounters} enc)", *_prf(m.spans.lenient)),
    ]
    return rows


def format_summary(report: EvaluationReport) -> str:
    """Return a compact plain-text table of the headline numbers for the terminal."""
    m = report.overall
    rows = headline_rows(m)
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    lines = [
        f"corpus {report.corpus.name}  sha256 {report.corpus.sha256[:12]}  "
        f"{m.encounters} encounters  {m.coder_errors} coder errors  "
        f"{len(report.mismatches)} mismatched",
        f"{'metric':<{w0}}  {'value':>{w1}}  count",
    ]
    lines += [f"{name:<{w0}}  {value:>{w1}}  {count}" for name, value, count in rows]
    return "\n".join(lines)


def _md_cell(value: object) -> str:
    return "-" if value is None else str(value).replace("|", "\\|")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(report: EvaluationReport) -> str:
    """Return the short Markdown summary written as ``report.md``."""
    m = report.overall
    out = [
        "# shotcoder evaluation report",
        "",
        f"Corpus `{report.corpus.name}` (sha256 `{report.corpus.sha256}`): "
        f"{m.encounters} encounters, {m.coder_errors} coder errors, "
        f"{len(report.mismatches)} mismatched.",
        "",
    ]
    if report.versions is not None:
        out += _md_table(["component", "version"], list(report.versions.model_dump().items()))
        out.append("")
    if report.extra:
        out += [f"Extra recorded in `report.json`: {', '.join(sorted(report.extra))}.", ""]
    out += ["## Headline", "", *_md_table(["metric", "value", "count"], headline_rows(m)), ""]
    out += ["## By category", ""]
    out += _md_table(
        ["category", "n", "claim exact", "status acc", "lines F1", "ready precision"],
        [
            (
                name,
                c.encounters,
                _num(c.claim_exact_match.value),
                _num(c.status_accuracy.value),
                _num(c.lines.f1),
                f"{_num(c.ready_precision.value)} ({c.ready_precision.total})",
            )
            for name, c in report.by_category.items()
        ],
    )
    if report.by_tag:
        out += ["", "## By rule tag", ""]
        out += _md_table(
            ["tag", "n", "claim exact", "status acc"],
            [
                (tag, t.encounters, _num(t.claim_exact_match.value), _num(t.status_accuracy.value))
                for tag, t in report.by_tag.items()
            ],
        )
    out += ["", f"## Mismatched encounters ({len(report.mismatches)})", ""]
    shown = report.mismatches[:MD_MISMATCH_ROWS]
    if len(shown) < len(report.mismatches):
        out += [f"The first {len(shown)}; all are in `{REPORT_JSON}`.", ""]
    if shown:
        out += _md_table(
            ["id", "category", "claim", "status", "differences"],
            [
                (
                    mm.id,
                    mm.category,
                    "ok" if mm.claim_match else "differs",
                    "ok" if mm.status_match else "differs",
                    ", ".join(
                        f"{kind} x{n}" if n > 1 else kind
                        for kind, n in Counter(d.kind for d in mm.differences).items()
                    ),
                )
                for mm in shown
            ],
        )
    out += [
        "",
        f"Details in `{REPORT_JSON}`; charts `{FIELD_ACCURACY_PNG}`, `{STATUS_CONFUSION_PNG}`.",
        "",
    ]
    return "\n".join(out)


def _plot_field_accuracy(m: MetricSet, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rates = [getattr(m.administrations, f"{name}_accuracy") for name in ADMIN_FIELDS]
    fig = Figure(figsize=(6, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    bars = ax.bar(ADMIN_FIELDS, [r.value for r in rates], color="#4c72b0")
    ax.bar_label(bars, labels=[f"{r.value:.2f}\n{r.hits}/{r.total}" for r in rates], fontsize=8)
    ax.set_ylim(0, 1.2)
    ax.set_ylabel("accuracy")
    ax.set_title(f"Administration field accuracy ({rates[0].total} gold administrations)")
    fig.savefig(path, dpi=120)


def _plot_status_confusion(m: MetricSet, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cm = m.status_confusion
    fig = Figure(figsize=(5.5, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    image = ax.imshow(cm.counts, cmap="Blues", vmin=0)
    peak = max((max(row) for row in cm.counts), default=0)
    for i, row in enumerate(cm.counts):
        for j, n in enumerate(row):
            color = "white" if peak and n > peak / 2 else "black"
            ax.text(j, i, str(n), ha="center", va="center", color=color)
    ax.set_xticks(range(len(cm.labels)), cm.labels, rotation=30, ha="right")
    ax.set_yticks(range(len(cm.labels)), cm.labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Status (accuracy {m.status_accuracy.value:.2f})")
    fig.colorbar(image, ax=ax)
    fig.savefig(path, dpi=120)


def write_report(report: EvaluationReport, report_dir: Path) -> list[Path]:
    """Write ``report.json``, ``report.md`` and the PNG charts into ``report_dir``.

    Args:
        report: The report.
        report_dir: Target directory, created if missing.

    Returns:
        The paths written.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    paths = [report_dir / name for name in (REPORT_JSON, REPORT_MD)]
    paths[0].write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(render_markdown(report), encoding="utf-8")
    for name, plot in (
        (FIELD_ACCURACY_PNG, _plot_field_accuracy),
        (STATUS_CONFUSION_PNG, _plot_status_confusion),
    ):
        plot(report.overall, report_dir / name)
        paths.append(report_dir / name)
    return paths
