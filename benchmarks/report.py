"""The alert report on a large batch output, and the screenshot of the seed report.

A batch output of 100,000 rows with 2,000 alerts: the time to write its report (beside reading the
same file with the csv module, in the same run) and, in Debian's chromium driven by Playwright,
the time to open it, to apply a filter and to show the next page (beside opening an empty report).
Then the seed report (the seed names screened against the bundled sample list) is screenshotted to
docs/alert-report.png, which the README shows.

    python benchmarks/report.py [--rows 100000] [--alerts 2000]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Timer, record

from sanctions_screen import Screener, bundled_list
from sanctions_screen.batch import screen_file
from sanctions_screen.report import write_report

sys.path.insert(0, str(ROOT / "tests"))
from report_fixtures import large_batch_output  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SEED = [
    "Hussein Falih Aziz",
    "Abu Zainab al-Lami",
    "حسين فالح عزيز",
    "Hussein Ali",
    "",
    "Mahan Air",
]


def open_times(browser, path: Path, repeat: int = 3) -> dict[str, float]:  # noqa: ANN001
    """Median seconds to open the page until its cards are drawn, to filter, to page on."""
    out: dict[str, list[float]] = {"open": [], "filter": [], "more": []}
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("#visible-count")
        out["open"].append(time.perf_counter() - start)
        if page.locator("[data-card]").count() >= 50:
            start = time.perf_counter()
            page.select_option("#f-band", "very-high")
            page.locator("#visible-count").inner_text()
            out["filter"].append(time.perf_counter() - start)
            page.select_option("#f-band", "")
            start = time.perf_counter()
            page.click("#more")
            page.locator("[data-card]").nth(99).wait_for()
            out["more"].append(time.perf_counter() - start)
        page.close()
    return {k: statistics.median(v) for k, v in out.items() if v}


def seed_screenshot(browser, folder: Path) -> Path:  # noqa: ANN001
    src = folder / "seed.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        w.writerows((f"C{i + 1}", n) for i, n in enumerate(SEED))
    screen_file(
        Screener(bundled_list()),
        str(src),
        str(folder / "seed_out.csv"),
        name_column="name",
        id_column="id",
    )
    write_report(folder / "seed_out.csv", folder / "seed.html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((folder / "seed.html").resolve().as_uri())
    target = ROOT / "docs" / "alert-report.png"
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    page.close()
    return target


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--alerts", type=int, default=2_000)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        src = folder / "large.csv"
        large_batch_output(src, args.rows, args.alerts)
        with Timer() as read, open(src, encoding="utf-8", newline="") as f:
            sum(1 for _ in csv.DictReader(f))
        with Timer() as write:
            write_report(src, folder / "large.html")
        empty = folder / "empty.csv"
        large_batch_output(empty, 1_000, 1)
        write_report(empty, folder / "empty.html")
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        base = open_times(browser, folder / "empty.html")
        large = open_times(browser, folder / "large.html")
        shot = seed_screenshot(browser, folder)
        browser.close()
        size = (folder / "large.html").stat().st_size
    body = f"""Command: `python benchmarks/report.py --rows {args.rows} --alerts {args.alerts}`

| step | seconds | against the baseline |
|---|---|---|
| write the report of {args.rows:,} rows, {args.alerts:,} alerts ({size / 1e6:.1f} MB of HTML) | {write.seconds:.2f} | {write.seconds / read.seconds:.1f}x reading the file with `csv.DictReader` ({read.seconds:.2f} s) |
| open it in chromium until the first page of 50 cards is drawn | {large["open"]:.2f} | {large["open"] / base["open"]:.1f}x opening a report of 1 alert ({base["open"]:.2f} s) |
| filter by score band (count and cards redrawn) | {large["filter"]:.3f} | |
| show the next 50 cards | {large["more"]:.3f} | |

Median of 3 opens each, headless Debian chromium driven by Playwright. The seed report's screenshot
is `{shot.relative_to(ROOT)}`.
"""
    print(body)
    record("Alert report (benchmarks/report.py)", body)


if __name__ == "__main__":
    main()
