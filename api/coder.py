"""Interface layer: ``Coder`` — the one entry point that codes an encounter.

The CLI, the API, batch jobs and evaluation all call :meth:`Coder.code`, so what is measured is
what is served.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import date
from functools import cache

from api import __version__
from api.settings import Settings
from extractor import DiagnosisTerm, DrugTerm, Extractor
from models import AuditRequest, AuditResult, CodingResult, Encounter
from rules import KnowledgeBase, run_rules
from rules.audit import audit_claim

log = logging.getLogger(__name__)


def lexicon(kb: KnowledgeBase) -> tuple[list[DrugTerm], list[DiagnosisTerm]]:
    """Drug surface forms and diagnosis phrases for the extractor, from the knowledge base."""
    def unit_of(codes: tuple[str, ...]) -> str | None:
        units = {kb.hcpcs[c].unit for c in codes if c in kb.hcpcs}
        units &= {"mg", "mcg", "units"}
        return units.pop() if len(units) == 1 else None

    terms: dict[str, DrugTerm] = {}
    for name, row in kb.drugs.items():
        terms[name] = DrugTerm(term=name, name=name, codes=(), drug_class=row.drug_class,
                               default_unit=unit_of(row.codes), routes=tuple(row.routes))
    for t in kb.terms.values():
        row = kb.drugs[t.name]
        conc = kb.concentrations.get(t.term)
        terms[t.term] = DrugTerm(
            term=t.term, name=t.name, codes=t.codes, drug_class=t.drug_class or row.drug_class,
            default_unit=unit_of(t.codes or row.codes),
            per_ml=float(conc.amount / conc.per_ml) if conc else None,
            per_ml_unit=conc.unit if conc else "mg",
            routes=tuple(row.routes),
        )
    dx = [DiagnosisTerm(phrase=p, code=r.code)
          for r in kb.dx_phrases.values() for p in phrase_variants(r.phrase)]
    return list(terms.values()), dx


_OF_SIDE = re.compile(r"^(?P<what>.+?) of (?:the )?(?P<side>left|right|bilateral) (?P<part>[a-z ]+)$")


def phrase_variants(phrase: str) -> list[str]:
    """A diagnosis phrase and its usual rewordings.

    "osteoarthritis of right knee" is also written "osteoarthritis, right knee" and
    "right knee osteoarthritis".
    """
    out = [phrase]
    m = _OF_SIDE.match(phrase)
    if m:
        out += [f"{m['what']}, {m['side']} {m['part']}", f"{m['side']} {m['part']} {m['what']}"]
    return out


class Coder:
    """The knowledge base and the extractor, loaded once."""

    def __init__(self, kb: KnowledgeBase, extractor: Extractor) -> None:
        """Wrap loaded components (use :meth:`load`)."""
        self.kb = kb
        self.extractor = extractor

    @classmethod
    def load(cls, settings: Settings | None = None) -> Coder:
        """Load the knowledge base and build the pipeline.

        Raises:
            ShotcoderError: ``kb_invalid`` when a table is broken.
        """
        settings = settings or Settings()
        started = time.perf_counter()
        kb = KnowledgeBase.load(settings.kb.directory, settings.kb.payer_dirs)
        drug_terms, dx_terms = lexicon(kb)
        extractor = Extractor(settings.extractor, drug_terms, dx_terms)
        log.info("coder loaded in %.2fs", time.perf_counter() - started)
        return cls(kb, extractor)

    def audit(self, request: AuditRequest) -> AuditResult:
        """Code the note, then check the submitted claim against it (catalog section 9)."""
        encounter = request.encounter
        if request.claim.place_of_service and not encounter.place_of_service:
            encounter = encounter.model_copy(
                update={"place_of_service": request.claim.place_of_service})
        result = self.code(encounter)
        dos = encounter.date_of_service or date.today()
        findings = audit_claim(result, request.claim, self.kb, dos)
        return AuditResult(**result.model_dump(), audit=tuple(findings))

    def code(self, encounter: Encounter) -> CodingResult:
        """Code one encounter: extraction, then the rules."""
        extraction = self.extractor.extract(encounter.text, encounter.date_of_service)
        return run_rules(encounter, extraction, self.kb, package_version=__version__)


@cache
def default_coder() -> Coder:
    """The process-wide coder: embedded defaults, adjusted by ``SHOTCODER_*`` variables."""
    return Coder.load(Settings.from_env())


def code_encounter(encounter: Encounter) -> CodingResult:
    """Code one encounter with the default coder."""
    return default_coder().code(encounter)
