"""Account categories in the moderator console (docs/console.md, docs/report.md): the picker
for the selected post's author, a key per category, the flag on every item of that author,
the uncategorised accounts, a refused category's words, and the report counting it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import GRAVE, run_axe
from tests.browser.conftest import wall_toml, write_posts
from tests.browser.test_console import add_users, console, contexts, selected
from tests.conftest import ServerProcess, make_post

pytestmark = pytest.mark.browser

__all__ = ["contexts"]   # the console tests' browser contexts fixture, used here too


def _toml(folder: Path) -> str:
    replay = write_posts(folder / "cat.jsonl", [make_post(n) for n in range(800, 806)])
    return wall_toml(replay, slug="cat", title="Wall cat", min_gap_s=0, max_gap_s=0,
                     backfill=6, loop=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("categories")
    process = ServerProcess(folder, _toml(folder)).start()
    try:
        add_users(process, "carol")
        yield process
    finally:
        process.stop()


_ASKED = [0]


def _report_categories(page: Any, server: ServerProcess) -> dict[str, int]:
    """The report's accounts per category now: each ask names another first day, since the
    report keeps an answer 30 s per period."""
    _ASKED[0] += 1
    since = f"2000-01-{_ASKED[0]:02d}"
    r = page.context.request.get(f"{server.url}/api/v1/walls/cat/report?since={since}").json()
    return {c["category"]: c["accounts"] for c in r["categories"]}


def test_a_moderator_gives_a_category_by_key_and_the_report_counts_it(
        server: ServerProcess, contexts: Any) -> None:
    """On the wall list, `2` gives the selected post's author the wall's second category
    (remote attendee): the select and every item of that author say so, the account leaves
    the uncategorised list, the help lists the keys, `0` takes it away, and the report's
    categories count the account once it is given again."""
    page = console(contexts, server, "carol", "cat")
    page.keyboard.press("Tab")   # to the wall column
    page.wait_for_selector("#wall-panel.is-active")
    post_id = selected(page, "wall")
    author = page.get_attribute(f"#wall li[data-item-id='{post_id}']", "data-author")
    assert author and author.startswith("x:")
    page.wait_for_selector("#category-select:not([disabled])")
    page.wait_for_function("() => document.querySelectorAll('#uncategorised li select').length > 0")
    page.keyboard.press("2")
    page.wait_for_selector(f"#wall li[data-author='{author}'] .flag--category")
    flags = page.eval_on_selector_all(f"li[data-author='{author}'] .flag--category",
                                      "els => els.map(e => e.textContent)")
    assert flags and set(flags) == {"remote attendee"}
    assert page.input_value("#category-select") == "remote attendee"
    accounts = page.eval_on_selector_all("#uncategorised select",
                                         "els => els.map(e => e.dataset.account)")
    assert author not in accounts
    assert _report_categories(page, server)["remote attendee"] == 1
    help_keys = page.eval_on_selector_all("#help-keys dd", "els => els.map(e => e.textContent)")
    assert "Category: attendee" in help_keys and "Category: institution" in help_keys
    page.keyboard.press("0")
    page.wait_for_selector(f"#wall li[data-author='{author}'] .flag--category", state="detached")
    assert _report_categories(page, server)["remote attendee"] == 0
    page.keyboard.press("1")
    page.wait_for_selector(f"#wall li[data-author='{author}'] .flag--category")
    assert _report_categories(page, server)["attendee"] == 1
    grave = [v for v in run_axe(page) if v["impact"] in GRAVE]
    assert grave == []


def test_a_refused_category_shows_the_servers_words(server: ServerProcess,
                                                    contexts: Any) -> None:
    """A category the wall no longer offers (an admin changed the list meanwhile) is refused
    with 422: the box shows the server's detail and the select goes back."""
    page = console(contexts, server, "carol", "cat")
    page.keyboard.press("Tab")   # to the wall column: the queue of a post-moderated wall is empty
    page.wait_for_selector("#category-select:not([disabled])")
    page.eval_on_selector("#category-select", """s => {
        const o = document.createElement('option'); o.value = 'astronaut';
        o.textContent = 'astronaut'; s.append(o); }""")
    page.select_option("#category-select", "astronaut")
    page.wait_for_selector("#category-error:not([hidden])")
    assert "is not a category of this wall" in page.text_content("#category-error")
