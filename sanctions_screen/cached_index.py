"""Saved indexes kept for the command line: a ready Screener for a set of lists, loaded from a
saved index when one matches the list files, else built and saved for the next run.

Where they live: beside a fetched list's version (`CACHE/LIST/<version>.index`) when a command
names one fetched list; otherwise `CACHE/indexes/<where>-<what>.index`, `where` a hash of the
list paths and options, `what` a hash of the files' sha256. A saved index is only used when the
sha256 of the list files read now are those it was built from: any mismatch (a list file
changed, a truncated or corrupted index, another library version) rebuilds it, with one line
through `warn`, never a stale result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from .errors import IndexFormatError, ListFormatError
from .screener import Screener
from .sources import load_list, source_hashes

SUFFIX = ".index"
KEEP_INDEXES = 8  # saved indexes kept in CACHE/indexes (the most recently used)


class ListSpec(NamedTuple):
    """One list a command screens against: what to load, the name to give it (None: the
    list's own), and the saved index kept beside it (a fetched list's version), if any."""

    path: Path
    name: str | None = None
    beside: Path | None = None


def resolve_list(spec: str, name: str | None = None, cache_dir: str | None = None) -> ListSpec:
    """What `--list` names: a list file or folder, else a list fetched by `lists fetch` (its
    newest cached version, with its saved index beside it); ListFormatError when it is neither.

    >>> resolve_list(".").path
    PosixPath('.')
    """
    p = Path(spec)
    if p.exists():
        return ListSpec(p, name)
    from .fetch import cached_index_path, cached_list_path

    cached = cached_list_path(spec, cache_dir)
    if cached is None:
        raise ListFormatError(
            "no such file, and no cached list of that name (run 'sanctions-screen lists fetch')",
            path=spec,
        )
    return ListSpec(Path(cached), name, None if name else cached_index_path(spec, cache_dir))


def resolve_lists(
    specs: Sequence[str], names: Sequence[str], cache_dir: str | None = None
) -> list[ListSpec]:
    """Each `--list` resolved, with the `--list-name` at its place (ValueError when there are
    more names than lists).

    >>> [s.name for s in resolve_lists([".", "."], ["a"])]
    ['a', None]
    """
    if len(names) > len(specs):
        raise ValueError("more --list-name than --list options: each names the --list at its place")
    return [
        resolve_list(spec, names[i] if i < len(names) else None, cache_dir)
        for i, spec in enumerate(specs)
    ]


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:20]


def index_path(
    specs: Sequence[ListSpec],
    hashes: Sequence[dict[str, str]],
    require_aliases: bool,
    cache_dir: Path,
) -> Path:
    """Where the saved index of these lists is kept; `hashes`: each list's `source_hashes`.

    >>> index_path([ListSpec(Path("x"), beside=Path("/c/un_sc/ab12.index"))], [{}], False, Path("/c"))
    PosixPath('/c/un_sc/ab12.index')
    """
    if len(specs) == 1 and specs[0].beside is not None and not require_aliases:
        return specs[0].beside
    where = _digest([sorted((str(s.path.resolve()), s.name or "") for s in specs), require_aliases])
    what = _digest(
        sorted((s.name or "", sorted(h.values())) for s, h in zip(specs, hashes, strict=True))
    )
    return cache_dir / "indexes" / f"{where}-{what}{SUFFIX}"


def ready_screener(
    specs: Sequence[ListSpec],
    *,
    require_aliases: bool,
    cache_dir: Path,
    threshold: float | None = None,
    audit: str | os.PathLike[str] | None = None,
    warn: Callable[[str], None],
) -> Screener:
    """A Screener over these lists: the saved index when it matches the list files, else built
    (and saved for the next run; a cache that cannot be written is a warning, not an error).
    `threshold` and `audit` as `Screener` takes them.

    >>> # ready_screener([ListSpec(Path("sdn_folder"))], require_aliases=False,
    >>> #                cache_dir=default_cache_dir(), warn=print).screen("Ali Hassan")
    """
    hashes = [source_hashes(s.path, name=s.name) for s in specs]
    path = index_path(specs, hashes, require_aliases, cache_dir)
    if path.exists():
        try:
            screener = Screener.load(
                path,
                threshold=threshold,
                sources=[d for h in hashes for d in h.values()],
                audit=audit,
            )
            _touch(path)
            return screener
        except IndexFormatError as exc:
            warn(f"saved index not used ({exc}); rebuilding it")
    elif _earlier_versions(path):
        warn("the list files changed since their saved index was built; rebuilding it")
    lists = [load_list(s.path, name=s.name, require_aliases=require_aliases) for s in specs]
    screener = Screener(lists, threshold=threshold, audit=audit)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        screener.save(path)
    except OSError as exc:
        warn(f"could not save the index for the next run ({path}): {exc.strerror or exc}")
        return screener
    if path.parent.name == "indexes":
        _prune(path)
    return screener


def _earlier_versions(path: Path) -> list[Path]:
    """The other saved indexes in CACHE/indexes of the same list paths and options (built from
    their files as they were before); none for an index kept beside a fetched version."""
    if path.parent.name != "indexes":
        return []
    where = path.name.split("-")[0]
    return [p for p in path.parent.glob(f"{where}-*{SUFFIX}") if p != path]


def _prune(kept: Path) -> None:
    """Drop the indexes of the same lists' earlier files, and all but the most recently used."""
    for p in _earlier_versions(kept):
        p.unlink(missing_ok=True)
    rest = sorted(
        (p for p in kept.parent.glob("*" + SUFFIX) if p != kept),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for p in rest[KEEP_INDEXES - 1 :]:
        p.unlink(missing_ok=True)


def _touch(path: Path) -> None:
    # Pruning keeps the most recently used.
    with contextlib.suppress(OSError):
        os.utime(path)


__all__ = ["KEEP_INDEXES", "ListSpec", "index_path", "ready_screener"]
