"""The tables, as SQLAlchemy 2 typed models. Change them only together with a migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# JSONB on PostgreSQL (compact, indexable), JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Case(Base):
    """A case (ärende) under its diarienummer; holds the analyses of its documents."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    dnr: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    applicant: Mapped[str | None] = mapped_column(String(500))
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    attention: Mapped[int] = mapped_column(Integer, default=0, doc="How much the latest analysis needs a look")
    analysis_count: Mapped[int] = mapped_column(Integer, default=0)
    latest_analysis_id: Mapped[int | None] = mapped_column(Id)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    analyses: Mapped[list[Analysis]] = relationship(back_populates="case", order_by="Analysis.id",
                                                    cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (Index("ix_cases_attention_id", "attention", "id"),
                      Index("ix_cases_region_attention_id", "region", "attention", "id"))


class Analysis(Base):
    """One analyzed document of a case, with the officer's review of it (versioned for concurrent edits)."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    input_name: Mapped[str | None] = mapped_column(String(500))
    text_sha256: Mapped[str | None] = mapped_column(String(64), doc="NULL when no text reached the store (bulk import)")
    text: Mapped[str | None] = mapped_column(Text, doc="The normalised text; NULL when not stored or pruned")
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    # The column keeps its first name (no migration); everywhere in Python and the API it is `corpus`.
    corpus: Mapped[str] = mapped_column("corpus_version", String(100), index=True)
    software_version: Mapped[str] = mapped_column(String(100))
    models: Mapped[dict[str, Any]] = mapped_column(Json)
    region: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    review: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    review_version: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(back_populates="analyses")


class ReviewAudit(Base):
    """One changed review decision: who, when, before and after. Rows are only ever inserted."""

    __tablename__ = "review_audit"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    analysis_id: Mapped[int] = mapped_column(Id, ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(100))
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    version: Mapped[int] = mapped_column(Integer, doc="The review version this change created")
    before: Mapped[dict[str, Any] | None] = mapped_column(Json)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json)
