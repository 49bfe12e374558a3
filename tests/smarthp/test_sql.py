"""smarthp.sql.Compiled: a query's SQL compiled once, run with new values, gives what the ORM gives."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import Notice
from smarthp.sql import Compiled, aware, id_marker, moment_marker

pytestmark = pytest.mark.django_db


def unread_since(user, since):
    return (
        Notice.objects.filter(user_id=user, read_at__isnull=True, created_at__gte=since, kind="report")
        .order_by("-created_at", "-id")
        .values_list("id", "text", "created_at")
    )


@pytest.fixture
def notices(alice, bob):
    now = timezone.now()
    made = []
    for person in (alice, bob):
        for days in (1, 3, 9):
            notice = Notice.objects.create(user=person, kind="report", text=f"{person.username} {days}", url="/")
            Notice.objects.filter(pk=notice.pk).update(created_at=now - datetime.timedelta(days=days))
            made.append(notice)
    Notice.objects.filter(pk=made[0].pk).update(read_at=now)  # alice's newest is read
    return now


def test_each_run_gives_what_the_orm_gives_for_its_values(alice, bob, notices):
    query = Compiled(unread_since, user=id_marker(), since=moment_marker())
    for person in (alice, bob):
        for days in (2, 5, 30):
            since = notices - datetime.timedelta(days=days)
            expected = [(pk, text, at) for pk, text, at in unread_since(person.pk, since)]
            got = [(pk, text, aware(at)) for pk, text, at in query.run(user=person.pk, since=since)]
            assert got == expected, (person.username, days)
            assert query.count(user=person.pk, since=since) == len(expected)


def test_the_sql_is_compiled_once_and_each_run_is_one_query(alice, bob, notices, monkeypatch):
    built = []
    query = Compiled(lambda **marks: built.append(1) or unread_since(**marks), user=id_marker(), since=moment_marker())
    query.run(user=alice.pk, since=notices)
    with CaptureQueriesContext(connection) as queries:
        query.run(user=bob.pk, since=notices - datetime.timedelta(days=4))
        query.count(user=bob.pk, since=notices)
    assert built == [1]
    assert len(queries) == 2


def test_the_constants_stay_and_only_the_markers_are_bound(alice, notices):
    query = Compiled(unread_since, user=id_marker(), since=moment_marker())
    Notice.objects.filter(user=alice).update(kind="other")  # the constant "report" no longer matches
    assert query.run(user=alice.pk, since=notices - datetime.timedelta(days=30)) == []


def test_a_marker_the_query_does_not_use_is_refused(alice):
    query = Compiled(lambda user, unused: unread_since(user, timezone.now()), user=id_marker(), unused=id_marker(1))
    with pytest.raises(AssertionError, match="unused"):
        query.run(user=alice.pk, unused=1)


def test_a_text_marker_stands_for_a_text_value(alice, notices):
    from smarthp.sql import text_marker

    query = Compiled(
        lambda user, kind: Notice.objects.filter(user_id=user, kind=kind).order_by("pk").values_list("text"),
        user=id_marker(),
        kind=text_marker("kind"),
    )
    assert [text for (text,) in query.run(user=alice.pk, kind="report")] == ["alice 1", "alice 3", "alice 9"]
    assert query.run(user=alice.pk, kind="other") == []


def test_a_prepared_cursor_answers_like_any_cursor_and_is_logged(alice, notices):
    from django.db import DatabaseError

    from smarthp.sql import prepared_cursor

    sql = "SELECT text FROM notices_notice WHERE user_id = %s ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [alice.pk])
        expected = cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [alice.pk])
                assert cursor.fetchall() == expected
    assert len(queries) == 3 and all("notices_notice" in query["sql"] for query in queries.captured_queries)
    with pytest.raises(DatabaseError), prepared_cursor() as cursor:  # the database's errors are Django's
        cursor.execute("SELECT no_such_column FROM notices_notice WHERE user_id = %s", [alice.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares; SQLite has no such thing")
def test_on_postgresql_the_statement_is_prepared_once_per_connection(alice, notices):
    from smarthp.sql import prepared_cursor

    sql = "SELECT count(*) FROM notices_notice WHERE user_id = %s AND kind = %s"
    for _ in range(3):
        with prepared_cursor() as cursor:
            cursor.execute(sql, [alice.pk, "report"])
            assert cursor.fetchone() == (3,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%notices_notice%kind%"])
        assert cursor.fetchone() == (1,)
