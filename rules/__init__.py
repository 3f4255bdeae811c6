"""Rules layer: deterministic coding rules, one pure function per catalog rule ID.

The section modules are imported explicitly (no auto-discovery) so that registering a rule is a
visible act; ``engine.run_rules`` runs them over an extraction and the encounter metadata.
"""

from rules import (  # noqa: F401  (registration happens at import)
    administration,
    diagnosis,
    documentation,
    drug,
    em,
    modifiers,
    payer,
    place_of_service,
)
from rules.engine import run_rules
from rules.kb import KnowledgeBase

__all__ = ["KnowledgeBase", "run_rules"]
