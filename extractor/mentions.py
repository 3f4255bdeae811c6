"""Extractor layer: ``Mention``, a value found in the text at exact character offsets.

Mentions stay inside the extractor (with the component that produced them); ``adapters.py``
turns the ones that make it into the result into contract ``Span``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Mention:
    """A labelled character range with a parsed value and the component that found it."""

    start: int
    end: int
    label: str
    value: Any = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def overlaps(self, other: Mention) -> bool:
        """Whether the two ranges share at least one character."""
        return self.start < other.end and other.start < self.end
