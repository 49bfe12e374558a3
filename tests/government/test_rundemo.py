"""rundemo serves where it says, and the links in its text messages point there too."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from government.management.commands import rundemo


@pytest.mark.parametrize(
    ("addrport", "ipv6", "root"),
    [
        ("127.0.0.1:8000", False, "http://127.0.0.1:8000"),
        ("8101", False, "http://127.0.0.1:8101"),
        ("8101", True, "http://[::1]:8101"),
        ("192.168.1.20:8101", False, "http://192.168.1.20:8101"),
        ("localhost:9000", False, "http://localhost:9000"),
        ("[::1]:8101", False, "http://[::1]:8101"),
        ("0.0.0.0:8101", False, "http://127.0.0.1:8101"),
        ("0:8101", False, "http://127.0.0.1:8101"),
    ],
)
def test_the_site_root_is_where_runserver_listens(addrport, ipv6, root):
    assert rundemo.site_root_for(addrport, ipv6=ipv6) == root


def test_an_address_runserver_would_refuse_has_no_site_root():
    assert rundemo.site_root_for("not a port") is None


@pytest.fixture
def served(monkeypatch, settings):
    """What SITE_ROOT was while each command ran; runserver returns at once instead of serving."""
    settings.SITE_ROOT = "http://127.0.0.1:8000"  # restored after the test, whatever rundemo does
    seen = []
    monkeypatch.setattr(
        rundemo, "call_command", lambda name, *args, **kwargs: seen.append((name, django_settings.SITE_ROOT))
    )
    monkeypatch.delenv("RUN_MAIN", raising=False)
    monkeypatch.delenv("SITE_ROOT", raising=False)
    return seen


def test_rundemo_on_another_port_links_its_text_messages_to_that_port(served):
    """`rundemo 8101` serves on 8101, and the SMS links (settings.SITE_ROOT) say :8101, from the
    demo's loading (its notices) to the server's last request."""
    call_command("rundemo", "8101", stdout=io.StringIO())
    assert [name for name, _root in served] == ["migrate", "load_demo", "runserver"]
    assert {root for _name, root in served} == {"http://127.0.0.1:8101"}
    assert django_settings.SITE_ROOT == "http://127.0.0.1:8000"  # put back once the server stops


def test_the_reloaders_child_links_to_its_port_too(served, monkeypatch):
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("rundemo", "0.0.0.0:8101", stdout=io.StringIO())
    assert served == [("runserver", "http://127.0.0.1:8101")]


def test_a_site_root_set_in_the_environment_wins(served, monkeypatch, settings):
    """Behind a proxy or on a LAN address the operator says where the portal is; rundemo keeps it."""
    monkeypatch.setenv("SITE_ROOT", "https://demo.example.vn")
    settings.SITE_ROOT = "https://demo.example.vn"
    call_command("rundemo", "8101", stdout=io.StringIO())
    assert {root for _name, root in served} == {"https://demo.example.vn"}


def test_a_malformed_port_stops_before_anything_runs(served):
    """A typo gets a message in Vietnamese before migrating or loading anything."""
    with pytest.raises(CommandError, match="không phải cổng"):
        call_command("rundemo", "81o1", stdout=io.StringIO())
    assert served == []
