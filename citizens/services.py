"""Every write about a citizen's account: phone, profile, consents, export and erasure.

Erasure deletes the user row: the profile, consents, sessions, e-mail addresses, VNeID links and
second factors go with it (CASCADE), and rows other apps keep pointing to the user with
on_delete=SET_NULL (a report's reporter) stay, anonymised. Before the deletion, the
`citizens.signals.account_erasing` signal lets each app scrub what it copied (a report's contact
name and phone).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import codes
from .consent import CONSENT_TEXTS
from .models import Consent, ConsentPurpose, OutboundSms, Profile
from .signals import account_erasing, personal_data_requested

log = logging.getLogger(__name__)

# A sign-up left unverified this long is removed (allauth's verification flow lasts 15 minutes).
PENDING_SIGNUP_TTL = datetime.timedelta(hours=1)
# Codes are dead after 5 minutes; their rows are kept a day for the record, then go.
PHONE_CODE_RETENTION = datetime.timedelta(days=1)
# Development messages at /dev/sms/ (text included) are kept a week.
DEV_SMS_RETENTION = datetime.timedelta(days=7)

DUPLICATE_CITIZEN_ID = _(
    "Số CCCD này đã được dùng cho một tài khoản khác. Nếu đó là số của bạn, hãy gọi tổng đài 1022 để được hỗ trợ."
)

PROFILE_FIELDS = [
    "gender",
    "date_of_birth",
    "ward",
    "residential_group",
    "street_address",
    "workplace_name",
    "workplace_address",
    "referral_code",
    "evn_customer_code",
    "social_insurance_number",
    "tax_code",
    "health_insurance_number",
    "citizen_id",
]


# --- Phone ----------------------------------------------------------------------------------------


def set_phone(*, user, phone, verified):
    """Give `user` the number `phone` (E.164). A pending sign-up holding it is removed first, and a
    verified number takes the place of any claim on it that was never verified.

    Used by allauth's flows through the adapter: at sign-up (unverified), once a code is confirmed
    (verified, possibly replacing the old number), and by VNeID.
    """
    User = get_user_model()
    with transaction.atomic():
        others = User.objects.exclude(pk=user.pk) if user.pk else User.objects.all()
        others.pending_signups().filter(phone=phone).delete()
        if verified:
            # Its holder never proved the number was theirs, and could not sign in with it.
            others.filter(phone=phone, phone_verified=False).update(phone=None)
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])
        else:
            user.save()


# --- Consent --------------------------------------------------------------------------------------


def record_consent(*, user, purpose, granted):
    """Record one decision about one purpose, with the version of the text shown. Returns the row."""
    purpose = ConsentPurpose(purpose)
    return Consent.objects.create(
        user=user, purpose=purpose, granted=bool(granted), version=CONSENT_TEXTS[purpose]["version"]
    )


def record_consents(*, user, decisions, only_changes=False):
    """Record several decisions ({purpose: granted}); with only_changes, skip those already in force."""
    current = current_consents(user) if only_changes else {}
    rows = []
    with transaction.atomic():
        for purpose, granted in decisions.items():
            if only_changes and current.get(purpose) == bool(granted):
                continue
            rows.append(record_consent(user=user, purpose=purpose, granted=granted))
    return rows


def current_consents(user):
    """{purpose: granted} as in force now (the latest decision per purpose; False when none)."""
    state = dict.fromkeys(ConsentPurpose, False)
    seen = set()
    for consent in Consent.objects.filter(user=user).order_by("-at", "-id").only("purpose", "granted"):
        if consent.purpose not in seen:
            seen.add(consent.purpose)
            state[ConsentPurpose(consent.purpose)] = consent.granted
    return state


def has_consent(user, purpose):
    """Whether `user` has, at present, consented to `purpose` (other apps ask before using data)."""
    latest = Consent.objects.filter(user=user, purpose=purpose).order_by("-at", "-id").first()
    return bool(latest and latest.granted)


# --- Profile --------------------------------------------------------------------------------------


def update_profile(*, user, full_name, **fields):
    """Save the citizen's personal information (validated by citizens.forms.ProfileForm).

    Raises ValidationError({"citizen_id": …}) when another account took the citizen ID number in
    the meantime; nothing is saved then.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    group = fields.get("residential_group")
    if group is not None and group.unit_id != getattr(fields.get("ward"), "pk", None):
        raise ValidationError({"residential_group": _("Tổ dân phố, thôn không thuộc phường, xã đã chọn.")})
    if fields.get("citizen_id") == "":
        fields["citizen_id"] = None
    try:
        with transaction.atomic():
            user.full_name = full_name.strip()
            user.save(update_fields=["full_name"])
            profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
            for name, value in fields.items():
                setattr(profile, name, value)
            profile.save()
    except IntegrityError as exc:
        if (
            fields.get("citizen_id")
            and Profile.objects.filter(citizen_id=fields["citizen_id"]).exclude(user=user).exists()
        ):
            raise ValidationError({"citizen_id": DUPLICATE_CITIZEN_ID}) from exc
        raise
    return profile


