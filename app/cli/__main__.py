"""`python -m app.cli`: the same as the `tweetwall` command."""

from app.cli import main

main()
