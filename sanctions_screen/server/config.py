"""A server's settings: what `sanctions-screen serve` takes, passed to each uvicorn worker
through one environment variable."""

from __future__ import annotations

import json
import os

from pydantic import BaseModel, ConfigDict, Field

ENV = "SANCTIONS_SCREEN_SERVE"


class ServerConfig(BaseModel):
    """Lists as `--list` takes them (paths, or names fetched by `lists fetch`), scoring, limits.

    >>> ServerConfig().max_body
    1048576
    """

    model_config = ConfigDict(extra="forbid")

    lists: list[str] = Field(default_factory=list)  # empty: the bundled sample list
    list_names: list[str] = Field(default_factory=list)
    cache_dir: str | None = None
    require_aliases: bool = False
    threshold: float | None = None
    decisions: str | None = None
    api_key_file: str | None = None
    max_body: int = 1 << 20  # bytes
    max_at_work: int = 64  # screening requests in progress per worker before a 429
    timeout: float = 10.0  # seconds per request
    reload_interval: float = 30.0  # seconds between checks of the list files
    log_queries: bool = False

    def to_env(self) -> dict[str, str]:
        """The environment a worker reads this from."""
        return {ENV: self.model_dump_json()}

    @classmethod
    def from_env(cls) -> ServerConfig:
        """The settings a worker was started with."""
        return cls.model_validate(json.loads(os.environ.get(ENV, "{}")))


__all__ = ["ENV", "ServerConfig"]
