"""`lists fetch`: downloads from a server of our own on 127.0.0.1, cached by content hash."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctions_screen import load_list
from sanctions_screen.fetch import cached_list_path, fetch_list, read_manifest

SMALL_UN = (
    b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-03-01T00:00:00Z"><INDIVIDUALS><INDIVIDUAL>'
    b"<DATAID>1</DATAID><FIRST_NAME>ABU</FIRST_NAME><SECOND_NAME>ZAINAB</SECOND_NAME><THIRD_NAME>AL-LAMI</THIRD_NAME>"
    b"<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "srv"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(root: Path, list_name: str, files: dict[str, bytes]) -> None:
    folder = root / list_name
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def test_fetch_caches_versions_and_refuses_bad_downloads(server, data, tmp_path):
    root, base = server
    cache = tmp_path / "cache"
    real = (data / "un_2026-02-27/consolidated.xml").read_bytes()
    _serve(root, "un_sc", {"consolidated.xml": real})
    url = f"{base}/un_sc"

    msg = fetch_list("un_sc", cache, base_url=url)
    assert msg.startswith("un_sc: fetched version 2026-02-27 (1003 entries")
    manifest = read_manifest("un_sc", cache)
    assert (
        manifest is not None
        and manifest["previous"] is None
        and manifest["version"] == "2026-02-27"
    )
    files = manifest["files"]
    assert isinstance(files, dict)
    assert files["consolidated.xml"]["sha256"] == hashlib.sha256(real).hexdigest()
    assert "fetched_at" in manifest
    first = manifest["current"]
    path = cached_list_path("un_sc", cache)
    assert (
        path is not None and path.read_bytes() == real and load_list(path).version == "2026-02-27"
    )

    assert fetch_list("un_sc", cache, base_url=url).startswith("un_sc: unchanged")

    _serve(root, "un_sc", {"consolidated.xml": SMALL_UN})
    assert "fetched version 2026-03-01 (1 entries" in fetch_list("un_sc", cache, base_url=url)
    manifest = read_manifest("un_sc", cache)
    assert manifest is not None and manifest["previous"] == first
    assert (cache / "un_sc" / str(first) / "consolidated.xml").read_bytes() == real  # previous kept

    good = read_manifest("un_sc", cache)
    _serve(root, "un_sc", {"consolidated.xml": b""})
    assert "downloaded empty, kept the cached copy" in fetch_list("un_sc", cache, base_url=url)
    _serve(root, "un_sc", {"consolidated.xml": b"<CONSOLIDATED_LIST><INDIVIDUALS>"})
    assert "does not parse, kept the cached copy" in fetch_list("un_sc", cache, base_url=url)
    assert "download failed, kept the cached copy" in fetch_list(
        "un_sc", cache, base_url=f"{base}/missing"
    )
    assert read_manifest("un_sc", cache) == good
    assert not [p for p in (cache / "un_sc").iterdir() if p.name.startswith(".download")]


def test_fetch_multi_file_set_and_screen_from_cache(server, data, tmp_path):
    root, base = server
    cache = tmp_path / "cache"
    src = data / "ofac_cons_2025-12"
    _serve(root, "us_ofac_cons", {p.name: p.read_bytes() for p in src.iterdir()})
    shutil.copy(data / "uk_ofsi_2025-04-14/ConList.xlsx", tmp_path / "x.xlsx")
    # The publisher's name is ConList.csv; the loader reads the content, whatever the name says.
    _serve(root, "gb_ofsi", {"ConList.csv": (tmp_path / "x.xlsx").read_bytes()})
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sanctions_screen.cli",
            "lists",
            "fetch",
            "--list",
            "us_ofac_cons",
            "gb_ofsi",
            "--dir",
            str(cache),
            "--url",
            f"us_ofac_cons={base}/us_ofac_cons",
            "--url",
            f"gb_ofsi={base}/gb_ofsi",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert (
        "us_ofac_cons: fetched version sha256:" in out.stdout
        and "gb_ofsi: fetched version 2025-04-14" in out.stdout
    )
    manifest = json.loads((cache / "us_ofac_cons" / "manifest.json").read_text())
    # Each new version's saved index is built by the fetch, beside its folder, and checks out.
    index = cache / "us_ofac_cons" / f"{manifest['current']}.index"
    assert f"us_ofac_cons: saved index built ({index})" in out.stdout
    from sanctions_screen import Screener
    from sanctions_screen.sources import source_hashes

    folder = cache / "us_ofac_cons" / manifest["current"]
    assert (
        Screener.load(index, sources=source_hashes(folder).values()).lists[0][0] == "us_ofac_cons"
    )
    assert (cache / "gb_ofsi" / f"{read_manifest('gb_ofsi', cache)['current']}.index").exists()
    assert set(manifest["files"]) == {
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    }
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sanctions_screen.cli",
            "screen",
            "Ismail Haniya",
            "--list",
            "us_ofac_cons",
            "--cache-dir",
            str(cache),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 1, r.stderr
    assert r.stderr == ""  # the saved index the fetch built, used as it is
    assert json.loads(r.stdout)["hits"][0]["entry"]["id"] == "us_ofac_cons:9639"
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "sanctions_screen.cli",
            "screen",
            "X",
            "--list",
            "un_sc",
            "--cache-dir",
            str(cache),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2 and "lists fetch" in missing.stderr


def test_unknown_list_name():
    with pytest.raises(ValueError, match="unknown list"):
        fetch_list("nowhere", "/tmp")
