"""Evaluation layer: score a coder against the labeled corpus (``shotcoder evaluate``).

Imports only ``models/``; the coder under test is passed in as a callable.
"""

from evaluation.corpus import GoldEncounter, read_corpus
from evaluation.report import EvaluationReport, format_summary, write_report
from evaluation.runner import Coder, run_evaluation
from evaluation.thresholds import check_thresholds, load_thresholds

__all__ = [
    "Coder",
    "EvaluationReport",
    "GoldEncounter",
    "check_thresholds",
    "format_summary",
    "load_thresholds",
    "read_corpus",
    "run_evaluation",
    "write_report",
]
