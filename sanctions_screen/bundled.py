"""The bundled sample list and `screen(name)` against it."""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .models import ScreenResult, Watchlist
from .screener import Screener
from .sources import load_list


def bundled_list_path() -> Path:
    """Where the bundled sample list lies inside the installed package."""
    return Path(str(resources.files("sanctions_screen") / "data" / "sample_list.jsonl"))


@lru_cache(maxsize=1)
def bundled_list() -> Watchlist:
    """The bundled sample list: a few dozen real designations, not for compliance decisions.

    >>> bundled_list().name
    'sample'
    """
    return load_list(bundled_list_path())


class SampleListWarning(UserWarning):
    """Screening against the bundled sample list, which is not a sanctions list."""


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """A Screener over the bundled sample list, built once; warns (`SampleListWarning`, once per
    process) that the sample is not a sanctions list, so that code calling `screen` in production
    by mistake is told so."""
    warnings.warn(
        "sanctions_screen.screen() screens against the bundled sample list of "
        f"{len(bundled_list().entries)} entries, which is not a sanctions list: build a "
        "Screener over load_list(...) of the official lists",
        SampleListWarning,
        stacklevel=3,
    )
    return Screener(bundled_list())


def screen(name: str, **kwargs: Any) -> ScreenResult:
    """Screen a name against the bundled sample list (see `Screener.screen` for options).

    >>> screen("Hussein Falih Aziz").hits[0].entry.id
    'us_ofac_sdn:27994'
    """
    return default_screener().screen(name, **kwargs)
