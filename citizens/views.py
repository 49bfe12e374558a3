"""Citizen account pages: the account overview, personal information, privacy (consent, export,
erasure), the forgotten-password flow on top of allauth's sign-in by SMS code, and /dev/sms/."""

import json
import time

from allauth.account.adapter import get_adapter
from allauth.account.internal import flows
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from government.models import ResidentialGroup

from . import services
from .consent import CONSENT_TEXTS
from .forms import ConsentForm, EraseAccountForm, ForgotPasswordForm, NewPasswordForm, ProfileForm
from .models import OutboundSms, Profile
from .phones import display_phone

# After a forgotten password, the new one may be set this long after signing in with the SMS code.
NEW_PASSWORD_WINDOW = 600


@login_required
def profile(request):
    user = request.user
    profile = Profile.objects.filter(user=user).select_related("ward", "residential_group").first()
    return render(
        request,
        "citizens/profile.html",
        {
            "profile": profile,
            "phone_display": display_phone(user.phone),
            "has_password": user.has_usable_password(),
            "consents": services.current_consents(user),
        },
    )


@login_required
def profile_edit(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.update_profile(user=request.user, **form.profile_data())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(request, _("Đã lưu thông tin cá nhân."))
                return redirect("citizens:profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(request.user), user=request.user)
    return render(request, "citizens/profile_form.html", {"form": form})


@login_required
@require_GET
def residential_groups(request):
    """The residential groups of one ward, for the profile form's second list."""
    ward = request.GET.get("ward", "")
    if not (ward.isascii() and ward.isdigit() and len(ward) <= 5):
        # Not a ward's code (units are keyed on 5 digits): no groups, rather than a query that
        # PostgreSQL would refuse (a NUL) or one that cannot match.
        return JsonResponse({"ward": "", "groups": []})
    groups = ResidentialGroup.objects.filter(unit_id=ward).order_by("name").values("id", "name")
    return JsonResponse({"ward": ward, "groups": list(groups)})


@login_required
def privacy(request):
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            services.record_consents(user=request.user, decisions=form.consent_decisions(), only_changes=True)
            messages.success(request, _("Đã lưu lựa chọn của bạn."))
            return redirect("citizens:privacy")
    else:
        current = services.current_consents(request.user)
        form = ConsentForm(initial={f"consent_{purpose.value}": granted for purpose, granted in current.items()})
    history = request.user.consents.all()[:20]
    return render(
        request,
        "citizens/privacy.html",
        {"form": form, "history": history, "texts": CONSENT_TEXTS, "can_erase": services.can_erase(request.user)},
    )


@login_required
@never_cache
def export_data(request):
    data = services.export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.json"'
    return response


@login_required
def erase(request):
    user = request.user
    if not services.can_erase(user):
        return render(request, "citizens/erase.html", {"refused": True})
    form = EraseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.erase_account(user=user)
        logout(request)
        messages.success(
            request, _("Tài khoản của bạn đã được xóa. Các phản ánh bạn đã gửi được giữ lại ở dạng ẩn danh.")
        )
        return redirect("home")
    return render(request, "citizens/erase.html", {"form": form})


# --- Forgotten password: a sign-in code by SMS, then a new password ------------------------------


@never_cache
def forgot_password(request):
    """Quên mật khẩu: the phone number → allauth's sign-in by SMS code → a new password."""
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:
            logout(request)
        flows.login_by_code.LoginCodeVerificationProcess.initiate(
            request=request, user=form.user, phone=form.cleaned_data["phone"]
        )
        next_url = reverse("citizens:new_password")
        return redirect(f"{reverse('account_confirm_login_code')}?{urlencode({'next': next_url})}")
    return render(request, "account/password_reset.html", {"form": form})


def _signed_in_by_code_recently(request):
    for record in get_authentication_records(request, request.user):
        if record.get("method") == "code" and time.time() - record.get("at", 0) <= NEW_PASSWORD_WINDOW:
            return True
    return False


@login_required
@never_cache
def new_password(request):
    if not _signed_in_by_code_recently(request):
        # Not fresh from an SMS code: the ordinary change, which asks for the current password.
        return redirect("account_change_password" if request.user.has_usable_password() else "account_set_password")
    form = NewPasswordForm(user=request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        flows.password_change.finalize_password_change(request, request.user)
        adapter = get_adapter()
        adapter._delete_login_attempts_cached_email(request, phone=request.user.phone or "")
        return redirect("citizens:profile")
    return render(request, "citizens/new_password.html", {"form": form})


# --- Development inbox ------------------------------------------------------------------------


@never_cache
def dev_sms(request):
    """Messages recorded by the development SMS backend, newest first. Only with DEBUG on."""
    if not settings.DEBUG:
        raise Http404
    sent = OutboundSms.objects.order_by("-created_at", "-id")[:50]
    return render(request, "citizens/dev_sms.html", {"sent": sent})
