"""Storage tests run against every database in tests.databases (SQLite always, PostgreSQL when installed)."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from tests.databases import database_url, postgres_cluster  # noqa: F401  (fixtures)


@pytest.fixture()
def store_settings(database_url, tmp_path):  # noqa: F811
    from analysis.settings import Settings

    return Settings(embedder="fake", database_url=database_url, data_dir=tmp_path)


@pytest.fixture()
def store(store_settings):
    from analysis.store import Store

    opened = Store.open(store_settings, migrate=True)
    yield opened
    opened.close()


@pytest.fixture()
def repo(store):
    from analysis.store.repository import Repository

    return Repository(store)


@pytest.fixture(scope="session")
def seed_result(analyzer):
    return analyzer.analyze(analyzer.read_path(SEED), include_text=True)
