"""The HTTP service under load on 127.0.0.1, against the four lists.

Starts `sanctions-screen serve --workers 2` once to build the saved index, then once per row,
each start timed from launch to /readyz green. A load client (wrk, Debian's package: a C client,
so that the client's own CPU takes as little as possible from the 2 cores the server shares with
it) sends single-name `POST /screen` requests for a fixed time, then, to a new server, `POST
/match/default` with one query each, once for each number of connections of the sweep (each row
its own names: cold caches), and reports requests per second, p50, p99 and errors, beside the
same names screened through the library in this process (the HTTP overhead as a ratio). Last,
twice the largest concurrency against a small bound on work (`--max-at-work`): 429s, and no
request slower than the timeout.

    python benchmarks/service.py [--requests 60000] [--seconds 12] [--concurrency 8 16]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import httpx
from common import Timer, data_dir, record

from sanctions_screen import Screener, load_list

# The four lists of the speed benchmark, as `--list` takes them (the SDN without the 2025 aliases,
# which a --list cannot add to a folder).
LISTS = (
    "ofac_sdn_2024-05-03",
    "ofac_cons_2025-12",
    "un_2026-02-27/consolidated.xml",
    "uk_ofsi_2025-04-14/ConList.xlsx",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(lists: list[Path], cache: Path, port: int, *extra: str) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "sanctions_screen.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    for p in lists:
        args += ["--list", str(p)]
    return subprocess.Popen(
        [*args, "--cache-dir", str(cache), *extra],
        stdout=subprocess.DEVNULL,
        stderr=open(cache / "serve.log", "ab"),  # noqa: SIM115
        start_new_session=True,
    )


def wait_ready(port: int, timeout: float, proc: subprocess.Popen) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before it was ready")
        try:
            # Once `serve` has bound the port, a request waits in its backlog until a worker
            # takes it: a short timeout here would drop it and add its wait to the figure.
            left = max(0.1, timeout - (time.perf_counter() - start))
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=left).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"the server on port {port} was not ready within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)


def lua(path: str, bodies: list[dict]) -> str:
    """A wrk script: POST each body in turn to `path`."""
    lines = [json.dumps(json.dumps(b, ensure_ascii=False), ensure_ascii=False) for b in bodies]
    return (
        "local bodies = {\n" + ",\n".join(lines) + "\n}\n"
        "local sent = 0\n"
        "wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\n"
        f"request = function()\n  sent = sent + 1\n  return wrk.format(nil, '{path}', nil, bodies[(sent % #bodies) + 1])\nend\n"
    )


def _ms(text: str) -> float:
    number = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[0-9.]+", "", text)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load(
    port: int, path: str, bodies: list[dict], concurrency: int, folder: Path, seconds: int
) -> dict:
    """wrk (one thread, `concurrency` connections, for `seconds`, then it stops by itself)
    against the server; its throughput, latency percentiles, non-2xx answers and socket errors."""
    script = folder / f"load{concurrency}.lua"
    script.write_text(lua(path, bodies), encoding="utf-8")
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    assert latency, out
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "max": _ms(latency.group(3)),
        "non_2xx": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
        else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    }


def _script(text: str) -> str:
    return unicodedata.name(text[0], "?").split()[0] if text else "?"


def names(data: Path, n: int) -> list[str]:
    """`n` distinct names: those of negatives/, then each one's surname swapped for another's of
    the same script (the file holds 25,000; the rows of a sweep need more, each its own)."""
    with open(data / "negatives" / "synthetic_persons_dev.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = list(dict.fromkeys(r["full_name"] for r in rows))
    seen = set(out)
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r["last_name"] and r["last_name"] in r["full_name"]:
            groups.setdefault(_script(r["last_name"]), []).append(r)
    shift = 1
    while len(out) < n and shift < 1000:
        for group in groups.values():
            for i, r in enumerate(group):
                other = group[(i + shift * 7919) % len(group)]["last_name"]
                name = r["full_name"].replace(r["last_name"], other)
                if name not in seen:
                    seen.add(name)
                    out.append(name)
        shift += 1
    random.Random(5).shuffle(out)  # each row a mix of scripts, as the file is
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--requests",
        type=int,
        default=60000,
        help="distinct names, shared out among the rows (each row's caches cold)",
    )
    ap.add_argument("--seconds", type=int, default=12, help="each load phase's duration")
    ap.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[8, 16],
        help="open connections, one pair of rows (/screen, /match) for each",
    )
    args = ap.parse_args()
    data = data_dir()
    lists = [data / x for x in LISTS]
    rows = 2 * len(args.concurrency) + 1
    pool = names(data, args.requests)
    share = len(pool) // rows
    slices = [pool[k * share : (k + 1) * share] for k in range(rows)]
    library_names = slices[0][:4000]
    results: list[tuple[str, int, dict]] = []
    readies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        port = free_port()
        first = serve(lists, cache, port)
        with Timer() as build:
            wait_ready(port, 600, first)
        stop(first)

        def row(path: str, bodies: list[dict], concurrency: int, *extra: str) -> dict:
            # Each row on a server started for it: the names of one row share first names and
            # surnames with another's, which a server that has screened them holds in its caches.
            port = free_port()
            proc = serve(lists, cache, port, *extra)
            readies.append(wait_ready(port, 60, proc))
            try:
                return load(port, path, bodies, concurrency, cache, args.seconds)
            finally:
                stop(proc)

        at = 0
        for c in args.concurrency:
            screen_bodies = [{"name": n} for n in slices[at]]
            results.append(("`POST /screen`, one name", c, row("/screen", screen_bodies, c)))
            match_bodies = [
                {"queries": {"q": {"schema": "Person", "properties": {"name": [n]}}}}
                for n in slices[at + 1]
            ]
            results.append(
                ("`POST /match/default`, one query", c, row("/match/default", match_bodies, c))
            )
            at += 2
        twice = 2 * max(args.concurrency)
        over = row(
            "/screen",
            [{"name": n} for n in slices[at]],
            twice,
            "--max-at-work",
            "4",
            "--timeout",
            "2",
        )
        screener = Screener([load_list(p) for p in lists])
        with Timer() as lib:
            for n in library_names:
                screener.screen(n)
    lib_rps = len(library_names) / lib.seconds
    record_results(args, results, over, twice, lib_rps, readies, build.seconds)


def _table_row(r: dict) -> str:
    """One table row's cells after the first two: rate, latencies, what was answered."""
    return (
        f"{r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | "
        f"{r['requests']:,} answered, {r['non_2xx']} not 2xx, {r['socket_errors']} socket errors"
    )


