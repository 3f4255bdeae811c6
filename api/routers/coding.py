"""Interface layer: ``POST /v1/code`` and ``POST /v1/code/batch``."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import CoderDep, SettingsDep
from models import CodingResult, Encounter, ErrorCode, ShotcoderError
from models.errors import internal_error

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["coding"])


class BatchRequest(BaseModel):
    """A list of encounters to code."""

    encounters: list[Encounter] = Field(min_length=1)


class BatchError(BaseModel):
    """An encounter that could not be coded, in its place in the batch."""

    index: int
    id: str | None
    error: dict[str, str]


class BatchResponse(BaseModel):
    """Results in input order; an encounter that failed becomes an error record."""

    results: list[CodingResult | BatchError]


@router.post("/code", response_model=CodingResult)
def code(encounter: Encounter, coder: CoderDep) -> CodingResult:
    """Code one encounter: lines, administrations, diagnoses, findings, evidence spans."""
    return coder.code(encounter)


@router.post("/code/batch", response_model=BatchResponse)
def code_batch(request: BatchRequest, coder: CoderDep, settings: SettingsDep) -> BatchResponse:
    """Code several encounters; each failure is reported in place, never dropped."""
    if len(request.encounters) > settings.max_batch:
        raise ShotcoderError(
            ErrorCode.BATCH_TOO_LARGE,
            f"batch of {len(request.encounters)} exceeds {settings.max_batch}",
        )
    results: list[CodingResult | BatchError] = []
    for i, enc in enumerate(request.encounters):
        try:
            results.append(coder.code(enc))
        except ShotcoderError as exc:
            results.append(
                BatchError(
                    index=i, id=enc.id, error={"code": exc.code.value, "message": exc.message}
                )
            )
        except Exception as exc:  # a defect on one note never drops the rest of the batch
            # the type only: an exception's message or traceback may quote the note
            log.error("coding failed on batch index %d: %s", i, type(exc).__name__)
            results.append(BatchError(index=i, id=enc.id, error=internal_error(exc)))
    return BatchResponse(results=results)
