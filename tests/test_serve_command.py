"""`sanctions-screen serve` as an operator runs it: forked workers that start ready with the index
the parent loaded, are replaced when one dies, follow list updates, and stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi, uvicorn) is not installed")
import httpx  # noqa: E402
from server_fixtures import free_port, write_list  # noqa: E402

from sanctions_screen import Screener, load_list  # noqa: E402

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc").is_dir(),
    reason="forked workers need os.fork; the tests read processes from /proc (Linux)",
)


def _children(pid: int) -> list[int]:
    """The live child processes of `pid` (from /proc: no pgrep needed)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return sorted(out)


def _until(check, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout} s: {check}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    listed = tmp_path / "live.jsonl"
    write_list(listed, "1", ["AL-LAMI, Hussein Falah", "AZIZ, Hussein Faleh"])
    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanctions_screen.cli", "serve", "--port", str(port)]
        + ["--workers", "2", "--list", str(listed), "--cache-dir", str(tmp_path / "cache")]
        + ["--reload-interval", "0.1"],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: httpx.get(f"{url}/readyz").status_code == 200, timeout=60)
        yield proc, url, listed
    finally:
        if proc.poll() is None:
            for pid in _children(proc.pid):
                os.kill(pid, signal.SIGKILL)
            proc.kill()
            proc.wait()


def test_workers_start_ready_with_the_index_the_parent_loaded(
    served: tuple[subprocess.Popen, str, Path],
) -> None:
    proc, url, listed = served
    assert len(_children(proc.pid)) == 2
    expected = Screener(load_list(listed)).screen("Hussein Falih Aziz")
    with httpx.Client(base_url=url) as h:
        for _ in range(10):  # new connections, spread over both workers
            r = h.post(
                "/screen", json={"name": "Hussein Falih Aziz"}, headers={"Connection": "close"}
            )
            assert r.status_code == 200
            got = r.json()
            assert [x["entry"]["id"] for x in got["hits"]] == [x.entry.id for x in expected.hits]
            assert [x["score"] for x in got["hits"]] == [x.score for x in expected.hits]
    assert _log(served).count('"event": "lists_loaded"') == 1  # loaded once, by the parent


def test_a_dead_worker_is_replaced(served: tuple[subprocess.Popen, str, Path]) -> None:
    proc, url, _ = served
    first = _children(proc.pid)
    os.kill(first[0], signal.SIGKILL)
    now = _until(lambda: (c := _children(proc.pid)) and len(c) == 2 and first[0] not in c and c)
    assert first[1] in now
    for _ in range(6):
        r = httpx.post(f"{url}/screen", json={"name": "Hussein Faleh Aziz"})
        assert r.status_code == 200 and r.json()["hit_count"] >= 1
    assert "worker_exited" in _log(served)


def test_forked_workers_follow_a_list_update(served: tuple[subprocess.Popen, str, Path]) -> None:
    _, url, listed = served
    write_list(listed, "2", ["AL-LAMI, Hussein Falah", "SOLEIMANI, Qasem"])

    def every_worker_on_version_2() -> bool:
        seen = [
            httpx.get(f"{url}/readyz", headers={"Connection": "close"}).json()["lists"]
            for _ in range(8)
        ]
        return all(x == [["live", "2"]] for x in seen)

    _until(every_worker_on_version_2)
    r = httpx.post(f"{url}/screen", json={"name": "Qasem Soleimani"})
    assert r.json()["hit_count"] == 1


def test_sigterm_stops_the_parent_and_every_worker(
    served: tuple[subprocess.Popen, str, Path],
) -> None:
    proc, _, _ = served
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    for pid in workers:
        assert _state(pid) == "Z"  # gone (or a zombie the test's own process cannot reap)


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = subprocess.run(
            [sys.executable, "-m", "sanctions_screen.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _log(served: tuple[subprocess.Popen, str, Path]) -> str:
    return (served[2].parent / "serve.log").read_text(encoding="utf-8")
