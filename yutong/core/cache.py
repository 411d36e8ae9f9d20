"""The shared cache (Redis), and what happens when it cannot be reached.

The cache is an accelerator: unit subtrees, holiday notices and the rate-limit counters of the
public forms and the API live there so that every process shares them. When Redis is down,
a request must not fail because of it. `FallbackRedisCache` is Django's RedisCache that, on a
connection error, logs it once and serves every call from this process's memory for the
retry interval, then tries Redis again. Meanwhile rate limits count per process (looser by
the number of processes, never off) and cached values are recomputed per process.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 30

# Per process, per Redis location: until when calls skip Redis. Django makes one cache object
# per thread, so this state lives outside them; a dead server then costs one failed
# connection per interval and process, not one per call.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def _with_fallback(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or this process's memory while Redis is unreachable."
    return method


class FallbackRedisCache(RedisCache):
    """RedisCache that falls back to a per-process memory cache while Redis is unreachable.

    Takes the RedisCache settings, plus ``RETRY_SECONDS`` (how long to stay on the fallback
    before trying Redis again, default 30)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._retry_seconds = float(params.get("RETRY_SECONDS", RETRY_SECONDS))
        # Same prefix, version and timeouts as Redis; the name makes every thread of the
        # process share one store.
        self._local = LocMemCache(
            f"yutong-fallback:{self._location}",
            {
                "TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )

    def _servers_for_log(self) -> str:
        # host:port only: a Redis URL may carry a password.
        return ",".join(
            f"{urlsplit(url).hostname}:{urlsplit(url).port or 6379}" for url in self._servers
        )

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= _down_until.get(self._location, 0.0):
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._mark_down(error)
            else:
                self._mark_up()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def _mark_down(self, error: Exception) -> None:
        with _lock:
            first = self._location not in _down_until
            _down_until[self._location] = time.monotonic() + self._retry_seconds
        # The first failure is a warning; the retries of a long outage are quieter.
        logger.log(
            logging.WARNING if first else logging.INFO,
            "cache: Redis at %s unreachable (%s); using this process's memory for %d s",
            self._servers_for_log(),
            type(error).__name__,
            self._retry_seconds,
        )

    def _mark_up(self) -> None:
        if self._location in _down_until:
            with _lock:
                recovered = _down_until.pop(self._location, None) is not None
            if recovered:
                logger.warning("cache: Redis at %s reachable again", self._servers_for_log())

    add = _with_fallback("add")
    get = _with_fallback("get")
    set = _with_fallback("set")
    touch = _with_fallback("touch")
    delete = _with_fallback("delete")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    incr = _with_fallback("incr")
    set_many = _with_fallback("set_many")
    delete_many = _with_fallback("delete_many")
    clear = _with_fallback("clear")
