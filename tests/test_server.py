"""The HTTP service: native endpoints equal the library, yente-shaped /match on real FtM entities,
API keys, limits (413, 429, timeout), no stack trace, live list updates while requests run."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi, uvicorn) is not installed")
import httpx  # noqa: E402
import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from server_fixtures import free_port, replace_file, write_list  # noqa: E402

from sanctions_screen import Screener, bundled_list, load_list  # noqa: E402
from sanctions_screen.server import ServerConfig, create_app, hash_key  # noqa: E402

SEED = [
    "Hussein Falih Aziz",
    "Abu Zainab al-Lami",
    "حسين فالح عزيز",
    "Hussein Ali",
    "Qasem Soleimani",
]


def _client(
    config: ServerConfig | None = None, screener: Screener | None = None, **kw: Any
) -> TestClient:
    s = screener or Screener(bundled_list())
    app = create_app(config or ServerConfig(), load=lambda: s, watch=lambda: [], **kw)
    app.state.service.holder.check()  # loaded before the first request
    return TestClient(app, raise_server_exceptions=False)


def test_screen_batch_and_compare_equal_the_library() -> None:
    screener = Screener(bundled_list())
    c = _client(screener=screener)
    for name in SEED:
        got = c.post("/screen", json={"name": name, "birth_date": "1969"})
        assert got.status_code == 200
        assert got.json() == json.loads(screener.screen(name, birth_date="1969").model_dump_json())
    batch = c.post("/screen/batch", json={"names": [{"name": n} for n in [*SEED, "!!!"]]}).json()
    assert [i["result"]["hit_count"] for i in batch["results"][:-1]] == [
        screener.screen(n).hit_count for n in SEED
    ]
    assert "nothing to screen" in batch["results"][-1]["error"]
    assert c.post("/compare", json={"a": "Abd al-Rahman", "b": "Abdurrahman"}).json() == {
        "score": 1.0
    }
    lists = c.get("/lists").json()["lists"]
    assert lists[0]["name"] == "sample" and lists[0]["entries"] == len(bundled_list().entries)


def test_probes_and_bad_input() -> None:
    c = _client()
    assert c.get("/healthz").json() == {"status": "ok"}
    ready = c.get("/readyz").json()
    assert ready["ready"] and ready["lists"] == [["sample", bundled_list().version]]
    assert c.post("/screen", json={"name": ""}).status_code == 422
    bad = c.post("/screen", json={"name": "Ali", "birth_date": "not a date"})
    assert bad.status_code == 422 and "birth" in bad.json()["detail"]
    assert c.post("/screen/batch", json={"names": [{"name": "x"}] * 1001}).status_code == 422
    assert (
        c.post(
            "/screen", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert "paths" in c.get("/openapi.json").json()


def test_not_ready_answers_503_then_ready() -> None:
    gate = threading.Event()

    def slow() -> Screener:
        gate.wait(10)
        return Screener(bundled_list())

    app = create_app(ServerConfig(reload_interval=0.05), load=slow, watch=lambda: [])
    with TestClient(app) as c:
        assert c.get("/readyz").status_code == 503 and c.get("/healthz").status_code == 200
        assert c.post("/screen", json={"name": "Ali"}).status_code == 503
        gate.set()
        assert app.state.service.holder.wait_ready(10)
        assert c.get("/readyz").status_code == 200


def test_no_stack_trace_in_any_response(monkeypatch: pytest.MonkeyPatch) -> None:
    screener = Screener(bundled_list())
    c = _client(screener=screener)

    def broken(*a: Any, **k: Any) -> None:
        raise RuntimeError("secret internals at /srv/app.py line 3")

    monkeypatch.setattr(screener, "screen", broken)
    r = c.post("/screen", json={"name": "Ali"})
    assert r.status_code == 500 and r.json() == {"detail": "internal error"}
    assert "Traceback" not in r.text and "secret" not in r.text


def test_api_keys(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# analysts\nsha256:{hash_key('right-key')}\n", encoding="utf-8")
    c = _client(ServerConfig(api_key_file=str(keys)))
    assert c.post("/screen", json={"name": "Ali"}).status_code == 401
    assert (
        c.post(
            "/screen", json={"name": "Ali"}, headers={"Authorization": "ApiKey wrong"}
        ).status_code
        == 401
    )
    for headers in (
        {"Authorization": "ApiKey right-key"},
        {"X-API-Key": "right-key"},
        {"Authorization": "Bearer right-key"},
    ):
        assert c.post("/screen", json={"name": "Ali"}, headers=headers).status_code == 200
    assert c.get("/readyz").status_code == 200 and c.get("/-/version").status_code == 200
    assert c.get("/lists").status_code == 401
    keys.write_text("not a digest\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        create_app(ServerConfig(api_key_file=str(keys)))


def test_body_limit_and_timeout() -> None:
    c = _client(ServerConfig(max_body=2000))
    big = {"names": [{"name": f"Name Number {i}"} for i in range(200)]}
    r = c.post("/screen/batch", json=big)
    assert r.status_code == 413 and "2000 bytes" in r.json()["detail"]

    def chunks() -> Any:
        yield b'{"names": ['
        for _ in range(300):
            yield b'{"name": "Chunked Name"},'
        yield b'{"name": "x"}]}'

    assert (
        c.post(
            "/screen/batch", content=chunks(), headers={"content-type": "application/json"}
        ).status_code
        == 413
    )
    slow = _client(ServerConfig(timeout=0.01))
    r = slow.post(
        "/screen/batch", json={"names": [{"name": f"Ali Hassan {i}"} for i in range(1000)]}
    )
    assert r.status_code == 503 and "took over" in r.json()["detail"]


def test_decisions_endpoints(tmp_path: Path) -> None:
    c = _client(ServerConfig(decisions=str(tmp_path / "d.db")))
    body = {
        "subject_id": "C1",
        "name": "Hussein Falih Aziz",
        "entry_id": "us_ofac_sdn:27994",
        "decision": "false_positive",
        "reason": "other person",
        "analyst": "ana",
    }
    made = c.post("/decisions", json=body)
    assert made.status_code == 200 and made.json()["id"] == 1
    assert c.post("/decisions", json={**body, "entry_id": "x:1"}).status_code == 422
    assert [d["id"] for d in c.get("/decisions").json()] == [1]
    r = c.post("/screen", json={"name": "Hussein Falih Aziz", "subject_id": "C1"}).json()
    assert r["hits"] == [] and r["suppressed"][0]["decision"]["decision"]["id"] == 1
    assert _client().get("/decisions").status_code == 404  # no store configured


# -- yente contract ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ftm(data: Path) -> tuple[TestClient, list[dict[str, Any]]]:
    path = data / "opensanctions_ftm_subsets" / "zala_entities.ftm.json"
    entities = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    screener = Screener(load_list(path))
    return _client(screener=screener), entities


def test_match_answers_in_yentes_shape(ftm: tuple[TestClient, list[dict[str, Any]]]) -> None:
    c, entities = ftm
    people = [e for e in entities if e["schema"] == "Person" and e["properties"].get("birthDate")][
        :20
    ]
    assert people
    queries = {
        f"q{i}": {
            "schema": "Person",
            "properties": {"name": [e["caption"]], "birthDate": e["properties"]["birthDate"][:1]},
        }
        for i, e in enumerate(people)
    }
    r = c.post(
        "/match/default",
        json={"queries": queries},
        params={"limit": 3, "algorithm": "logic-v1", "unknown": "x"},
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"responses", "matcher", "limit"} and body["limit"] == 3
    for i, e in enumerate(people):
        answer = body["responses"][f"q{i}"]
        assert answer["status"] == 200 and answer["query"]["schema"] == "Person"
        assert answer["total"]["relation"] == "eq" and answer["total"]["value"] >= 1
        top = answer["results"][0]
        assert e["id"] in top["referents"] and top["match"] is True
        assert set(top) >= {
            "id",
            "caption",
            "schema",
            "properties",
            "datasets",
            "score",
            "match",
            "features",
        }
        assert top["schema"] == "Person" and top["properties"]["name"]
        assert len(answer["results"]) <= 3


def test_match_options_and_entities(ftm: tuple[TestClient, list[dict[str, Any]]]) -> None:
    c, entities = ftm
    e = next(x for x in entities if x["schema"] == "Person")
    query = {
        "queries": {
            "a": {"schema": "Person", "properties": {"name": e["caption"]}},
            "b": {"schema": "Person", "properties": {}},
        }
    }
    body = c.post("/match/default", json=query).json()
    top = body["responses"]["a"]["results"][0]
    assert body["responses"]["b"]["status"] == 400 and body["responses"]["b"]["results"] == []
    excluded = c.post("/match/default", json=query, params={"exclude_entity_ids": top["id"]}).json()
    assert top["id"] not in [x["id"] for x in excluded["responses"]["a"]["results"]]
    dataset = top["datasets"][0]
    assert (
        c.post(f"/match/{c.get('/lists').json()['lists'][0]['name']}", json=query).status_code
        == 200
    )
    assert c.post("/match/nope", json=query).status_code == 404
    assert c.get(f"/entities/{top['id']}").json()["id"] == top["id"]
    assert c.get(f"/entities/{e['id']}").json()["referents"] == [e["id"]]  # by the FtM id too
    assert c.get("/entities/none:here").status_code == 404
    catalog = c.get("/catalog").json()
    assert "default" in catalog["current"] and any(
        d["name"] != "default" for d in catalog["datasets"]
    )
    assert c.get("/algorithms").json()["default"] == "sanctions-screen"
    assert "sanctions_screen" in c.get("/-/version").json()
    assert dataset


def test_match_query_parameters_are_checked_and_documented() -> None:
    c = _client()
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Hussein Falih Aziz"]}}}}
    for bad in ({"limit": 0}, {"limit": "many"}, {"threshold": 2}, {"cutoff": -1}):
        r = c.post("/match/default", json=query, params=bad)
        assert r.status_code == 422, bad
        assert r.json()["detail"][0]["loc"] == ["query", next(iter(bad))]
    plain = c.post("/match/default", json=query).json()["responses"]["q"]["results"]
    assert plain and all(x["match"] for x in plain)
    # A cutoff below the threshold lists near misses too, marked as no match.
    near = c.post("/match/default", json=query, params={"cutoff": 0.3, "limit": 50}).json()
    results = near["responses"]["q"]["results"]
    assert len(results) > len(plain) and not all(x["match"] for x in results)
    # Several ids to exclude, as a repeated parameter.
    ids = [x["id"] for x in results[:2]]
    left = c.post(
        "/match/default",
        json=query,
        params=[("exclude_entity_ids", i) for i in ids] + [("cutoff", "0.3"), ("limit", "50")],
    ).json()["responses"]["q"]["results"]
    assert not {x["id"] for x in left} & set(ids) and len(left) == len(results) - 2
    documented = c.get("/openapi.json").json()["paths"]["/match/{dataset}"]["post"]
    assert {p["name"] for p in documented["parameters"]} == {
        "dataset",
        "limit",
        "threshold",
        "cutoff",
        "algorithm",
        "exclude_entity_ids",
    }


def test_match_scores_equal_the_library(ftm: tuple[TestClient, list[dict[str, Any]]]) -> None:
    c, entities = ftm
    screener = c.app.state.service.holder.screener  # type: ignore[attr-defined]
    for e in entities[:15]:
        name = e["caption"]
        kind = {"Person": "person", "Organization": "organization", "Company": "organization"}.get(
            e["schema"]
        )
        expected = screener.screen(name, kind=kind, limit=5)
        got = c.post(
            "/match/default",
            json={"queries": {"q": {"schema": e["schema"], "properties": {"name": [name]}}}},
        ).json()
        results = got["responses"]["q"]["results"]
        assert [(x["id"], x["score"]) for x in results] == [
            (h.entry.id, h.score) for h in expected.hits
        ]


# -- a real server: live updates and the bound on work ------------------------------------------


class Running:
    """A uvicorn server on 127.0.0.1 in a thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def test_live_update_and_a_failed_update_while_requests_run(tmp_path: Path) -> None:
    listed = tmp_path / "live.jsonl"
    write_list(listed, "1", ["AL-LAMI, Hussein Falah"])
    config = ServerConfig(
        lists=[str(listed)], cache_dir=str(tmp_path / "cache"), reload_interval=0.05
    )
    app = create_app(config)
    running = Running(app)
    holder = app.state.service.holder
    try:
        assert holder.wait_ready(30)
        errors: list[str] = []
        stop = threading.Event()

        def hammer() -> None:
            with httpx.Client(base_url=running.url, timeout=10) as h:
                while not stop.is_set():
                    r = h.post("/screen", json={"name": "Hussein Falah al-Lami"})
                    if r.status_code != 200 or r.json()["hit_count"] != 1:
                        errors.append(f"{r.status_code} {r.text[:100]}")

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        write_list(listed, "2", ["AL-LAMI, Hussein Falah", "SOLEIMANI, Qasem"])
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=running.url) as h:
            while (
                h.get("/readyz").json()["lists"] != [["live", "2"]] and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            assert h.get("/readyz").json()["lists"] == [["live", "2"]]
            assert h.post("/screen", json={"name": "Qasem Soleimani"}).json()["hit_count"] == 1
            replace_file(listed, '{"watchlist": {"name": "live", "version": "3"}}\n{not json\n')
            while h.get("/readyz").json()["update_error"] is None and time.monotonic() < deadline:
                time.sleep(0.05)
            ready = h.get("/readyz").json()
            assert ready["ready"] and ready["lists"] == [["live", "2"]]
            assert "live.jsonl" in ready["update_error"]
            assert h.post("/screen", json={"name": "Qasem Soleimani"}).json()["hit_count"] == 1
            assert h.get("/lists").json()["update_error"] == ready["update_error"]
        stop.set()
        for t in threads:
            t.join()
        assert errors == []
    finally:
        running.stop()


def test_a_full_work_queue_answers_429_with_retry_after() -> None:
    screener = Screener(bundled_list())
    app = create_app(ServerConfig(max_at_work=2), load=lambda: screener, watch=lambda: [])
    app.state.service.holder.check()
    running = Running(app)
    body = {"names": [{"name": f"Hussein Falih Aziz {i}"} for i in range(400)]}

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=running.url, timeout=60) as h:
            return list(
                await asyncio.gather(*(h.post("/screen/batch", json=body) for _ in range(12)))
            )

    try:
        answers = asyncio.run(burst())
    finally:
        running.stop()
    codes = sorted(r.status_code for r in answers)
    assert set(codes) == {200, 429} and codes.count(200) >= 2
    assert all(r.headers["retry-after"] == "1" for r in answers if r.status_code == 429)


