"""On PostgreSQL, with threads: parallel submissions to one desk get distinct codes of one day's
sequence, and two officers receiving one dossier at once: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from publicservices import services
from publicservices.models import Dossier, DossierEvent, EventKind
from tests.publicservices.world import build, file_dossier

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except services.DossierActionError as exc:
            results[index] = ("refused", exc.message)
        except Exception as exc:
            results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_parallel_submissions_get_distinct_codes_in_sequence(make_user):
    w = build(make_user)
    results = race(*[lambda: file_dossier(w) for _ in range(8)])
    assert all(kind == "ok" for kind, _ in results), results
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert len(set(codes)) == 8
    assert [code.rsplit("-", 1)[1] for code in codes] == [f"{n:04d}" for n in range(1, 9)]


def test_two_officers_receive_at_once_and_one_wins(make_user):
    w = build(make_user)
    dossier = file_dossier(w)
    results = race(
        lambda: services.receive(dossier=dossier, officer=w.officer),
        lambda: services.receive(dossier=dossier, officer=w.officer2),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    [message] = [value for kind, value in results if kind == "refused"]
    assert "Được tiếp nhận" in message
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.RECEIVED).count() == 1
