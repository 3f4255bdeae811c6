"""Test helpers: span checks over whole results."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from models import Span


def iter_spans(obj: Any) -> list[Span]:
    """Every Span anywhere inside a model or container."""
    found: list[Span] = []
    if isinstance(obj, Span):
        found.append(obj)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            found.extend(iter_spans(getattr(obj, name)))
    elif isinstance(obj, dict):
        for v in obj.values():
            found.extend(iter_spans(v))
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            found.extend(iter_spans(v))
    return found


def assert_spans_match(text: str, obj: Any) -> int:
    """Assert ``text[start:end] == span.text`` for every span; return how many were checked."""
    spans = iter_spans(obj)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text), s
        assert text[s.start : s.end] == s.text, s
    return len(spans)
