"""Configuration from environment and TOML; bad values fail with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import ConfigError, load_settings


def test_toml_declares_walls_and_sections(tmp_path: Path) -> None:
    """Walls and the [x] table are read from the config file."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[walls]]\nslug = "asnr14"\nhashtags = ["#ASNR14"]\nsources = ["x"]\n'
                   'moderation = "pre"\n[x]\nmode = "stream"\ndaily_read_budget = 500\n')
    s = load_settings(cfg)
    assert s.walls[0].hashtags == ["ASNR14"] and s.walls[0].moderation == "pre"
    assert s.x.mode == "stream" and s.x.daily_read_budget == 500


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TWEETWALL_* variables win over the TOML file; lists may be comma-separated."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('port = 9000\nallowed_origins = ["https://a.example"]\n')
    monkeypatch.setenv("TWEETWALL_PORT", "9100")
    monkeypatch.setenv("TWEETWALL_ALLOWED_ORIGINS", "https://b.example, https://c.example")
    s = load_settings(cfg)
    assert s.port == 9100
    assert s.allowed_origins == ["https://b.example", "https://c.example"]


def test_secrets_are_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bearer token is a secret: its repr never shows the value."""
    monkeypatch.setenv("TWEETWALL_X_BEARER_TOKEN", "AAAA-secret")
    s = load_settings()
    assert "AAAA-secret" not in repr(s) and "AAAA-secret" not in str(s.model_dump())


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[[walls]]\nslug = "Bad Slug"\n', "walls.0.slug"),
        ('[[walls]]\nslug = "a"\nmoderation = "maybe"\n', "walls.0.moderation"),
        ('[[walls]]\nslug = "a"\n[[walls]]\nslug = "a"\n', "duplicate wall slug"),
        ('[[walls]]\nslug = "a"\nhashtags = ["two words"]\n', "not a hashtag"),
        ('prot = 80\n', "prot"),
        ("port = \n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, needle: str) -> None:
    """A bad config raises ConfigError naming the file and the key."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_cli_exits_with_one_line_on_a_bad_config(tmp_path: Path) -> None:
    """`tweetwall serve --config bad.toml` exits 2 and prints one line, no traceback."""
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[walls]]\nslug = "Bad Slug"\n')
    run = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--config", str(cfg)],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "walls.0.slug" in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    """A config path that does not exist fails with a clear message."""
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.toml")


def test_mastodon_tokens_are_keyed_by_https_instance(tmp_path: Path) -> None:
    """Per-instance Mastodon tokens come from the config file, keyed by an https instance URL;
    a token keyed by a plain-http URL stops the start with one line."""
    from app.ingest.factory import mastodon_tokens

    cfg = tmp_path / "c.toml"
    cfg.write_text('mastodon_instances = ["https://own.example"]\nmastodon_token = "global"\n'
                   '[mastodon_tokens]\n"https://Neuro.Social/" = "per-instance"\n')
    assert mastodon_tokens(load_settings(cfg)) == {"https://neuro.social": "per-instance",
                                                   "https://own.example": "global"}
    cfg.write_text('[mastodon_tokens]\n"http://neuro.social" = "t"\n')
    with pytest.raises(ConfigError, match="https instance URL"):
        load_settings(cfg)


def test_the_public_url_is_an_http_url(tmp_path: Path) -> None:
    """TWEETWALL_PUBLIC_URL must be an http(s) URL; a trailing slash is dropped."""
    assert load_settings(public_url="https://wall.example.org/").public_url == \
        "https://wall.example.org"
    with pytest.raises(ConfigError, match="public_url"):
        load_settings(public_url="javascript:alert(1)")
