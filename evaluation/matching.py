"""Evaluation layer: the comparable keys metrics are computed on, and how they are matched.

Gold records and coding results are different shapes; this module reduces both to the same
hashable keys (line tuples, administration facts, span offsets, finding rule ids) and holds the
matching rules: drug name by first word, doses after mass-unit conversion, spans by overlap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel

from evaluation.corpus import Gold
from models import AdministrationStatus, CodingResult, Severity, Span

LineKey = tuple[str, frozenset[str], int | None]
"""A claim line as compared: (code, set of modifiers, units); units ``None`` = undetermined."""

SpanKey = tuple[int, int, str]
"""A span as compared: (start, end, label); the covered text is never needed."""

DoseKey = tuple[Decimal, str]
"""A dose as compared: (amount, unit) after converting g/mg/mcg to mcg."""

SiteKey = tuple[str | None, str | None]
"""A site as compared: (laterality, location), lower case."""

GIVEN = AdministrationStatus.GIVEN.value
WARNING_ONLY: frozenset[str] = frozenset({Severity.WARNING.value})
"""Default severities counted as "warnings" for warning recall (info findings are not)."""

MASS_IN_MCG: dict[str, Decimal] = {"g": Decimal(1_000_000), "mg": Decimal(1000), "mcg": Decimal(1)}
"""Mass units convertible to a common unit; mL, units and mEq are compared as written."""

_SPAN_FIELDS_SKIPPED = frozenset({"conflict_evidence"})
"""Span-bearing fields that are not extracted values (a conflicting route is not the route)."""


# --- lines -------------------------------------------------------------------------------------


def line_key(code: str, modifiers: Iterable[str], units: int | None) -> LineKey:
    """Return the comparison key of one claim line (modifier order is ignored)."""
    return (code.strip().upper(), frozenset(m.strip().upper() for m in modifiers), units)


def gold_line_keys(gold: Gold) -> Counter[LineKey]:
    """Return the gold claim as a multiset of line keys."""
    return Counter(line_key(line.code, line.modifiers, line.units) for line in gold.lines)


def result_line_keys(result: CodingResult) -> Counter[LineKey]:
    """Return a coding result's claim as a multiset of line keys."""
    return Counter(line_key(line.code, line.modifiers, line.units) for line in result.lines)


def line_rule_ids(result: CodingResult, key: LineKey) -> tuple[str, ...]:
    """Return the sorted rule ids of the result's lines that have ``key``."""
    ids = {
        rid
        for line in result.lines
        if line_key(line.code, line.modifiers, line.units) == key
        for rid in line.rule_ids
    }
    return tuple(sorted(ids))


# --- administrations ---------------------------------------------------------------------------


def drug_key(name: str) -> str:
    """Return the drug-matching key: the first word of the name, lower case."""
    words = name.lower().split()
    return words[0] if words else ""


def dose_key(value: Decimal, unit: str) -> DoseKey:
    """Return a dose in comparable form: g, mg and mcg become mcg; other units stay as written."""
    factor = MASS_IN_MCG.get(unit)
    if factor is None:
        return (value, unit)
    return (value * factor, "mcg")


def site_key(laterality: str | None, location: str | None) -> SiteKey | None:
    """Return a site in comparable form; a site with neither part documented is ``None``."""
    if laterality is None and location is None:
        return None
    return (
        laterality.lower() if laterality is not None else None,
        location.lower() if location is not None else None,
    )


@dataclass(frozen=True, slots=True)
class AdminFacts:
    """One administration reduced to the facts the metrics compare."""

    drug: str
    status: str
    dose: DoseKey | None = None
    route: str | None = None
    site: SiteKey | None = None

    @property
    def drug_key(self) -> str:
        """The first word of the drug name (how administrations are matched)."""
        return drug_key(self.drug)

    @property
    def given(self) -> bool:
        """Whether the administration was given in this encounter."""
        return self.status == GIVEN

    def agreement(self, other: AdminFacts) -> int:
        """Count the compared fields on which two administrations agree (tie-breaker)."""
        return sum(
            (
                self.drug.lower() == other.drug.lower(),
                self.dose == other.dose,
                self.route == other.route,
                self.site == other.site,
                self.status == other.status,
            )
        )


def gold_admin_facts(gold: Gold) -> tuple[AdminFacts, ...]:
    """Return the gold administrations as comparable facts."""
    return tuple(
        AdminFacts(
            drug=a.drug.strip().lower(),
            status=a.status.value,
            dose=dose_key(a.dose.value, a.dose.unit.value) if a.dose else None,
            route=a.route.value if a.route else None,
            site=site_key(a.site.laterality, a.site.location) if a.site else None,
        )
        for a in gold.administrations
    )


def result_admin_facts(result: CodingResult) -> tuple[AdminFacts, ...]:
    """Return a coding result's administrations as comparable facts (``site.joint`` ignored).

    A route with conflicts compares as no route (the corpus labels it null, with DOC-17).
    """
    return tuple(
        AdminFacts(
            drug=a.drug.name.strip().lower(),
            status=a.status.value,
            dose=dose_key(a.dose.value, a.dose.unit.value) if a.dose else None,
            # a route that conflicts with another ("IM" here, "SQ" there) is no route: the
            # corpus labels it null with DOC-17
            route=a.route.value.value if a.route and not a.route.conflicts else None,
            site=site_key(a.site.laterality, a.site.location) if a.site else None,
        )
        for a in result.administrations
    )


