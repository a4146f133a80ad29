"""The alert report opened in a real browser: Debian's chromium, headless, driven by Playwright's
Python API with its executable path (nothing downloaded). Skipped with the reason when chromium or
Playwright is missing, except under CI=true, where that is a failure (.ci/run installs both)."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import HOSTILE, batch_output, large_batch_output

from sanctions_screen.report import load_report, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A closed network: no background fetches, no sandbox (root in CI), no GPU.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing under CI=true (.ci/run installs it)")
    pytest.skip(f"{what} is not installed: apt-get install -y chromium; pip install playwright")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright")
    if CHROMIUM is None:
        _missing("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Opened:
    """A report open in a page, with every request and dialog it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Anything but the report itself is refused, and counted above.
        url = path.resolve().as_uri()
        self.page.route(
            "**/*", lambda route: route.continue_() if route.request.url == url else route.abort()
        )
        self.page.goto(url)

    def cards(self) -> int:
        return int(self.page.locator("[data-card]").count())

    def visible(self) -> int:
        return int(self.page.locator("#visible-count").inner_text().replace(",", ""))


@pytest.fixture
def seed(browser: Any, tmp_path: Path) -> Iterator[Opened]:
    out = tmp_path / "alerts.html"
    write_report(batch_output(tmp_path), out)
    opened = Opened(browser, out)
    yield opened
    opened.page.close()


def test_a_card_per_alerted_row_and_no_request_at_all(seed: Opened, tmp_path: Path) -> None:
    data = load_report(str(tmp_path / "results.csv"))
    assert seed.cards() == seed.visible() == len(data.cards) == 6
    assert seed.requests == [seed.page.url]  # the file itself, nothing else
    assert seed.errors == [] and seed.dialogs == []


def test_filters_change_the_visible_count(seed: Opened, tmp_path: Path) -> None:
    data = load_report(str(tmp_path / "results.csv"))
    orgs = sum(1 for c in data.cards if any(h.kind == "organization" for h in c.hits))
    seed.page.select_option("#f-kind", "organization")
    assert seed.visible() == seed.cards() == orgs == 1
    seed.page.select_option("#f-kind", "")
    sdgt = sum(1 for c in data.cards if any("SDGT" in h.programs for h in c.hits))
    seed.page.select_option("#f-program", "SDGT")
    assert seed.visible() == seed.cards() == sdgt
    seed.page.select_option("#f-program", "")
    seed.page.fill("#f-search-text", "zainab")  # a customer's name, or another name of a hit
    assert seed.cards() == 3
    seed.page.fill("#f-search-text", "MAHAN")
    assert seed.cards() == 1 and "Mahan Airlines" in seed.page.locator("[data-card]").inner_text()
    seed.page.fill("#f-search-text", "")
    assert seed.cards() == 6


def test_the_seed_alignment_is_shown_token_by_token(seed: Opened) -> None:
    card = seed.page.locator("[data-card]", has_text="Hussein Falih Aziz")
    pairs = card.locator(".pair")
    shown = sorted(
        (p.locator(".q").inner_text(), p.locator(".l").inner_text(), p.locator(".how").inner_text())
        for p in pairs.all()
    )
    assert shown == [
        ("Aziz", "AZIZ", "exact"),
        ("Falih", "Faleh", "variant"),
        ("Hussein", "Hussein", "exact"),
    ]
    assert card.locator(".pair.how-variant").count() == 1
    assert "AZIZ, Hussein Faleh" in card.inner_text() and "GLOMAG" in card.inner_text()


def test_hostile_names_are_text_and_run_nothing(seed: Opened) -> None:
    page = seed.page
    assert page.locator("img").count() == 0 and page.locator("#cards b").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    card = page.locator("[data-card]", has_text="onerror")
    assert HOSTILE in card.locator(".cust-name").inner_text()
    assert "<b>X</b>" in card.inner_text()  # a programme named with markup, shown as text
    bidi = page.locator("[data-card]", has_text="[U+202E]")
    assert bidi.count() == 1 and "[U+202C]" in bidi.inner_text()
    assert page.locator(".cust-name").first.get_attribute("dir") == "auto"
    assert seed.dialogs == [] and seed.errors == []


def test_the_screenshot_is_not_blank(seed: Opened, tmp_path: Path) -> None:
    from PIL import Image

    shot = seed.page.screenshot(full_page=True)
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert image.size[0] >= 1000 and len(colours) > 50


def test_a_large_output_opens_in_pages_and_filters(browser: Any, tmp_path: Path) -> None:
    src = tmp_path / "large.csv"
    large_batch_output(src, rows=100_000, alerts=2_000)
    out = tmp_path / "large.html"
    summary = write_report(src, out)
    assert (summary.rows, summary.alerted_rows) == (100_000, 2_000)
    opened = Opened(browser, out)
    assert opened.visible() == 2_000 and opened.cards() == 50  # one page of cards
    opened.page.click("#more")
    assert opened.cards() == 100
    data = load_report(str(src))
    high = sum(1 for c in data.cards if c.hits[0].band == "very-high")
    opened.page.select_option("#f-band", "very-high")
    assert opened.visible() == high and opened.cards() == min(50, high)
    opened.page.select_option("#f-list", "l1")
    both = sum(1 for c in data.cards if c.hits[0].band == "very-high" and c.hits[0].list == "l1")
    assert opened.visible() == both
    assert opened.requests == [opened.page.url]
    opened.page.close()
