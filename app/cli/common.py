"""What every `tweetwall` command shares: the Typer app, the options, loading settings (a bad
configuration exits 2 with one clear line), the accounts store and the log format."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from app.settings import ConfigError, Settings, WallConfig, WallRules, load_settings
from app.store.accounts import AccountError, Accounts

T = TypeVar("T")

__all__ = ["DEMO_WALL", "ConfigOpt", "HostOpt", "PortOpt", "WallsOpt", "app", "fail", "load",
           "run_accounts", "run_archive", "setup_logging"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="tweetwall: a live, moderated conference wall.")

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML config file",
                                                 envvar="TWEETWALL_CONFIG")]
HostOpt = Annotated[str | None, typer.Option("--host", help="bind address (TWEETWALL_HOST)")]
PortOpt = Annotated[int | None, typer.Option("--port", help="port (TWEETWALL_PORT)")]
WallsOpt = Annotated[list[str] | None, typer.Option(
    "--wall", help="a wall this moderator may act on (repeat for several; none: every wall)")]


def fail(message: str) -> None:
    typer.echo(f"tweetwall: {message}", err=True)
    raise typer.Exit(2)


def load(config: Path | None, **overrides: Any) -> Settings:
    try:
        return load_settings(config, **{k: v for k, v in overrides.items() if v is not None})
    except ConfigError as err:
        fail(f"config error: {err}")
        raise AssertionError from err  # unreachable: _fail exits


async def _with_accounts(settings: Settings, fn: Callable[[Accounts], Awaitable[T]]) -> T:
    from app.store import Store

    store = Store(settings.database_url)
    await store.open()
    try:
        return await fn(Accounts(store))
    finally:
        await store.close()


def run_accounts(settings: Settings, fn: Callable[[Accounts], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_with_accounts(settings, fn))
    except AccountError as err:
        fail(str(err))
        raise AssertionError from err


class _JsonLines(logging.Formatter):
    """One JSON object a line, for log collectors (TWEETWALL_LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"at": self.formatTime(record), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(kind: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_JsonLines() if kind == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


DEMO_WALL = WallConfig(
    slug="asnr14",
    title="ASNR 2014 Annual Meeting",
    hashtags=["ASNR14"],
    sources=["replay"],
    moderation="post",
    # A replay squeezes nine days into minutes and loops: rate and duplicate rules would
    # mistake that for a flood.
    rules=WallRules(max_per_author_per_hour=None, collapse_duplicates=False),
    # The meeting's posts rarely tag sessions: its programme's titles and speakers say more.
    title_match=True,
)


def run_archive(fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run an archive command; a missing wall or file exits 2 with one line."""
    from app.report.commands import NoWall
    from app.store import WallNotFound
    from app.store.categories import CategoryError

    try:
        return asyncio.run(fn())
    except (NoWall, WallNotFound, CategoryError, OSError) as err:
        fail(f"no wall {err}" if isinstance(err, WallNotFound) else str(err))
        raise AssertionError from err