def _http(path: str, body: bytes = b"") -> bytes:
    method = "POST" if body else "GET"
    head = f"{method} {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
    return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body


def _answer_status(reader: Any) -> tuple[int, dict[str, str]]:
    """The status and headers of one HTTP/1.1 answer read from `reader`, its body skipped."""
    code = int(reader.readline().split()[1])
    headers: dict[str, str] = {}
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    reader.read(int(headers.get("content-length", "0")))
    return code, headers


def test_a_queue_of_one_name_requests_is_bounded_too() -> None:
    # One name is screened on the event loop; requests that arrive together still count as a
    # queue, and those past --max-at-work are answered 429 at once instead of waiting. Each
    # screen here holds the loop 20 ms, as a long name does, and the requests come on
    # connections already open, so that they arrive while the loop is held.
    class Slow(Screener):
        def screen(self, *args: Any, **kwargs: Any) -> Any:
            time.sleep(0.02)
            return super().screen(*args, **kwargs)

    screener = Slow(bundled_list())
    app = create_app(ServerConfig(max_at_work=4), load=lambda: screener, watch=lambda: [])
    app.state.service.holder.check()
    running = Running(app)
    socks = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(30)]
    try:
        readers = [s.makefile("rb") for s in socks]
        for s, r in zip(socks, readers, strict=True):
            s.sendall(_http("/healthz"))
            assert _answer_status(r)[0] == 200
        body = json.dumps({"name": "Hussein Falih Aziz"}).encode()
        for s in socks:
            s.sendall(_http("/screen", body))
        answers = [_answer_status(r) for r in readers]
        # ...and a request alone afterwards is served: the count went back down.
        alone = httpx.post(f"{running.url}/screen", json={"name": "Hussein Falih Aziz"})
    finally:
        for s in socks:
            s.close()
        running.stop()
    codes = [code for code, _ in answers]
    assert set(codes) == {200, 429} and codes.count(200) >= 3 and codes.count(429) >= 20, codes
    assert all(h["retry-after"] == "1" for code, h in answers if code == 429)
    assert alone.status_code == 200 and alone.json()["hit_count"] == 1


def test_logs_are_json_and_hold_no_name_unless_asked() -> None:
    import io
    import logging

    from sanctions_screen.server.guard import JsonFormatter, log

    for asked in (False, True):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        log.addHandler(handler)
        level = log.level
        log.setLevel(logging.INFO)
        try:
            _client(ServerConfig(log_queries=asked)).post(
                "/screen", json={"name": "Zainab Secretname"}
            )
        finally:
            log.removeHandler(handler)
            log.setLevel(level)
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert any(x.get("path") == "/screen" and x.get("status") == 200 for x in lines)
        assert ("Secretname" in stream.getvalue()) is asked


def test_every_so_many_screenings_the_collector_stops_rescanning_what_exists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A full collection over the caches screening fills paused a worker 0.1 s every few thousand
    # requests; the service freezes what exists every FREEZE_EVERY pieces of work instead.
    import gc

    from sanctions_screen.server import app as app_module

    monkeypatch.setattr(app_module, "FREEZE_EVERY", 3)
    client = _client()
    gc.unfreeze()
    try:
        for _ in range(2):
            assert client.post("/screen", json={"name": "Hussein Ali"}).status_code == 200
        assert gc.get_freeze_count() == 0
        assert client.post("/compare", json={"a": "Husayn", "b": "Hussein"}).status_code == 200
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
