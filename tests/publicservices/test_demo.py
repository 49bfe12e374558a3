"""The demo: the catalogue by field as the issue lists it, dossiers at the Lê Chân desk in several
states, and a second load changes nothing."""

import pytest

from government import demo as government_demo
from publicservices import demo
from publicservices.models import Dossier, DossierStatus, Procedure

pytestmark = pytest.mark.django_db


def test_demo_loads_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    government_demo.load()
    demo.load()
    counts = {
        field: Procedure.objects.filter(field__name=field).count()
        for field in ["Tư pháp", "Nội vụ", "Kế hoạch và Đầu tư"]
    }
    assert counts == {"Tư pháp": 11, "Nội vụ": 8, "Kế hoạch và Đầu tư": 5}
    assert Procedure.objects.count() == 38 and not Procedure.objects.filter(is_sample=False).exists()
    statuses = set(Dossier.objects.filter(agency__slug="ubnd-11383").values_list("status", flat=True))
    assert {DossierStatus.NEW, DossierStatus.SUPPLEMENT, DossierStatus.PROCESSING, DossierStatus.RETURNED} <= statuses
    assert any(d.is_overdue() for d in Dossier.objects.filter(status=DossierStatus.PROCESSING))
    before = (Procedure.objects.count(), Dossier.objects.count())
    demo.load()
    assert (Procedure.objects.count(), Dossier.objects.count()) == before
