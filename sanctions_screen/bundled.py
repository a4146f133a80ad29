"""The bundled sample list and `screen(name)` against it."""

from __future__ import annotations

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


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """A Screener over the bundled sample list, built once."""
    return Screener(bundled_list())


def screen(name: str, **kwargs: Any) -> ScreenResult:
    """Screen a name against the bundled sample list (see `Screener.screen` for options).

    >>> screen("Hussein Falih Aziz").hits[0].entry.id
    'us_ofac_sdn:27994'
    """
    return default_screener().screen(name, **kwargs)
