"""Every officer PAKN URL with every role: exactly the allowed answers, and a 404 for anything else.

Roles: officer and leader of the handling agency (UBND Phường Lê Chân), officer and leader of
another agency (UBND Phường Ngô Quyền), a 1022 operator, a citizen (the report's own reporter), and a
visitor. A visitor is always sent to sign in; a citizen always gets a 404, even for their own report.
"""

import pytest
from django.urls import reverse

from feedback import officer_views
from feedback.models import ReportStatus
from tests.feedback.officer_world import build, file_report

pytestmark = pytest.mark.django_db

ROLES = ["officer", "leader", "other_officer", "other_leader", "operator", "citizen", "visitor"]
HANDLERS = {"officer", "leader"}
EVERY_OFFICER = {"officer", "leader", "other_officer", "other_leader", "operator"}

# Pages that do not name a report: (url name, roles answered 200; the others that are not the
# visitor get a 404, except where noted).
PAGES = {
    "queue": {"officer", "leader", "other_officer", "other_leader"},  # the operator is sent to the board
    "triage": {"operator"},
    "board": {"operator"},
    "intake": {"operator"},
    "lookup": {"operator"},
    "stats": EVERY_OFFICER,
    "stats_xlsx": EVERY_OFFICER,
    "stats_csv": EVERY_OFFICER,
}
# Pages of one report held by the ward: its handlers and the 1022 centre.
REPORT_PAGES = ["workspace", "correct", "redact"]
REPORT_READERS = HANDLERS | {"operator"}

# Actions (POST): who gets through to the service (a redirect back to the report or the queue, with
# the service's own verdict as a message); everyone else gets a 404 or the sign-in page.
ACTIONS = dict.fromkeys(officer_views.ACTIONS, REPORT_READERS)


@pytest.fixture
def w(make_user):
    return build(make_user)


def person(w, role):
    return None if role == "visitor" else getattr(w, role)


def client_for(client, w, role):
    client.logout()
    user = person(w, role)
    if user is not None:
        client.force_login(user)
    return client


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_pages_without_a_report(w, client, role):
    answers = {}
    for name in PAGES:
        response = client_for(client, w, role).get(reverse(f"feedback_officer:{name}"))
        if role == "visitor":
            answers[name] = "login" if is_login_redirect(response) else response.status_code
        elif name == "queue" and role == "operator":
            answers[name] = response.status_code, response.get("Location")
        else:
            answers[name] = response.status_code
    expected = {}
    for name, allowed in PAGES.items():
        if role == "visitor":
            expected[name] = "login"
        elif name == "queue" and role == "operator":
            expected[name] = 302, reverse("feedback_officer:board")
        else:
            expected[name] = 200 if role in allowed else 404
    assert answers == expected


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_a_report(w, client, role):
    report = file_report(w, status=ReportStatus.IN_PROGRESS)
    photo = _photo(report)
    urls = {name: reverse(f"feedback_officer:{name}", args=[report.code]) for name in REPORT_PAGES}
    urls["photo"] = reverse("feedback_officer:photo", args=[report.code, photo.pk])
    urls["thumbnail"] = reverse("feedback_officer:thumbnail", args=[report.code, photo.pk])
    answers = {}
    for name, url in urls.items():
        response = client_for(client, w, role).get(url)
        answers[name] = "login" if is_login_redirect(response) else response.status_code
    if role == "visitor":
        expected = dict.fromkeys(urls, "login")
    else:
        expected = dict.fromkeys(urls, 200 if role in REPORT_READERS else 404)
    assert answers == expected


def _photo(report):
    from feedback import photos
    from tests.feedback.officer_world import jpeg_upload

    return photos.save_photos(report, [photos.process(jpeg_upload())])[0]


@pytest.mark.parametrize("role", ROLES)
def test_actions(w, client, role):
    answers, expected = {}, {}
    for action, allowed in ACTIONS.items():
        # A fresh report for each action: an action that succeeds must not change the next one's answer.
        report = file_report(w, status=ReportStatus.IN_PROGRESS)
        url = reverse(f"feedback_officer:act_{action.replace('-', '_')}", args=[report.code])
        response = client_for(client, w, role).post(url, {"version": str(report.version)})
        if role == "visitor":
            answers[action] = "login" if is_login_redirect(response) else response.status_code
            expected[action] = "login"
        elif role in allowed:
            location = response.get("Location", "")
            went_back = location in (
                reverse("feedback_officer:workspace", args=[report.code]),
                reverse("feedback_officer:queue"),
            )
            answers[action] = (response.status_code, went_back)
            expected[action] = (302, True)
        else:
            answers[action] = response.status_code
            expected[action] = 404
    assert answers == expected


def test_another_agencys_report_is_a_404_even_by_its_code(w, client):
    """The code of a report held elsewhere does not confirm that it exists."""
    elsewhere = file_report(w, agency="other")
    client_for(client, w, "officer")
    assert client.get(reverse("feedback_officer:workspace", args=[elsewhere.code])).status_code == 404
    assert client.get(reverse("feedback_officer:workspace", args=["PA-2099-000001"])).status_code == 404


def test_a_ward_staff_member_is_no_pakn_officer(w, client, make_user):
    """Other officer roles (ward staff, editors) sign in to the officer site but see no PAKN page."""
    from government.models import Membership, Role
    from tests.feedback.officer_world import give_totp

    staff = give_totp(make_user(username="phuong"))
    Membership.objects.create(user=staff, agency=w.ward, role=Role.WARD_STAFF)
    client.force_login(staff)
    report = file_report(w)
    assert client.get(reverse("feedback_officer:queue")).status_code == 404
    assert client.get(reverse("feedback_officer:workspace", args=[report.code])).status_code == 404


def test_an_officer_without_a_second_factor_sets_it_up_first(w, client, make_user):
    from government.models import Membership, Role

    fresh = make_user(username="moi")
    Membership.objects.create(user=fresh, agency=w.ward, role=Role.OFFICER)
    client.force_login(fresh)
    response = client.get(reverse("feedback_officer:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
