"""Officer pages of publicservices (under /can-bo/dich-vu-cong/): the desk's queue, a dossier and
its steps, its files and printouts, and the leaders' figures. A dossier of another agency is a 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from government.access import officer_required
from government.models import Agency, Role

from . import lists, selectors, services, stats
from .models import RUNNING, Dossier, DossierFile, DossierStatus
from .officer_forms import ApologyForm, FeesForm, FinishForm, HandOverForm, NoteForm, ReasonForm, SupplementAskForm
from .printouts import render_printout
from .services import DossierActionError
from .views import serve_file

PAGE_SIZE = 30
# A queue counts its rows up to this many: an exact count of 40,000 finished dossiers would cost
# more than the page itself, and "more than 1,000" says as much to an officer.
COUNT_CAP = 1000


class BoundedPage:
    """One page of a queue: its rows, whether there are more, and a count that stops at COUNT_CAP.

    `dossiers` is a lists.QueueRows: one query (two past the last page), its SQL compiled once per
    shape of queue. The tabs in submission order page by keyset: "Trang sau" carries the last
    row's cursor (`sau`), "Trang trước" the first row's (`truoc`), so page 1,000 reads its 31 rows
    as page 1 does; a page number alone (an older link) is read by OFFSET."""

    def __init__(self, dossiers, number, *, after=None, before=None):
        try:
            self.number = min(max(1, int(number or 1)), lists.MAX_PAGE)
        except ValueError:
            self.number = 1
        self.keyset = dossiers.keyset
        after = lists.read_cursor(after) if self.keyset and self.number > 1 else None
        before = lists.read_cursor(before) if self.keyset and self.number > 1 and after is None else None
        if after is not None:
            found, self.count = dossiers.after(after, PAGE_SIZE + 1, COUNT_CAP + 1)
        elif before is not None:
            found, self.count = dossiers.before(before, PAGE_SIZE, COUNT_CAP + 1)
        else:
            found, self.count = dossiers.page((self.number - 1) * PAGE_SIZE, PAGE_SIZE + 1, COUNT_CAP + 1)
        self.object_list = found[:PAGE_SIZE]
        # Read backwards from a row, there is that row after the page.
        self.has_next = len(found) > PAGE_SIZE or (before is not None and bool(found))
        self.has_previous = self.number > 1
        self.more_than_cap = self.count > COUNT_CAP
        self.count = min(self.count, COUNT_CAP)

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def previous_query(self):
        """The query string of "Trang trước" after the tab's filters: the page number, and for a
        keyset tab past page 2 the cursor of this page's first row."""
        query = [("trang", self.number - 1)]
        if self.keyset and self.number > 2 and self.object_list:
            query.append(("truoc", lists.queue_cursor(self.object_list[0])))
        return urlencode(query)

    def next_query(self):
        """The query string of "Trang sau": the page number, and for a keyset tab the cursor of
        this page's last row."""
        query = [("trang", self.number + 1)]
        if self.keyset and self.object_list:
            query.append(("sau", lists.queue_cursor(self.object_list[-1])))
        return urlencode(query)


TABS = {
    "moi": (gettext_lazy("Mới, chờ tiếp nhận"), (DossierStatus.NEW,), "submitted_at"),
    "dang-xu-ly": (gettext_lazy("Đang giải quyết"), RUNNING, "due_at"),
    "bo-sung": (gettext_lazy("Chờ bổ sung"), (DossierStatus.SUPPLEMENT,), "-submitted_at"),
    "tra-ket-qua": (gettext_lazy("Chờ trả kết quả"), (DossierStatus.DONE,), "finished_at"),
    "ket-thuc": (
        gettext_lazy("Đã kết thúc"),
        (DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED),
        "-submitted_at",
    ),
}


_TAB_LABELS = [(key, label) for key, (label, _statuses, _order) in TABS.items()]


def _scope(request):
    agency_ids = selectors.handling_agency_ids(request.memberships)
    if not agency_ids:
        raise Http404
    return agency_ids


def _officer_dossier(request, code):
    return get_object_or_404(
        Dossier.objects.select_related("procedure", "agency", "holder"), code=code, agency_id__in=_scope(request)
    )


