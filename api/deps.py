"""Interface layer: FastAPI dependencies (the coder and settings loaded at start-up)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.coder import Coder
from api.settings import Settings


def get_coder(request: Request) -> Coder:
    """The coder loaded by the lifespan."""
    coder: Coder = request.app.state.coder
    return coder


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


CoderDep = Annotated[Coder, Depends(get_coder)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
