"""Text messages: the development inbox and the HTTP gateway backend (against a local server that
the test starts), the Celery task's retries, and the city-wide daily cap."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from citizens import sms, tasks
from citizens.models import OutboundSms, SmsStatus

from .conftest import PHONE

pytestmark = pytest.mark.django_db


class FakeGateway:
    """A local brandname SMS gateway. `script` lists what to answer, in order: an HTTP status, or
    ("sleep", seconds) to answer late; once the script runs out it answers 200."""

    def __init__(self):
        self.requests = []
        self.script = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
                step = gateway.script.pop(0) if gateway.script else 200
                if isinstance(step, tuple):
                    time.sleep(step[1])
                    step = 200
                self.send_response(step)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "ok"}' if step < 300 else b'{"error": "x"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def worker_like():
    """Tasks run in-process as a worker runs them: a retry is re-run (at once, no backoff wait)
    instead of being raised to the caller. The suite's _celery_mode fixture puts it back."""
    from smarthp.celery import app

    app.conf.task_eager_propagates = False


@pytest.fixture
def gateway(settings, worker_like):
    """The gateway backend pointed at a FakeGateway."""
    fake = FakeGateway()
    settings.SMS_BACKEND = "citizens.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_USERNAME = "haiphong"
    settings.SMS_GATEWAY_PASSWORD = "bí-mật"
    settings.SMS_GATEWAY_BRANDNAME = "HAIPHONG"
    settings.SMS_GATEWAY_TIMEOUT = 1
    yield fake
    fake.close()


# --- Development backend ---------------------------------------------------------------------------


def test_the_database_backend_records_the_message(client):
    message = sms.send_sms(PHONE, "Mã 123456")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.text == "Mã 123456"


@override_settings(DEBUG=True)
def test_the_dev_inbox_lists_messages_newest_first_with_number_and_text(client):
    sms.send_sms(PHONE, "tin thứ nhất 111111")
    sms.send_sms("+84987654321", "tin thứ hai 222222")
    page = client.get(reverse("dev_sms")).content.decode()
    assert page.index("tin thứ hai 222222") < page.index("tin thứ nhất 111111")
    assert "0987 654 321" in page and "0912 345 678" in page


def test_the_dev_inbox_is_a_404_without_debug(client, settings):
    settings.DEBUG = False
    sms.send_sms(PHONE, "bí mật 123456")
    response = client.get("/dev/sms/")
    assert response.status_code == 404
    assert b"123456" not in response.content


# --- Gateway backend ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_gateway_gets_brandname_number_text_and_credentials(gateway):
    message = sms.send_sms(PHONE, "Ma xac thuc 123456")
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["json"] == {"from": "HAIPHONG", "to": "84912345678", "text": "Ma xac thuc 123456"}
    expected = base64.b64encode("haiphong:bí-mật".encode()).decode()
    assert request["headers"]["Authorization"] == f"Basic {expected}"
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT
    assert message.text == ""  # the code does not stay in the database once it left
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_5xx_is_retried_until_the_gateway_accepts(gateway):
    gateway.script = [503, 502]
    message = sms.send_sms(PHONE, "Ma 123456")
    message.refresh_from_db()
    assert len(gateway.requests) == 3
    assert message.status == SmsStatus.SENT and message.attempts == 3


@pytest.mark.django_db(transaction=True)
def test_a_timeout_is_retried(gateway):
    gateway.script = [("sleep", 1.5)]
    message = sms.send_sms(PHONE, "Ma 123456")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT and message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_gateway_that_keeps_failing_is_given_up_after_the_last_retry(gateway):
    gateway.script = [500] * 20
    message = sms.send_sms(PHONE, "Ma 123456")
    message.refresh_from_db()
    assert len(gateway.requests) == tasks.SMS_MAX_RETRIES + 1
    assert message.status == SmsStatus.FAILED
    assert message.error == "HTTP 500" and message.text == ""


@pytest.mark.django_db(transaction=True)
def test_a_4xx_is_not_retried(gateway):
    gateway.script = [400]
    message = sms.send_sms(PHONE, "Ma 123456")
    message.refresh_from_db()
    assert len(gateway.requests) == 1
    assert message.status == SmsStatus.FAILED and message.error == "HTTP 400"


@pytest.mark.django_db(transaction=True)
def test_a_gateway_that_is_down_is_retried_then_given_up(settings, worker_like):
    settings.SMS_BACKEND = "citizens.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # discard port: connection refused
    settings.SMS_GATEWAY_TIMEOUT = 1
    message = sms.send_sms(PHONE, "Ma 123456")
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED and message.attempts == tasks.SMS_MAX_RETRIES + 1


@pytest.mark.django_db(transaction=True)
def test_the_task_is_idempotent(gateway):
    message = sms.send_sms(PHONE, "Ma 123456")
    tasks.deliver_sms.delay(message.pk)  # delivered twice (a broker may redeliver): one SMS
    assert len(gateway.requests) == 1


def test_nothing_reaches_the_gateway_if_the_transaction_rolls_back(gateway):
    """Sent on commit: a request that fails after asking for an SMS sends nothing."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        sms.send_sms(PHONE, "Ma 123456")
        raise RuntimeError
    assert gateway.requests == []
    assert not OutboundSms.objects.exists()


def test_the_task_retries_with_exponential_backoff():
    """5 retries, waits growing from 5 s, capped at 2 minutes, jittered (Celery's retry_backoff)."""
    task = tasks.deliver_sms
    assert task.max_retries == 5
    assert task.retry_backoff == 5 and task.retry_backoff_max == 120 and task.retry_jitter
    assert sms.GatewayTemporaryError in task.autoretry_for


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_code_reaches_the_gateway_in_the_configured_template(client, gateway, settings, make_user):
    settings.SMS_CODE_TEMPLATE = "HAIPHONG: ma dang nhap {code}"
    make_user(username="an", phone=PHONE, phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "0912345678"})
    assert len(gateway.requests) == 1
    text = gateway.requests[0]["json"]["text"]
    assert text.startswith("HAIPHONG: ma dang nhap ") and text[-6:].isdigit()
    assert OutboundSms.objects.get().text == ""
    response = client.post(reverse("account_confirm_login_code"), {"code": text[-6:]})
    assert response.status_code == 302 and client.session.get("_auth_user_id")
