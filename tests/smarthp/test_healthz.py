"""GET /healthz: 200 while the database answers ("degraded" with the culprit when the cache or the
broker does not: the node still serves), 503 when the database does not."""

import time

import pytest

from smarthp import views
from smarthp.celery import app

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client, settings):
    """The embedded default: only the database is checked (no Redis configured)."""
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "up"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""

    def database_down():
        raise ConnectionError("connection refused")

    monkeypatch.setattr(views, "_check_database", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "down"}}


@pytest.mark.django_db
def test_healthz_is_200_degraded_when_the_cache_is_down(client, settings):
    """A Redis cache that does not answer (a real connection refused, not a mock): pages still work."""
    settings.REDIS_URL = DEAD_REDIS
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "smarthp.cache.RedisCache", "LOCATION": DEAD_REDIS}}

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "up", "cache": "down"}}


@pytest.mark.django_db
def test_healthz_is_200_degraded_when_the_broker_is_down_and_answers_quickly(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = DEAD_REDIS  # the Celery app reads its configuration from settings
    assert app.conf.broker_url == DEAD_REDIS

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 2  # the probe must not hang a load balancer's check
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "up", "broker": "down"}}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down_even_if_redis_is_too(client, settings, monkeypatch):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "smarthp.cache.RedisCache", "LOCATION": DEAD_REDIS}}

    def database_down():
        raise ConnectionError("connection refused")

    monkeypatch.setattr(views, "_check_database", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "down", "cache": "down", "broker": "down"}}


@pytest.mark.services
@pytest.mark.django_db
def test_healthz_checks_postgres_redis_and_the_broker_when_configured(client):
    """On the production stack all three are checked, and all are up."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "up", "cache": "up", "broker": "up"}
