"""Open311 client keys are issued by administrators (admin page or command), shown once, kept
hashed, revocable, each with its own limit; the admin shows when each was last used."""

import io
import re

import pytest
from django.core.management import call_command

from feedback.models import Open311Key
from feedback.open311 import keys

ADMIN = "/quan-tri/feedback/open311key/"


def test_an_administrator_issues_a_key_and_sees_it_once(admin_client, admin_user):
    form = {"client_name": "Ứng dụng Hải Phòng Xanh", "contact": "dev@example.vn", "requests_per_minute": 10}
    response = admin_client.post(ADMIN + "add/", form)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw_key = re.search(r'value="(hp311_[^"]+)"', response.content.decode()).group(1)
    key = Open311Key.objects.get()
    assert keys.find_key(raw_key) == key
    assert (key.client_name, key.requests_per_minute, key.created_by) == ("Ứng dụng Hải Phòng Xanh", 10, admin_user)

    # Never again: not on the key's page, not in the list.
    for page in (ADMIN, f"{ADMIN}{key.pk}/change/"):
        content = admin_client.get(page).content.decode()
        assert key.prefix in content and raw_key not in content


def test_the_list_shows_last_use_and_a_revoked_key_stays_revoked(admin_client, client):
    key, raw_key = keys.issue_key(client_name="Ứng dụng A")
    keys.find_key(raw_key)
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert "đang dùng" in admin_client.get(ADMIN).content.decode()

    response = admin_client.post(ADMIN, {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert "Đã thu hồi 1 khóa." in response.content.decode()
    key.refresh_from_db()
    assert not key.is_active and "đã thu hồi" in admin_client.get(ADMIN).content.decode()
    # Editing the limit does not bring it back; keys are not deleted.
    form = {"client_name": "Ứng dụng A", "contact": "", "requests_per_minute": 5}
    admin_client.post(f"{ADMIN}{key.pk}/change/", form)
    key.refresh_from_db()
    assert key.requests_per_minute == 5 and not key.is_active
    assert admin_client.get(f"{ADMIN}{key.pk}/delete/").status_code == 403


def test_the_command_prints_the_key_once(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_open311_key", "civicbot", "--per-minute", "5", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    key = keys.find_key(raw_key)
    assert key.client_name == "civicbot" and key.requests_per_minute == 5
    assert raw_key not in err.getvalue() and key.prefix in err.getvalue()


def test_the_command_refuses_a_limit_below_one(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("issue_open311_key", "civicbot", "--per-minute", "0", stdout=io.StringIO())
    assert not Open311Key.objects.exists()
