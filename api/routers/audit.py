"""Interface layer: ``POST /v1/audit`` — check a biller's claim against the note."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CoderDep
from models import AuditRequest, AuditResult

router = APIRouter(prefix="/v1", tags=["audit"])


@router.post("/audit", response_model=AuditResult)
def audit(request: AuditRequest, coder: CoderDep) -> AuditResult:
    """The coding result derived from the note plus one finding per claim difference."""
    return coder.audit(request)
