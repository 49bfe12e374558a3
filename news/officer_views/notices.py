from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import NoticeForm, ScheduleForm
from ..models import Delivery, Schedule, WardNotice
from .common import editor_required, form_error


@editor_required
def notices(request):
    rows = list(WardNotice.objects.prefetch_related("wards").order_by("-published_at", "-pk")[:50])
    progress = {d.source: d for d in Delivery.objects.filter(source__in=[f"news.wardnotice:{n.pk}" for n in rows])}
    for row in rows:
        row.delivery = progress.get(f"news.wardnotice:{row.pk}")
    return render(request, "news/officer/notices.html", {"notices": rows})


@editor_required
def notice_new(request):
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_notice(
                editor=request.user,
                title=data["title"],
                body=data["body"],
                ward_codes=data["wards"],
                is_urgent=data["is_urgent"],
                expires_at=data["expires_at"],
            )
        except services.NewsError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã đăng thông báo và bắt đầu gửi đến người dân các phường đã chọn."))
            return redirect("news_officer:notices")
    return render(request, "news/officer/notice_form.html", {"form": form})


@editor_required
@require_POST
def notice_withdraw(request, pk):
    try:
        services.withdraw_notice(editor=request.user, notice_id=pk)
    except services.NewsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thôi hiển thị thông báo."))
    return redirect("news_officer:notices")


@editor_required
def schedules(request):
    rows = list(Schedule.objects.select_related("ward").order_by("-starts_at", "-pk")[:100])
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_schedule(
                editor=request.user,
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                host=data["host"],
                ward_code=data["ward"] or None,
                note=data["note"],
            )
        except services.NewsError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã thêm lịch."))
            return redirect("news_officer:schedules")
    return render(request, "news/officer/schedules.html", {"schedules": rows, "form": form})


@editor_required
@require_POST
def schedule_delete(request, pk):
    if services.delete_schedule(editor=request.user, schedule_id=pk):
        messages.success(request, _("Đã xóa lịch."))
    return redirect("news_officer:schedules")
