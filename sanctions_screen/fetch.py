"""Download official lists into a local cache, versioned by content hash.

Layout: `CACHE/LIST/<hash>/<files>` per version (and its saved index `CACHE/LIST/<hash>.index`,
see `cached_index`), and `CACHE/LIST/manifest.json` naming the current
and previous versions with each file's URL, sha256 and fetch time. A download is written to a
temporary folder, parsed, and only then renamed into place; an empty or unparsable download never
replaces a good copy. The previous version is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import ListFormatError
from .sources import load_list

# Publisher URLs (see README). Each list: (file name in the cache, URL).
SOURCES: dict[str, list[tuple[str, str]]] = {
    "us_ofac_sdn": [
        (
            "sdn.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
        ),
        (
            "alt.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV",
        ),
        (
            "add.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV",
        ),
        (
            "sdn_comments.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV",
        ),
    ],
    "us_ofac_cons": [
        (
            "cons_prim.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_PRIM.CSV",
        ),
        (
            "cons_alt.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ALT.CSV",
        ),
        (
            "cons_add.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ADD.CSV",
        ),
        (
            "cons_comments.csv",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_COMMENTS.CSV",
        ),
    ],
    "un_sc": [("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml")],
    "gb_ofsi": [
        (
            "ConList.csv",
            "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        )
    ],
    "eu_fsf": [
        (
            "eu_fsf.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
        )
    ],
}
TIMEOUT_SECONDS = 120


def default_cache_dir() -> Path:
    """`$SANCTIONS_SCREEN_CACHE`, else `~/.cache/sanctions_screen`."""
    env = os.environ.get("SANCTIONS_SCREEN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "sanctions_screen"


def _manifest_path(cache: Path, name: str) -> Path:
    return cache / name / "manifest.json"


def read_manifest(
    name: str, cache_dir: str | os.PathLike[str] | None = None
) -> dict[str, object] | None:
    """The manifest of one cached list, None when it was never fetched.

    >>> read_manifest("un_sc", "/nonexistent") is None
    True
    """
    p = _manifest_path(Path(cache_dir) if cache_dir else default_cache_dir(), name)
    return json.loads(p.read_text()) if p.exists() else None


def cached_list_path(name: str, cache_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """What to pass to `load_list` for the current cached copy of a list, None if not cached."""
    manifest = read_manifest(name, cache_dir)
    if not manifest:
        return None
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    folder = cache / name / str(manifest["current"])
    files = SOURCES[name]
    return folder if len(files) > 1 else folder / files[0][0]


def cached_index_path(name: str, cache_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Where the saved index of the current cached copy of a list is kept (beside its version
    folder, `CACHE/LIST/<version>.index`), None if the list is not cached.

    >>> cached_index_path("un_sc", "/nonexistent") is None
    True
    """
    manifest = read_manifest(name, cache_dir)
    if not manifest:
        return None
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    return cache / name / f"{manifest['current']}.index"


def _download(url: str, target: Path) -> None:
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as resp, open(target, "wb") as out:  # noqa: S310
        shutil.copyfileobj(resp, out)


def fetch_list(
    name: str, cache_dir: str | os.PathLike[str] | None = None, base_url: str | None = None
) -> str:
    """Fetch one list into the cache; returns a one-line report. `base_url` replaces the
    publisher's address (each file name is appended to it), for mirrors and tests."""
    if name not in SOURCES:
        raise ValueError(f"unknown list {name!r}; known: {', '.join(SOURCES)}")
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    root = cache / name
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".download-", dir=root))
    try:
        files: dict[str, dict[str, object]] = {}
        for filename, url in SOURCES[name]:
            if base_url:
                url = base_url.rstrip("/") + "/" + filename
            target = tmp / filename
            try:
                _download(url, target)
            except OSError as exc:
                return f"{name}: download failed, kept the cached copy: {url}: {exc}"
            data = target.read_bytes()
            if not data.strip():
                return f"{name}: {filename} downloaded empty, kept the cached copy"
            files[filename] = {
                "url": url,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        try:
            wl = load_list(tmp if len(files) > 1 else tmp / next(iter(files)))
        except ListFormatError as exc:
            return f"{name}: download does not parse, kept the cached copy: {exc}"
        digest = hashlib.sha256(
            "".join(str(f["sha256"]) for f in files.values()).encode()
        ).hexdigest()[:16]
        old = read_manifest(name, cache)
        if old and old.get("current") == digest:
            return f"{name}: unchanged (version {wl.version}, {digest})"
        final = root / digest
        if not final.exists():
            os.rename(tmp, final)
        manifest = {
            "list": name,
            "current": digest,
            "previous": old.get("current") if old else None,
            "version": wl.version,
            "entries": len(wl.entries),
            "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": files,
        }
        tmp_manifest = root / ".manifest.tmp"
        tmp_manifest.write_text(json.dumps(manifest, indent=2))
        os.replace(tmp_manifest, _manifest_path(cache, name))
        _prune(root, keep={digest, str(manifest["previous"])})
        return f"{name}: fetched version {wl.version} ({len(wl.entries)} entries, {digest})"
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _prune(root: Path, keep: set[str]) -> None:
    for child in root.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
        elif child.suffix == ".index" and child.stem not in keep:
            child.unlink(missing_ok=True)  # the saved index of a version no longer kept


def fetch_lists(
    names: Sequence[str] | None,
    cache_dir: str | os.PathLike[str] | None = None,
    urls: dict[str, str] | None = None,
) -> Iterator[str]:
    """Fetch several lists (all known ones by default), one report line each."""
    for name in names or list(SOURCES):
        yield fetch_list(name, cache_dir, (urls or {}).get(name))
