"""The report page: one self-contained HTML file (styles, script, chart and data inline; a
Content-Security-Policy that forbids fetching anything), its header written here with every value
escaped, its cards built in the browser from the embedded data with `textContent` only."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from importlib import resources
from typing import Any

from .. import __version__
from .chart import score_histogram
from .model import BANDS, ReportData

# Nothing may be fetched: no script, style, image, font or connection from anywhere.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
HOW = (
    ("exact", "same spelling"),
    ("variant", "known romanisation or reading"),
    ("cross_script", "other script"),
    ("typo", "typo"),
    ("initial", "initial"),
    ("glued", "words glued"),
    ("unmatched", "unmatched"),
)


def _asset(name: str) -> str:
    return (resources.files("sanctions_screen.report") / name).read_text(encoding="utf-8")


def embedded_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no "<", ">" or "&" can end it early.

    >>> embedded_json({"name": "</script><img src=x>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _payload(data: ReportData) -> dict[str, Any]:
    hits = [h for c in data.cards for h in c.hits]
    return {
        "cards": [c.model_dump() for c in data.cards],
        "bands": [{"id": b, "label": label} for b, label, _ in BANDS],
        "lists": sorted({h.list for h in hits if h.list}),
        "programs": sorted({p for h in hits for p in h.programs}),
        "kinds": sorted({h.kind for h in hits if h.kind}),
    }


def _header(data: ReportData) -> str:
    e = escape
    facts = [
        ("Screened", data.screened or "not recorded"),
        ("Source", f"{data.source} ({data.kind} output)"),
        ("Source sha256", data.source_sha256),
        ("Threshold", "not recorded" if data.threshold is None else f"{data.threshold:.2f}"),
        ("Library", data.library or "not recorded"),
        ("Algorithm", data.algorithm or "not recorded"),
        (
            "Report made",
            f"{datetime.now(UTC).isoformat(timespec='seconds')} by sanctions_screen {__version__}",
        ),
    ]
    meta = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd><br>" for k, v in facts)
    lists = "".join(
        f"<tr><td>{e(x.name)}</td><td>{e(x.version)}</td><td class='sha'>{e(', '.join(x.sha256))}</td></tr>"
        for x in data.lists
    )
    bands = data.band_counts()
    labels = {b: label for b, label, _ in BANDS}
    counts = [
        ("Rows", data.rows),
        ("Rows with alerts", len(data.cards)),
        ("Alerts", data.alerts),
        *((f"Alerts {labels[b]}", n) for b, n in bands.items()),
        ("Rows with errors", len(data.errors)),
    ]
    count_rows = "".join(
        f"<tr><th>{e(k)}</th><td id='count-{i}'>{n:,}</td></tr>" for i, (k, n) in enumerate(counts)
    )
    legend = "".join(f"<span class='pair how-{k}'>{e(v)}</span>" for k, v in HOW)
    chart = score_histogram([h.score for c in data.cards for h in c.hits], data.threshold)
    return f"""<header class="top">
<div><h1>Alert review</h1><dl class="meta">{meta}</dl>
<table class="counts"><tr><th>List</th><th>Version</th><th>sha256</th></tr>{lists}</table></div>
<div><table class="counts">{count_rows}</table></div>
<div><div class="chart-box">{chart}</div><p class="legend">{legend}</p></div>
</header>"""


def _errors(data: ReportData) -> str:
    if not data.errors:
        return ""
    rows = "".join(
        f"<tr><td>{'' if r.row is None else r.row}</td><td dir='auto'>{escape(r.id or '')}</td>"
        f"<td dir='auto'>{escape(r.name or '')}</td><td>{escape(r.error)}</td></tr>"
        for r in data.errors
    )
    return (
        f"<section class='errors'><h2>Rows not screened ({len(data.errors):,})</h2>"
        f"<table class='counts'><tr><th>Row</th><th>Id</th><th>Name</th><th>Error</th></tr>{rows}</table></section>"
    )


def _closed(data: ReportData) -> str:
    if not data.closed:
        return ""
    items = "".join(f"<li dir='auto'>{escape(line)}</li>" for line in data.closed)
    return f"<section class='closed'><h2>Alerts closed ({len(data.closed):,})</h2><ul>{items}</ul></section>"


def render(data: ReportData) -> str:
    """The whole page.

    >>> from .model import ReportData
    >>> "<h1>Alert review</h1>" in render(ReportData(source="x.csv", source_sha256="0", kind="batch"))
    True
    """
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<title>Alert review: {escape(data.source)}</title>
<style>{_asset("page.css")}</style></head>
<body>
{_header(data)}
<div class="filters" role="search">
<label>Score band <select id="f-band"><option value="">all</option></select></label>
<label>List <select id="f-list"><option value="">all</option></select></label>
<label>Programme <select id="f-program"><option value="">all</option></select></label>
<label>Kind <select id="f-kind"><option value="">all</option></select></label>
<label>Search <input id="f-search-text" type="search" placeholder="name, id, entry"></label>
<span><b id="visible-count">{len(data.cards):,}</b> of {len(data.cards):,} alerted rows</span>
</div>
<main><noscript>The cards need JavaScript; the counts and errors above do not.</noscript>
<div id="cards"></div><button id="more" type="button" hidden>Show more</button>
{_errors(data)}{_closed(data)}
</main>
<script type="application/json" id="report-data">{embedded_json(_payload(data))}</script>
<script>{_asset("page.js")}</script>
</body></html>
"""


__all__ = ["CSP", "embedded_json", "render"]
