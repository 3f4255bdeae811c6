"""Evaluation layer: quality gates: minimum values for named metrics of a report.

Metrics are addressed by dotted names into the report's overall :class:`~evaluation.metrics.
MetricSet` (``claim_exact_match``, ``lines.f1``, ``administrations.dose_accuracy``,
``spans.strict.per_label.DRUG.f1``), or into a breakdown when the name starts with
``by_category.<name>.`` or ``by_tag.<tag>.``. A name that resolves to a rate means its value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from evaluation.metrics import RateResult
from evaluation.report import EvaluationReport
from models import ErrorCode, ShotcoderError

THRESHOLDS_RESOURCE = "thresholds.json"
"""The project's gates, shipped inside the ``evaluation`` package."""


def metric_value(report: EvaluationReport, name: str) -> float:
    """Return the number a dotted metric name addresses.

    Args:
        report: The evaluation report.
        name: Dotted name, e.g. ``lines.f1`` or ``by_category.soap.claim_exact_match``.

    Returns:
        The value (for a rate, its ``value``).

    Raises:
        KeyError: If the name does not address a number.
    """
    parts = name.split(".")
    node: object = report if parts[0] in ("by_category", "by_tag") else report.overall
    for part in parts:
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            raise KeyError(name)
    if isinstance(node, RateResult):
        node = node.value
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise KeyError(name)
    return float(node)


def check_thresholds(report: EvaluationReport, thresholds: Mapping[str, float]) -> list[str]:
    """Return one line per metric below its required minimum, with actual and required values.

    A name that addresses no number, and a value that is NaN (``zero_division=nan`` with an
    empty denominator), fail too, so a misspelt gate cannot pass silently.

    Args:
        report: The evaluation report.
        thresholds: Minimum value per dotted metric name.

    Returns:
        The failures, in the order of ``thresholds``; empty when every gate passes.
    """
    failures = []
    for name, required in thresholds.items():
        try:
            actual = metric_value(report, name)
        except KeyError:
            failures.append(f"{name}: unknown metric (required {required:.4f})")
            continue
        if math.isnan(actual) or actual < required:
            failures.append(f"{name}: {actual:.4f} < required {required:.4f}")
    return failures


def load_thresholds(path: str | Path | None = None) -> dict[str, float]:
    """Read a thresholds file: a JSON object of dotted metric name to minimum value in [0, 1].

    Args:
        path: The file; by default the ``thresholds.json`` shipped in this package.

    Raises:
        ShotcoderError: ``invalid_request`` if the file is not such an object.
    """
    if path is None:
        text = resources.files("evaluation").joinpath(THRESHOLDS_RESOURCE).read_text("utf-8")
        where = THRESHOLDS_RESOURCE
    else:
        text, where = Path(path).read_text(encoding="utf-8"), Path(path).name
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ShotcoderError(
            ErrorCode.INVALID_REQUEST, f"{where}: invalid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    if not isinstance(data, dict):
        raise ShotcoderError(ErrorCode.INVALID_REQUEST, f"{where}: expected a JSON object")
    out = {}
    for name, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ShotcoderError(
                ErrorCode.INVALID_REQUEST, f"{where}: {name}: threshold must be a number in [0, 1]"
            )
        out[name] = float(value)
    return out
