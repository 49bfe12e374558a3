"""The test harness itself: service detection, isolation between tests, the people fixtures."""

import os
import stat

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from smarthp.celery import app
from tests.conftest import PASSWORD
from tests.helpers import find_services_problem, require_chromium, running_in_ci, skip_or_fail

POSTGRES = "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), (" True ", True), ("1", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_is_recognised_in_any_case(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)

    assert running_in_ci() is expected


def test_a_missing_service_skips_on_a_laptop(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="no Redis"):
        skip_or_fail("no Redis")


def test_a_missing_service_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match=r"no Redis.*CI=true"):
        skip_or_fail("no Redis")


def test_services_need_postgres_and_an_answering_redis():
    assert find_services_problem("django.db.backends.sqlite3", "redis://127.0.0.1:6379/15") == (
        "DATABASE_URL does not point at PostgreSQL"
    )
    assert find_services_problem(POSTGRES, "") == "REDIS_URL is not set"
    assert "does not answer" in find_services_problem(POSTGRES, "redis://127.0.0.1:1/0")


def test_a_missing_chromium_skips_on_a_laptop_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs Chromium"):
        require_chromium()

    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="needs Chromium"):
        require_chromium()


def test_chromium_path_can_point_elsewhere(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))

    assert require_chromium() == str(fake)


def test_each_test_gets_its_own_empty_media_root(tmp_path):
    assert str(settings.MEDIA_ROOT).startswith(str(tmp_path))
    name = default_storage.save("photos/report.jpg", ContentFile(b"jpeg"))

    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, name))


def test_each_test_starts_with_an_empty_cache_1():
    assert cache.get("harness-leftover") is None
    cache.set("harness-leftover", "from test 1", 600)


def test_each_test_starts_with_an_empty_cache_2():
    assert cache.get("harness-leftover") is None
    cache.set("harness-leftover", "from test 2", 600)


def test_tasks_run_in_process_unless_the_test_is_marked_worker():
    assert app.conf.task_always_eager is True


@pytest.mark.django_db
def test_named_people(alice, bob, officer, agency, client):
    """alice and bob are citizens with verified phones; officer works in agency; all sign in with PASSWORD."""
    assert alice.phone == "+84911000001" and alice.phone_verified
    assert bob.phone == "+84911000002"
    assert not alice.memberships.exists()
    assert list(officer.memberships.values_list("agency", "role")) == [(agency.pk, "officer")]
    assert client.login(username="bob", password=PASSWORD)


@pytest.mark.django_db
def test_make_user_gives_unique_usernames_and_takes_any_field(make_user):
    first = make_user()
    second = make_user(full_name="Phạm Thị Hoa", phone="+84987654321", password="khác-hẳn-1")

    assert first.username != second.username
    assert second.full_name == "Phạm Thị Hoa"
    assert second.check_password("khác-hẳn-1")
    assert first.check_password(PASSWORD)
