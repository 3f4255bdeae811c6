"""Rules layer: the rule registry — one entry per catalog rule ID, with a version and source.

Rules run in three phases: ``lines`` rules propose claim lines and findings; ``adjust`` rules
receive the current lines and return them changed (modifiers, suppression, pointers) with their
findings; ``check`` rules read the final lines and only raise findings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from models import ErrorCode, Finding, Line, ShotcoderError

if TYPE_CHECKING:
    from rules.context import RuleContext

Phase = Literal["lines", "adjust", "check"]
RuleFn = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A registered rule."""

    rule_id: str
    version: int
    summary: str
    source: str
    phase: Phase
    order: int
    fn: RuleFn


_RULES: dict[str, RuleSpec] = {}


def rule(
    rule_id: str,
    *,
    version: int,
    summary: str,
    source: str,
    phase: Phase = "check",
    order: int = 50,
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function under its catalog id and version.

    Args:
        rule_id: The catalog id (``DRUG-02``).
        version: Bumped whenever the output for the same input changes.
        summary: One line for listings.
        source: The catalog entry and the official file or seed it rests on.
        phase: ``lines``, ``adjust`` or ``check``.
        order: Position within the phase (lower runs first).

    Raises:
        ShotcoderError: ``duplicate_rule`` when the id is registered twice.
    """

    def register(fn: RuleFn) -> RuleFn:
        if rule_id in _RULES:
            raise ShotcoderError(ErrorCode.DUPLICATE_RULE, f"rule {rule_id} registered twice")
        _RULES[rule_id] = RuleSpec(rule_id, version, summary, source, phase, order, fn)
        return fn

    return register


def registered() -> list[RuleSpec]:
    """All registered rules in execution order."""
    phases = {"lines": 0, "adjust": 1, "check": 2}
    return sorted(_RULES.values(), key=lambda r: (phases[r.phase], r.order, r.rule_id))


def rules_digest() -> str:
    """A digest of the registered (rule id, version) pairs, for ``versions.rules``."""
    pairs = ",".join(
        f"{r.rule_id}:{r.version}" for r in sorted(_RULES.values(), key=lambda r: r.rule_id)
    )
    return f"{len(_RULES)} rules sha256:{hashlib.sha256(pairs.encode()).hexdigest()[:12]}"


def run_lines(spec: RuleSpec, ctx: RuleContext) -> tuple[list[Line], list[Finding]]:
    """Run a ``lines``/``check`` rule and split what it yields."""
    lines: list[Line] = []
    findings: list[Finding] = []
    out: Iterable[Line | Finding] = spec.fn(ctx)
    for item in out:
        (lines if isinstance(item, Line) else findings).append(item)
    return lines, findings
