"""Web Push, a channel of the notice pipeline (notices.push).

The push service is played at the HTTP boundary: a requests adapter answers as FCM or Mozilla's
service would (201, 404, 410, 500) and keeps what it received. Everything above it is real: VAPID
signing with a real key, aes128gcm encryption to a browser's real key (the tests decrypt it).
"""

import base64
import json
import os
from unittest import mock

import http_ece
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings
from py_vapid import Vapid

from notices import push, services
from notices.models import Notice, PushSubscription
from notices.tasks import send_push_task

# Transactional: pushes are queued with transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def vapid_keys():
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(public), b64url(private)


PUBLIC_KEY, PRIVATE_KEY = vapid_keys()
PUSH_ON = {
    "WEBPUSH_VAPID_PUBLIC_KEY": PUBLIC_KEY,
    "WEBPUSH_VAPID_PRIVATE_KEY": PRIVATE_KEY,
    "WEBPUSH_VAPID_SUBJECT": "mailto:cong-dan-so@example.org",
}


class Browser:
    """A browser's push keys, as PushManager.subscribe() makes them."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self):
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscribe(self, user):
        return push.subscribe(
            user=user, endpoint=self.endpoint, p256dh=self.p256dh, auth=b64url(self.auth), device="Android"
        )

    def read(self, body):
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


class PushService(requests.adapters.BaseAdapter):
    """Answers each endpoint with the status given for it (201 by default) and keeps the requests."""

    def __init__(self, statuses=None):
        super().__init__()
        self.statuses = statuses or {}
        self.received = []

    def send(self, request, **kwargs):
        self.received.append(request)
        response = requests.Response()
        response.status_code = self.statuses.get(request.url, 201)
        response.reason = "test"
        response.url = request.url
        response.request = request
        response._content = b""
        return response

    def close(self):
        pass

    def to(self, endpoint):
        return [request for request in self.received if request.url == endpoint]


@pytest.fixture
def push_service():
    service = PushService()

    def session():
        http = requests.Session()
        http.mount("https://", service)
        http.mount("http://", service)
        return http

    with mock.patch.object(push, "http_session", session), override_settings(**PUSH_ON):
        yield service


PHONE = "https://fcm.googleapis.com/fcm/send/phone-1"
LAPTOP = "https://updates.push.services.mozilla.com/wpush/v2/laptop-1"


def test_a_notice_is_pushed_once_to_each_browser_of_its_person(push_service, alice, bob):
    phone, laptop = Browser(PHONE), Browser(LAPTOP)
    phone.subscribe(alice)
    laptop.subscribe(alice)
    Browser("https://fcm.googleapis.com/fcm/send/bob").subscribe(bob)

    (notice,) = services.notify(
        user_ids=[alice.pk], text="Phản ánh PA-2026-000001 đã được trả lời.", kind="test", url="/phan-anh/x/"
    )

    assert len(push_service.received) == 2
    (to_phone,) = push_service.to(PHONE)
    assert phone.read(to_phone.body) == {
        "title": "Công dân số Hải Phòng",
        "body": "Phản ánh PA-2026-000001 đã được trả lời.",
        "url": "/phan-anh/x/",
        "tag": f"notice-{notice.pk}",
    }
    assert laptop.read(push_service.to(LAPTOP)[0].body)["url"] == "/phan-anh/x/"
    # Signed with the portal's VAPID key, for the push service's origin.
    assert to_phone.headers["Authorization"].startswith("vapid t=")
    assert PUBLIC_KEY in to_phone.headers["Authorization"]
    assert to_phone.headers["TTL"] == "86400"
    notice.refresh_from_db()
    assert notice.push_sent_at is not None
    assert PushSubscription.objects.filter(user=alice, last_sent_at__isnull=False).count() == 2


def test_a_push_task_run_twice_sends_once(push_service, alice):
    Browser(PHONE).subscribe(alice)
    (notice,) = services.notify(user_ids=[alice.pk], text="Hồ sơ đã có kết quả.", kind="test")
    assert len(push_service.received) == 1

    send_push_task.delay(notice.pk)  # a redelivered message
    push.send_push(notice.pk)
    assert len(push_service.received) == 1


def test_a_redelivered_fan_out_pushes_nothing_more(push_service, alice):
    Browser(PHONE).subscribe(alice)
    source = alice  # any row: the same source tells a person once
    services.notify(user_ids=[alice.pk], text="Một lần", kind="test", source=source)
    services.notify(user_ids=[alice.pk], text="Một lần", kind="test", source=source)
    assert len(push_service.received) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_dropped_is_deleted(push_service, alice, status):
    Browser(PHONE).subscribe(alice)
    Browser(LAPTOP).subscribe(alice)
    push_service.statuses[PHONE] = status

    services.notify(user_ids=[alice.pk], text="Có thông báo mới.", kind="test")

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [LAPTOP]
    # The next notice goes to the browser that is left only.
    services.notify(user_ids=[alice.pk], text="Thông báo thứ hai.", kind="test")
    assert len(push_service.to(PHONE)) == 1 and len(push_service.to(LAPTOP)) == 2


def test_a_push_service_error_is_logged_and_the_subscription_kept(push_service, alice, caplog):
    Browser(PHONE).subscribe(alice)
    push_service.statuses[PHONE] = 500
    (notice,) = services.notify(user_ids=[alice.pk], text="Có thông báo mới.", kind="test")

    assert PushSubscription.objects.filter(endpoint=PHONE).exists()
    assert "refused the message (HTTP 500)" in caplog.text
    assert "fcm.googleapis.com" not in caplog.text  # the browser's address is not logged
    notice.refresh_from_db()
    assert notice.push_sent_at is not None  # not retried: the in-site notice is the record


def test_a_person_without_a_subscription_gets_no_push(push_service, alice, bob):
    Browser(PHONE).subscribe(bob)
    (notice,) = services.notify(user_ids=[alice.pk], text="Có thông báo mới.", kind="test")
    assert push_service.received == []
    assert Notice.objects.get(pk=notice.pk).push_queued_at is None


def test_without_vapid_settings_nothing_is_pushed(alice):
    service = PushService()
    with override_settings(**PUSH_ON):
        Browser(PHONE).subscribe(alice)
    with mock.patch.object(push, "http_session", lambda: service):
        (notice,) = services.notify(user_ids=[alice.pk], text="Có thông báo mới.", kind="test")
        assert push.send_push(notice.pk) == 0
        assert push.sweep_unsent() == 0
    assert service.received == []
    assert Notice.objects.get(pk=notice.pk).push_queued_at is None
    assert push.public_key() == ""


def test_the_sweeper_pushes_what_the_broker_lost(push_service, alice):
    import datetime

    from django.utils import timezone

    Browser(PHONE).subscribe(alice)
    with mock.patch.object(push, "queue_on_commit"):  # the message never reached the broker
        (notice,) = services.notify(user_ids=[alice.pk], text="Có thông báo mới.", kind="test")
    assert push_service.received == []
    Notice.objects.filter(pk=notice.pk).update(push_queued_at=timezone.now() - datetime.timedelta(minutes=2))

    assert push.sweep_unsent() == 1
    assert len(push_service.received) == 1
    assert push.sweep_unsent() == 0

    # An hour late, a notification is no longer worth sending.
    with mock.patch.object(push, "queue_on_commit"):
        (late,) = services.notify(user_ids=[alice.pk], text="Cũ rồi.", kind="test")
    Notice.objects.filter(pk=late.pk).update(push_queued_at=timezone.now() - datetime.timedelta(hours=2))
    assert push.sweep_unsent() == 0


# --- Subscribing ----------------------------------------------------------------------------------


def subscription_json(browser):
    return json.dumps({"endpoint": browser.endpoint, "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}})


def test_a_citizen_subscribes_and_unsubscribes_this_browser(push_service, client, alice, bob):
    browser = Browser(PHONE)
    client.force_login(alice)
    answer = client.post("/thong-bao/day/dang-ky/", subscription_json(browser), content_type="application/json")
    assert answer.status_code == 201
    assert PushSubscription.objects.get().user == alice

    # Bob cannot take Alice's subscription away by its address.
    client.force_login(bob)
    client.post("/thong-bao/day/huy/", json.dumps({"endpoint": PHONE}), content_type="application/json")
    assert PushSubscription.objects.filter(user=alice).exists()

    client.force_login(alice)
    answer = client.post("/thong-bao/day/huy/", json.dumps({"endpoint": PHONE}), content_type="application/json")
    assert answer.status_code == 200 and not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://127.0.0.1/fcm/send/x",  # an address inside the network
        "https://push.example.net/x",  # a push service we do not know
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com.evil.example/x",
    ],
)
def test_an_address_that_is_not_a_known_push_service_is_refused(push_service, client, alice, endpoint):
    browser = Browser(endpoint)
    client.force_login(alice)
    answer = client.post("/thong-bao/day/dang-ky/", subscription_json(browser), content_type="application/json")
    assert answer.status_code == 400
    assert "không hỗ trợ" in answer.json()["message"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"endpoint": "' + b"x" * 5000 + b'"}', b'{"endpoint": "%s", "keys": "x"}' % PHONE.encode()],
)
def test_a_broken_subscription_is_a_clear_400(push_service, client, alice, body):
    client.force_login(alice)
    answer = client.post("/thong-bao/day/dang-ky/", body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["message"]
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_an_account_and_push_configured(client, alice):
    browser = Browser(PHONE)
    answer = client.post("/thong-bao/day/dang-ky/", subscription_json(browser), content_type="application/json")
    assert answer.status_code == 302  # to the sign-in page
    client.force_login(alice)
    answer = client.post("/thong-bao/day/dang-ky/", subscription_json(browser), content_type="application/json")
    assert answer.status_code == 400 and "chưa được bật" in answer.json()["message"]


def test_the_notices_page_offers_the_button_only_when_push_is_on(client, alice):
    client.force_login(alice)
    assert 'id="push-optin"' not in client.get("/thong-bao/").content.decode()
    with override_settings(**PUSH_ON):
        page = client.get("/thong-bao/").content.decode()
    assert 'id="push-optin"' in page and PUBLIC_KEY in page


def test_the_data_export_names_the_devices_not_their_keys(push_service, alice):
    from notices.privacy import export_sections

    browser = Browser(PHONE)
    browser.subscribe(alice)
    exported = json.dumps(export_sections(None, alice))
    assert "Android" in exported
    assert PHONE not in exported and browser.p256dh not in exported
