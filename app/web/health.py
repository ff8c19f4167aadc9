"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.web.schemas import StatusOut

__all__ = ["router"]

router = APIRouter()


@router.get("/healthz", response_model=StatusOut)
async def healthz() -> dict[str, str]:
    """Return `{"status": "ok"}` while the process serves requests."""
    return {"status": "ok"}


@router.get("/readyz", response_model=StatusOut, responses={
    503: {"model": StatusOut, "description": "Starting or stopping: status `starting`."}})
async def readyz(request: Request) -> JSONResponse:
    """Return `{"status": "ready"}` once the store, hub and sources are up; 503 with
    `{"status": "starting"}` before that and while stopping."""
    ready = bool(getattr(request.app.state, "ready", False))
    return JSONResponse({"status": "ready" if ready else "starting"},
                        status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response, responses={
    200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {}},
          "description": "Prometheus text exposition format."}})
async def metrics(request: Request) -> Response:
    """Return the Prometheus metrics (viewers, frames, sources...) as text."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