def _meets(r: dict) -> bool:
    return r["rps"] >= 1000 and r["p99"] < 25 and r["non_2xx"] == 0 and r["socket_errors"] == 0


def record_results(
    args: argparse.Namespace,
    results: list[tuple[str, int, dict]],
    over: dict,
    twice: int,
    lib_rps: float,
    readies: list[float],
    build_s: float,
) -> None:
    lines = [f"| {what} | {c} | {_table_row(r)} |" for what, c, r in results]
    met = {
        what: [c for w, c, r in results if w == what and _meets(r)]
        for what in dict.fromkeys(w for w, _, _ in results)
    }
    verdict = "; ".join(
        f"{what}: met at {', '.join(map(str, cs))} connections" if cs else f"{what}: not met"
        for what, cs in met.items()
    )
    best = {what: max(r["rps"] for w, _, r in results if w == what) for what in met}
    ratios = ", ".join(f"{best[w] / lib_rps:.2f}x ({w})" for w in best)
    body = f"""Command: `python benchmarks/service.py --requests {args.requests} --seconds {args.seconds} --concurrency {" ".join(map(str, args.concurrency))}`

`sanctions-screen serve --workers 2` on 127.0.0.1 against the four lists, loaded from the saved
index; the load client (wrk from Debian, one thread, on the same 2-core machine, {args.seconds} s per
row, then it stops by itself) keeps the given number of connections busy, each sending its next
name as soon as the last is answered. Every row runs on a server started for it and sends names
of its own ({args.requests:,} distinct names shared out among the rows: the 25,000 of negatives/, then
the same with surnames swapped within a script), so caches start cold and mostly no name hits.
A closed-loop client holds latency near connections / throughput (Little's law: 16 connections at
1,000 requests/s wait 16 ms on average), so the sweep shows the rate each latency allows. The
library row screens names of the first row one by one in one process (one core) in the same run.

| what | connections | requests/s | p50 ms | p99 ms | max ms | answers |
|---|---|---|---|---|---|---|
{chr(10).join(lines)}
| library `screen()`, same names, one core | | {lib_rps:.0f} | | | | |
| `POST /screen`, `--max-at-work 4 --timeout 2` | {twice} | {_table_row(over)} |

Best HTTP throughput over the library on one core: {ratios}. From `serve` to `/readyz` green
with the saved index: {statistics.median(readies):.2f} s, the median of {len(readies)} starts
({", ".join(f"{r:.2f}" for r in readies)} s; the first start, which builds and saves the index: {build_s:.0f} s).
Aim: 1,000 requests/s with p99 under 25 ms and no error ({verdict}); under twice the load, 429s
and no request slower than the timeout; ready within 2 s.
"""
    print(body)
    record("HTTP service (benchmarks/service.py)", body)


if __name__ == "__main__":
    main()
