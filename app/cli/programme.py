"""`tweetwall programme import|show`: the meeting's programme (docs/programme.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from app.cli.common import (
    DEMO_WALL,
    ConfigOpt,
    app,
    fail,
    load,
    run_archive,
)

if TYPE_CHECKING:
    pass

T = TypeVar("T")

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

    settings = load(config)
    try:
        data = file.read_bytes()
    except OSError as err:
        fail(f"{file}: {err.strerror or err}")
        raise AssertionError from err
    try:
        programme, done = run_archive(lambda: import_programme(
            settings, slug, data, name=file.name, tz=tz, fmt=fmt, fallback=DEMO_WALL))
    except ProgrammeError as err:
        fail(f"{file.name}: {err}")
        raise AssertionError from err
    typer.echo(f"{file.name} -> {slug}: {len(programme.sessions)} sessions in "
               f"{len(programme.rooms)} rooms ({done.added} new, {done.changed} changed, "
               f"{done.removed} removed, {done.unchanged} unchanged)")


@programme_app.command("show")
def programme_show(slug: str, config: ConfigOpt = None) -> None:
    """List the wall's sessions by room, in the programme's time zone."""
    from app.report.commands import stored_programme

    stored = run_archive(lambda: stored_programme(load(config), slug))
    if stored is None:
        typer.echo(f"{slug}: no programme (tweetwall programme import {slug} FILE)")
        return
    for room in stored.rooms:
        typer.echo(room)
        for s in (s for s in stored.sessions if s.room == room):
            typer.echo(f"  {s.start.isoformat(' ', 'minutes')} to "
                       f"{s.end.isoformat(' ', 'minutes')[11:]}  {s.title}")
