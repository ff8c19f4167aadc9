"""HTML pages: the wall list, the hall screen, the remote viewer. Templates autoescape; data for
scripts travels in `data-*` attributes, never in inline scripts (the CSP forbids them)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.walls import public
from app.web.auth import MaybePrincipalDep, check_wall
from app.web.deps import StoreDep, WallDep

__all__ = ["router"]

router = APIRouter()


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, store: StoreDep) -> HTMLResponse:
    """Return the list of walls, each linking to its screen and remote viewer."""
    walls = [public(w) for w in store.walls()]
    return _templates(request).TemplateResponse(request, "index.html", {"walls": walls})


@router.get("/walls/{slug}", response_class=HTMLResponse)
async def hall_screen(request: Request, wall: WallDep) -> HTMLResponse:
    """Return the hall screen of the wall (for a projector). 404: no wall."""
    return _templates(request).TemplateResponse(
        request, "wall.html", {"wall": public(wall), "ws_path": f"/ws/walls/{wall.slug}"}
    )


@router.get("/walls/{slug}/live", response_class=HTMLResponse)
async def remote_viewer(request: Request, wall: WallDep) -> HTMLResponse:
    """Return the remote viewer of the wall (for a phone or a laptop). 404: no wall."""
    return _templates(request).TemplateResponse(
        request, "live.html", {"wall": public(wall), "ws_path": f"/ws/walls/{wall.slug}"}
    )


@router.get("/moderate/{slug}", response_class=HTMLResponse)
async def moderator_console(request: Request, wall: WallDep,
                            who: MaybePrincipalDep) -> HTMLResponse:
    """The console; without a session, the login form (401) that comes back here; 403 for a
    moderator of other walls."""
    if who is None:
        return _templates(request).TemplateResponse(
            request, "login.html", {"wall": public(wall), "next": f"/moderate/{wall.slug}"},
            status_code=401)
    check_wall(who, wall.slug)
    return _templates(request).TemplateResponse(
        request, "moderate.html",
        {"wall": public(wall), "user": {"name": who.name, "role": who.role},
         "ws_path": f"/ws/walls/{wall.slug}", "mod_ws_path": f"/ws/moderate/{wall.slug}"},
    )
