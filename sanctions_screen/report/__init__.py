"""The analyst's view: a batch or monitoring output as one self-contained HTML page, a card per
alerted row, highest score first, with each hit's token alignment, filters and a score chart;
readable offline (nothing is fetched), printable.

>>> # from sanctions_screen.report import write_report
>>> # write_report("results.csv", "alerts.html")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ..decisions import DecisionStore, decision_store
from .model import BANDS, ReportData, band_of
from .page import render
from .read import load_report


class ReportSummary(NamedTuple):
    """What a written report holds."""

    rows: int
    alerted_rows: int
    alerts: int
    errors: int


def write_report(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    decisions: DecisionStore | str | os.PathLike[str] | None = None,
    input_format: str | None = None,
) -> ReportSummary:
    """Write the report of a batch or monitoring output (CSV, JSON lines or Parquet) to an HTML
    file, replaced whole. `decisions` (a store or a path): each hit shows the newest decision on
    its customer and entry.

    >>> # write_report("results.csv", "alerts.html", decisions="decisions.db").alerted_rows
    """
    data = load_report(os.fspath(input_path), input_format, decision_store(decisions))
    out = Path(output_path)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(render(data), encoding="utf-8")
    os.replace(tmp, out)
    return ReportSummary(data.rows, len(data.cards), data.alerts, len(data.errors))


__all__ = [
    "BANDS",
    "ReportData",
    "ReportSummary",
    "band_of",
    "load_report",
    "render",
    "write_report",
]
