"""Schemathesis against the served OpenAPI document: every endpoint, inputs generated from the
schema; no answer is a server error (500) and none carries a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi, uvicorn) is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, settings  # noqa: E402

from sanctions_screen import Screener, bundled_list  # noqa: E402
from sanctions_screen.server import ServerConfig, create_app  # noqa: E402


def _app() -> object:
    import tempfile

    screener = Screener(bundled_list())
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        ServerConfig(decisions=str(folder / "decisions.db"), timeout=30),
        load=lambda: screener,
        watch=lambda: [],
    )
    app.state.service.holder.check()
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_for_any_generated_input(case: object) -> None:
    response = case.call()  # type: ignore[attr-defined]
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text
