"""Cases, stored analyses, officer reviews and their audit trail (SQLAlchemy 2, Alembic).

SQLite under the data folder by default; PostgreSQL when POLICYALIGN_DATABASE_URL says so. The schema
only changes through the migrations shipped in ``migrations/``, so an installed package can upgrade a
database without the source tree.
"""

from analysis.store.db import Store, current_revision, downgrade, head_revision, upgrade
from analysis.store.errors import (
    CaseNotFoundError,
    DatabaseNotMigratedError,
    DuplicateCaseError,
    InvalidReviewError,
    StaleReviewError,
)

__all__ = ["CaseNotFoundError", "DatabaseNotMigratedError", "DuplicateCaseError", "InvalidReviewError",
           "StaleReviewError", "Store", "current_revision", "downgrade", "head_revision", "upgrade"]
