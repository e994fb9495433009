"""The real app with the real corpus and the default model (static-sv), through TestClient."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from analysis.settings import Settings
from service.app import create_app


@pytest.fixture(scope="session")
def client(static_analyzer):
    app = create_app(Settings(), analyzer=static_analyzer)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture()
def keyed_client(static_analyzer):
    app = create_app(Settings(api_keys=["s3cret-key"]), analyzer=static_analyzer)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
