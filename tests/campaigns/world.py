"""A hand-counted ward for the campaign's tests.

Phường Lê Chân, three groups:
- Tổ dân phố 1 (10 households, 8 with a smartphone): r1 "Số 12 Lạch Tray" (named), r2 "12 Lạch Tray"
  (the same home, not named), r3 "số 5, đường Tô Hiệu" (named, signed in yesterday, works at the
  school), r4 (no address: a home of their own), r5 unverified (not counted)
  → 4 registered, 3 homes, 1 active, 37.5 %;
- Tổ dân phố 2 (5 households, 4 with a smartphone): r6 "3 Hàng Kênh", who typed r1's number as referral
  code → 1 registered, 1 home, 25 %;
- Tổ dân phố 3: no survey → rate "—".
r7 named the ward but no group. The school (Trường THCS Lê Chân, 3 staff) has r3.
People with a role: staff (ward staff, Lê Chân), leader (Lê Chân), other_staff (ward staff, Ngô Quyền),
city (city staff), officer (a PAKN officer of Lê Chân: no campaign role).
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from campaigns.models import Audience, Campaign, Deadline, Workplace, WorkplaceKind
from citizens import services as citizen_services
from citizens.models import ConsentPurpose
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, ResidentialGroup, Role, UnitKind
from tests.feedback.officer_world import give_totp


def resident(make_user, phone, name, *, ward, group=None, street="", verified=True, named=False, **profile):
    user = make_user(phone=phone, phone_verified=verified, full_name=name)
    citizen_services.update_profile(
        user=user, full_name=name, ward=ward, residential_group=group, street_address=street, **profile
    )
    citizen_services.record_consent(user=user, purpose=ConsentPurpose.CAMPAIGN_LIST, granted=named)
    return user


def build(make_user):
    lechan = AdministrativeUnit.objects.create(code="11383", name="Phường Lê Chân", kind=UnitKind.WARD)
    ngoquyen = AdministrativeUnit.objects.create(code="11311", name="Phường Ngô Quyền", kind=UnitKind.WARD)
    ward = Agency.objects.create(
        name="UBND Phường Lê Chân", slug="ubnd-11383", kind=AgencyKind.WARD_COMMITTEE, unit=lechan
    )
    other = Agency.objects.create(
        name="UBND Phường Ngô Quyền", slug="ubnd-11311", kind=AgencyKind.WARD_COMMITTEE, unit=ngoquyen
    )
    city_agency = Agency.objects.create(name="Sở Khoa học và Công nghệ", slug="so-khcn", kind=AgencyKind.DEPARTMENT)
    g1 = ResidentialGroup.objects.create(unit=lechan, name="Tổ dân phố 1", households=10, smartphone_households=8)
    g2 = ResidentialGroup.objects.create(unit=lechan, name="Tổ dân phố 2", households=5, smartphone_households=4)
    g3 = ResidentialGroup.objects.create(unit=lechan, name="Tổ dân phố 3")
    nq1 = ResidentialGroup.objects.create(unit=ngoquyen, name="Tổ dân phố 1", households=3, smartphone_households=3)

    def member(username, agency, role):
        user = make_user(username=username, full_name=username.title(), email=f"{username}@example.vn")
        Membership.objects.create(user=user, agency=agency, role=role)
        return give_totp(user)

    r1 = resident(
        make_user, "+84911000101", "Nguyễn Văn Một", ward=lechan, group=g1, street="Số 12 Lạch Tray", named=True
    )
    r2 = resident(make_user, "+84911000102", "Trần Thị Hai", ward=lechan, group=g1, street="12 Lạch Tray")
    r3 = resident(
        make_user,
        "+84911000103",
        "Lê Văn Ba",
        ward=lechan,
        group=g1,
        street="số 5, đường Tô Hiệu",
        named=True,
        workplace_name="trường THCS Lê Chân",
        workplace_address="15 Hồ Sen",
    )
    r3.last_login = timezone.now() - dt.timedelta(days=1)
    r3.save(update_fields=["last_login"])
    r4 = resident(make_user, "+84911000104", "Phạm Thị Bốn", ward=lechan, group=g1, named=True)
    r5 = resident(make_user, "+84911000105", "Chưa Xác Minh", ward=lechan, group=g1, street="7 Tô Hiệu", verified=False)
    r6 = resident(
        make_user, "+84911000106", "Hoàng Văn Sáu", ward=lechan, group=g2, street="3 Hàng Kênh", referral_code=r1.phone
    )
    r7 = resident(make_user, "+84911000107", "Vũ Thị Bảy", ward=lechan, named=True)
    nq = resident(make_user, "+84911000201", "Ngô Văn Khác", ward=ngoquyen, group=nq1, street="1 Máy Tơ", named=True)
    school = Workplace.objects.create(unit=lechan, name="Trường THCS Lê Chân", kind=WorkplaceKind.SCHOOL, headcount=3)
    campaign = Campaign.objects.create(name="Chiến dịch 2026", starts_on=dt.date(2026, 1, 1))
    Deadline.objects.create(
        campaign=campaign, audience=Audience.RESIDENTS, due_on=timezone.localdate() + dt.timedelta(days=20)
    )
    Deadline.objects.create(
        campaign=campaign, audience=Audience.STAFF, due_on=timezone.localdate() + dt.timedelta(days=5)
    )
    return SimpleNamespace(
        lechan=lechan,
        ngoquyen=ngoquyen,
        ward=ward,
        g1=g1,
        g2=g2,
        g3=g3,
        nq1=nq1,
        r1=r1,
        r2=r2,
        r3=r3,
        r4=r4,
        r5=r5,
        r6=r6,
        r7=r7,
        nq=nq,
        school=school,
        campaign=campaign,
        staff=member("phuong.lc", ward, Role.WARD_STAFF),
        leader=member("lanhdao.lc", ward, Role.LEADER),
        officer=member("canbo.lc", ward, Role.OFFICER),
        other_staff=member("phuong.nq", other, Role.WARD_STAFF),
        city=member("thanhpho", city_agency, Role.CITY_STAFF),
    )
