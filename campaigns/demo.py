"""Demo data of the campaign: Phường Lê Chân's drive, a school and an agency with headcounts,
registered residents at different rates per group, two helpers, and a city staff account.

Demo accounts added (password demo12345): `thanhpho.cds` – city staff (Cán bộ thành phố), Sở Khoa
học và Công nghệ. Running it again changes nothing.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from citizens import services as citizen_services
from citizens.models import ConsentPurpose, Profile
from government.demo import DEMO_PASSWORD, upsert
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, ResidentialGroup, Role

from .models import Audience, Campaign, Deadline, Workplace, WorkplaceKind

LE_CHAN = "11383"
CITY_STAFF = ("thanhpho.cds", "Đỗ Thành Công")
# (group, how many homes registered) – rates from about a tenth to about two thirds.
REGISTERED = {"Tổ dân phố 1": 30, "Tổ dân phố 2": 41, "Tổ dân phố 3": 12, "Tổ dân phố 4": 95, "Tổ dân phố 5": 60}
HELPERS = ("+84912000901", "+84912000902")
STREETS = ("Lạch Tray", "Tô Hiệu", "Hàng Kênh", "Hồ Sen", "Dư Hàng")


def load(stdout=None):
    unit = AdministrativeUnit.objects.filter(code=LE_CHAN).first()
    if unit is None:
        return
    campaign, _created = upsert(
        Campaign, {"name": "Mỗi hộ gia đình một tài khoản Smart Hải Phòng – 2026"}, {"starts_on": dt.date(2026, 3, 1)}
    )
    for audience, due in ((Audience.RESIDENTS, dt.date(2026, 12, 31)), (Audience.STAFF, dt.date(2026, 12, 20))):
        upsert(Deadline, {"campaign": campaign, "audience": audience, "unit": None}, {"due_on": due})
    for name, kind, headcount in (
        ("Trường THCS Lê Chân", WorkplaceKind.SCHOOL, 48),
        ("Công an phường Lê Chân", WorkplaceKind.POLICE, 35),
    ):
        place = Workplace.objects.filter(unit=unit, name=name).first()
        if place is None:
            Workplace.objects.create(unit=unit, name=name, kind=kind, headcount=headcount)
    User = get_user_model()
    helpers = []
    for number, phone in enumerate(HELPERS, 1):
        helper, _new = upsert(
            User,
            {"username": f"tocongnghe.{number}"},
            {"phone": phone, "phone_verified": True, "full_name": f"Tổ công nghệ số {number}"},
        )
        helpers.append(helper)
        if not Profile.objects.filter(user=helper).exists():
            citizen_services.update_profile(user=helper, full_name=helper.full_name, ward=unit, street_address="")
            citizen_services.record_consent(user=helper, purpose=ConsentPurpose.CAMPAIGN_LIST, granted=True)
    made = 0
    serial = 0
    for group_name, homes in REGISTERED.items():
        group = ResidentialGroup.objects.filter(unit=unit, name=group_name).first()
        if group is None:
            continue
        for home in range(homes):
            serial += 1
            username = f"dan.lechan.{serial}"
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(
                username=username,
                phone=f"+8491300{serial:04d}",
                phone_verified=True,
                full_name=f"Cư dân {group_name[-1]}-{home + 1}",
            )
            citizen_services.update_profile(
                user=user,
                full_name=user.full_name,
                ward=unit,
                residential_group=group,
                street_address=f"{home + 1} {STREETS[home % len(STREETS)]}",
                workplace_name="Trường THCS Lê Chân" if home % 9 == 0 else "",
                referral_code=helpers[home % 2].phone if home % 3 == 0 else "",
            )
            citizen_services.record_consent(user=user, purpose=ConsentPurpose.CAMPAIGN_LIST, granted=home % 2 == 0)
            made += 1
    city_agency, _new = upsert(
        Agency,
        {"slug": "so-khoa-hoc-va-cong-nghe"},
        {"name": "Sở Khoa học và Công nghệ", "kind": AgencyKind.DEPARTMENT, "unit_id": None},
    )
    username, full_name = CITY_STAFF
    staff, created = upsert(User, {"username": username}, {"full_name": full_name})
    if created or not staff.check_password(DEMO_PASSWORD):
        staff.set_password(DEMO_PASSWORD)
        staff.save(update_fields=["password"])
    upsert(Membership, {"user": staff, "agency": city_agency, "role": Role.CITY_STAFF}, {"is_active": True})
    _second_factor(staff)
    if stdout is not None:
        stdout.write(f"  campaigns: {made} residents of Lê Chân registered, city staff {username}\n")


def _second_factor(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    from citizens.demo import DEMO_TOTP_SECRET

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
    )
