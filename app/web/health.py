"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from app.web.schemas import ReadyOut, StatusOut

__all__ = ["router"]

router = APIRouter()


@router.get("/healthz", response_model=StatusOut)
async def healthz() -> dict[str, str]:
    """Return `{"status": "ok"}` while the process serves requests."""
    return {"status": "ok"}


async def _database_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(2):
            async with request.app.state.store.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means the same to a load balancer: not ready
        return False


@router.get("/readyz", response_model=ReadyOut, responses={
    503: {"model": ReadyOut, "description": "Starting or stopping (status `starting`), or the "
          "database does not answer (status `unavailable`)."}})
async def readyz(request: Request) -> JSONResponse:
    """Return `{"status": "ready", "database": "ok", "redis": "ok" | "off", "ingest":
    {"<slug>": "leader" | "standby"}}` once the store, hub and sources are up; 503 with
    `{"status": "starting"}` before that and while stopping, and with `"unavailable"` while the
    database does not answer. Redis away is reported but still ready: this process keeps its
    viewers and catches up from the log when Redis is back (docs/scale.md)."""
    state = request.app.state
    if not getattr(state, "ready", False):
        return JSONResponse({"status": "starting"}, status_code=503)
    database = await _database_ok(request)
    relay = getattr(state, "relay", None)
    bus = relay.bus if relay is not None else None
    redis = "off" if bus is None else "ok" if bus.connected else "down"
    body: dict[str, Any] = {"status": "ready" if database else "unavailable",
                            "database": "ok" if database else "down", "redis": redis,
                            "ingest": state.ingest.roles()}
    return JSONResponse(body, status_code=200 if database else 503)


@router.get("/metrics", response_class=Response, responses={
    200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {}},
          "description": "Prometheus text exposition format."}})
async def metrics(request: Request) -> Response:
    """Return the Prometheus metrics (viewers, frames, sources...) as text."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