def align_administrations(
    gold: Sequence[AdminFacts], pred: Sequence[AdminFacts]
) -> list[int | None]:
    """Pair each gold administration with at most one predicted one.

    Pass 1 pairs gold ``given`` administrations with predicted ``given`` ones; pass 2 pairs the
    other gold administrations with any predicted administration still unpaired. Both passes
    require the same drug key (first word) and take, for each gold administration in order, the
    candidate agreeing on the most fields (first in order on ties). Greedy, not an optimal
    assignment: it only matters when one note has several administrations of one drug.

    Args:
        gold: Gold administrations of one encounter.
        pred: Predicted administrations of the same encounter.

    Returns:
        For each gold administration, the index of its predicted partner or ``None``.
    """
    pairs: list[int | None] = [None] * len(gold)
    used: set[int] = set()
    for given_pass in (True, False):
        for gi, g in enumerate(gold):
            if g.given is not given_pass:
                continue
            candidates = [
                pi
                for pi, p in enumerate(pred)
                if pi not in used and p.drug_key == g.drug_key and (p.given or not given_pass)
            ]
            if candidates:
                best = max(candidates, key=lambda pi: g.agreement(pred[pi]))
                pairs[gi] = best
                used.add(best)
    return pairs


# --- diagnoses ---------------------------------------------------------------------------------


def diagnosis_key(code: str) -> str:
    """Return an ICD-10-CM code in comparable form: upper case, without the dot."""
    return code.strip().upper().replace(".", "")


# --- findings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingLabels:
    """Rule ids of the error findings and of the warning findings of one encounter.

    On the gold side ``None`` means "not labelled": the encounter is left out of that score.
    """

    errors: frozenset[str] | None
    warnings: frozenset[str] | None


def gold_finding_labels(gold: Gold) -> FindingLabels:
    """Return the gold finding labels (``None`` where gold does not list them)."""
    return FindingLabels(
        errors=frozenset(gold.findings) if gold.findings is not None else None,
        warnings=frozenset(gold.warnings) if gold.warnings is not None else None,
    )


def result_finding_labels(
    result: CodingResult, *, warning_severities: Collection[str] = WARNING_ONLY
) -> FindingLabels:
    """Return the rule ids of a result's error findings and of its warning findings.

    For an audit result (a record with a submitted claim) the audit findings count too.

    Args:
        result: The coding result.
        warning_severities: Severities counted as warnings; by default ``warning`` only.
    """
    findings = [*result.findings, *getattr(result, "audit", ())]  # an AuditResult's audit too
    return FindingLabels(
        errors=frozenset(f.rule_id for f in findings if f.severity == Severity.ERROR),
        warnings=frozenset(f.rule_id for f in findings if f.severity.value in warning_severities),
    )


# --- spans -------------------------------------------------------------------------------------


def gold_span_keys(gold: Gold) -> frozenset[SpanKey] | None:
    """Return the gold spans, or ``None`` when the record has none.

    The corpus build writes ``spans: []`` for every record whose source lists no spans, so an
    empty list cannot be told apart from "not labelled" and is treated as not labelled.
    """
    if not gold.spans:
        return None
    return frozenset((s.start, s.end, s.label.value) for s in gold.spans)


def _collect_spans(obj: object, out: set[SpanKey]) -> None:
    if isinstance(obj, Span):
        out.add((obj.start, obj.end, obj.label.value))
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in _SPAN_FIELDS_SKIPPED:
                _collect_spans(getattr(obj, name), out)
    elif isinstance(obj, tuple | list):
        for item in obj:
            _collect_spans(item, out)
    elif isinstance(obj, dict):
        for item in obj.values():
            _collect_spans(item, out)


def result_span_keys(result: CodingResult) -> frozenset[SpanKey]:
    """Return the spans of every extracted value in a result (administrations, diagnoses, E/M).

    Line and finding evidence is not collected: it cites the same values again.
    """
    out: set[SpanKey] = set()
    _collect_spans((result.administrations, result.diagnoses, result.em), out)
    return frozenset(out)


def spans_overlap(a: SpanKey, b: SpanKey) -> bool:
    """Whether two half-open spans share at least one character (labels not compared)."""
    return a[0] < b[1] and b[0] < a[1]


def max_bipartite_matching(
    n_left: int, n_right: int, compatible: Callable[[int, int], bool]
) -> int:
    """Return the size of a maximum one-to-one matching (augmenting paths, Kuhn's algorithm).

    Args:
        n_left: Number of left items.
        n_right: Number of right items.
        compatible: Whether left item ``i`` may be paired with right item ``j``.
    """
    adjacency = [[j for j in range(n_right) if compatible(i, j)] for i in range(n_left)]
    owner: list[int | None] = [None] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            current = owner[j]
            if current is None or augment(current, seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(n_left))