@officer_required
def queue(request):
    agency_ids = _scope(request)
    tab = request.GET.get("tab", "moi")
    if tab not in TABS:
        tab = "moi"
    agencies = {m.agency_id: m.agency for m in request.memberships if m.agency_id in agency_ids}
    chosen = request.GET.get("co-quan")
    scope = [int(chosen)] if chosen and chosen.isdigit() and int(chosen) in agencies else agency_ids
    chosen = chosen if len(scope) == 1 and len(agency_ids) > 1 else ""
    agencies = sorted(agencies.values(), key=lambda a: a.name)
    _label, statuses, order = TABS[tab]
    overdue_only = request.GET.get("han") == "qua-han"
    if overdue_only:
        # Only running dossiers can be overdue. Not .overdue() on top of the tab's statuses: the
        # status condition written twice made PostgreSQL expect a hundredth of the rows and sort
        # ten thousand of them (124 ms) instead of walking the due-date index (1 ms).
        statuses = [status for status in statuses if status in RUNNING]
    kept = [("han", "qua-han")] if overdue_only else []
    dossiers = lists.QueueRows(scope, statuses, order, overdue_only=overdue_only)
    page = BoundedPage(
        dossiers, request.GET.get("trang"), after=request.GET.get("sau"), before=request.GET.get("truoc")
    )
    return render(
        request,
        "publicservices/officer/queue.html",
        {
            "tabs": lists.queue_tabs(lists.labels_once("queue tabs", _TAB_LABELS), tab, chosen),
            "tab": tab,
            "page": page,
            "caption": _caption(page),
            "rows": lists.queue_table_rows(page.object_list),
            "empty": not page.object_list,
            "several": len(agencies) > 1,
            "agency_name": agencies[0].name if len(agencies) == 1 else "",
            "agency_options": lists.options([(str(a.pk), a.name) for a in agencies], chosen),
            "overdue_only": overdue_only,
            # The pages of this tab keep its filters.
            "pager_query": urlencode([("tab", tab), *([("co-quan", chosen)] if chosen else []), *kept]),
            "previous_query": page.previous_query() if page.has_previous else "",
            "next_query": page.next_query() if page.has_next else "",
        },
    )


def _caption(page):
    """The queue table's caption, as the template's blocktranslate tags wrote it."""
    if page.more_than_cap:
        return mark_safe(_("Hơn %(count)s hồ sơ") % {"count": page.count})  # noqa: S308 - a number in a msgstr
    text = ngettext("%(counter)s hồ sơ", "%(counter)s hồ sơ", page.count) % {"counter": page.count}
    return mark_safe(text)  # noqa: S308 - a number in a msgstr


def _officers_of(agency_id):
    return (
        get_user_model()
        .objects.filter(
            memberships__agency_id=agency_id,
            memberships__is_active=True,
            memberships__role__in=[Role.OFFICER, Role.LEADER],
        )
        .distinct()
        .order_by("full_name", "username")
    )


@officer_required
def detail(request, code, forms=None):
    dossier = _officer_dossier(request, code)
    events = selectors.timeline(dossier)
    files = selectors.files_of(dossier)
    forms = forms or {}
    status = dossier.status
    available = {}
    if status == DossierStatus.NEW:
        available = {"receive": NoteForm(), "supplement": SupplementAskForm(), "refuse": ReasonForm()}
    elif status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
        available = {
            "hand-over": HandOverForm(officers=_officers_of(dossier.agency_id)),
            "supplement": SupplementAskForm(),
            "fees": FeesForm(),
            "finish": FinishForm(),
            "apology": ApologyForm(),
            "stop": ReasonForm(),
        }
    elif status == DossierStatus.FEES:
        available = {"fees-paid": NoteForm(), "apology": ApologyForm(), "stop": ReasonForm()}
    elif status == DossierStatus.SUPPLEMENT:
        available = {"refuse": ReasonForm(), "stop": ReasonForm()}
    elif status == DossierStatus.DONE:
        available = {"return": NoteForm()}
    if dossier.apologised:
        available.pop("apology", None)
    available.update({name: form for name, form in forms.items() if name in available})
    return render(
        request,
        "publicservices/officer/detail.html",
        {
            "dossier": dossier,
            "events": events,
            "files": files,
            "forms": available,
            "asked": selectors.supplement_request(events),
            "printouts": _printouts(events),
        },
        status=400 if forms else 200,
    )


