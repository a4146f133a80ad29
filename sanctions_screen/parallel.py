"""Screening on several processes that share one built index.

Workers are forked after the Screener is built, so each inherits the index copy-on-write instead of
rebuilding it from the raw files. Results come back in input order. On platforms without `fork`
the work runs in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORK: Callable[[Any], Any] | None = None


def resolve_workers(workers: int) -> int:
    """`0` means all cores; negative numbers are an error.

    >>> resolve_workers(3)
    3
    """
    if workers < 0:
        raise ValueError(f"workers must be 0 (all cores) or more, got {workers}")
    return workers or os.cpu_count() or 1


def _run_chunk(chunk: list[Any]) -> list[Any]:
    assert _WORK is not None
    return _WORK(chunk)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ordered_map(
    work: Callable[[list[T]], list[R]], items: Iterable[T], workers: int, chunk_size: int = 256
) -> Iterator[R]:
    """`work` over `items` in chunks of `chunk_size`, on `workers` forked processes, lazily and
    in input order; `work` returns one result per item of its chunk.

    >>> list(ordered_map(lambda xs: [abs(x) for x in xs], [-1, 2, -3], workers=1))
    [1, 2, 3]
    """
    n = resolve_workers(workers)
    if n == 1 or "fork" not in mp.get_all_start_methods():
        for chunk in _chunks(items, chunk_size):
            yield from work(chunk)
        return
    global _WORK
    _WORK = work
    ctx = mp.get_context("fork")
    with ctx.Pool(n) as pool:
        # imap keeps order and pulls input lazily, so memory stays flat on long inputs.
        for done in pool.imap(_run_chunk, _chunks(items, chunk_size), chunksize=1):
            yield from done
