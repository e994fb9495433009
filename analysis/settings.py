"""All settings in one place (environment prefix POLICYALIGN_), shared by CLI, service and batch."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _user_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policyalign"


class Settings(BaseSettings):
    """Why one class: an operator reads every knob here, and tests override them in one call."""

    model_config = SettingsConfigDict(env_prefix="POLICYALIGN_", env_file=None, extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "policy_corpus"
    models_dir: Path = PROJECT_ROOT / "models"
    region: str | None = Field(default=None, description="Default region; None means the corpus's default_region")
    embedder: Literal["static-sv", "e5-small", "fake"] = "static-sv"
    max_text_chars: int = Field(default=400_000, gt=0, description="Longest normalised text analyzed")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_batch_items: int = Field(default=32, gt=0)
    analysis_threads: int = Field(default=2, gt=0, description="Analyses run at once in the HTTP process's threads")
    analysis_processes: int = Field(
        default=0, ge=0, description="Analysis processes fed by the HTTP process (serve sets one per CPU); 0: threads")
    require_swedish: bool = True
    evidence_per_item: int = Field(default=3, ge=1, le=10)
    api_keys: list[str] = Field(
        default_factory=list, description="When set, /v1 routes need 'Authorization: Bearer <key>'"
    )
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    # ---- limits on untrusted input (issue 12): each is checked before the work it bounds ----------
    max_pdf_pages: int = Field(default=300, gt=0, description="A PDF with more pages is refused before extraction")
    max_inflated_bytes: int = Field(default=50 * 1024 * 1024, gt=0,
                                    description="Largest inflated DOCX member or PDF stream")
    max_compression_ratio: int = Field(
        default=100, gt=1, description="Largest inflated/compressed ratio of a DOCX member"
    )
    parse_memory_mb: int = Field(default=1024, ge=128, description="Address-space limit of a PDF/DOCX parsing process")
    parse_seconds: float = Field(default=10.0, gt=0, description="Wall-clock deadline of one PDF/DOCX parse")
    request_deadline_seconds: float = Field(default=10.0, gt=0, description="Longest analysis of one HTTP request")
    body_timeout_seconds: float = Field(default=20.0, gt=0, description="Longest time to receive a request body")
    max_waiting_requests: int = Field(default=8, ge=0, description="Analyses waiting in line before 503")
    worker_rss_ceiling_mb: int = Field(default=1500, gt=0, description="Above it (any analysing process) unready")
    worker_max_requests: int = Field(default=20_000, ge=0,
                                     description="Analyses per process before the processes are replaced; 0: never")
    cache_dir: Path = Field(default_factory=_user_cache_dir,
                            description="Where decoded lemma dictionaries are kept between runs (made if missing)")
    gc_young_threshold: int = Field(
        default=5_000, ge=100, description="Net new objects before a young garbage collection in an analysing "
        "process (Python's default is 700)")
    metrics_require_key: bool = Field(default=False, description="Ask for the API key on /metrics too")

    @field_validator("api_keys")
    @classmethod
    def _no_empty_key(cls, keys: list[str]) -> list[str]:
        """An empty or blank key would let an empty bearer in: refuse to start instead."""
        if any(not key.strip() for key in keys):
            raise ValueError("API keys must not be empty or blank")
        return keys

    @field_validator("named_api_keys")
    @classmethod
    def _no_empty_named_key(cls, keys: dict[str, str]) -> dict[str, str]:
        if any(not key.strip() for key in keys.values()):
            raise ValueError("API keys must not be empty or blank")
        return keys
    portfolio_unsure_below: float = Field(
        default=0.5, gt=0, lt=1, description="Portfolio flag: top RUS score below this means the tool was unsure")
    portfolio_amount_factor: float = Field(
        default=10.0, gt=1, description="Portfolio flag: an amount this many times above or below the backlog median")
    portfolio_min_amounts: int = Field(
        default=5, ge=3, description="Amounts needed before the backlog median is trusted for the outlier flag")
    # ---- cases, reviews and memos (analysis/store) ----
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data", description="Folder of the default SQLite database; created on first start"
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; None means a SQLite file in data_dir",
    )
    store_text: bool = Field(
        default=True, description="Keep the document text with an analysis; off keeps only its hash and result"
    )
    retention_days: int | None = Field(default=None, gt=0, description="Texts older than this many days are deleted "
                                       "(`policyalign db prune`, and at service start-up)")
    user_header: str | None = Field(default=None, description="Request header a trusted reverse proxy sets to the "
                                    "signed-in user's name, e.g. X-Remote-User; ignored when unset")
    named_api_keys: dict[str, str] = Field(default_factory=dict, description="API keys with a name (name → key), "
                                           "accepted like api_keys; the name is recorded as the reviewer")

    @property
    def accepted_api_keys(self) -> list[str]:
        return [*self.api_keys, *self.named_api_keys.values()]

    @property
    def database(self) -> str:
        """The database URL in effect: the setting, or the SQLite file under data_dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'policyalign.sqlite3'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
