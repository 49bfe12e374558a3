"""A small city for the news tests.

Two wards (Lê Chân, Ngô Quyền); the power company with its staff member `power` and the water
company with `water`; the editor `editor` (in the 1022 centre, as in the demo); citizens: `lan`
(Lê Chân, consented to notices), `minh` (Lê Chân, did not consent), `hoa` (Ngô Quyền, consented).
Officers have a TOTP authenticator, which the officer site requires.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from citizens.models import ConsentPurpose, Profile
from citizens.services import record_consent
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitKind
from news import services
from news.models import OutageKind, UtilityKind


def give_totp(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    return user


def citizen(make_user, username, phone, ward, *, consent=True, evn=""):
    user = make_user(username=username, phone=phone, phone_verified=True, full_name=username.title())
    Profile.objects.create(user=user, ward=ward, evn_customer_code=evn)
    record_consent(user=user, purpose=ConsentPurpose.NOTICES, granted=consent)
    return user


def build(make_user):
    lechan = AdministrativeUnit.objects.create(
        code="11383", name="Phường Lê Chân", kind=UnitKind.WARD, seat_lat=20.85, seat_lng=106.68
    )
    ngoquyen = AdministrativeUnit.objects.create(
        code="11329", name="Phường Ngô Quyền", kind=UnitKind.WARD, seat_lat=20.86, seat_lng=106.70
    )
    hotline = Agency.objects.create(name="Trung tâm 1022", slug="trung-tam-1022", kind=AgencyKind.HOTLINE)
    power_company = Agency.objects.create(name="Điện lực Hải Phòng", slug="dien-luc", kind=AgencyKind.UTILITY)
    water_company = Agency.objects.create(name="Cấp nước Hải Phòng", slug="cap-nuoc", kind=AgencyKind.UTILITY)

    def member(username, agency, role):
        user = give_totp(make_user(username=username, full_name=username.title()))
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return SimpleNamespace(
        lechan=lechan,
        ngoquyen=ngoquyen,
        power_company=power_company,
        water_company=water_company,
        editor=member("editor", hotline, Role.EDITOR),
        power=member("power", power_company, Role.OFFICER),
        water=member("water", water_company, Role.OFFICER),
        lan=citizen(make_user, "lan", "+84911000011", lechan, evn="PH01000123456"),
        minh=citizen(make_user, "minh", "+84911000012", lechan, consent=False),
        hoa=citizen(make_user, "hoa", "+84911000013", ngoquyen),
    )


@pytest.fixture
def world(db, make_user):
    from government import geo

    geo.forget_index()
    yield build(make_user)
    geo.forget_index()


def publish(world, title="Khởi công cầu mới", *, ward=None, at=None, body="<p>Nội dung bài viết.</p>", **extra):
    article = services.save_article(
        editor=world.editor,
        title=title,
        summary=extra.pop("summary", "Tóm tắt của bài"),
        body=body,
        category=extra.pop("category", "thoi-su"),
        is_citywide=ward is None,
        ward_codes=[ward.code] if ward else [],
        **extra,
    )
    return services.publish_article(editor=world.editor, article_id=article.pk, at=at)


def outage(world, *, days=6, hours=4, ward=None, places="", kind=OutageKind.PLANNED, staff=None, company=None):
    start = timezone.now() + datetime.timedelta(days=days)
    return services.save_outage(
        staff=staff or world.power,
        company_id=(company or world.power_company).pk,
        kind=kind,
        utility=UtilityKind.POWER,
        area="Phố Lạch Tray",
        ward_codes=[(ward or world.lechan).code],
        places=places,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        reason="Bảo dưỡng trạm biến áp",
    )
