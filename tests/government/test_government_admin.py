"""The Django admin pages of the government app, with the demo data loaded."""

import pytest
from django.contrib.auth import get_user_model

from government import demo
from government.models import AdministrativeUnit, Agency, CalendarDay, DayKind, ResidentialGroup
from government.services import import_boundaries

pytestmark = pytest.mark.django_db

MODELS = ["administrativeunit", "residentialgroup", "agency", "membership", "calendarday"]


@pytest.fixture
def admin_client(client):
    demo.load()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_load(admin_client, model):
    assert admin_client.get(f"/quan-tri/government/{model}/").status_code == 200
    assert admin_client.get(f"/quan-tri/government/{model}/add/").status_code == 200


def test_change_pages_load(admin_client):
    import io
    import json

    square = [[[106.66, 20.83], [106.68, 20.83], [106.68, 20.85], [106.66, 20.85], [106.66, 20.83]]]
    import_boundaries(
        io.StringIO(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"code": "11383"},
                            "geometry": {"type": "Polygon", "coordinates": square},
                        }
                    ],
                }
            )
        )
    )
    response = admin_client.get("/quan-tri/government/administrativeunit/11383/change/")
    assert response.status_code == 200
    assert "Polygon, 1 vùng, 5 điểm" in response.content.decode()
    assert "Tổ dân phố 1" in response.content.decode()  # groups inline
    agency = Agency.objects.get(slug="ubnd-11383")
    response = admin_client.get(f"/quan-tri/government/agency/{agency.pk}/change/")
    assert response.status_code == 200
    assert "canbo.lechan" in response.content.decode() or "Trần Thị Bình" in response.content.decode()
    group = ResidentialGroup.objects.first()
    assert admin_client.get(f"/quan-tri/government/residentialgroup/{group.pk}/change/").status_code == 200


def test_unit_search_ignores_diacritics(admin_client):
    response = admin_client.get("/quan-tri/government/administrativeunit/", {"q": "le chan"})
    assert list(response.context["cl"].result_list) == [AdministrativeUnit.objects.get(code="11383")]
    response = admin_client.get("/quan-tri/government/administrativeunit/", {"q": "11407"})
    assert [unit.code for unit in response.context["cl"].result_list] == ["11407"]


def test_calendar_days_are_edited_in_the_list(admin_client):
    day = CalendarDay.objects.create(date="2026-02-13", kind=DayKind.DAY_OFF, name="Nghỉ")
    response = admin_client.post(
        "/quan-tri/government/calendarday/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(day.pk),
            "form-0-kind": DayKind.WORKING_DAY,
            "form-0-name": "Làm bù",
            "_save": "Lưu",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.kind, day.name) == (DayKind.WORKING_DAY, "Làm bù")


def test_staff_without_rights_cannot_open_them(client, make_user):
    client.force_login(make_user(is_staff=True))
    assert client.get("/quan-tri/government/agency/").status_code == 403


def test_the_unit_list_does_not_load_a_boundary_per_row(admin_client, django_assert_max_num_queries):
    """114 rows, a handful of queries: the boundary column is computed in SQL, not by loading polygons."""
    admin_client.get("/quan-tri/government/administrativeunit/")
    with django_assert_max_num_queries(10):
        response = admin_client.get("/quan-tri/government/administrativeunit/")
    assert len(response.context["cl"].result_list) == 114
