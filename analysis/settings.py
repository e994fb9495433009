"""All settings in one place (environment prefix POLICYALIGN_), shared by CLI, service and batch."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Why one class: an operator reads every knob here, and tests override them in one call."""

    model_config = SettingsConfigDict(env_prefix="POLICYALIGN_", env_file=None, extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "policy_corpus"
    models_dir: Path = PROJECT_ROOT / "models"
    region: str | None = Field(default=None, description="Default region; None means the corpus's default_region")
    embedder: Literal["static-sv", "e5-small", "fake"] = "static-sv"
    max_text_chars: int = Field(default=400_000, gt=0, description="Longest normalised text analysed")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_batch_items: int = Field(default=32, gt=0)
    analysis_threads: int = Field(default=2, gt=0, description="Analyses run at once per worker (CPU-bound)")
    require_swedish: bool = True
    evidence_per_item: int = Field(default=3, ge=1, le=10)
    api_keys: list[str] = Field(default_factory=list, description="When set, /v1 routes need 'Authorization: Bearer <key>'")
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    portfolio_unsure_below: float = Field(
        default=0.5, gt=0, lt=1, description="Portfolio flag: top RUS score below this means the tool was unsure")
    portfolio_amount_factor: float = Field(
        default=10.0, gt=1, description="Portfolio flag: an amount this many times above or below the backlog median")
    portfolio_min_amounts: int = Field(
        default=5, ge=3, description="Amounts needed before the backlog median is trusted for the outlier flag")

    @property
    def calibrator_path(self) -> Path:
        return self.models_dir / "alignment-calibrator" / f"{self.embedder}.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
