"""A wall's look: the QR code to join, the logo and slides an admin uploads, remote reload.

Uploads are raw image bodies (`PUT`/`POST` with `Content-Type: image/png|jpeg|webp|gif`),
checked by size and by their magic bytes (the declared type must match the content); SVG is
refused because it can carry script. Stored images are served with `nosniff` and a sandboxing
CSP so that even a mislabelled file cannot run.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import filetype
import segno
from fastapi import APIRouter, HTTPException, Request, Response

from app.store import WallInfo
from app.store.assets import Assets
from app.walls import Walls, public
from app.web.auth import AdminDep
from app.web.deps import SettingsDep, WallDep, WallsDep
from app.web.schemas import WallOut, errors

__all__ = ["MAX_IMAGE_BYTES", "router"]

router = APIRouter()

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}


def _assets(request: Request) -> Assets:
    assets: Assets = request.app.state.assets
    return assets


@router.get("/walls/{slug}/qr.svg", response_class=Response, responses={
    200: {"content": {"image/svg+xml": {}}, "description": "The QR code."}, **errors(404)})
async def qr_code(request: Request, wall: WallDep, settings: SettingsDep) -> Response:
    """Return a QR code (SVG) for the wall's join link (default: its remote viewer page at
    TWEETWALL_PUBLIC_URL). 404: no wall.

    Without a configured address the link is built from the request's `Host`, which a client
    chooses: that answer is never cached by anyone else, so no cache can be poisoned."""
    url = wall.config.get("join_url")
    if url is None and settings.public_url:
        url = f"{settings.public_url}/walls/{wall.slug}/live"
    cache = "public, max-age=300"
    if url is None:
        url, cache = str(request.url_for("remote_viewer", slug=wall.slug)), "private, no-store"
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=10, border=2, dark="#000000",
                                    light="#ffffff", xmldecl=False, svgns=True)
    return Response(buf.getvalue(), media_type="image/svg+xml",
                    headers={"Cache-Control": cache})


@router.get("/walls/{slug}/assets/{asset_id}", response_class=Response, responses={
    200: {"content": {t: {} for t in sorted(IMAGE_TYPES)}, "description": "The image."},
    **errors((404, "No such wall or no such image."))})
async def asset(request: Request, wall: WallDep, asset_id: int) -> Response:
    """Return an uploaded logo or slide, as stored. 404: no such image on this wall."""
    found = await _assets(request).get(wall.slug, asset_id)
    if found is None:
        raise HTTPException(404, "no such image")
    content_type, data = found
    return Response(data, media_type=content_type, headers={
        "Cache-Control": "public, max-age=86400, immutable",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


async def _image(request: Request) -> tuple[str, bytes]:
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared not in IMAGE_TYPES:
        raise HTTPException(415, f"upload a PNG, JPEG, WebP or GIF image, not {declared!r}")
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_IMAGE_BYTES:
        raise HTTPException(413, "images are at most 2 MiB")
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > MAX_IMAGE_BYTES:
            raise HTTPException(413, "images are at most 2 MiB")
    kind = filetype.guess_mime(bytes(data))
    if kind != declared:
        raise HTTPException(415, f"the file is not a {declared} image")
    return declared, bytes(data)


async def _set(walls: Walls, wall: WallInfo, **changes: Any) -> dict[str, Any]:
    """Apply `changes` to the wall; return its public settings."""
    return public(await walls.change(wall.slug, changes))


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(IMAGE_TYPES)}}}


@router.put("/api/v1/walls/{slug}/logo", response_model=WallOut,
            responses=errors(401, 403, 404, 413, 415), openapi_extra=_UPLOAD_BODY)
async def upload_logo(request: Request, wall: WallDep, walls: WallsDep,
                      _: AdminDep) -> dict[str, Any]:
    """Replace the wall's logo with the image in the body (PNG, JPEG, WebP or GIF, at most
    2 MiB); return the public settings. 413: too large; 415: not one of those types."""
    content_type, data = await _image(request)
    assets = _assets(request)
    new_id = await assets.add(wall.slug, "logo", content_type, data)
    old = wall.config.get("logo")
    public = await _set(walls, wall, logo=new_id)
    if old:
        await assets.delete(wall.slug, int(old))
    return public


@router.delete("/api/v1/walls/{slug}/logo", response_model=WallOut,
               responses=errors(401, 403, 404))
async def delete_logo(request: Request, wall: WallDep, walls: WallsDep,
                      _: AdminDep) -> dict[str, Any]:
    """Remove the wall's logo (if any); return the public settings."""
    old = wall.config.get("logo")
    public = await _set(walls, wall, logo=None)
    if old:
        await _assets(request).delete(wall.slug, int(old))
    return public


@router.post("/api/v1/walls/{slug}/slides", status_code=201, response_model=WallOut,
             responses=errors(401, 403, 404, 413, 415), openapi_extra=_UPLOAD_BODY)
async def add_slide(request: Request, wall: WallDep, walls: WallsDep,
                    _: AdminDep) -> dict[str, Any]:
    """Add the image in the body as the wall's last slide; return the public settings.
    413: too large; 415: not a PNG, JPEG, WebP or GIF image."""
    content_type, data = await _image(request)
    new_id = await _assets(request).add(wall.slug, "slide", content_type, data)
    return await _set(walls, wall, slides=[*wall.config.get("slides", []), new_id])


@router.delete("/api/v1/walls/{slug}/slides/{asset_id}", response_model=WallOut,
               responses=errors(401, 403, (404, "No such wall or no such slide.")))
async def delete_slide(request: Request, wall: WallDep, walls: WallsDep, asset_id: int,
                       _: AdminDep) -> dict[str, Any]:
    """Remove a slide from the wall; return the public settings. 404: no such slide."""
    slides = list(wall.config.get("slides", []))
    if asset_id not in slides:
        raise HTTPException(404, "no such slide")
    public = await _set(walls, wall, slides=[s for s in slides if s != asset_id])
    await _assets(request).delete(wall.slug, asset_id)
    return public


@router.post("/api/v1/walls/{slug}/reload", response_model=WallOut,
             responses=errors(401, 403, 404))
async def reload_screens(wall: WallDep, walls: WallsDep, _: AdminDep) -> dict[str, Any]:
    """Ask every screen of the wall to reload itself (after a deploy or a stuck projector);
    return the public settings, with the new `reload` token."""
    return await _set(walls, wall, reload=secrets.token_hex(4))
