"""Who sees which report: private reports are a 404 to anyone but the reporter, the handling agency
and the 1022 centre; the reporter is never shown to the public."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from feedback import photos
from feedback.models import Report, ReportStatus
from government.models import Membership, Role
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    file_report,
    fresh_geo_index,
    image_bytes,
    world,
)


@pytest.fixture
def private(world):
    return file_report(
        world.alice,
        world.roads,
        title="Rò rỉ nước trong nhà tôi",
        is_public=False,
        photos=[photos.process(image_bytes())],
    )


def urls_of(report):
    photo = report.photos.first()
    return [
        report.get_absolute_url(),
        reverse("feedback:photo", args=[report.code, photo.pk]),
        reverse("feedback:thumbnail", args=[report.code, photo.pk]),
    ]


def test_a_private_report_is_a_404_to_another_citizen(client, world, private):
    client.force_login(world.bob)
    for url in urls_of(private):
        assert client.get(url).status_code == 404
    follow = reverse("feedback:follow", args=[private.code])
    assert client.post(follow, {"action": "follow"}).status_code == 404
    assert not private.follows.exists()


def test_a_private_report_is_a_404_to_visitors(client, world, private):
    for url in urls_of(private):
        assert client.get(url).status_code == 404


def test_a_private_report_is_a_404_to_an_unrelated_agency(client, world, private):
    assert private.agency == world.lechan_committee
    client.force_login(world.power_officer)
    for url in urls_of(private):
        assert client.get(url).status_code == 404


def test_a_private_report_is_shown_to_its_reporter_its_agency_and_1022(client, world, private):
    for person in (world.alice, world.ward_officer, world.operator):
        client.force_login(person)
        for url in urls_of(private):
            assert client.get(url).status_code == 200, (person, url)


def test_an_officer_no_longer_active_loses_sight_of_it(client, world, private):
    Membership.objects.filter(user=world.ward_officer).update(is_active=False)
    client.force_login(world.ward_officer)
    assert client.get(private.get_absolute_url()).status_code == 404


def test_a_ward_staff_member_does_not_see_private_reports_of_the_ward(client, world, private, make_user):
    staff = make_user(username="phuong")
    Membership.objects.create(user=staff, agency=world.lechan_committee, role=Role.WARD_STAFF)
    client.force_login(staff)
    assert client.get(private.get_absolute_url()).status_code == 404


def test_a_report_still_being_routed_is_only_the_reporters(client, world):
    report = file_report(world.alice, world.roads)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED, routed_at=None, agency=None)
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(world.alice)
    assert client.get(report.get_absolute_url()).status_code == 200


def test_visible_to_is_one_queryset_rule(world, private):
    public = file_report(world.bob, world.ideas)
    assert set(Report.objects.visible_to(AnonymousUser())) == {public}
    assert set(Report.objects.visible_to(world.bob)) == {public}
    assert set(Report.objects.visible_to(world.alice)) == {public, private}
    assert set(Report.objects.visible_to(world.ward_officer)) == {public, private}
    assert set(Report.objects.visible_to(world.power_officer)) == {public}
    hidden_public = file_report(world.bob, world.ideas, is_public=False)  # in 1022 triage
    assert set(Report.objects.visible_to(world.operator)) == {public, private, hidden_public}


def test_the_public_page_never_names_the_reporter(client, world):
    report = file_report(world.alice, world.roads, hide_identity=True)
    html = client.get(report.get_absolute_url()).content.decode()
    assert report.title in html
    for secret in (world.alice.full_name, world.alice.phone, world.alice.username):
        assert secret not in html


def test_nearby_reports_leave_out_what_the_asker_may_not_see(client, world, private):
    public = file_report(world.alice, world.roads, title="Ổ gà công khai")
    url = reverse("feedback:nearby")
    params = {"lat": LE_CHAN_POINT[0] + 0.001, "lng": LE_CHAN_POINT[1], "category": world.roads.pk}
    client.force_login(world.bob)
    found = client.get(url, params).json()["reports"]
    assert [item["code"] for item in found] == [public.code]
    assert 100 <= found[0]["distance_m"] <= 120
    client.force_login(world.alice)
    assert {item["code"] for item in client.get(url, params).json()["reports"]} == {public.code, private.code}


def test_nearby_means_within_250_metres_and_still_open(client, world):
    near = file_report(world.alice, world.roads)
    far = file_report(world.alice, world.roads, point=(LE_CHAN_POINT[0] + 0.003, LE_CHAN_POINT[1]))  # ~330 m
    done = file_report(world.alice, world.roads)
    Report.objects.filter(pk=done.pk).update(status=ReportStatus.CLOSED)
    other_kind = file_report(world.alice, world.electricity)
    found = client.get(
        reverse("feedback:nearby"), {"lat": LE_CHAN_POINT[0], "lng": LE_CHAN_POINT[1], "category": world.infra.pk}
    ).json()["reports"]
    codes = {item["code"] for item in found}
    assert near.code in codes and other_kind.code in codes  # a parent category covers its sub-categories
    assert far.code not in codes and done.code not in codes
    only_roads = client.get(
        reverse("feedback:nearby"), {"lat": LE_CHAN_POINT[0], "lng": LE_CHAN_POINT[1], "category": world.roads.pk}
    ).json()["reports"]
    assert {item["code"] for item in only_roads} == {near.code}


def test_the_ward_lookup_tells_inside_from_outside(client, world):
    url = reverse("feedback:locate")
    assert client.get(url, {"lat": LE_CHAN_POINT[0], "lng": LE_CHAN_POINT[1]}).json() == {
        "outside": False,
        "code": "11383",
        "name": "Phường Lê Chân",
    }
    outside = client.get(url, {"lat": 21.0285, "lng": 105.8542}).json()
    assert outside["outside"] is True and "ngoài thành phố" in outside["message"]
    assert client.get(url, {"lat": "abc"}).json()["outside"] is True
