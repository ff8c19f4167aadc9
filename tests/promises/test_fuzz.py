"""The HTTP surface under schemathesis: every operation of the OpenAPI schema
(`/api/v1/openapi.json`, pages included), with valid and invalid input, sent by an anonymous
client and by each role (admin session, moderator session of wall `w`, moderator of wall
`other`, moderator token of `w`) to a real server. Nothing answers 5xx ("bad input never gives
a 500", docs/design.md §4), and nothing protected succeeds for a caller without the right
role (docs/security.md).

The server cannot reach anything outside this machine: every source URL points at a closed
loopback port, and a wall the fuzzer creates gets no network sources.
"""

from __future__ import annotations

import inspect
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from app.main import create_app
from app.settings import Settings
from tests.browser.admin import admin_client
from tests.conftest import PASSWORD, ROOT, ServerProcess

DEAD = "http://127.0.0.1:9"  # the discard port: nothing listens
TOML = """
[[walls]]
slug = "w"
title = "Fuzzed wall"
hashtags = ["ASNR14"]
sources = []

[[walls]]
slug = "other"
title = "Another wall"
hashtags = ["ASNR14"]
sources = []
"""
ENV = {"TWEETWALL_X_API_BASE_URL": DEAD, "TWEETWALL_BLUESKY_JETSTREAM_URL": "ws://127.0.0.1:9/",
       "TWEETWALL_BLUESKY__APPVIEW_URL": DEAD, "TWEETWALL_BLUESKY__PDS_URL": DEAD}
OURS = {"root", "mod", "othermod", "bot"}  # accounts the fuzzer must not delete mid-run


