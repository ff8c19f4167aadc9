"""`tweetwall demo` and `tweetwall serve`: start-up checks, the banner, uvicorn."""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import typer
import uvicorn

from app.cli.common import (
    DEMO_WALL,
    ConfigOpt,
    HostOpt,
    PortOpt,
    app,
    fail,
    load,
    run_accounts,
    setup_logging,
)
from app.settings import Settings
from app.store.accounts import AccountError, Accounts

if TYPE_CHECKING:
    pass

T = TypeVar("T")



async def _demo_login(accounts: Accounts) -> str:
    """Give the demo's `moderator` account (admin role) a fresh password; return it."""
    password = secrets.token_urlsafe(12)
    try:
        await accounts.add_user("moderator", password, "admin")
    except AccountError:
        await accounts.set_password("moderator", password)
    return password


def _port_taken(host: str, port: int) -> bool:
    """Return whether something listens on `host`:`port` already (binding it fails)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return False  # uvicorn will name the bad host itself
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                probe.bind(address)
            except OSError as err:
                if err.errno == errno.EADDRINUSE:
                    return True
    return False


def _check_port(settings: Settings) -> None:
    """Stop with one line before anything else happens when the port is taken."""
    if _port_taken(settings.host, settings.port):
        fail(f"port {settings.port} is already in use on {settings.host} (is tweetwall "
              f"running already?); stop it or choose another port with --port")


def _run(settings: Settings, banner: list[str]) -> None:
    from app.main import server_config

    setup_logging(settings.log_format)
    local = settings.host in ("127.0.0.1", "0.0.0.0", "::")  # noqa: S104
    here = f"http://{'localhost' if local else settings.host}:{settings.port}"
    base = settings.public_url or here
    for line in banner:
        typer.echo(line.format(base=base))
    server = uvicorn.Server(server_config(settings, log_config=None))
    server.run()
    if not server.started:
        fail(f"could not start on {settings.host}:{settings.port} (is the port in use?)")


@app.command()
def demo(config: ConfigOpt = None, host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the demo wall: SQLite in this folder and the bundled replay of a real-sized meeting."""
    settings = load(config, host=host, port=port)
    updates: dict[str, Any] = {"environment": "development"}
    if not settings.walls:
        updates["walls"] = [DEMO_WALL]
    if "database_url" not in settings.model_fields_set:
        updates["database_url"] = "sqlite+aiosqlite:///./tweetwall-demo.db"
    settings = settings.model_copy(update=updates)
    _check_port(settings)
    slug = settings.walls[0].slug
    password = run_accounts(settings, _demo_login)
    _demo_categories(settings)
    room = _demo_programme(settings)
    label = f"In {room}:"
    in_room = ([f"  {label:<15}{{base}}/walls/{slug}?room={quote(room)}  (its session on now)"]
               if room else [])
    _run(settings, [
        "tweetwall demo: a replay of a nine-day meeting, a new post every few seconds.",
        f"  Hall screen:   {{base}}/walls/{slug}",
        *in_room,
        f"  Remote viewer: {{base}}/walls/{slug}/live",
        f"  Moderation:    {{base}}/moderate/{slug}",
        f"  Report:        {{base}}/walls/{slug}/report",
        f"                 login: moderator  password: {password}",
        "  All walls:     {base}/",
        "Press Ctrl+C to stop.",
    ])


@app.command()
def serve(config: ConfigOpt = None, host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the server from the environment and an optional TOML config file."""
    settings = load(config, host=host, port=port)
    _check_port(settings)
    if not settings.walls:
        typer.echo("tweetwall: no walls configured yet ([[walls]] in the config file)", err=True)
    _run(settings, ["tweetwall: serving on {base}/"])


def _demo_categories(settings: Settings) -> None:
    """Give the demo wall's accounts the meeting's categories; a problem is said, not fatal."""
    from app.report.commands import demo_categories

    try:
        asyncio.run(demo_categories(settings, settings.walls[0]))
    except Exception as err:  # the demo must start all the same
        typer.echo(f"tweetwall: the meeting's categories were not given: {err}", err=True)


def _demo_programme(settings: Settings) -> str | None:
    """Give the demo wall the meeting's programme, moved to now; return the room whose session
    is on. A problem is said, not fatal."""
    from app.clock import utcnow
    from app.report.commands import demo_programme

    try:
        return asyncio.run(demo_programme(settings, settings.walls[0], utcnow()))
    except Exception as err:  # the demo must start all the same
        typer.echo(f"tweetwall: the meeting's programme was not imported: {err}", err=True)
        return None
