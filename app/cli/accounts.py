"""`tweetwall user add` and `tweetwall token create`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from app.cli.common import (
    ConfigOpt,
    WallsOpt,
    app,
    load,
    run_accounts,
)

if TYPE_CHECKING:
    pass

T = TypeVar("T")

user_app = typer.Typer(help="Moderator and admin accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


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
    settings = load(config)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    run_accounts(settings, lambda a: a.add_user(name, password, role, wall or ()))
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
    settings = load(config)
    token = run_accounts(settings, lambda a: a.create_token(name, role, wall or ()))
    typer.echo(token)
