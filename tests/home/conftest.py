import pytest


@pytest.fixture
def bans(settings, monkeypatch):
    """The ban patterns home/cache.py sends to Varnish once a change commits, kept in a list
    instead of sent (tests/home/test_edge_cache.py sends them to a real Varnish)."""
    from home import cache

    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "home.cache.VarnishBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    sent = []
    monkeypatch.setattr(cache.VarnishBackend, "ban", lambda backend, pattern: sent.append(pattern))
    return sent
