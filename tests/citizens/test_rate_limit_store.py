"""allauth's rate limits are counted in the database (citizens.ratelimit), with Redis or without."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone

from citizens.models import RateLimitEntry

pytestmark = pytest.mark.django_db

LOCK = "allauth:rl:allauth.account:login_failed:5/300.0/key:abc:lock"


@pytest.fixture
def store():
    return caches["durable"]


def test_allauth_keys_go_to_the_database_and_others_stay_in_the_cache():
    cache.set("allauth:rl:allauth.account:login:30/60.0/ip:ip:10.0.0.1", [1.5, 1.0], 60)
    cache.set("feedback:public-generation", 3)

    entry = RateLimitEntry.objects.get()
    assert entry.key.endswith("allauth:rl:allauth.account:login:30/60.0/ip:ip:10.0.0.1")
    assert entry.value == [1.5, 1.0]
    assert cache.get("allauth:rl:allauth.account:login:30/60.0/ip:ip:10.0.0.1") == [1.5, 1.0]


def test_add_takes_a_free_key_once(store):
    assert store.add(LOCK, True, 10) is True
    assert store.add(LOCK, True, 10) is False
    store.delete(LOCK)
    assert store.add(LOCK, True, 10) is True


def test_an_expired_entry_reads_as_absent_and_can_be_taken_over(store):
    store.add(LOCK, True, 10)
    RateLimitEntry.objects.update(expires=timezone.now() - timedelta(seconds=1))

    assert store.get(LOCK) is None
    assert store.has_key(LOCK) is False
    assert store.add(LOCK, "mine", 10) is True
    assert store.get(LOCK) == "mine"


def test_set_replaces_and_a_zero_timeout_deletes(store):
    store.set("k", [1.0], 60)
    store.set("k", [2.0, 1.0], 60)
    assert store.get("k") == [2.0, 1.0]
    assert RateLimitEntry.objects.count() == 1

    store.set("k", [3.0], 0)
    assert store.get("k", "gone") == "gone"


def test_expired_entries_are_purged(store):
    store.set("old", [1.0], 60)
    store.set("new", [1.0], 60)
    RateLimitEntry.objects.filter(key__endswith="old").update(expires=timezone.now() - timedelta(seconds=1))

    assert store.purge_expired() == 1
    assert [entry.key.split(":")[-1] for entry in RateLimitEntry.objects.all()] == ["new"]


@pytest.mark.django_db(transaction=True)
def test_parallel_adds_of_one_key_let_exactly_one_win(store, sqlite_waits_for_locks):
    """allauth's lock: of requests racing for it, exactly one holds it."""
    results = []
    barrier = threading.Barrier(6)

    def race():
        try:
            barrier.wait()
            results.append(caches["durable"].add(LOCK, True, 10))
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 5 + [True]
