"""Interface layer: settings — the only place that reads the environment (``SHOTCODER_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from extractor.settings import ExtractorSettings


class KbSettings(BaseModel):
    """Where the knowledge base lives."""

    model_config = ConfigDict(frozen=True)

    directory: Path | None = None
    payer_dirs: tuple[Path, ...] = ()


class Settings(BaseModel):
    """Service and coder settings.

    Attributes:
        host: Bind address (loopback by default).
        port: Port.
        max_batch: Largest batch accepted by ``POST /v1/code/batch``.
        max_body_bytes: Largest request body accepted.
    """

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    max_batch: int = Field(default=500, ge=1)
    max_body_bytes: int = Field(default=2_000_000, ge=1000)
    extractor: ExtractorSettings = ExtractorSettings()
    kb: KbSettings = KbSettings()

    @classmethod
    def from_env(cls) -> Settings:
        """Read ``SHOTCODER_HOST``, ``SHOTCODER_PORT``, ``SHOTCODER_KB_DIR``, ``SHOTCODER_PAYER_DIRS``."""
        import os

        kb_dir = os.environ.get("SHOTCODER_KB_DIR")
        payer_dirs = os.environ.get("SHOTCODER_PAYER_DIRS", "")
        return cls(
            host=os.environ.get("SHOTCODER_HOST", "127.0.0.1"),
            port=int(os.environ.get("SHOTCODER_PORT", "8000")),
            kb=KbSettings(
                directory=Path(kb_dir) if kb_dir else None,
                payer_dirs=tuple(Path(p) for p in payer_dirs.split(os.pathsep) if p),
            ),
        )
