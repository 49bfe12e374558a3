"""Demo data of the citizens app: the demo citizen's profile and consents (the account itself is
made by government.demo). Running it again changes nothing."""

from django.contrib.auth import get_user_model

from government.models import AdministrativeUnit, ResidentialGroup

from . import services
from .models import ConsentPurpose, Profile

DEMO_CITIZEN_PHONE = "+84912345678"
# The demo officers' second factor: a published secret, so anyone trying the demo can sign in
# (add it to an authenticator app, or print the current code with `manage.py demo_code`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo data only
LE_CHAN = "11383"


def load(stdout=None):
    _activate_demo_officers_totp(stdout)
    user = get_user_model().objects.filter(phone=DEMO_CITIZEN_PHONE).first()
    if user is None:
        return
    ward = AdministrativeUnit.objects.filter(code=LE_CHAN).first()
    group = ResidentialGroup.objects.filter(unit=ward, name="Tổ dân phố 2").first() if ward else None
    if not Profile.objects.filter(user=user).exists():
        services.update_profile(
            user=user,
            full_name=user.full_name or "Nguyễn Văn An",
            gender="male",
            ward=ward,
            residential_group=group,
            street_address="Số 12 Lạch Tray",
            workplace_name="Công ty Cảng Hải Phòng",
            workplace_address="8A Trần Phú, phường Ngô Quyền",
        )
    services.record_consents(
        user=user,
        decisions={ConsentPurpose.PROCESSING: True, ConsentPurpose.NOTICES: True},
        only_changes=True,
    )
    if stdout is not None:
        stdout.write(f"  citizens: profile and consents of {user.full_name}\n")


def _activate_demo_officers_totp(stdout):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    from government.demo import DEMO_OFFICERS

    usernames = [username for username, *_ in DEMO_OFFICERS]
    officers = get_user_model().objects.filter(username__in=usernames)
    activated = 0
    for officer in officers:
        _, created = Authenticator.objects.get_or_create(
            user=officer, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
        )
        activated += created
    if stdout is not None and activated:
        stdout.write(f"  citizens: second factor of {activated} demo officers\n")