def required_roles() -> dict[tuple[str, str], str]:
    """Return, for each (METHOD, path) of the app, "admin", "moderator" or "public", read from
    the route's own auth dependency (app/web/auth.py `_require`)."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    found: dict[tuple[str, str], str] = {}

    def role(dependant: Any) -> str | None:
        for dep in dependant.dependencies:
            call = dep.call
            if getattr(call, "__qualname__", "") == "_require.<locals>.dependency":
                return "admin" if inspect.getclosurevars(call).nonlocals["admin"] else "moderator"
            if (inner := role(dep)) is not None:
                return inner
        return None

    # FastAPI keeps an included router's routes on it (`original_router`).
    routes = [r for top in app.routes for r in (
        top.original_router.routes if hasattr(top, "original_router") else [top])]
    for route in routes:
        if isinstance(route, APIRoute):
            path = route.path.replace(":path", "")
            for method in route.methods or ():
                found[method, path] = role(route.dependant) or "public"
    return found


@dataclass
class Caller:
    name: str
    session: requests.Session
    headers: dict[str, str] = field(default_factory=dict)
    walls: tuple[str, ...] | None = None  # None: every wall; () nobody's
    admin: bool = False

    def may(self, need: str, slug: str | None) -> bool:
        if need == "public":
            return True
        if need == "admin":
            return self.admin
        if self.walls is None:
            return True
        if slug is None:  # a route of no wall (/me): any signed-in caller
            return self.walls != ()
        return slug in self.walls


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("fuzz"), TOML, ENV).start()
    yield server
    server.stop()


def _session(url: str, name: str) -> requests.Session:
    s = requests.Session()
    r = s.post(f"{url}/api/v1/login", json={"username": name, "password": PASSWORD},
               headers={"Origin": url}, timeout=10)
    assert r.status_code == 200, r.text
    return s


@pytest.fixture(scope="module")
def callers(fuzz_server: ServerProcess) -> list[Caller]:
    """Anonymous, then each role; the admin last (it may change what the others see)."""
    url = fuzz_server.url
    admin: httpx.Client = admin_client(fuzz_server, "root")
    for name, walls in (("mod", ["w"]), ("othermod", ["other"])):
        r = admin.post("/api/v1/users", json={"username": name, "password": PASSWORD,
                                              "role": "moderator", "walls": walls})
        assert r.status_code == 201, r.text
    r = admin.post("/api/v1/tokens", json={"name": "bot", "role": "moderator", "walls": ["w"]})
    token = r.json()["token"]
    admin.close()
    origin = {"Origin": url}
    return [
        Caller("anonymous", requests.Session(), walls=()),
        Caller("moderator of another wall", _session(url, "othermod"), origin, ("other",)),
        Caller("token", requests.Session(), {"Authorization": f"Bearer {token}"}, ("w",)),
        Caller("moderator", _session(url, "mod"), origin, ("w",)),
        Caller("admin", _session(url, "root"), origin, None, admin=True),
    ]


def _tame(case: Any, rnd: random.Random) -> bool:
    """Point some cases at the real walls, keep the fuzzer from reaching the network or
    deleting the accounts the run needs. Returns False to skip a case."""
    params = case.path_parameters or {}
    if "slug" in params and rnd.random() < 0.6:
        params["slug"] = rnd.choice(["w", "w", "other"])
    method, path = case.operation.method.upper(), case.operation.path
    if path == "/api/v1/logout":
        return False  # would end the caller's own session; tested below on its own
    if method == "DELETE" and path == "/api/v1/walls/{slug}" and params.get("slug") in (
            "w", "other"):
        return False
    if method == "DELETE" and (params.get("username") in OURS or params.get("name") in OURS):
        return False
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("sources"), list):
        body["sources"] = [s for s in body["sources"] if s == "replay"]
    elif method == "POST" and path == "/api/v1/walls" and isinstance(body, dict):
        body["sources"] = []
    return True


def fuzz(fuzz_server: ServerProcess, callers: list[Caller], examples: int) -> int:
    """Send `examples` generated cases (half valid, half invalid) per operation and caller;
    return how many requests were sent. Fails listing every 5xx and every success a caller
    should not have had."""
    url = fuzz_server.url
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    roles = required_roles()
    operations = [r.ok() for r in schema.get_all_operations()]
    problems: list[str] = []
    sent = [0]
    rnd = random.Random(14)
    for caller in callers:
        for op in operations:
            send_cases(op, caller, roles[op.method.upper(), op.path], examples, url, rnd,
                       problems, sent)
    assert problems == [], "\n".join(sorted(set(problems))[:60])
    return sent[0]


def send_cases(op: Any, caller: Caller, need: str, examples: int, url: str,
               rnd: random.Random, problems: list[str], sent: list[int]) -> None:
    """Send `examples` cases of `op` as `caller`; add what went wrong to `problems`."""
    strategy = st.one_of(op.as_strategy(GenerationMode.POSITIVE),
                         op.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        if not _tame(case, rnd):
            return
        try:
            res = case.call(base_url=url, session=caller.session, headers=caller.headers,
                            timeout=15)
        except requests.exceptions.InvalidHeader:
            return  # requests refuses to send it: nothing reached the server
        sent[0] += 1
        slug = (case.path_parameters or {}).get("slug")
        label = (f"{caller.name}: {case.operation.method.upper()} {case.formatted_path} "
                 f"{case.query or ''} -> {res.status_code}")
        if res.status_code >= 500:
            problems.append(f"{label} {res.text[:200]}")
        protected = need != "public" or (
            op.path == "/api/v1/walls/{slug}/posts"
            and (case.query or {}).get("state") in ("pending", "hidden"))
        allowed = caller.may("moderator" if need == "public" else need, slug)
        if protected and res.status_code < 300 and not allowed:
            problems.append(f"{label}: a success without the right role")

    run()


def _record(run: str, sent: int) -> None:
    """Keep how many requests a run sent, in test-artifacts/fuzz.json."""
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    path = out / "fuzz.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known[run] = {"requests": sent}
    path.write_text(json.dumps(known, indent=2))


def test_no_5xx_and_no_success_without_the_role(fuzz_server: ServerProcess,
                                                callers: list[Caller]) -> None:
    """CI-sized: 8 generated cases per operation (every operation of the OpenAPI schema, pages
    included) per caller (5 callers), valid and invalid: 0 answers 5xx, 0 successes on a protected route for a
    caller without the right role."""
    sent = fuzz(fuzz_server, callers, examples=8)
    _record("ci", sent)
    assert sent > 1000, sent


@pytest.mark.promises_full
def test_no_5xx_and_no_success_without_the_role_at_length(fuzz_server: ServerProcess,
                                                          callers: list[Caller]) -> None:
    """The same with 100 cases per operation and caller (`-m promises_full`)."""
    _record("full", fuzz(fuzz_server, callers, examples=100))


def test_logout_ends_only_its_own_session(fuzz_server: ServerProcess,
                                          callers: list[Caller]) -> None:
    """Logout (left out of the fuzzing above, which would end its callers' sessions) answers
    without a session, and ends exactly the session that sent it. (From 127.0.0.2: the
    fuzzer's wrong logins have throttled 127.0.0.1 by now.)"""
    url = fuzz_server.url

    def client() -> httpx.Client:
        return httpx.Client(base_url=url, headers={"Origin": url}, timeout=10,
                            transport=httpx.HTTPTransport(local_address="127.0.0.2"))

    with client() as anonymous, client() as first, client() as second:
        for c in (first, second):
            r = c.post("/api/v1/login", json={"username": "mod", "password": PASSWORD})
            assert r.status_code == 200, r.text
        nobody = anonymous.post("/api/v1/logout")
        out = first.post("/api/v1/logout")
        assert nobody.status_code == 200 and out.status_code == 200
        assert first.get("/api/v1/me").status_code == 401
        assert second.get("/api/v1/me").status_code == 200
