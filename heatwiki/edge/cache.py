"""Redis as a cache, not a single point of failure.

When Redis cannot be reached (refused, timed out), every cache call answers as a miss would:
``get`` gives the default, ``set`` and ``add`` store nothing, ``incr`` reports the key missing.
The site gets slower (no cached pages, sessions read from the database), never an error page.
A warning is logged once a minute while it lasts. Connections time out quickly (settings), so
a Redis that hangs costs a request a fraction of a second, not a worker.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0
    _last_failure = 0.0

    @classmethod
    def failing_lately(cls) -> bool:
        """Whether Redis failed within the last minute (no call to Redis to find out)."""
        return time.monotonic() - cls._last_failure < WARN_EVERY_SECONDS

    def _unreachable(self, error: Exception, default=None):
        now = time.monotonic()
        ResilientRedisCache._last_failure = now
        if now - ResilientRedisCache._last_warning > WARN_EVERY_SECONDS:
            ResilientRedisCache._last_warning = now
            log.warning("Redis is unreachable, going on without the cache: %s", error)
        return default

    def reachable(self) -> bool:
        """Whether Redis answers now (for /readyz)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except UNREACHABLE as error:
            return self._unreachable(error, False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            return self._unreachable(error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            return self._unreachable(error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            return self._unreachable(error, False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            return self._unreachable(error, False)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            return self._unreachable(error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            return self._unreachable(error, list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            return self._unreachable(error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            return self._unreachable(error, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            return self._unreachable(error)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable(error)
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).") from error

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            return self._unreachable(error, False)
