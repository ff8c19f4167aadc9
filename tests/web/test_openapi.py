"""The OpenAPI schema (`/api/v1/openapi.json`) documents every JSON route: a typed 2xx answer
and the JSON errors the route can give. Built from `create_app(...).openapi()`, no server."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any, get_args

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app import web
from app.main import create_app
from app.models import Post
from app.settings import Colours, Settings, WallConfig
from app.sources.base import SourceStatus
from app.store import WallInfo
from app.walls import public
from app.web.auth import AdminDep, ModeratorDep
from app.web.deps import get_wall
from app.web.live import HEALTH_KEYS
from app.web.schemas import ModeratedPost, ScreenOut, SourceStatusOut, WallOut, WallPost

PROBES = ("/healthz", "/readyz")
SAFE = {"GET", "HEAD", "OPTIONS"}

Spec = dict[str, Any]


@pytest.fixture
def app(make_settings: Callable[..., Settings]) -> FastAPI:
    return create_app(make_settings())


def web_routes() -> Iterator[APIRoute]:
    """Yield the routes of every `router` in the app.web package (main includes them as is)."""
    for info in pkgutil.iter_modules(web.__path__, f"{web.__name__}."):
        router = getattr(importlib.import_module(info.name), "router", None)
        if isinstance(router, APIRouter):
            yield from (r for r in router.routes if isinstance(r, APIRoute))


def json_routes() -> Iterator[tuple[str, str, APIRoute]]:
    """Yield (METHOD, path, route) of every documented route under /api/v1 and the probes."""
    for route in web_routes():
        if route.include_in_schema and (route.path.startswith("/api/v1/") or route.path in PROBES):
            for method in sorted(route.methods or ()):
                yield method, route.path_format, route


def resolve(schema: Spec, spec: Spec) -> Spec:
    """Follow a `$ref` to its component schema."""
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = spec["components"]["schemas"][name]
    return schema


def untyped(schema: Spec, spec: Spec) -> str | None:
    """Return why `schema` says nothing about the answer's shape, or None if it is typed: an
    object must name its properties, an array must have typed items, every branch of a union
    must be typed."""
    schema = resolve(schema, spec)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return next((why for b in branches if (why := untyped(b, spec))), None)
    if not schema:
        return "empty schema {}"
    if schema.get("type") == "array":
        return untyped(schema.get("items") or {}, spec)
    if schema.get("type") == "object" or "additionalProperties" in schema:
        return None if schema.get("properties") else "an object without named properties"
    return None if "type" in schema or "enum" in schema or "const" in schema else "no type"


def calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Yield every dependency callable of a route, however deep."""
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from calls(dep)


def dependency(annotated: Any) -> Callable[..., Any]:
    """Return the callable behind an `Annotated[T, Depends(f)]` alias."""
    call: Callable[..., Any] = get_args(annotated)[1].dependency
    return call


def test_the_schema_lists_every_json_route(app: FastAPI) -> None:
    """Each JSON route is in the schema (a route left out would pass the next test unseen)."""
    paths = app.openapi()["paths"]
    missing = [f"{m} {p}" for m, p, _ in json_routes() if m.lower() not in paths.get(p, {})]
    assert not missing, f"routes missing from the OpenAPI schema: {missing}"
    assert len(list(json_routes())) >= 30


def test_every_json_route_documents_a_typed_answer(app: FastAPI) -> None:
    """Every JSON route has a 2xx `application/json` answer whose schema names its fields."""
    spec = app.openapi()
    problems: list[str] = []
    for method, path, _ in json_routes():
        responses = spec["paths"][path][method.lower()]["responses"]
        ok = {code: r for code, r in responses.items() if code.startswith("2")}
        if not ok:
            problems.append(f"{method} {path}: no 2xx response")
            continue
        for code, response in ok.items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            why = "no JSON schema" if schema is None else untyped(schema, spec)
            if why:
                problems.append(f"{method} {path} ({code}): {why}")
    assert not problems, "untyped JSON answers:\n" + "\n".join(problems)


def test_error_answers_are_documented(app: FastAPI) -> None:
    """A route on a wall documents 404, one that needs a login 401, an admin or moderator
    route 403 (wrong role, or a moderator of other walls); every documented 4xx answer is JSON `detail`."""
    spec = app.openapi()
    admin, moderator = dependency(AdminDep), dependency(ModeratorDep)
    problems: list[str] = []
    for method, path, route in json_routes():
        responses = spec["paths"][path][method.lower()]["responses"]
        deps = set(calls(route.dependant))
        needed = {"404": get_wall in deps, "401": admin in deps or moderator in deps,
                  "403": admin in deps or (moderator in deps
                                            and ("{slug}" in path or method not in SAFE))}
        problems += [f"{method} {path}: {code} not documented"
                     for code, need in needed.items() if need and code not in responses]
        for code, response in responses.items():
            if not code.startswith("4"):
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            detail = resolve(schema, spec).get("properties", {}).get("detail") if schema else None
            if detail is None:
                problems.append(f"{method} {path}: {code} is not a JSON `detail` answer")
    assert not problems, "undocumented errors:\n" + "\n".join(problems)


def test_posts_as_stored_match_their_models(post_factory: Callable[..., Post]) -> None:
    """Lists of posts go out as stored, unchecked (app/web/api.py): a post's stored form with
    `pinned` (and a moderator's `moderation`) is what `WallPost` and `ModeratedPost` describe,
    and they give it back unchanged, unknown keys included."""
    quoted = {"id": "x:9", "author": {"id": "9", "handle": "@q"}, "text": "quoted"}
    post = post_factory(1, media=[{"kind": "image", "url": "https://cdn.example/a.jpg"}],
                        quoted=quoted, also_on=[{"source": "mastodon", "id": "mastodon:1"}])
    stored = {k: v for k, v in post.wire().items() if k != "pinned"}
    shown = {**stored, "future_field": {"x": 1}, "pinned": True}
    assert json.loads(WallPost.model_validate(shown).model_dump_json()) == shown
    listed = {**shown, "moderation": {"state": "hidden", "reason": "blocked", "order": 7}}
    assert json.loads(ModeratedPost.model_validate(listed).model_dump_json()) == listed


def test_models_keep_every_key_the_app_sends() -> None:
    """A key the app adds to a wall's settings, a source status or a screen's health report
    must be added to its model too, or the answer would silently lose it."""
    cfg = WallConfig(slug="w", hashtags=["a"], colours=Colours(), join_url="https://j.example",
                     logo=3, slides=[4], reload="abc")
    info = WallInfo(id=1, slug="w", title="W", config=cfg.model_dump(mode="json"), epoch="e",
                    last_seq=0)
    wall = public(info)
    assert WallOut.model_validate(wall).model_dump(mode="json") == wall
    status = SourceStatus("x", extra={"reads": 3, "budget": {"left": 1}}).as_dict()
    assert SourceStatusOut.model_validate(status).model_dump(mode="json") == status
    assert set(HEALTH_KEYS) | {"id", "name", "connected", "at", "backlog", "age_s"} == set(
        ScreenOut.model_fields)
