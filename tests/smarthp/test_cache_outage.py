"""Redis away: every page still answers from the database, and the limits that guard accounts hold.

The outage is real, not a mock: the cache points at a port where nothing listens (a connection
refused at once, as for a stopped Redis), with production's cache backend and session engine.
"""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import logging
import uuid

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from citizens.models import RateLimitEntry
from feedback.models import Report
from smarthp import cache as portal_cache
from tests.conftest import PASSWORD
from tests.feedback.citizen_world import LE_CHAN_POINT, fresh_geo_index, world  # noqa: F401

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_away(settings):
    """Production's cache configuration (REDIS_URL set) with Redis stopped; tasks stay in-process."""
    settings.REDIS_URL = DEAD_REDIS
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {
        "default": {
            "BACKEND": "smarthp.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        },
        "durable": settings.CACHES["durable"],
    }
    settings.SESSION_ENGINE = "smarthp.sessions.cached_db"
    portal_cache._outages.clear()
    yield
    portal_cache._outages.clear()


def signed_in_user_id(response):
    return response.wsgi_request.user.pk


@pytest.mark.django_db
def test_a_signed_in_citizens_pages_answer_while_redis_is_away(client, alice, redis_away):
    client.force_login(alice)

    for url in ("/", reverse("citizens:profile"), reverse("feedback:feed"), reverse("usersessions_list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert signed_in_user_id(response) == alice.pk, url


@pytest.mark.django_db
def test_signing_out_while_redis_is_away_ends_the_session(client, alice, redis_away):
    client.force_login(alice)
    client.post(reverse("account_logout"))

    assert signed_in_user_id(client.get(reverse("citizens:profile"))) is None


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?q=ổ+gà", "?q=đèn&status=dang-xu-ly"])
def test_the_public_feed_answers_while_redis_is_away(client, redis_away, query):
    response = client.get(reverse("feedback:feed") + query)

    assert response.status_code == 200


@pytest.mark.django_db
def test_signing_in_with_a_password_works_while_redis_is_away(client, alice, redis_away):
    response = client.post(reverse("account_login"), {"login": "0911000001", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(alice.pk)


@pytest.mark.django_db
def test_the_wrong_password_limit_still_refuses_while_redis_is_away(client, alice, redis_away):
    """5 wrong passwords for one account in 5 minutes: the 6th try is refused, even the right password."""
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "0911000001", "password": "sai-mật-khẩu"})
        assert "không đúng" in response.content.decode()

    response = client.post(reverse("account_login"), {"login": "0911000001", "password": PASSWORD})

    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert client.session.get("_auth_user_id") is None
    assert RateLimitEntry.objects.filter(key__contains="login_failed").exists()  # counted in the database


@pytest.mark.django_db
def test_the_sms_code_limits_hold_while_redis_is_away(client, redis_away, settings):
    """The 60-second wait between two codes to one number is counted in the database too."""
    from django.test import RequestFactory

    from citizens import limits

    request = RequestFactory().post("/")
    limits.consume(request, "+84912345678")

    with pytest.raises(limits.SmsLimitReached):
        limits.consume(request, "+84912345678")


def report_form(world):
    return {
        "category": str(world.roads.pk),
        "title": "Ổ gà lớn trên đường Lạch Tray",
        "description": "Ổ gà sâu khoảng 20 cm trước số 120, xe máy đi qua rất dễ ngã.",
        "lat": str(LE_CHAN_POINT[0]),
        "lng": str(LE_CHAN_POINT[1]),
        "unit": "",
        "address": "120 Lạch Tray",
        "visibility": "public",
        "idempotency_key": str(uuid.uuid4()),
    }


def test_a_report_submitted_while_redis_is_away_is_saved(client, world, redis_away):
    client.force_login(world.alice)

    response = client.post(reverse("feedback:submit"), report_form(world))

    assert response.status_code == 302
    report = Report.objects.get(reporter=world.alice)
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("feedback:feed")).status_code == 200
    assert report.title in client.get(reverse("feedback:feed")).content.decode()


@pytest.mark.django_db
def test_healthz_is_200_degraded_while_only_redis_is_away(client, redis_away):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "up", "cache": "down"}}


