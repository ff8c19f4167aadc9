"""The `tweetwall` command (docs/design.md §6). Bad configuration exits 2 with one clear line."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from urllib.parse import quote

import typer
import uvicorn

from app.settings import ConfigError, Settings, WallConfig, WallRules, load_settings
from app.store.accounts import AccountError, Accounts

if TYPE_CHECKING:
    from app.report.build import Period

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
    # The meeting's posts rarely tag sessions: its programme's titles and speakers say more.
    title_match=True,
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
        _fail(f"port {settings.port} is already in use on {settings.host} (is tweetwall "
              f"running already?); stop it or choose another port with --port")


def _run(settings: Settings, banner: list[str]) -> None:
    from app.main import server_config

    _logging(settings.log_format)
    local = settings.host in ("127.0.0.1", "0.0.0.0", "::")  # noqa: S104
    here = f"http://{'localhost' if local else settings.host}:{settings.port}"
    base = settings.public_url or here
    for line in banner:
        typer.echo(line.format(base=base))
    server = uvicorn.Server(server_config(settings, log_config=None))
    server.run()
    if not server.started:
        _fail(f"could not start on {settings.host}:{settings.port} (is the port in use?)")


class _JsonLines(logging.Formatter):
    """One JSON object a line, for log collectors (TWEETWALL_LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"at": self.formatTime(record), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _logging(kind: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_JsonLines() if kind == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


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
    _check_port(settings)
    slug = settings.walls[0].slug
    password = _accounts(settings, _demo_login)
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
    settings = _load(config, host=host, port=port)
    _check_port(settings)
    if not settings.walls:
        typer.echo("tweetwall: no walls configured yet ([[walls]] in the config file)", err=True)
    _run(settings, ["tweetwall: serving on {base}/"])


user_app = typer.Typer(help="Moderator and admin accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


WallsOpt = Annotated[list[str] | None, typer.Option(
    "--wall", help="a wall this moderator may act on (repeat for several; none: every wall)")]


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin or moderator")] = "moderator",
    wall: WallsOpt = None,
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
    _accounts(settings, lambda a: a.add_user(name, password, role, wall or ()))
    scope = ", ".join(wall) if wall else "every wall"
    typer.echo(f"user {name} ({role}, {scope}) created")


@token_app.command("create")
def token_create(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin or moderator")] = "moderator",
    wall: WallsOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Create an API token and print it (it is shown only once)."""
    settings = _load(config)
    token = _accounts(settings, lambda a: a.create_token(name, role, wall or ()))
    typer.echo(token)


# -- the meeting's numbers: import, report, export (app/report, docs/report.md) -------------

SinceOpt = Annotated[str | None, typer.Option("--since", help="first day, YYYY-MM-DD")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="last day (included)")]
TzOpt = Annotated[str, typer.Option("--tz", help="IANA time zone of the days and hours")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="write here, not to stdout")]

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


def _period(since: str | None, until: str | None, tz: str) -> Period:
    from app.report.build import Period

    try:
        return Period.parse(since, until, tz)
    except ValueError as err:
        _fail(f"--since/--until/--tz: {err}")
        raise AssertionError from err


def _archive(fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run an archive command; a missing wall or file exits 2 with one line."""
    from app.report.commands import NoWall
    from app.store import WallNotFound
    from app.store.categories import CategoryError

    try:
        return asyncio.run(fn())
    except (NoWall, WallNotFound, CategoryError, OSError) as err:
        _fail(f"no wall {err}" if isinstance(err, WallNotFound) else str(err))
        raise AssertionError from err


@app.command("import")
def import_(slug: str, file: Annotated[Path | None, typer.Argument(
        help="JSONL of wire posts (default: the bundled meeting)")] = None,
        config: ConfigOpt = None) -> None:
    """Load a JSONL file of posts onto a wall at their own times, through the wall's rules;
    running it again adds nothing. Without FILE: the bundled meeting and its categories."""
    from app.report.commands import import_file
    from app.sources.replay import bundled_path

    settings, path = _load(config), file or bundled_path()
    _logging(settings.log_format)
    logging.getLogger().setLevel(logging.WARNING)
    result, given = _archive(lambda: import_file(settings, slug, path, bundled=file is None,
                                                 fallback=DEMO_WALL))
    added = ", ".join(f"{n} {state}" for state, n in result.added.items())
    typer.echo(f"{path.name} -> {slug}: {result.read} posts read, {result.new} new ({added}), "
               f"{len(result.bad)} bad lines" + (f", {given} accounts categorised"
                                                  if file is None else ""))
    if result.bad:
        raise typer.Exit(1)


@app.command()
def report(slug: str, fmt: Annotated[str, typer.Option("--format", help="html, json or csv")]
           = "html", out: OutOpt = None, since: SinceOpt = None, until: UntilOpt = None,
           tz: TzOpt = "UTC", config: ConfigOpt = None) -> None:
    """Write the meeting's report: figures, charts, top lists and the society's sentence."""
    from app.report.commands import report as make

    if fmt not in ("html", "json", "csv"):
        _fail(f"--format is html, json or csv, not {fmt!r}")
    settings, period = _load(config), _period(since, until, tz)
    data = _archive(lambda: make(settings, slug, fmt, period))
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)


@app.command()
def export(slug: str, fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")]
           = "jsonl", out: OutOpt = None, since: SinceOpt = None, until: UntilOpt = None,
           tz: TzOpt = "UTC", config: ConfigOpt = None) -> None:
    """Write the transcript: the wall's visible posts, oldest first (time, author, text, link)."""
    from app.report.commands import export as write

    if fmt not in ("jsonl", "csv"):
        _fail(f"--format is jsonl or csv, not {fmt!r}")
    settings, period = _load(config), _period(since, until, tz)
    if out is None:
        _archive(lambda: write(settings, slug, fmt, period, sys.stdout.buffer))
        return
    with out.open("wb") as fh:
        _archive(lambda: write(settings, slug, fmt, period, fh))


# -- the meeting's programme (app/programme, docs/programme.md) -----------------------------

programme_app = typer.Typer(help="The meeting's programme: sessions in rooms.",
                            no_args_is_help=True)
app.add_typer(programme_app, name="programme")


@programme_app.command("import")
def programme_import(
    slug: str,
    file: Annotated[Path, typer.Argument(help="schedule.json (frab/pretalx), .ics or .csv")],
    tz: Annotated[str | None, typer.Option(
        "--tz", help="IANA time zone of local times when the file names none")] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="json, ics or csv (default: from the file)")] = None,
    config: ConfigOpt = None,
) -> None:
    """Make the file's sessions the wall's programme; running it again changes nothing. A bad
    file stops with one line naming the entry."""
    from app.programme import ProgrammeError
    from app.report.commands import import_programme

    settings = _load(config)
    try:
        data = file.read_bytes()
    except OSError as err:
        _fail(f"{file}: {err.strerror or err}")
        raise AssertionError from err
    try:
        programme, done = _archive(lambda: import_programme(
            settings, slug, data, name=file.name, tz=tz, fmt=fmt, fallback=DEMO_WALL))
    except ProgrammeError as err:
        _fail(f"{file.name}: {err}")
        raise AssertionError from err
    typer.echo(f"{file.name} -> {slug}: {len(programme.sessions)} sessions in "
               f"{len(programme.rooms)} rooms ({done.added} new, {done.changed} changed, "
               f"{done.removed} removed, {done.unchanged} unchanged)")


@programme_app.command("show")
def programme_show(slug: str, config: ConfigOpt = None) -> None:
    """List the wall's sessions by room, in the programme's time zone."""
    from app.report.commands import stored_programme

    stored = _archive(lambda: stored_programme(_load(config), slug))
    if stored is None:
        typer.echo(f"{slug}: no programme (tweetwall programme import {slug} FILE)")
        return
    for room in stored.rooms:
        typer.echo(room)
        for s in (s for s in stored.sessions if s.room == room):
            typer.echo(f"  {s.start.isoformat(' ', 'minutes')} to "
                       f"{s.end.isoformat(' ', 'minutes')[11:]}  {s.title}")


def main() -> None:
    app(prog_name="tweetwall")


if __name__ == "__main__":
    main()
