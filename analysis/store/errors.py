"""Coded errors of the case store; the API turns them into problem+json like every PolicyAlignError."""

from __future__ import annotations

from analysis.errors import PolicyAlignError


class CaseNotFoundError(PolicyAlignError):
    """No case or analysis with that id."""

    code = "not-found"
    http_status = 404


class DuplicateCaseError(PolicyAlignError):
    """A case with that diarienummer exists already."""

    code = "duplicate-case"
    http_status = 409


class StaleReviewError(PolicyAlignError):
    """Someone saved the review since this client read it: nothing is overwritten silently."""

    code = "stale-version"
    http_status = 409


class InvalidReviewError(PolicyAlignError):
    """A review decision that does not fit the analysis (unknown target, item or value)."""

    code = "invalid-review"


class InvalidCursorError(PolicyAlignError):
    """A page cursor this API did not give out, or one from another sort order."""

    code = "invalid-cursor"


class DatabaseNotMigratedError(PolicyAlignError):
    """The database schema is older than this software; `policyalign db upgrade` fixes it."""

    code = "database-not-migrated"
    http_status = 503
