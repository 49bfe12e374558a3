"""Fixtures for every test.

- Each test gets an empty temporary MEDIA_ROOT, an empty cache, fast password hashing, and
  plain static-file storage (production's manifest storage needs `collectstatic` first).
- Celery runs tasks in-process (eager) unless the test is marked `worker`, in which case tasks go
  through Redis to a real worker process (fixture `celery_worker`).
- Markers: `services` (real PostgreSQL + Redis), `worker` (a real Celery worker; implies services),
  `browser` (Debian Chromium through Playwright). Without them a test skips on a laptop and fails
  when CI=true.
- People: `make_user(**fields)`, and named ones: `alice`, `bob` (citizens), `officer` (in `agency`).
- Browser fixtures (`page`, `console_errors`, `check_a11y`) live in tests/browser/fixtures.py.
"""

import itertools
import os

import pytest

from tests.helpers import require_chromium, require_services
from tests.workers import CeleryWorker, database_url

pytest_plugins = ["tests.browser.fixtures"]

# Every user made by `make_user` signs in with this password (client.login(username=..., password=PASSWORD)).
PASSWORD = "mật-khẩu-thử-1"


def pytest_collection_modifyitems(items):
    # The worker reads committed rows only: its tests run in TransactionTestCase mode.
    for item in items:
        if item.get_closest_marker("worker") and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Production hashes take a noticeable fraction of a second; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached pages from one test must not reach the next one."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        # Only the cache's own keys: the broker may share this Redis database.
        import redis

        try:
            location = settings.CACHES["default"]["LOCATION"]
            client = redis.Redis.from_url(location, socket_connect_timeout=2, socket_timeout=5)
            keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass  # no Redis: tests marked `services` report it; the others do not need it
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English leaves English active in the
    thread (LocaleMiddleware activates, nothing deactivates), and a later test would inherit it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Eager (in-process) tasks for every test but those marked `worker`, even when a broker is set."""
    from smarthp.celery import app

    eager = request.node.get_closest_marker("worker") is None
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _marked_requirements(request):
    if request.node.get_closest_marker("services") or request.node.get_closest_marker("worker"):
        require_services()
    if request.node.get_closest_marker("worker"):
        request.getfixturevalue("celery_worker")
    if request.node.get_closest_marker("browser"):
        require_chromium()


# --- People ---------------------------------------------------------------------------------------


@pytest.fixture
def make_user(db, django_user_model):
    """make_user(**fields) -> a saved user whose password is PASSWORD; unique usernames by default."""
    numbers = itertools.count(1)

    def make(**fields):
        fields.setdefault("username", f"user{next(numbers)}")
        password = fields.pop("password", PASSWORD)
        user = django_user_model(**fields)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user(username="alice", phone="+84911000001", phone_verified=True, full_name="Nguyễn Thị Lan")


@pytest.fixture
def bob(make_user):
    return make_user(username="bob", phone="+84911000002", phone_verified=True, full_name="Trần Văn Bình")


@pytest.fixture
def agency(db):
    from government.models import Agency, AgencyKind

    return Agency.objects.create(name="Sở Xây dựng", slug="so-xay-dung", kind=AgencyKind.DEPARTMENT)


@pytest.fixture
def officer(make_user, agency):
    """An officer (cán bộ xử lý) of `agency`."""
    from government.models import Membership, Role

    user = make_user(username="officer", full_name="Lê Văn Cường", email="cuong@example.vn")
    Membership.objects.create(user=user, agency=agency, role=Role.OFFICER)
    return user


# --- A real Celery worker -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the session, started on first use, pointed at the test database.

    Depends on django_db_setup so that the test database exists (and its name is known) before the
    worker starts, and so that the worker stops before the test database is dropped.
    """
    require_services()  # session fixtures are set up before the autouse checks run
    from django.db import connection

    from smarthp.celery import app

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="smarthp.settings",
        DATABASE_URL=database_url(connection.settings_dict),
        # No connection kept open between tasks: the suite flushes and finally drops this database.
        DB_CONN_MAX_AGE="0",
    )
    worker = CeleryWorker(app=app, env=env, log_path=tmp_path_factory.mktemp("celery") / "worker.log")
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(request, transactional_db, _celery_worker_process):
    """The running worker (stop(), start(), restart(), ping(), log()); the queue starts empty.

    Tests that use it must be marked `worker`, which also turns eager tasks off for them.
    """
    if request.node.get_closest_marker("worker") is None:
        pytest.fail("a test using celery_worker must be marked @pytest.mark.worker", pytrace=False)
    _celery_worker_process.app.control.purge()
    _celery_worker_process.start()
    yield _celery_worker_process
    _celery_worker_process.settle()  # before transactional_db flushes the tables
