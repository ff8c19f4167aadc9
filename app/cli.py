"""The `tweetwall` command (DESIGN.md §6). Bad configuration exits 2 with one clear line."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from app.settings import ConfigError, Settings, WallConfig, load_settings

__all__ = ["DEMO_WALL", "app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="tweetwall: a live, moderated conference wall.")

DEMO_WALL = WallConfig(
    slug="asnr14",
    title="ASNR 2014 Annual Meeting",
    hashtags=["ASNR14"],
    sources=["replay"],
    moderation="post",
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
    _run(settings, [
        "tweetwall demo: a replay of a nine-day meeting, a new post every few seconds.",
        f"  Hall screen:   {{base}}/walls/{slug}",
        f"  Remote viewer: {{base}}/walls/{slug}/live",
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


def main() -> None:
    app(prog_name="tweetwall")


if __name__ == "__main__":
    main()
