"""The run manifest kept beside a batch output: what made it (input hash, options, lists and
versions, formats), and whether the run finished. `--resume` continues an output only when the
manifest says the same run made it."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__

MANIFEST_VERSION = 1
# The keys that must agree for a run to continue an output.
_SAME_RUN = ("input_sha256", "input_format", "output_format", "options", "lists", "algorithm")


def manifest_path(output: str) -> Path:
    """Where the manifest of an output file lies: beside it, `OUTPUT.manifest.json`.

    >>> manifest_path("out/results.csv").name
    'results.csv.manifest.json'
    """
    p = Path(output)
    return p.with_name(p.name + ".manifest.json")


def file_sha256(path: str) -> str:
    """The sha256 of a file, read in blocks.

    >>> len(file_sha256(__file__))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_run(
    input_path: str,
    input_format: str,
    output_format: str,
    options: dict[str, Any],
    lists: list[tuple[str, str]],
    algorithm: str,
    list_files: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A manifest (not yet complete) for a run. `list_files`: each list's name, version and
    files' sha256 (shown by an alert report, not compared by `--resume`)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "input": os.path.abspath(input_path),
        "input_sha256": file_sha256(input_path),
        "input_format": input_format,
        "output_format": output_format,
        "options": options,
        "lists": [list(x) for x in lists],
        "algorithm": algorithm,
        "library": __version__,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "list_files": list_files or [],
        "complete": False,
    }


def read_manifest(output: str) -> dict[str, Any] | None:
    """The manifest beside an output, None when there is none; ValueError when unreadable."""
    p = manifest_path(output)
    if not p.exists():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"{p}: unreadable run manifest ({exc}); start afresh without --resume"
        ) from exc
    if not isinstance(data, dict):
        raise ValueError(f"{p}: not a run manifest; start afresh without --resume")
    return data


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in _SAME_RUN:
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += [
                f"{key}.{k}: {a.get(k)!r} then, {b.get(k)!r} now" for k in b if a.get(k) != b[k]
            ]
        elif a != b:
            out.append(f"{key}: {a!r} then, {b!r} now")
    return out


def check_same_run(old: dict[str, Any], new: dict[str, Any], output: str) -> None:
    """ValueError naming what differs when `old` was not made by the same run as `new`.

    >>> check_same_run({"manifest_version": 1, "options": {"limit": 10}},
    ...                {"manifest_version": 1, "options": {"limit": 5}}, "out.csv")
    Traceback (most recent call last):
    ...
    ValueError: --resume: out.csv was made by another run (options.limit: 10 then, 5 now); start afresh without --resume, or write to another output
    """
    differ = _differences(old, new)
    if old.get("manifest_version") != MANIFEST_VERSION:
        differ.insert(0, f"manifest_version: {old.get('manifest_version')!r}")
    if differ:
        raise ValueError(
            f"--resume: {output} was made by another run ({'; '.join(differ)}); "
            "start afresh without --resume, or write to another output"
        )


def write_manifest(output: str, manifest: dict[str, Any]) -> None:
    """Write the manifest beside the output, atomically (a torn manifest would block a resume)."""
    p = manifest_path(output)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(p)
