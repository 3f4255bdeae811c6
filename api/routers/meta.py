"""Interface layer: ``GET /v1/health`` and ``GET /v1/version``."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api import __version__
from api.deps import CoderDep
from models import Versions
from rules.engine import versions

router = APIRouter(prefix="/v1", tags=["meta"])


class Health(BaseModel):
    """Liveness and what is loaded."""

    status: str
    drugs: int
    payer_profiles: list[str]


@router.get("/health", response_model=Health)
def health(coder: CoderDep) -> Health:
    """The service is up and the knowledge base is loaded."""
    return Health(status="ok", drugs=len(coder.kb.drugs), payer_profiles=sorted(coder.kb.payers))


@router.get("/version", response_model=Versions)
def version(coder: CoderDep) -> Versions:
    """Versions of the code, the rules and every table."""
    return versions(coder.kb, __version__)