# --- The backend itself ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_call_is_a_miss_or_a_no_op(redis_away):
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.delete("k") is False
    assert cache.has_key("k") is False
    assert cache.touch("k") is False
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.delete_many(["a"]) is None
    assert cache.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("k")  # as for a missing key: callers start the counter with add()


@pytest.mark.django_db
def test_a_hundred_failing_calls_log_one_warning(redis_away, caplog):
    with caplog.at_level(logging.WARNING, logger="smarthp.cache"):
        for number in range(100):
            cache.get(f"k{number}")

    warnings = [record for record in caplog.records if record.name == "smarthp.cache"]
    assert len(warnings) == 1
    assert "Redis unreachable" in warnings[0].getMessage()


class FakeRedis:
    """Stands in for Django's Redis client: counts calls, fails while `down`."""

    def __init__(self):
        self.down = True
        self.calls = 0
        self.data = {}

    def _call(self):
        self.calls += 1
        if self.down:
            import redis

            raise redis.exceptions.ConnectionError("Connection refused")

    def get(self, key, default):
        self._call()
        return self.data.get(key, default)

    def set(self, key, value, timeout):
        self._call()
        self.data[key] = value

    def delete(self, key):
        self._call()
        return self.data.pop(key, None) is not None

    def delete_many(self, keys):
        self._call()
        for key in keys:
            self.data.pop(key, None)

    def get_client(self, *args, **kwargs):
        return self

    def ping(self):
        self._call()


@pytest.fixture
def fake_redis(redis_away, monkeypatch):
    fake = FakeRedis()
    clock = {"now": 1000.0}
    monkeypatch.setattr(portal_cache.time, "monotonic", lambda: clock["now"])
    backend = caches["default"]
    backend.__dict__["_cache"] = fake  # Django's RedisCache keeps its client in a cached_property
    fake.clock = clock
    return fake


@pytest.mark.django_db
def test_after_a_failure_redis_is_skipped_for_a_few_seconds(fake_redis, caplog):
    for _ in range(50):
        cache.get("k")
    assert fake_redis.calls == 1  # only the first call paid the timeout

    fake_redis.clock["now"] += portal_cache.SafeRedisCache.RETRY_SECONDS
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="smarthp.cache"):
        cache.get("k")
    assert fake_redis.calls == 2  # tried again, failed again: not logged again within the minute
    assert not [record for record in caplog.records if record.name == "smarthp.cache"]

    fake_redis.clock["now"] += 60
    with caplog.at_level(logging.WARNING, logger="smarthp.cache"):
        cache.get("k")
    assert len([record for record in caplog.records if record.name == "smarthp.cache"]) == 1


@pytest.mark.django_db
def test_keys_changed_while_redis_was_away_are_deleted_when_it_answers_again(fake_redis):
    """A session ended during the outage must not come back from its stale cached copy."""
    stale = cache.make_key("django.contrib.sessions.cached_db" + "abc")
    fake_redis.data[stale] = {"_auth_user_id": "1"}
    fake_redis.data[cache.make_key("untouched")] = "kept"

    cache.delete("django.contrib.sessions.cached_db" + "abc")  # fails: Redis is away
    cache.set("feedback:public-generation", 7)  # skipped by the breaker, remembered too
    fake_redis.down = False
    fake_redis.clock["now"] += portal_cache.SafeRedisCache.RETRY_SECONDS

    assert cache.get("other") is None

    assert stale not in fake_redis.data
    assert fake_redis.data == {cache.make_key("untouched"): "kept"}
    cache.set("k", "v")
    assert cache.get("k") == "v"  # served from Redis again


@pytest.mark.django_db
def test_rate_limit_keys_never_touch_redis(fake_redis):
    cache.set("allauth:rl:allauth.account:login:30/60/ip:ip:1.2.3.4", [1.0], 60)

    assert fake_redis.calls == 0
    assert cache.get("allauth:rl:allauth.account:login:30/60/ip:ip:1.2.3.4") == [1.0]


@pytest.mark.services
@pytest.mark.django_db
def test_with_redis_up_the_backend_is_an_ordinary_redis_cache():
    portal_cache._outages.clear()

    cache.set("outage-test", {"a": 1}, 30)
    assert cache.get("outage-test") == {"a": 1}
    assert cache.add("outage-test", 2) is False
    cache.ping()
    cache.delete("outage-test")
