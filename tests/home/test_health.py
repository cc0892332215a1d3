"""/health/: the database, the cache and the search engine, each reported on its own; 503 only
when the database cannot be reached, "degraded" when the cache or the search engine cannot."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import redis_server as throwaway_redis

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
redis_server = throwaway_redis.redis_server  # fixtures
redis_cache = throwaway_redis.redis_cache


def health(client):
    response = client.get("/health/")
    return response.status_code, response.json(), response


def test_all_answer(client):
    code, data, response = health(client)
    assert code == 200
    assert data == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "search": {"status": "ok", "engine": "database"},
        },
    }
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "address", ["/health/", "/robots.txt", "/en/topics/", "/en/search/", "/en/search/autocomplete/"]
)
def test_a_head_request_is_answered_as_a_get_is(client, address):
    """Load balancers and link checkers ask with HEAD."""
    assert client.head(address).status_code == client.get(address).status_code == 200
    assert client.post(address).status_code == 405


def test_a_cache_that_cannot_be_reached_is_degraded_not_down(client, redis_cache):
    assert health(client)[1]["checks"]["cache"] == {"status": "ok"}
    redis_cache.stop()
    code, data, _response = health(client)
    assert code == 200
    assert data["status"] == "degraded"
    assert data["checks"]["cache"] == {"status": "down"}
    assert data["checks"]["database"] == {"status": "ok"}
    redis_cache.start()
    code, data, _response = health(client)
    assert (code, data["status"], data["checks"]["cache"]) == (200, "ok", {"status": "ok"})


def test_a_search_engine_that_cannot_be_reached_is_degraded_not_down(client, settings):
    settings.PROCURA_SEARCH = {**settings.PROCURA_SEARCH, "ELASTICSEARCH_URL": "http://127.0.0.1:9"}
    code, data, _response = health(client)
    assert code == 200
    assert data["status"] == "degraded"
    assert data["checks"]["search"] == {
        "status": "down",
        "engine": "elasticsearch",
        "fallback": "database",
    }
    assert data["checks"]["database"] == {"status": "ok"}
    assert "127.0.0.1:9" not in json.dumps(data)  # what went wrong is logged, not shown


def test_a_database_that_cannot_be_reached_is_a_503():
    """In a process of its own, configured with a PostgreSQL server where none listens."""
    code = (
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/health/');"
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "procura.settings.test"}
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:9/procura"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, data = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert data["status"] == "down"
    assert data["checks"]["database"] == {"status": "down"}
    assert data["checks"]["cache"] == {"status": "ok"}
