"""`tweetwall import`, `report` and `export`: the meeting's numbers (app/report,
docs/report.md)."""

from __future__ import annotations

import logging
import sys
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
    setup_logging,
)

if TYPE_CHECKING:
    from app.report.build import Period

T = TypeVar("T")

SinceOpt = Annotated[str | None, typer.Option("--since", help="first day, YYYY-MM-DD")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="last day (included)")]
TzOpt = Annotated[str, typer.Option("--tz", help="IANA time zone of the days and hours")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="write here, not to stdout")]

def _period(since: str | None, until: str | None, tz: str) -> Period:
    from app.report.build import Period

    try:
        return Period.parse(since, until, tz)
    except ValueError as err:
        fail(f"--since/--until/--tz: {err}")
        raise AssertionError from err




@app.command("import")
def import_(slug: str, file: Annotated[Path | None, typer.Argument(
        help="JSONL of wire posts (default: the bundled meeting)")] = None,
        config: ConfigOpt = None) -> None:
    """Load a JSONL file of posts onto a wall at their own times, through the wall's rules;
    running it again adds nothing. Without FILE: the bundled meeting and its categories."""
    from app.report.commands import import_file
    from app.sources.replay import bundled_path

    settings, path = load(config), file or bundled_path()
    setup_logging(settings.log_format)
    logging.getLogger().setLevel(logging.WARNING)
    result, given = run_archive(lambda: import_file(settings, slug, path, bundled=file is None,
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
        fail(f"--format is html, json or csv, not {fmt!r}")
    settings, period = load(config), _period(since, until, tz)
    data = run_archive(lambda: make(settings, slug, fmt, period))
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
        fail(f"--format is jsonl or csv, not {fmt!r}")
    settings, period = load(config), _period(since, until, tz)
    if out is None:
        run_archive(lambda: write(settings, slug, fmt, period, sys.stdout.buffer))
        return
    with out.open("wb") as fh:
        run_archive(lambda: write(settings, slug, fmt, period, fh))


# -- the meeting's programme (app/programme, docs/programme.md) -----------------------------
