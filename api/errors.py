"""Interface layer: the contract's error envelope for every failure, 4xx for bad input."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.errors import ErrorCode, ShotcoderError, internal_error

log = logging.getLogger(__name__)

STATUS_OF = {
    ErrorCode.TEXT_TOO_LONG: 413,
    ErrorCode.BATCH_TOO_LARGE: 413,
    ErrorCode.UNKNOWN_PAYER_PROFILE: 422,
    ErrorCode.INVALID_ENCOUNTER: 422,
    ErrorCode.EMPTY_TEXT: 422,
    ErrorCode.INVALID_JSON: 400,
    ErrorCode.INVALID_REQUEST: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
}


def envelope(code: str, message: str, status: int) -> JSONResponse:
    """``{"error": {"code": ..., "message": ...}}`` with the given status."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def describe_validation(errors: list[dict[str, object]]) -> tuple[ErrorCode, str]:
    """Turn pydantic/FastAPI validation errors into a stable code and a message without input."""
    first = errors[0] if errors else {}
    loc = ".".join(str(x) for x in first.get("loc", ()) if x != "body")  # type: ignore[union-attr]
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return ErrorCode.INVALID_JSON, "request body is not valid JSON"
    if loc.endswith("text") and kind == "string_too_long":
        return ErrorCode.TEXT_TOO_LONG, "text exceeds the maximum note length"
    if loc.endswith("text") and kind in ("string_too_short", "value_error"):
        return ErrorCode.EMPTY_TEXT, "text is empty or blank"
    msg = str(first.get("msg", "invalid request"))
    return ErrorCode.INVALID_ENCOUNTER, f"{loc or 'body'}: {msg}"


def install(app: FastAPI) -> None:
    """Register the handlers: ShotcoderError, validation errors, HTTP exceptions and defects."""

    @app.exception_handler(ShotcoderError)
    async def _shotcoder(request: Request, exc: ShotcoderError) -> JSONResponse:
        status = STATUS_OF.get(exc.code, 422)
        log.info("request rejected: %s", exc.code)
        return envelope(exc.code.value, exc.message, status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, message = describe_validation(list(exc.errors()))
        return envelope(code.value, message, STATUS_OF.get(code, 422))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
            413: ErrorCode.TEXT_TOO_LONG,
            415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        }.get(exc.status_code, ErrorCode.INVALID_REQUEST)
        status = exc.status_code if 400 <= exc.status_code < 500 else 400
        return envelope(code.value, str(exc.detail), status)

    @app.exception_handler(Exception)
    async def _defect(request: Request, exc: Exception) -> JSONResponse:
        # a defect, not bad input: still the envelope; the log names the type, never the text
        log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        body = internal_error(exc)
        return envelope(body["code"], body["message"], 500)
