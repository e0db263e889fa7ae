"""Service settings, from the environment (prefix RESCUE_) or a .env file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from features.asof import STALE_AFTER_DAYS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESCUE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite:///var/rescue.db",
        validation_alias=AliasChoices("DATABASE_URL", "RESCUE_DATABASE_URL"),
        description="SQLAlchemy URL; PostgreSQL as postgresql+psycopg://user:pw@host/db",
    )
    tracking_uri: str | None = Field(
        None,
        validation_alias=AliasChoices("MLFLOW_TRACKING_URI", "RESCUE_TRACKING_URI"),
        description="MLflow store holding the champions (default: the embedded one in var/)",
    )
    default_sla_days: int = Field(45, ge=1, description="days an application may stay pending")
    lender_sla_days: dict[str, int] = Field(
        default_factory=dict, description='per-lender SLA, JSON: {"Lender name": 30}'
    )
    token_cache_seconds: float = Field(
        1, ge=0, le=60,
        description="seconds a verified key is trusted without the database (0: off): a key "
        "deactivated or rotated stops working in every worker within this time",
    )  # fmt: skip
    reload_poll_seconds: float = Field(
        2.0, gt=0, description="how often each worker checks for a reload asked of another"
    )
    load_models: bool = Field(True, description="load the champions at start-up")
    queue_counts_seconds: float = Field(
        2.0, ge=0, le=60,
        description="how long the queue's counts are kept per user and filters (0: counted each "
        "page); this worker's own writes drop them at once",
    )  # fmt: skip
    assess_processes: int = Field(
        0, ge=0, le=8,
        description="helper processes per worker that assess cases (0: in the worker; "
        "`rescue serve` starts one)",
    )  # fmt: skip
    reassess_at_start: bool = Field(
        True,
        description="`rescue serve` reassesses, as of today, open cases last assessed more than "
        "a day before (in the background; the queue serves the older assessments meanwhile)",
    )
    mlflow_ui_url: str = Field(
        "http://127.0.0.1:5000", description="where `mlflow ui` runs, for links to training runs"
    )

    stale_statement_days: int = Field(
        STALE_AFTER_DAYS, ge=30, description="a latest statement older than this (days) is stale"
    )
    session_hours: float = Field(8, gt=0, le=720, description="how long a web sign-in lasts")
    secure_cookies: bool = Field(
        False, description="mark cookies Secure (set it wherever the service is behind HTTPS)"
    )
    rate_limit_per_minute: int = Field(
        1200, ge=0,
        description="requests a minute per user, over every worker and instance sharing the "
        "database (0: no limit)",
    )  # fmt: skip
    import_seconds: float = Field(
        60, gt=0, le=600,
        description="how long an upload may take to read (413 after it, the reading ended)",
    )  # fmt: skip
    shutdown_seconds: int = Field(
        10, ge=1, le=300,
        description="how long `rescue serve` waits for requests in flight when asked to stop",
    )  # fmt: skip
    # A worker starting on a busy 2-core machine (imports, champions, the start-up
    # reassessment beside it) can miss a 5 s health check, and the supervisor would kill and
    # restart it over and over.
    worker_healthcheck_seconds: int = Field(
        60, ge=5, le=600, description="how long a worker may take to answer its supervisor"
    )
    rate_limit_sync_seconds: float = Field(
        0.25, ge=0, le=10,
        description="how often a worker adds its request counts to the database and reads "
        "everyone's (0: every request, exact)",
    )  # fmt: skip
    max_body_bytes: int = Field(
        2 * 1024 * 1024, ge=1024, description="largest JSON request body (413 above it)"
    )
    max_upload_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="largest batch upload, all files together"
    )
    max_upload_rows: int = Field(
        200_000, ge=1, description="most rows a batch upload may hold, all files together"
    )
    log_level: str = Field(
        "INFO", pattern="(?i)^(debug|info|warning|error)$", description="RESCUE_LOG_LEVEL"
    )
    log_format: str = Field("text", pattern="^(text|json)$", description="text or json lines")

    def sla(self) -> dict[str, int]:
        return {"default": self.default_sla_days, **self.lender_sla_days}


@lru_cache
def get_settings() -> Settings:
    return Settings()
