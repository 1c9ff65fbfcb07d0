"""The Redis cache backend that reuses its client (skipped where no Redis answers)."""

import pytest

from renshi.core.cache import RedisCache

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = RedisCache(URL, {"KEY_PREFIX": "renshi-test-cache"})
    yield cache
    cache.delete_many(["k", "n"])  # not clear(): that empties the whole Redis database


def test_it_stores_reads_and_deletes_like_djangos(cache):
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("n", 1) and not cache.add("n", 5)
    assert cache.incr("n") == 2 == cache.get("n")
    cache.delete("k")
    assert cache.get("k", "gone") == "gone"


def test_it_reuses_one_client_per_pool(cache):
    cache.set("k", 1)
    client = cache._cache.get_client("k", write=True)
    assert cache._cache.get_client("other") is client
    assert cache._cache.get_client("k", write=True).connection_pool is client.connection_pool
