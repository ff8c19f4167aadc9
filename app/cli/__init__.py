"""The `tweetwall` command (docs/design.md §6): demo, serve, accounts, the meeting's numbers and
its programme. Bad configuration exits 2 with one clear line."""

from app.cli import accounts, archive, programme, server
from app.cli.common import DEMO_WALL, app

__all__ = ["DEMO_WALL", "app", "main"]

# The command modules register themselves on `app` when imported.
_COMMANDS = (accounts, archive, programme, server)


def main() -> None:
    app(prog_name="tweetwall")
