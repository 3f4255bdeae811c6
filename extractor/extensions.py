"""Extractor layer: every custom spaCy attribute shotcoder sets, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Declare the ``Doc``/``Span`` extensions (idempotent, guarded by ``has_extension``)."""
    if not Doc.has_extension("shotcoder_mentions"):
        Doc.set_extension("shotcoder_mentions", default=None)
    if not Doc.has_extension("shotcoder_sections"):
        Doc.set_extension("shotcoder_sections", default=None)
    if not Span.has_extension("shotcoder_mention"):
        Span.set_extension("shotcoder_mention", default=None)


def mentions(doc: Doc) -> dict[str, list]:
    """The doc's mention store (label -> list of ``Mention``), created on first use."""
    store = doc._.shotcoder_mentions
    if store is None:
        store = {}
        doc._.shotcoder_mentions = store
    return store
