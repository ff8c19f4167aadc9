"""The `tweetwall` command (DESIGN.md §6). Bad configuration exits 2 with one clear line."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn

from app.settings import ConfigError, Settings, WallConfig, WallRules, load_settings
from app.store.accounts import AccountError, Accounts

T = TypeVar("T")

__all__ = ["DEMO_WALL", "app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="tweetwall: a live, moderated conference wall.")

DEMO_WALL = WallConfig(
    slug="asnr14",
    title="ASNR 2014 Annual Meeting",
    hashtags=["ASNR14"],
    sources=["replay"],
    moderation="post",
    # A replay squeezes nine days into minutes and loops: rate and duplicate rules would
    # mistake that for a flood.
    rules=WallRules(max_per_author_per_hour=None, collapse_duplicates=False),
)

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML config file",
                                                 envvar="TWEETWALL_CONFIG")]
HostOpt = Annotated[str | None, typer.Option("--host", help="bind address (TWEETWALL_HOST)")]
PortOpt = Annotated[int | None, typer.Option("--port", help="port (TWEETWALL_PORT)")]


def _fail(message: str) -> None:
    typer.echo(f"tweetwall: {message}", err=True)
    raise typer.Exit(2)


def _load(config: Path | None, **overrides: Any) -> Settings:
    try:
        return load_settings(config, **{k: v for k, v in overrides.items() if v is not None})
    except ConfigError as err:
        _fail(f"config error: {err}")
        raise AssertionError from err  # unreachable: _fail exits


async def _with_accounts(settings: Settings, fn: Callable[[Accounts], Awaitable[T]]) -> T:
    from app.store import Store

    store = Store(settings.database_url)
    await store.open()
    try:
        return await fn(Accounts(store))
    finally:
        await store.close()


def _accounts(settings: Settings, fn: Callable[[Accounts], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_with_accounts(settings, fn))
    except AccountError as err:
        _fail(str(err))
        raise AssertionError from err


async def _demo_login(accounts: Accounts) -> str:
    """Give the demo's `moderator` account (admin role) a fresh password; return it."""
    password = secrets.token_urlsafe(12)
    try:
        await accounts.add_user("moderator", password, "admin")
    except AccountError:
        await accounts.set_password("moderator", password)
    return password


def _run(settings: Settings, banner: list[str]) -> None:
    from app.main import create_app

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    local = settings.host in ("127.0.0.1", "0.0.0.0", "::")  # noqa: S104
    base = f"http://{'localhost' if local else settings.host}:{settings.port}"
    for line in banner:
        typer.echo(line.format(base=base))
    config = uvicorn.Config(
        create_app(settings), host=settings.host, port=settings.port, log_level="info",
        ws_max_size=64 * 1024, ws_per_message_deflate=False, ws_ping_interval=20,
        ws_ping_timeout=20, timeout_graceful_shutdown=3, server_header=False,
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        _fail(f"could not start on {settings.host}:{settings.port} (is the port in use?)")


@app.command()
def demo(config: ConfigOpt = None, host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the demo wall: SQLite in this folder and the bundled replay of a real-sized meeting."""
    settings = _load(config, host=host, port=port)
    updates: dict[str, Any] = {"environment": "development"}
    if not settings.walls:
        updates["walls"] = [DEMO_WALL]
    if "database_url" not in settings.model_fields_set:
        updates["database_url"] = "sqlite+aiosqlite:///./tweetwall-demo.db"
    settings = settings.model_copy(update=updates)
    slug = settings.walls[0].slug
    password = _accounts(settings, _demo_login)
    _run(settings, [
        "tweetwall demo: a replay of a nine-day meeting, a new post every few seconds.",
        f"  Hall screen:   {{base}}/walls/{slug}",
        f"  Remote viewer: {{base}}/walls/{slug}/live",
        f"  Moderation:    {{base}}/moderate/{slug}",
        f"                 login: moderator  password: {password}",
        "  All walls:     {base}/",
        "Press Ctrl+C to stop.",
    ])


@app.command()
def serve(config: ConfigOpt = None, host: HostOpt = None, port: PortOpt = None) -> None:
    """Run the server from the environment and an optional TOML config file."""
    settings = _load(config, host=host, port=port)
    if not settings.walls:
        typer.echo("tweetwall: no walls configured yet ([[walls]] in the config file)", err=True)
    _run(settings, ["tweetwall: serving on {base}/"])


user_app = typer.Typer(help="Moderator and admin accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin or moderator")] = "moderator",
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="read the password from stdin")] = False,
    config: ConfigOpt = None,
) -> None:
    """Create a user; the password comes from a prompt or, with --password-stdin, stdin."""
    settings = _load(config)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _accounts(settings, lambda a: a.add_user(name, password, role))
    typer.echo(f"user {name} ({role}) created")


@token_app.command("create")
def token_create(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin or moderator")] = "moderator",
    config: ConfigOpt = None,
) -> None:
    """Create an API token and print it (it is shown only once)."""
    settings = _load(config)
    token = _accounts(settings, lambda a: a.create_token(name, role))
    typer.echo(token)


def main() -> None:
    app(prog_name="tweetwall")


if __name__ == "__main__":
    main()
