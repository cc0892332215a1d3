"""Django's Redis cache backend, made to bear an outage: a cache that cannot be reached makes
the site slower, never broken.

Every operation that cannot reach Redis (refused, reset, timed out) acts as a miss: `get`
returns the default, `get_many` nothing, `set` and `delete` do nothing, `add` and `touch`
say False, `incr` raises ValueError as for a missing key. The first failure is logged (then
at most once every `LOG_EVERY` seconds) and the cache is bypassed for `RETRY_AFTER` seconds,
so that requests meanwhile pay no connection attempts; the first operation after that tries
again, and the cache is in use again as soon as Redis answers.

Configured in procura/settings/base.py when CACHE_URL is a redis:// address: OPTIONS
`RETRY_AFTER` (seconds, default 5) and `LOG_EVERY` (default 60) are this class's; the others
go to redis-py as for Django's backend (the settings give short socket timeouts).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations act as misses while Redis cannot be reached."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self.retry_after = float(params["OPTIONS"].pop("RETRY_AFTER", 5))
        self.log_every = float(params["OPTIONS"].pop("LOG_EVERY", 60))
        super().__init__(server, params)
        self.down_until = None  # monotonic time until which Redis is not asked
        self.logged_at = None

    @property
    def available(self):
        """False while the cache is bypassed after a failure."""
        return self.down_until is None or time.monotonic() >= self.down_until

    def _failed(self, operation, error):
        now = time.monotonic()
        self.down_until = now + self.retry_after
        if self.logged_at is None or now - self.logged_at >= self.log_every:
            self.logged_at = now
            logger.warning(
                "The cache (%s) cannot be reached; %s and the next %g s bypass it: %s",
                ", ".join(self._servers),
                operation,
                self.retry_after,
                error,
            )

    def _attempt(self, operation, call, miss):
        if not self.available:
            return miss
        try:
            result = call()
        except UNREACHABLE as error:
            self._failed(operation, error)
            return miss
        if self.down_until is not None:
            self.down_until = None
            logger.warning("The cache (%s) answers again", ", ".join(self._servers))
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            "add", lambda: RedisCache.add(self, key, value, timeout, version), False
        )

    def get(self, key, default=None, version=None):
        return self._attempt("get", lambda: RedisCache.get(self, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt("set", lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("touch", lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._attempt("delete", lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key, version=None):
        return self._attempt("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._attempt("incr", lambda: RedisCache.incr(self, key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # As Django's backends: the keys that could not be set.
        return self._attempt(
            "set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._attempt("delete_many", lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self):
        return self._attempt("clear", lambda: RedisCache.clear(self), False)
