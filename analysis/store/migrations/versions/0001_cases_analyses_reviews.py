"""Cases, analyses with their review, and the review audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("dnr", sa.String(100), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("applicant", sa.String(500), nullable=True),
        sa.Column("region", sa.String(100), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attention", sa.Integer, nullable=False),
        sa.Column("analysis_count", sa.Integer, nullable=False),
        sa.Column("latest_analysis_id", Id, nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.UniqueConstraint("dnr", name="uq_cases_dnr"),
    )
    op.create_index("ix_cases_region", "cases", ["region"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_attention_id", "cases", ["attention", "id"])
    op.create_index("ix_cases_region_attention_id", "cases", ["region", "attention", "id"])
    op.create_table(
        "analyses",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("case_id", Id, sa.ForeignKey("cases.id", ondelete="CASCADE", name="fk_analyses_case"),
                  nullable=False),
        sa.Column("input_name", sa.String(500), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("result", Json, nullable=False),
        sa.Column("corpus_version", sa.String(100), nullable=False),
        sa.Column("software_version", sa.String(100), nullable=False),
        sa.Column("models", Json, nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("review", Json, nullable=False),
        sa.Column("review_version", sa.Integer, nullable=False),
        sa.Column("reviewed", sa.Boolean, nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("reviewed_at", Stamp, nullable=True),
    )
    op.create_index("ix_analyses_case_id", "analyses", ["case_id"])
    op.create_index("ix_analyses_corpus_version", "analyses", ["corpus_version"])
    op.create_index("ix_analyses_created_at", "analyses", ["created_at"])
    op.create_table(
        "review_audit",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("analysis_id", Id, sa.ForeignKey("analyses.id", ondelete="CASCADE", name="fk_audit_analysis"),
                  nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("before", Json, nullable=True),
        sa.Column("after", Json, nullable=True),
    )
    op.create_index("ix_review_audit_analysis_id", "review_audit", ["analysis_id"])


def downgrade() -> None:
    op.drop_table("review_audit")
    op.drop_table("analyses")
    op.drop_table("cases")
