"""A report's workspace: what the officer sees of it, and every action taken from it."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from government.models import AdministrativeUnit, Agency, AgencyKind, Membership

from .. import deadlines, services
from .. import photos as photo_pipeline
from ..models import (
    Answer,
    AnswerStatus,
    AnswerTemplate,
    Category,
    EventKind,
    ReportPhoto,
    ReportStatus,
)
from ..officer_access import HANDLER_ROLES, reports_for
from .common import (
    _workspace_report,
    pakn_required,
)


def _transfer_deadline(report, events):
    """The 5-working-day limit to send the report back, from when it reached its agency."""
    if report.status not in (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS):
        return None
    received = report.routed_at or report.created_at
    for event in events:
        if event.kind in (EventKind.ROUTED, EventKind.TRANSFERRED) and event.agency_id == report.agency_id:
            received = event.created_at
    return deadlines.transfer_deadline(received)


@pakn_required
def workspace(request, code):
    """One report: its content, deadlines, timeline (internal steps included), and the actions this
    person may take in its present state."""
    roles = request.pakn
    report = _workspace_report(request, code)
    photos = list(ReportPhoto.objects.filter(report=report))
    answers = list(Answer.objects.filter(report=report).select_related("author", "approved_by"))
    for answer in answers:
        answer.photo_list = [photo for photo in photos if photo.answer_id == answer.pk]
    events = list(report.events.select_related("actor", "agency"))
    handler = roles.works_at(report.agency_id)
    leader = roles.leads(report.agency_id)
    working = next((a for a in reversed(answers) if a.status in (AnswerStatus.DRAFT, AnswerStatus.SENT_BACK)), None)
    pending = next((a for a in answers if a.status == AnswerStatus.PENDING), None)

    answer_text = working.text if working else ""
    templates = []
    if handler and report.status in services.ANSWERING:
        templates = list(
            AnswerTemplate.objects.filter(
                Q(category_id__in=[report.category_id, report.category.parent_id]) | Q(category__isnull=True),
                Q(agency=report.agency) | Q(agency__isnull=True),
            )
        )
        chosen = next((t for t in templates if str(t.pk) == request.GET.get("mau")), None)
        if chosen is not None:
            answer_text = chosen.body
    officers = []
    if leader and report.status in services.AGENCY_OPEN:
        officers = list(
            {
                m.user_id: m.user
                for m in Membership.objects.active()
                .filter(agency=report.agency, role__in=HANDLER_ROLES)
                .select_related("user")
                .order_by("user__full_name", "user__username")
            }.values()
        )
    agencies = []
    if roles.is_operator and report.status in services.CENTRE_OPEN:
        agencies = list(
            Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.HOTLINE).only("pk", "name").order_by("name")
        )
    state = deadlines.deadline_state(report)
    open_for_agency = handler and report.merged_into_id is None
    return render(
        request,
        "feedback/officer/workspace.html",
        {
            "roles": roles,
            "report": report,
            "report_photos": [p for p in photos if p.answer_id is None],
            "answers": answers,
            "working_answer": working,
            "pending_answer": pending,
            "answer_text": answer_text,
            "templates": templates,
            "events": events,
            "officers": officers,
            "agencies": agencies,
            "deadline": state,
            "transfer_due_at": _transfer_deadline(report, events) if handler else None,
            "shows_identity": roles.sees_identity(report),
            "needs_answer_photo": services._needs_answer_photo(report.category),
            "photo_accept": photo_pipeline.ACCEPT_ATTRIBUTE,
            "can": {
                "accept": open_for_agency and report.status == ReportStatus.ASSIGNED,
                "assign": leader and report.merged_into_id is None and report.status in services.AGENCY_OPEN,
                "answer": open_for_agency and report.status in services.ANSWERING and pending is None,
                "approve": leader and pending is not None and report.status in services.ANSWERING,
                "reject": report.merged_into_id is None
                and (
                    (roles.is_operator and report.status in services.CENTRE_OPEN)
                    or (handler and report.status in services.AGENCY_OPEN)
                ),
                "return": open_for_agency and report.status in (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS),
                "route": roles.is_operator and report.status in services.CENTRE_OPEN and report.merged_into_id is None,
                "merge": report.merged_into_id is None and report.status in services.CENTRE_OPEN,
                "correct": report.merged_into_id is None and report.status in services.CENTRE_OPEN,
                "close": report.status == ReportStatus.ANSWERED,
            },
        },
    )


def _version(request):
    value = request.POST.get("version", "")
    if not value.isdigit():
        raise services.ReportActionError(_("Biểu mẫu đã cũ. Vui lòng tải lại trang."))
    return int(value)


def _act_accept(request, report):
    services.accept_report(report_id=report.pk, actor=request.user, expected_version=_version(request))
    return _("Đã tiếp nhận phản ánh.")


def _act_assign(request, report):
    services.assign_officer(
        report_id=report.pk,
        actor=request.user,
        officer_id=request.POST.get("officer", ""),
        expected_version=_version(request),
    )
    return _("Đã giao cán bộ xử lý.")


def _act_note(request, report):
    services.add_internal_note(report_id=report.pk, actor=request.user, text=request.POST.get("text", ""))
    return _("Đã thêm ghi chú nội bộ.")


def _act_answer(request, report):
    submit = request.POST.get("submit") == "1"
    answer = services.save_answer(
        report_id=report.pk,
        actor=request.user,
        text=request.POST.get("text", ""),
        photos=request.FILES.getlist("photos"),
        submit=submit,
        expected_version=_version(request),
    )
    if not submit:
        return _("Đã lưu bản nháp trả lời.")
    if answer.status == AnswerStatus.PENDING:
        return _("Đã gửi trả lời cho lãnh đạo duyệt.")
    return _("Đã công bố trả lời.")


def _act_approve(request, report):
    services.approve_answer(
        report_id=report.pk,
        actor=request.user,
        text=request.POST.get("text"),
        expected_version=_version(request),
    )
    return _("Đã duyệt và công bố trả lời.")


def _act_send_back(request, report):
    services.send_back_answer(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã trả lại bản trả lời để sửa.")


def _act_reject(request, report):
    services.reject_report(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã từ chối tiếp nhận phản ánh.")


def _act_return(request, report):
    services.return_to_centre(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã trả lại phản ánh cho Trung tâm 1022.")


def _act_route(request, report):
    services.route_to_agency(
        report_id=report.pk,
        actor=request.user,
        agency_id=request.POST.get("agency", ""),
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã chuyển phản ánh cho cơ quan xử lý.")


def _act_merge(request, report):
    services.merge_duplicate(
        report_id=report.pk,
        actor=request.user,
        original_code=request.POST.get("original", ""),
        expected_version=_version(request),
    )
    return _("Đã gộp phản ánh trùng.")


def _act_hide_photo(request, report):
    services.set_photo_hidden(
        report_id=report.pk,
        actor=request.user,
        photo_id=int(request.POST["photo"]) if request.POST.get("photo", "").isdigit() else 0,
        hidden=request.POST.get("hidden") == "1",
        expected_version=_version(request),
    )
    return _("Đã cập nhật ảnh.")


def _act_blur_photo(request, report):
    photo = request.POST.get("photo", "")
    services.blur_photo(
        report_id=report.pk,
        actor=request.user,
        photo_id=int(photo) if photo.isdigit() else 0,
        box=[request.POST.get(key, "") for key in ("left", "top", "width", "height")],
        expected_version=_version(request),
    )
    return _("Đã làm mờ vùng đã chọn của ảnh.")


def _act_close(request, report):
    services.close_report(report_id=report.pk, actor=request.user, expected_version=_version(request))
    return _("Đã đóng phản ánh.")


ACTIONS = {
    "tiep-nhan": _act_accept,
    "giao-can-bo": _act_assign,
    "ghi-chu": _act_note,
    "tra-loi": _act_answer,
    "duyet": _act_approve,
    "yeu-cau-sua": _act_send_back,
    "tu-choi": _act_reject,
    "tra-lai-1022": _act_return,
    "chuyen-co-quan": _act_route,
    "gop": _act_merge,
    "an-anh": _act_hide_photo,
    "lam-mo-anh": _act_blur_photo,
    "dong": _act_close,
}


def _after_action(request, report):
    """Back to the workspace, or to the queue when the report has left this person's sight."""
    if reports_for(request.pakn).filter(pk=report.pk).exists():
        return redirect("feedback_officer:workspace", code=report.code)
    return redirect("feedback_officer:queue")


