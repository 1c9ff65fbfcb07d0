"""Django's Redis cache with one client per connection pool.

Django's client builds a new `redis.Redis` for every cache call (its documented extension point
is `get_client`); building one costs more CPU than the GET itself, and every logged-in request
reads its session from this cache. A `redis.Redis` over a pool is safe to share."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
