"""Settings come from the environment with safe defaults.

Each case loads the settings module in a fresh interpreter with exactly the variables given, so
nothing leaks into (or from) this test process.
"""

import secrets

from tests.helpers import run_python, settings_from_env

SETTINGS = {
    "debug": "settings.DEBUG",
    "engine": "settings.DATABASES['default']['ENGINE']",
    "name": "str(settings.DATABASES['default']['NAME'])",
    "host": "settings.DATABASES['default'].get('HOST')",
    "port": "settings.DATABASES['default'].get('PORT')",
    "user": "settings.DATABASES['default'].get('USER')",
    "conn_max_age": "settings.DATABASES['default']['CONN_MAX_AGE']",
    "cache": "settings.CACHES['default']['BACKEND']",
    "cache_location": "settings.CACHES['default'].get('LOCATION')",
    "cache_options": "settings.CACHES['default'].get('OPTIONS', {})",
    "durable_cache": "settings.CACHES['durable']['BACKEND']",
    "health_checks": "settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
    "session": "settings.SESSION_ENGINE",
    "eager": "settings.CELERY_TASK_ALWAYS_EAGER",
    "time_zone": "settings.TIME_ZONE",
    "language": "settings.LANGUAGE_CODE",
    "languages": "[code for code, name in settings.LANGUAGES]",
    "allowed_hosts": "settings.ALLOWED_HOSTS",
}

PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.vn",
    "DEBUG": "0",
    "HTTPS": "1",
}


def test_the_embedded_default_needs_no_configuration():
    """No variables at all: DEBUG off, a SQLite file, local-memory cache, in-process tasks, Vietnamese
    first, Hải Phòng's time zone."""
    values = settings_from_env({}, SETTINGS)

    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["cache"] == "smarthp.cache.LocMemCache"
    # Rate limits are counted in the database, as in production.
    assert values["durable_cache"] == "citizens.ratelimit.DatabaseStore"
    assert values["session"] == "smarthp.sessions.db"  # never a per-process copy
    assert values["eager"] is True
    assert values["time_zone"] == "Asia/Ho_Chi_Minh"
    assert values["language"] == "vi"
    assert values["languages"] == ["vi", "en"]


def test_debug_is_on_only_when_asked_for():
    assert settings_from_env({"DEBUG": "1"}, SETTINGS)["debug"] is True
    assert settings_from_env({"DEBUG": "0"}, SETTINGS)["debug"] is False
    assert settings_from_env({"DEBUG": "no"}, SETTINGS)["debug"] is False


def test_a_postgres_database_url_selects_postgresql():
    values = settings_from_env({"DATABASE_URL": "postgres://portal:s3cret@db.internal:5433/smarthp"}, SETTINGS)

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "smarthp"
    assert values["host"] == "db.internal"
    assert values["port"] == 5433
    assert values["user"] == "portal"
    assert values["conn_max_age"] == 60
    # A connection kept across requests is checked first: after a restart the process reconnects.
    assert values["health_checks"] is True


def test_redis_url_switches_the_cache_and_the_queue_to_redis():
    values = settings_from_env({"REDIS_URL": "redis://redis.internal:6379/0"}, SETTINGS)

    assert values["cache"] == "smarthp.cache.RedisCache"
    assert values["cache_location"] == "redis://redis.internal:6379/0"
    # A Redis that does not answer costs a fraction of a second, not a request's whole budget.
    assert 0 < values["cache_options"]["socket_connect_timeout"] <= 0.5
    assert 0 < values["cache_options"]["socket_timeout"] <= 0.5
    assert values["durable_cache"] == "citizens.ratelimit.DatabaseStore"
    # Sessions are read from Redis and written through to the database.
    assert values["session"] == "smarthp.sessions.cached_db"
    assert values["eager"] is False


def test_allowed_hosts_is_a_comma_separated_list():
    values = settings_from_env({"ALLOWED_HOSTS": " portal.example.vn, www.portal.example.vn ,"}, SETTINGS)

    assert values["allowed_hosts"] == ["portal.example.vn", "www.portal.example.vn"]


def test_check_deploy_is_clean_with_production_settings():
    """`manage.py check --deploy` finds nothing to warn about once production variables are set."""
    completed = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=PRODUCTION_ENV)

    assert completed.returncode == 0
    assert "no issues" in completed.stdout


def test_check_deploy_flags_the_development_defaults():
    """The same check catches a deployment that forgot its variables (the development key, no HTTPS),
    which shows the clean result above means something."""
    completed = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env={}, check=False)

    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert "security.W009" in output  # SECRET_KEY
    assert "security.W008" in output  # SECURE_SSL_REDIRECT
    assert "security.W004" in output  # HSTS
