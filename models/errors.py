"""Models layer: stable error codes and the one exception type every layer raises."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Stable snake_case error codes; the API puts them in the error envelope."""

    INVALID_ENCOUNTER = "invalid_encounter"
    INVALID_JSON = "invalid_json"
    INVALID_REQUEST = "invalid_request"
    TEXT_TOO_LONG = "text_too_long"
    EMPTY_TEXT = "empty_text"
    UNKNOWN_PAYER_PROFILE = "unknown_payer_profile"
    BATCH_TOO_LARGE = "batch_too_large"
    KB_INVALID = "kb_invalid"
    DUPLICATE_RULE = "duplicate_rule"
    CORPUS_INVALID = "corpus_invalid"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    INTERNAL_ERROR = "internal_error"


class ShotcoderError(Exception):
    """The single exception base: a stable code plus a message that leads with it.

    Args:
        code: The stable error code.
        message: Human-readable explanation; never contains note text.
        **context: Structured details (file names, row numbers, limits).
    """

    def __init__(self, code: ErrorCode, message: str, **context: Any) -> None:
        self.code = code
        self.message = message
        self.context = context
        super().__init__(f"[{code}] {message}")


def internal_error(exc: BaseException) -> dict[str, str]:
    """The error body for a defect: the exception's type only, never note text."""
    return {
        "code": ErrorCode.INTERNAL_ERROR.value,
        "message": f"internal error ({type(exc).__name__}) while coding this note; "
        "please report it",
    }
