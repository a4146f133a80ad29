"""An HTTP screening service (the optional extra `pip install '.[server]'`: FastAPI and
uvicorn), with native endpoints and yente-compatible /match.

>>> # import uvicorn; from sanctions_screen.server import ServerConfig, create_app
>>> # uvicorn.run(create_app(ServerConfig(lists=["us_ofac_sdn"])), host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from .config import ServerConfig
from .guard import hash_key, read_key_file

__all__ = ["ServerConfig", "create_app", "hash_key", "read_key_file"]


def __getattr__(name: str) -> object:
    # FastAPI is imported only when the application is made: the config and key helpers work
    # without the extra installed.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