@require_POST
@pakn_required
def act(request, code, action):
    """Run one workspace action. A refusal (stale screen, wrong state, bad input) is shown as a
    message on the fresh workspace, and nothing has changed."""
    report = _workspace_report(request, code)
    handler = ACTIONS[action]
    try:
        done = handler(request, report)
    except services.ReportActionError as exc:
        messages.error(request, exc.message)
        return redirect("feedback_officer:workspace", code=report.code)
    messages.success(request, done)
    return _after_action(request, report)


@pakn_required
def correct(request, code):
    """Correct a report's category or place; the routing rules may send it to another agency."""
    report = _workspace_report(request, code)
    if report.merged_into_id or report.status not in services.CENTRE_OPEN:
        raise Http404
    if request.method == "POST":
        try:
            services.correct_report(
                report_id=report.pk,
                actor=request.user,
                category_id=request.POST.get("category") or None,
                unit_code=request.POST.get("unit") or None,
                address=request.POST.get("address"),
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
        except services.ReportActionError as exc:
            messages.error(request, exc.message)
            return redirect("feedback_officer:correct", code=report.code)
        messages.success(request, _("Đã sửa thông tin phản ánh."))
        return _after_action(request, report)
    return render(
        request,
        "feedback/officer/correct.html",
        {
            "roles": request.pakn,
            "report": report,
            "categories": Category.objects.filter(is_active=True).select_related("parent"),
            "units": AdministrativeUnit.objects.only("code", "name"),
        },
    )


@pakn_required
def redact(request, code):
    """Edit the public text of a report and hide or blur its photos before publication."""
    report = _workspace_report(request, code)
    if request.method == "POST":
        try:
            services.redact_report(
                report_id=report.pk,
                actor=request.user,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
        except services.ReportActionError as exc:
            messages.error(request, exc.message)
            return redirect("feedback_officer:redact", code=report.code)
        messages.success(request, _("Đã biên tập nội dung phản ánh."))
        return redirect("feedback_officer:workspace", code=report.code)
    return render(
        request,
        "feedback/officer/redact.html",
        {"roles": request.pakn, "report": report, "photos": list(ReportPhoto.objects.filter(report=report))},
    )