def set_referral_code(*, user, code):
    """Keep the referral code a citizen typed at sign-up (validated by the form): the helper who
    guided them is counted by the install campaign (campaigns.figures.helpers)."""
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        profile.referral_code = code
        profile.save()
    return profile


# --- Export and erasure ---------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def export_user_data(user):
    """Everything the portal holds about `user`, as a JSON-serialisable dict (for the download)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    profile = Profile.objects.filter(user=user).select_related("ward", "residential_group").first()
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "full_name": user.full_name,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "has_password": user.has_usable_password(),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        "linked_accounts": [
            {"provider": a.provider, "uid": a.uid, "linked_at": _iso(a.date_joined)}
            for a in SocialAccount.objects.filter(user=user).order_by("id")
        ],
        "profile": None,
        "consents": [
            {"purpose": c.purpose, "granted": c.granted, "version": c.version, "at": _iso(c.at)}
            for c in Consent.objects.filter(user=user).order_by("at", "id")
        ],
        "sessions": [
            {"ip": s.ip, "user_agent": s.user_agent, "created_at": _iso(s.created_at)}
            for s in UserSession.objects.filter(user=user).order_by("created_at")
        ],
    }
    if profile:
        data["profile"] = {
            "gender": profile.gender,
            "date_of_birth": _iso(profile.date_of_birth),
            "ward": {"code": profile.ward.code, "name": profile.ward.name} if profile.ward else None,
            "residential_group": profile.residential_group.name if profile.residential_group else None,
            "street_address": profile.street_address,
            "workplace_name": profile.workplace_name,
            "workplace_address": profile.workplace_address,
            "referral_code": profile.referral_code,
            "evn_customer_code": profile.evn_customer_code,
            "social_insurance_number": profile.social_insurance_number,
            "tax_code": profile.tax_code,
            "health_insurance_number": profile.health_insurance_number,
            "citizen_id": profile.citizen_id,
            "updated_at": _iso(profile.updated_at),
        }
    for _receiver, sections in personal_data_requested.send(sender=type(user), user=user):
        if sections:
            data.update(sections)
    return data


class ErasureRefused(Exception):
    """This account cannot erase itself (officers and staff are managed by administrators)."""


def can_erase(user):
    from government.access import memberships_of

    return not (user.is_staff or user.is_superuser or memberships_of(user).exists())


def erase_account(*, user):
    """Erase `user`'s account: their personal data goes; what they filed stays, anonymised.

    Sends `account_erasing` (each app scrubs its copies), ends every session of the user, then
    deletes the user row. All in one transaction: if any app fails, nothing is erased.
    Raises ErasureRefused for officers and staff.
    """
    from allauth.usersessions.models import UserSession

    if not can_erase(user):
        raise ErasureRefused
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        account_erasing.send(sender=User, user=user)
        for session in UserSession.objects.filter(user=user):
            session.end()
        user.delete()
    log.info("account erased")


# --- Housekeeping ---------------------------------------------------------------------------------


def purge_stale_account_data(now=None):
    """Remove pending sign-ups older than an hour, SMS codes older than a day and, with the
    development backend, recorded messages older than a week. Returns what was removed."""
    now = now or timezone.now()
    User = get_user_model()
    stale = User.objects.pending_signups().filter(date_joined__lt=now - PENDING_SIGNUP_TTL)
    stale_ids = list(stale.values_list("pk", flat=True))
    User.objects.filter(pk__in=stale_ids).delete()
    removed_signups = len(stale_ids)
    removed_codes = codes.purge(now - PHONE_CODE_RETENTION)
    old_messages = OutboundSms.objects.filter(created_at__lt=now - DEV_SMS_RETENTION)
    if settings.SMS_BACKEND.endswith("DatabaseBackend"):
        removed_messages = old_messages.delete()[0]
    else:
        removed_messages = old_messages.exclude(text="").update(text="")
    return {"signups": removed_signups, "codes": removed_codes, "messages": removed_messages}