def _printouts(events):
    from .printouts import FORMS

    kinds = {event.kind for event in events}
    return [(slug, number, title) for slug, (number, title, kind) in FORMS.items() if kind in kinds]


ACTIONS = {
    "receive": (
        NoteForm,
        lambda d, u, data: services.receive(dossier=d, officer=u, note=data["note"]),
        gettext_lazy("Đã tiếp nhận hồ sơ."),
    ),
    "supplement": (
        SupplementAskForm,
        lambda d, u, data: services.ask_supplement(dossier=d, officer=u, items=data["items"], note=data["note"]),
        gettext_lazy("Đã gửi yêu cầu bổ sung."),
    ),
    "refuse": (
        ReasonForm,
        lambda d, u, data: services.refuse(dossier=d, officer=u, reason=data["reason"]),
        gettext_lazy("Đã từ chối tiếp nhận."),
    ),
    "hand-over": (
        HandOverForm,
        lambda d, u, data: services.hand_over(
            dossier=d, officer=u, to_officer=data["to_officer"], unit=data["unit"], note=data["note"]
        ),
        gettext_lazy("Đã chuyển xử lý."),
    ),
    "fees": (
        FeesForm,
        lambda d, u, data: services.ask_fees(dossier=d, officer=u, amount=data["amount"], note=data["note"]),
        gettext_lazy("Đã gửi yêu cầu nộp phí."),
    ),
    "fees-paid": (
        NoteForm,
        lambda d, u, data: services.fees_paid(dossier=d, officer=u),
        gettext_lazy("Đã ghi nhận nộp phí."),
    ),
    "finish": (
        FinishForm,
        lambda d, u, data: services.finish(
            dossier=d, officer=u, result_note=data["result_note"], result_file=data["result_file"]
        ),
        gettext_lazy("Đã ghi nhận xử lý xong."),
    ),
    "return": (
        NoteForm,
        lambda d, u, data: services.return_result(dossier=d, officer=u),
        gettext_lazy("Đã trả kết quả."),
    ),
    "apology": (
        ApologyForm,
        lambda d, u, data: services.apologise(dossier=d, officer=u, reason=data["reason"], new_due=data["new_due"]),
        gettext_lazy("Đã gửi phiếu xin lỗi và hẹn lại."),
    ),
    "stop": (
        ReasonForm,
        lambda d, u, data: services.stop(dossier=d, officer=u, reason=data["reason"]),
        gettext_lazy("Đã dừng xử lý."),
    ),
}


@officer_required
@require_POST
def act(request, code, action):
    if action not in ACTIONS:
        raise Http404
    dossier = _officer_dossier(request, code)
    form_class, run, done = ACTIONS[action]
    kwargs = {"officers": _officers_of(dossier.agency_id)} if form_class is HandOverForm else {}
    form = form_class(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        messages.error(request, _("Vui lòng sửa các mục được đánh dấu."))
        return detail(request, code, forms={action: form})
    try:
        run(dossier, request.user, form.cleaned_data)
    except DossierActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("publicservices_officer:dossier", code=dossier.code)


@officer_required
def officer_file(request, code, token):
    dossier = _officer_dossier(request, code)
    row = DossierFile.objects.filter(dossier=dossier, token=token).select_related("dossier").first()
    if row is None:
        raise Http404
    return serve_file(row)


@officer_required
def officer_printout(request, code, form):
    return render_printout(request, _officer_dossier(request, code), form)


@officer_required
def figures(request):
    """Leaders: their agencies' figures and each officer's ratings (never who rated)."""
    agency_ids = selectors.led_agency_ids(request.memberships)
    if not agency_ids:
        raise Http404
    numbers = stats.agency_figures(agency_ids)
    agencies = Agency.objects.filter(pk__in=agency_ids).only("pk", "name", "slug").order_by("name")
    officers = stats.officer_figures(agency_ids)
    rows = [
        {
            "agency": agency,
            "figures": numbers.get(agency.pk),
            "officers": [o for o in officers if o["agency_id"] == agency.pk],
        }
        for agency in agencies
    ]
    return render(request, "publicservices/officer/figures.html", {"rows": rows})
