"""deploy/compose.yaml: two tweetwall processes on PostgreSQL and Redis behind a proxy that
passes WebSocket upgrades (issue 11). No Docker engine here: the file is parsed and checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.settings import Settings, load_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


def test_two_app_processes_share_postgres_and_redis() -> None:
    services = compose()["services"]
    assert {"app1", "app2", "postgres", "redis", "caddy"} <= set(services)
    for name in ("app1", "app2"):
        app = services[name]
        env = app["environment"]
        assert env["TWEETWALL_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in env["TWEETWALL_DATABASE_URL"]
        assert env["TWEETWALL_REDIS_URL"].startswith("redis://redis:6379")
        assert env["TWEETWALL_LOG_FORMAT"] == "json"
        assert env["TWEETWALL_HOST"] == "0.0.0.0"
        assert set(app["depends_on"]) == {"postgres", "redis"}
        assert app["build"]["context"] == ".."
        # SIGTERM closes viewers with 1012 and uvicorn waits 3 s: compose must not SIGKILL sooner.
        assert int(app["stop_grace_period"].rstrip("s")) > 3
        fields = {f"TWEETWALL_{k}".upper() for k in Settings.model_fields}
        assert set(env) <= fields, set(env) - fields
    assert services["app1"]["environment"] == services["app2"]["environment"]
    assert "ports" not in services["app1"]  # only through the proxy
    assert services["redis"]["command"][:1] == ["redis-server"]


def test_proxy_balances_both_with_websocket_upgrade_and_readiness() -> None:
    caddy = compose()["services"]["caddy"]
    assert caddy["image"].startswith("caddy:")
    mounted = {v.split(":")[0] for v in caddy["volumes"]}
    assert "./Caddyfile" in mounted
    conf = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    # Caddy's reverse_proxy passes WebSocket upgrades by itself; both upstreams, health-checked.
    assert re.search(r"reverse_proxy\s+app1:8000\s+app2:8000", conf)
    assert re.search(r"health_uri\s+/readyz", conf)
    for name in ("app1", "app2"):
        for volume in compose()["services"][name]["volumes"]:
            source = volume.split(":")[0]
            assert (DEPLOY / source).is_file(), source


def test_the_mounted_walls_file_is_valid() -> None:
    settings = load_settings(DEPLOY / "tweetwall.toml")
    assert [w.slug for w in settings.walls] == ["demo"]
