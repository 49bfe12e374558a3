"""Submitting a dossier online: with an account (the profile pre-fills the applicant), or without
one after the phone is confirmed by an SMS code."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import services
from .forms import CodeForm, DossierForm, PhoneForm
from .models import PhoneConfirmation, Procedure
from .services import DossierActionError
from .services.submission import confirmed_phone

SESSION_KEY = "publicservices_phone"


def _initial(user):
    if not user.is_authenticated:
        return {}
    from citizens.models import Profile

    profile = Profile.objects.filter(user=user).first()
    initial = {"name": user.full_name}
    if profile is not None:
        initial["id_number"] = profile.citizen_id or ""
        initial["address"] = getattr(profile, "street_address", "") or ""
    return initial


def _done(request, dossier):
    url = reverse("publicservices:dossier", args=[dossier.code])
    if request.user.is_authenticated and dossier.applicant_id == request.user.pk:
        return redirect(url)
    return redirect(f"{url}?{urlencode({'k': dossier.secret})}")


def submit(request, code):
    procedure = get_object_or_404(Procedure.objects.published().select_related("field", "agency"), code=code)
    if not procedure.accepts_online:
        messages.info(request, _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp trực tiếp tại bộ phận một cửa."))
        return redirect(procedure.get_absolute_url())
    documents = list(procedure.documents.all())
    signed_in = request.user.is_authenticated
    step = request.POST.get("step", "")
    context = {"procedure": procedure}

    confirmation = None
    if not signed_in:
        token = request.session.get(SESSION_KEY)
        confirmation = confirmed_phone(token)
        if confirmation is None:
            pending = PhoneConfirmation.objects.filter(
                token=token or "", used_at__isnull=True, confirmed_at__isnull=True
            ).first()
            return _phone_steps(request, procedure, pending, step, context)
        context["confirmed_phone"] = confirmation.phone

    if request.method == "POST" and step == "dossier":
        form = DossierForm(request.POST, request.FILES, procedure=procedure, documents=documents)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier, _created = services.submit_dossier(
                    procedure=procedure,
                    applicant=request.user if signed_in else None,
                    confirmation=confirmation,
                    name=data["name"],
                    address=data["address"],
                    id_number=data["id_number"],
                    note=data["note"],
                    agency=data.get("agency"),
                    uploads=form.checked,
                    idempotency_key=data["idempotency_key"],
                )
            except DossierActionError as exc:
                form.add_error(None, exc.message)
            else:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code})
                return _done(request, dossier)
        status = 400
    else:
        form = DossierForm(procedure=procedure, documents=documents, initial=_initial(request.user))
        status = 200
    context.update({"form": form, "step": "dossier"})
    return render(request, "publicservices/submit.html", context, status=status)


def _phone_steps(request, procedure, pending, step, context):
    """Without an account: the phone, then the code sent to it."""
    status = 200
    phone_form, code_form = PhoneForm(), CodeForm()
    if request.method == "POST" and step == "phone":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                pending = services.send_phone_code(request=request, phone=phone_form.cleaned_data["phone"])
            except DossierActionError as exc:
                phone_form.add_error("phone", exc.message)
                status = 400
            else:
                request.session[SESSION_KEY] = pending.token
                messages.info(request, _("Đã gửi mã xác thực tới số điện thoại của bạn."))
                return redirect(reverse("publicservices:submit", args=[procedure.code]))
        else:
            status = 400
    elif request.method == "POST" and step == "code" and pending is not None:
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                services.confirm_phone(token=pending.token, code=code_form.cleaned_data["code"])
            except DossierActionError as exc:
                code_form.add_error("code", exc.message)
                status = 400
            else:
                return redirect(reverse("publicservices:submit", args=[procedure.code]))
        else:
            status = 400
    elif request.method == "POST" and step == "change":
        request.session.pop(SESSION_KEY, None)
        return redirect(reverse("publicservices:submit", args=[procedure.code]))
    context.update(
        {
            "step": "code" if pending is not None else "phone",
            "pending": pending,
            "phone_form": phone_form,
            "code_form": code_form,
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        }
    )
    return render(request, "publicservices/submit.html", context, status=status)
