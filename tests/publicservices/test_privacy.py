"""A citizen's export lists their dossiers; erasing the account keeps the dossiers for the agency
but cuts them from the account."""

import pytest

from citizens.services import erase_account, export_user_data
from publicservices.models import Dossier
from tests.publicservices.world import build, file_dossier

pytestmark = pytest.mark.django_db


def test_export_and_erase(make_user):
    w = build(make_user)
    dossier = file_dossier(w, key="k-1")
    exported = export_user_data(w.citizen)
    assert [row["code"] for row in exported["dossiers"]] == [dossier.code]
    erase_account(user=w.citizen)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.applicant_id is None and dossier.idempotency_key is None
