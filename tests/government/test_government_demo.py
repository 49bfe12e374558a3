"""The demo data: complete, idempotent, and the commands that load and serve it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from government import demo
from government.management.commands import load_demo, rundemo
from government.models import Agency, AgencyKind, Membership, ResidentialGroup, Role

pytestmark = pytest.mark.django_db


def test_the_demo_has_units_agencies_groups_and_accounts():
    counts = demo.load()
    assert counts["units"] == 114
    # 20 hand-placed seats; the other units' seats are derived from their bundled boundaries.
    assert counts["units_with_seat"] == counts["units_with_boundary"] == 114
    assert Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE).count() == 114
    assert counts["agencies"] == 114 + len(demo.CITY_AGENCIES)
    assert counts["residential_groups"] == 10
    ward = Agency.objects.get(slug="ubnd-11383")
    assert (ward.name, ward.unit_id) == ("UBND Phường Lê Chân", "11383")
    assert Agency.objects.get(slug="trung-tam-1022").kind == AgencyKind.HOTLINE
    assert Agency.objects.get(slug="so-xay-dung").unit is None
    assert ResidentialGroup.objects.get(unit_id="11383", name="Tổ dân phố 3").households == 355


def test_every_demo_account_signs_in_with_the_documented_password():
    demo.load()
    users = get_user_model().objects
    for username, _role in demo.DEMO_ACCOUNTS:
        assert users.get(username=username).check_password("demo12345"), username
    roles = set(Membership.objects.values_list("user__username", "role", "agency__slug"))
    assert roles == {
        ("canbo.lechan", Role.OFFICER, "ubnd-11383"),
        ("lanhdao.lechan", Role.LEADER, "ubnd-11383"),
        ("phuong.lechan", Role.WARD_STAFF, "ubnd-11383"),
        ("dieuphoi.1022", Role.OPERATOR, "trung-tam-1022"),
        ("bientap", Role.EDITOR, "trung-tam-1022"),
    }
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    citizen = users.get(username="citizen-demo")
    assert (citizen.phone, citizen.full_name, citizen.phone_verified) == ("+84912345678", "Nguyễn Văn An", True)
    assert not citizen.memberships.exists()


def test_loading_twice_gives_the_same_counts_and_keeps_passwords():
    first = demo.load()
    hash_before = get_user_model().objects.get(username="canbo.lechan").password
    assert demo.load() == first
    assert get_user_model().objects.get(username="canbo.lechan").password == hash_before


def test_a_changed_demo_password_is_put_back():
    demo.load()
    user = get_user_model().objects.get(username="bientap")
    user.set_password("something-else-1")
    user.save()
    demo.load()
    user.refresh_from_db()
    assert user.check_password("demo12345")


def test_load_demo_runs_the_government_demo_first_and_twice_is_the_same():
    modules = load_demo.demo_modules()
    assert modules[0] is demo
    names = [module.__name__.split(".")[0] for module in modules]
    assert names == sorted(names, key=load_demo.ORDER.index)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = demo.counts()
    call_command("load_demo", stdout=io.StringIO())
    assert demo.counts() == first
    assert "Đã nạp dữ liệu mẫu." in out.getvalue()


class TestRundemo:
    @pytest.fixture
    def calls(self, monkeypatch):
        """The commands rundemo calls, recorded instead of run (runserver would never return)."""
        recorded = []
        monkeypatch.setattr(rundemo, "call_command", lambda name, *args, **kwargs: recorded.append((name, args)))
        monkeypatch.delenv("RUN_MAIN", raising=False)
        return recorded

    def test_it_migrates_loads_prints_the_accounts_then_serves_on_localhost(self, calls):
        out = io.StringIO()
        call_command("rundemo", stdout=out)
        assert [name for name, _args in calls] == ["migrate", "load_demo", "runserver"]
        assert calls[-1] == ("runserver", ("127.0.0.1:8000",))
        for username, _role in demo.DEMO_ACCOUNTS:
            assert username in out.getvalue()
        assert "demo12345" in out.getvalue()

    def test_the_port_and_options_go_to_runserver(self, calls):
        call_command("rundemo", "8001", "--noreload", stdout=io.StringIO())
        assert calls[-1] == ("runserver", ("8001", "--noreload"))

    def test_the_reloaders_child_only_serves(self, calls, monkeypatch):
        monkeypatch.setenv("RUN_MAIN", "true")
        call_command("rundemo", stdout=io.StringIO())
        assert [name for name, _args in calls] == ["runserver"]


def test_rundemo_collects_static_files_when_pages_link_hashed_names(monkeypatch, settings):
    """Without DEBUG the manifest storage needs collectstatic before the first page renders."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    recorded = []
    monkeypatch.setattr(rundemo, "call_command", lambda name, *args, **kwargs: recorded.append(name))
    monkeypatch.delenv("RUN_MAIN", raising=False)
    call_command("rundemo", stdout=io.StringIO())
    assert recorded == ["migrate", "collectstatic", "load_demo", "runserver"]
