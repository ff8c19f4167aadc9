"""Account categories for moderators (docs/report.md): who of a wall's participants is an
attendee, a remote attendee, a non-specialist, an institution, or whatever the wall's own list
offers. An account is `{source}:{author id}` (a Mastodon id is a URL, so it may hold `/`).

Every route needs a moderator of the wall (`ModeratorDep`: 401 without a login, 403 for a
moderator of other walls or a browser request from another site); 404: no wall; 422: a
malformed account or a category the wall does not offer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from app.store.categories import Categories, CategoryError, wall_categories
from app.web.auth import ModeratorDep
from app.web.deps import WallDep
from app.web.schemas import AccountCategoryOut, CategoriesOut, CategoryIn, errors

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

_ACCOUNT = "/walls/{slug}/accounts/{account:path}/category"


def _categories(request: Request) -> Categories:
    """Return the categories store of this app (made on first use: it holds no state)."""
    found: Categories | None = getattr(request.app.state, "categories", None)
    if found is None:
        found = request.app.state.categories = Categories(request.app.state.store)
    return found


def _entry(account: str, found: dict[str, Any] | None) -> dict[str, Any]:
    return found or {"account": account, "category": None}


@router.get("/walls/{slug}/categories", response_model=CategoriesOut,
            responses=errors(401, 403, 404))
async def list_categories(request: Request, wall: WallDep, who: ModeratorDep
                          ) -> dict[str, Any]:
    """Return the wall's categories and every account seen on it (any state) or given a
    category there, with its posts and category, most posts first. 401, 403, 404."""
    choices = [{"name": c.name, "plural": c.plural, "label": c.label}
               for c in wall_categories(wall)]
    return {"categories": choices, "accounts": await _categories(request).accounts(wall.slug)}


@router.get(_ACCOUNT, response_model=AccountCategoryOut, responses=errors(401, 403, 404, 422))
async def get_category(request: Request, wall: WallDep, account: str,
                       who: ModeratorDep) -> dict[str, Any]:
    """Return the account's category on the wall (null: none) and who gave it when.
    401, 403, 404; 422: a malformed account."""
    try:
        return _entry(account, await _categories(request).get(wall.slug, account))
    except CategoryError as err:
        raise HTTPException(422, str(err)) from None


@router.put(_ACCOUNT, response_model=AccountCategoryOut, responses=errors(401, 403, 404, 422))
async def put_category(request: Request, wall: WallDep, account: str, body: CategoryIn,
                       who: ModeratorDep) -> dict[str, Any]:
    """Give the account a category of the wall (`null` takes it away); return the entry.
    401, 403, 404; 422: a malformed account or a category the wall does not offer."""
    try:
        found = await _categories(request).set(wall.slug, account, body.category, who.name)
    except CategoryError as err:
        raise HTTPException(422, str(err)) from None
    return _entry(account, found)


@router.delete(_ACCOUNT, response_model=AccountCategoryOut,
               responses=errors(401, 403, 404, 422))
async def delete_category(request: Request, wall: WallDep, account: str,
                          who: ModeratorDep) -> dict[str, Any]:
    """Take the account's category away; return the entry (category null). 401, 403, 404;
    422: a malformed account."""
    try:
        await _categories(request).set(wall.slug, account, None, who.name)
    except CategoryError as err:
        raise HTTPException(422, str(err)) from None
    return {"account": account, "category": None}
