"""A cache that cannot be reached makes the site slower, never broken
(operations/resilient_cache.py), tested against a real Redis server stopped and started again."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command

from search.indexing import rebuild
from tests import redis_server as throwaway_redis
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
redis_server = throwaway_redis.redis_server  # fixtures
redis_cache = throwaway_redis.redis_cache

PUBLIC = [
    "/en/",
    "/de/",
    "/en/case-studies/",
    "/en/case-studies/ghent/",
    "/en/search/?q=buses",
    "/en/search/?q=buses&format=json",
    "/en/search/autocomplete/?q=gh",
    "/api/v2/pages/?locale=en",
    "/sitemap.xml",
]


@pytest.fixture
def site_pages(home):
    index = CaseStudyIndexPageFactory(parent=home)
    CaseStudyPageFactory(parent=index, slug="ghent", title="Ghent buys electric buses")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    rebuild()


def answers(client):
    return {path: client.get(path).status_code for path in PUBLIC}


def test_a_redis_cache_url_gets_the_resilient_backend():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        " c = settings.CACHES['default']; print(c['BACKEND'], c['OPTIONS']['RETRY_AFTER'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "procura.settings.test"}
    env["CACHE_URL"] = "redis://127.0.0.1:9/0"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["operations.resilient_cache.ResilientRedisCache", "5.0"]


def test_pages_search_and_api_answer_while_the_cache_is_down_and_use_it_once_back(
    client, redis_cache, site_pages, caplog
):
    server = redis_cache
    assert set(answers(client).values()) == {200}
    assert server.client().dbsize() > 0  # the site does use the cache

    server.stop()
    with caplog.at_level(logging.WARNING, logger="operations.resilient_cache"):
        down = answers(client)
    assert down == dict.fromkeys(PUBLIC, 200)
    warnings = [r for r in caplog.records if r.name == "operations.resilient_cache"]
    assert len(warnings) == 1  # logged once, not once per operation
    assert "cannot be reached" in warnings[0].getMessage()

    server.start()  # a new, empty server
    assert server.client().dbsize() == 0
    assert set(answers(client).values()) == {200}
    assert server.client().dbsize() > 0  # in use again


def test_operations_act_as_misses_while_down(redis_cache):
    cache.set("kept", 1)
    assert cache.get("kept") == 1
    redis_cache.stop()
    assert cache.get("kept", "default") == "default"
    assert cache.get_many(["kept"]) == {}
    assert cache.add("other", 1) is False
    assert cache.has_key("kept") is False
    assert cache.set("kept", 2) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("kept") is False
    with pytest.raises(ValueError):
        cache.incr("kept")
    assert cache.get_or_set("computed", lambda: 42) == 42
    redis_cache.start()
    cache.set("kept", 3)
    assert cache.get("kept") == 3


def test_after_a_failure_the_cache_is_left_alone_until_it_is_time_to_ask_again(redis_cache):
    backend = caches["default"]
    backend.retry_after = 3600
    redis_cache.stop()
    assert backend.get("key") is None
    assert not backend.available
    redis_cache.start()
    redis_cache.client().set(backend.make_key("key"), b"ignored")
    assert backend.get("key", "miss") == "miss"  # not asked: bypassed
    backend.down_until = 0  # the time to ask again has come
    backend.set("key", "value")
    assert backend.get("key") == "value"
    assert backend.available
