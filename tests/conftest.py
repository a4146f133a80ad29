"""Shared fixtures: where the real list files are, and small screeners."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def data_dir() -> Path | None:
    """`$SANCTIONS_SCREEN_DATA`, else `../shared/data` beside the repository; None if absent."""
    env = os.environ.get("SANCTIONS_SCREEN_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def data() -> Path:
    """The real data folder; skips when absent, fails when absent under CI=true."""
    path = data_dir()
    if path is None:
        reason = "real list files not found: set SANCTIONS_SCREEN_DATA or place shared/data beside the repo"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def sdn2021(data: Path):
    from sanctions_screen import load_list

    return load_list(data / "ofac_sdn_2021-07-07")


@pytest.fixture(scope="session")
def sdn2021_screener(sdn2021):
    from sanctions_screen import Screener

    return Screener(sdn2021)


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory):
    """The command line keeps saved indexes in its cache folder: the tests keep theirs in a
    temporary one (the commands they run inherit it), never in the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SANCTIONS_SCREEN_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield
