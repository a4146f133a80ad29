"""The FastAPI application: native endpoints (/screen, /screen/batch, /compare, /lists,
/decisions, /healthz, /readyz) and yente-compatible ones (/match/{dataset}, /entities/{id},
/catalog, /algorithms, /-/version), over a screener kept current by `holder.Holder`."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from .. import __version__
from ..bundled import bundled_list
from ..compare import compare
from ..decisions import DecisionStore
from ..models import Decision, ScreenResult
from ..screener import Screener
from .config import ServerConfig
from .guard import Guard, read_key_file, setup_logging
from .holder import Holder
from .models import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    CompareRequest,
    CompareResponse,
    DecisionRequest,
    ErrorBody,
    Health,
    ListsResponse,
    Ready,
    ScreenRequest,
)
from .yente import (
    ALGORITHM,
    EntityMatches,
    EntityResponse,
    MatchParams,
    MatchRequest,
    MatchResponse,
    TotalSpec,
    entity,
    query_requests,
    scored,
)

log = logging.getLogger("sanctions_screen.server")
SMALL_MATCH = 2  # queries in a /match request screened on the event loop (see Service.run)
# Screening leaves no cyclic garbage (a full collection after 8,000 screens finds none), but the
# caches it fills make each full collection rescan them: a 0.1 s pause every few thousand
# requests, which every request queued behind it waits out (most of the service's p99). Every
# FREEZE_EVERY pieces of work, what exists is taken out of the collector's sight (`gc.freeze`),
# so that a full collection only scans what came since; reference counting still frees it all.
FREEZE_EVERY = 1000
ERRORS: dict[int | str, dict[str, Any]] = {
    c: {"model": ErrorBody} for c in (401, 404, 413, 422, 429, 503)
}


def _lists_loader(config: ServerConfig) -> tuple[Callable[[], Screener], Callable[[], list[Path]]]:
    """How to load the configured lists (a saved index when one matches, see `cached_index`), and
    which paths to watch for a new version."""
    from ..cached_index import ready_screener, resolve_lists
    from ..fetch import default_cache_dir

    def specs() -> list[Any]:
        return resolve_lists(config.lists, config.list_names, config.cache_dir)

    def load() -> Screener:
        if not config.lists:
            return Screener(bundled_list(), threshold=config.threshold)
        return ready_screener(
            specs(),
            require_aliases=config.require_aliases,
            cache_dir=Path(config.cache_dir) if config.cache_dir else default_cache_dir(),
            threshold=config.threshold,
            warn=lambda message: log.warning(message, extra={"event": "lists_warning"}),
        )

    return load, lambda: [s.path for s in specs()]


class Service:
    """What the routes share: the holder, the decision store, the limits."""

    def __init__(
        self, config: ServerConfig, holder: Holder, decisions: DecisionStore | None
    ) -> None:
        self.config, self.holder, self.decisions = config, holder, decisions
        # Screening is CPU work: two threads per worker keep the event loop free for probes
        # without making requests fight over the interpreter lock.
        self.limiter = anyio.CapacityLimiter(2)
        self.done = 0  # pieces of screening work started (see FREEZE_EVERY)

    def screener(self) -> Screener:
        """The screener in use, taken once per request (a swap never changes it mid-request)."""
        screener = self.holder.screener
        if screener is None:
            raise HTTPException(
                503, "the lists are loading; retry shortly", headers={"Retry-After": "1"}
            )
        return screener

    async def run(self, work: Callable[[], Any], small: bool = False) -> Any:
        """Run screening work off the event loop, within the request timeout. `small` work (one
        name: a millisecond or two) runs on the loop itself: the hop to a thread and back would
        cost more than the screening, and no timeout can cut so short a piece of work anyway."""
        self.done += 1
        if self.done % FREEZE_EVERY == 0:
            gc.freeze()
        if small:
            return work()
        try:
            return await asyncio.wait_for(
                anyio.to_thread.run_sync(work, limiter=self.limiter), self.config.timeout
            )
        except TimeoutError:
            raise HTTPException(503, f"the request took over {self.config.timeout:g} s") from None


def create_app(
    config: ServerConfig | None = None,
    *,
    load: Callable[[], Screener] | None = None,
    watch: Callable[[], list[Path]] | None = None,
) -> FastAPI:
    """The application. `load` and `watch` replace how the lists are loaded and which paths
    signal a new version (default: from `config.lists`, as `--list` reads them).

    >>> # uvicorn.run(create_app(ServerConfig(lists=["us_ofac_sdn"])), host="127.0.0.1")
    """
    config = config or ServerConfig()
    default_load, default_watch = _lists_loader(config)
    decisions = DecisionStore(config.decisions) if config.decisions else None
    loader = load or default_load

    def load_with_decisions() -> Screener:
        # Each screener loaded (at start and at every list update) applies the decision store.
        screener = loader()
        screener.decisions = decisions
        return screener

    holder = Holder(load_with_decisions, watch or default_watch, config.reload_interval)
    service = Service(config, holder, decisions)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        holder.start()
        yield
        holder.stop()

    app = FastAPI(
        title="sanctions_screen",
        version=__version__,
        description="Screen names against sanctions lists; yente-compatible /match.",
        lifespan=lifespan,
        responses=ERRORS,
    )
    app.state.service = service
    _errors(app)
    _native_routes(app, service)
    _yente_routes(app, service)
    keys = read_key_file(config.api_key_file) if config.api_key_file else None
    app.add_middleware(Guard, keys=keys, max_body=config.max_body, max_at_work=config.max_at_work)
    return app


def _errors(app: FastAPI) -> None:
    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its trace for the operator; the caller gets one line, never the trace.
        log.exception("internal error", extra={"event": "error", "path": request.url.path})
        return JSONResponse({"detail": "internal error"}, status_code=500)


def _json(model: Any) -> bytes:
    # Serialised once, in the worker thread: handing FastAPI a Response skips its second
    # validation of the model against `response_model` (which still documents the shape).
    return model.model_dump_json(by_alias=True).encode()


def _raw(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


def _screen_one(screener: Screener, req: ScreenRequest) -> ScreenResult:
    return screener.screen(
        req.name,
        threshold=req.threshold,
        limit=req.limit,
        kind=req.kind,
        birth_date=req.birth_date,
        nationality=req.nationality,
        secondary=req.secondary,
        subject_id=req.subject_id,
    )


def _native_routes(app: FastAPI, service: Service) -> None:
    log_queries = service.config.log_queries

    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        """The process answers."""
        return Health()

    @app.get("/readyz", response_model=Ready, tags=["service"], responses={503: {"model": Ready}})
    async def readyz() -> Any:
        """Whether an index is loaded, its list versions, and the last update's error."""
        s = service.holder.status
        body = Ready(
            ready=s.ready, lists=s.lists, loaded_at=s.loaded_at, update_error=s.update_error
        )
        return body if s.ready else JSONResponse(body.model_dump(), status_code=503)

    @app.get("/lists", response_model=ListsResponse, tags=["service"])
    async def lists() -> ListsResponse:
        """The lists in use: names, versions, files' sha256, entry counts."""
        s = service.holder.status
        return ListsResponse(
            lists=service.screener().list_info, loaded_at=s.loaded_at, update_error=s.update_error
        )

    @app.post("/screen", response_model=ScreenResult, tags=["screening"])
    async def screen(req: ScreenRequest) -> Response:
        """Screen one name (the options of `Screener.screen`)."""
        screener = service.screener()
        if log_queries:
            log.info("screen", extra={"event": "query", "query_name": req.name})
        body: bytes = await service.run(lambda: _json(_screen_one(screener, req)), small=True)
        return _raw(body)

    @app.post("/screen/batch", response_model=BatchResponse, tags=["screening"])
    async def screen_batch(req: BatchRequest) -> Response:
        """Screen up to 1,000 names; a name that cannot be screened gets its error."""
        screener = service.screener()

        def work() -> bytes:
            items = []
            for r in req.names:
                try:
                    items.append(BatchItem(result=_screen_one(screener, r)))
                except ValueError as exc:
                    items.append(BatchItem(error=str(exc)))
            return _json(BatchResponse(results=items))

        return _raw(await service.run(work))

    @app.post("/compare", response_model=CompareResponse, tags=["screening"])
    async def compare_names(req: CompareRequest) -> CompareResponse:
        """Score two names against each other, 0 to 1."""
        score: float = await service.run(lambda: compare(req.a, req.b))
        return CompareResponse(score=score)

    if service.decisions is not None:
        _decision_routes(app, service)


def _decision_routes(app: FastAPI, service: Service) -> None:
    store = service.decisions
    assert store is not None

    @app.post("/decisions", response_model=Decision, tags=["decisions"])
    async def decide(req: DecisionRequest) -> Decision:
        """Record an analyst's decision on one hit of one subject (screened as given)."""
        screener = service.screener()

        def work() -> Decision:
            return screener.record_decision(
                req.name,
                subject_id=req.subject_id,
                entry_id=req.entry_id,
                decision=req.decision,
                reason=req.reason,
                analyst=req.analyst,
                kind=req.kind,
                birth_date=req.birth_date,
                nationality=req.nationality,
            )

        made: Decision = await service.run(work)
        return made

    @app.get("/decisions", response_model=list[Decision], tags=["decisions"])
    async def decisions(after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0) -> list[Decision]:
        """Every decision recorded, oldest first (with `after`, those after that id)."""
        found: list[Decision] = await service.run(lambda: store.decisions(after=after))
        return found


def _yente_routes(app: FastAPI, service: Service) -> None:
    @app.post(
        "/match/{dataset}",
        response_model=MatchResponse,
        tags=["yente"],
        openapi_extra={"parameters": MatchParams.openapi()},
    )
    async def match(dataset: str, body: MatchRequest, request: Request) -> Response:
        """yente's /match: each query's best entities, scored; `match` when a score reaches
        `threshold`. `cutoff` (below the threshold) lists near misses too. `algorithm` is
        accepted and answered with this library's; other parameters are ignored."""
        try:
            params = MatchParams.of(request.query_params)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False)
            raise RequestValidationError(
                [{**e, "loc": ("query", *e["loc"])} for e in errors]
            ) from None
        screener = service.screener()
        lists = _dataset_lists(screener, dataset)
        limit, threshold, cutoff = params.limit, params.threshold, params.cutoff
        floor = min(threshold, cutoff) if cutoff is not None else threshold
        excluded = set(params.exclude_entity_ids)

        def work() -> bytes:
            responses = {
                key: _match_one(screener, example, lists, floor, threshold, limit, excluded)
                for key, example in body.queries.items()
            }
            return _json(
                MatchResponse(
                    responses=responses,
                    matcher={
                        "name": ALGORITHM,
                        "requested": params.algorithm,
                        "version": __version__,
                    },
                    limit=limit,
                )
            )

        return _raw(await service.run(work, small=len(body.queries) <= SMALL_MATCH))

    @app.get("/entities/{entity_id}", response_model=EntityResponse, tags=["yente"])
    async def get_entity(entity_id: str) -> EntityResponse:
        """One listed entry as an FtM entity, by its id (list:source_id) or source id."""
        screener = service.screener()
        found = screener.entry(entity_id)
        if found is None:
            ids = [k for k in screener.entry_fingerprints() if k.endswith(":" + entity_id)]
            found = screener.entry(ids[0]) if len(ids) == 1 else None
        if found is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        return entity(found)

    @app.get("/catalog", tags=["yente"])
    async def catalog() -> dict[str, Any]:
        """The datasets (lists) loaded, yente's shape."""
        infos = service.screener().list_info
        datasets = [
            {
                "name": i.name,
                "title": i.name,
                "version": i.version,
                "load": True,
                "index_version": i.version,
                "index_current": True,
                "children": [],
                "entity_count": i.entries,
            }
            for i in infos
        ]
        datasets.append(
            {
                "name": "default",
                "title": "All loaded lists",
                "version": __version__,
                "load": True,
                "index_current": True,
                "children": [i.name for i in infos],
            }
        )
        return {
            "datasets": datasets,
            "current": [d["name"] for d in datasets],
            "outdated": [],
            "index_stale": False,
        }

    @app.get("/algorithms", tags=["yente"])
    async def algorithms() -> dict[str, Any]:
        """The one matching algorithm, yente's shape."""
        described = {
            "name": ALGORITHM,
            "description": "Arabic-aware token alignment (sanctions_screen)",
            "features": {
                "name_score": {
                    "description": "the name's score before birth date and nationality",
                    "coefficient": 1.0,
                }
            },
        }
        return {"algorithms": [described], "default": ALGORITHM, "best": ALGORITHM}

    @app.get("/-/version", tags=["yente"])
    async def version() -> dict[str, str]:
        """Versions, for clients that check they speak to a compatible server."""
        return {"yente": "4.0.0-compatible", "sanctions_screen": __version__}


def _dataset_lists(screener: Screener, dataset: str) -> set[str] | None:
    """The list names a dataset stands for, as entries name their list (None: every entry);
    404 for an unknown one. The only list loaded stands for every entry: its entries may name
    another list (the bundled sample's keep their publisher's list name)."""
    names = {i.name for i in screener.list_info}
    if dataset == "default" or names == {dataset}:
        return None
    if dataset not in names:
        raise HTTPException(
            404, f"no dataset {dataset!r}; loaded: default, {', '.join(sorted(names))}"
        )
    return {dataset}


def _match_one(
    screener: Screener,
    example: Any,
    lists: set[str] | None,
    floor: float,
    threshold: float,
    limit: int,
    excluded: set[str],
) -> EntityMatches:
    try:
        requests = query_requests(example)
    except ValueError as exc:
        return EntityMatches(
            status=400, results=[], total=TotalSpec(value=0), query=example, error=str(exc)
        )
    best: dict[str, Any] = {}
    for result in screener.screen_requests(requests, threshold=floor, limit=1000):
        if isinstance(result, ValueError):
            continue  # one of several names with nothing to screen: the others still count
        for hit in result.hits:
            in_list = lists is None or hit.entry.list in lists
            if not in_list or hit.entry.id in excluded or hit.entry.source_id in excluded:
                continue
            if hit.entry.id not in best or hit.score > best[hit.entry.id].score:
                best[hit.entry.id] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.entry.id))
    return EntityMatches(
        results=[scored(h, threshold) for h in ranked[:limit]],
        total=TotalSpec(value=len(ranked)),
        query=example,
    )


def app_from_env() -> FastAPI:
    """The application a uvicorn worker builds from `ServerConfig.from_env()` (factory)."""
    setup_logging()
    return create_app(ServerConfig.from_env())


__all__ = ["Service", "app_from_env", "create_app"]
