"""Citizen pages of PAKN (phản ánh, kiến nghị): file a report, the public feed, a report's page,
one's own and followed reports, notices. HTTP only: reads in selectors, writes in services."""

import re
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from government import geo

from . import pagecache, selectors, services
from . import photos as photo_pipeline
from .forms import FeedFilterForm, RatingForm, ReopenForm, ReportForm, active_categories, active_urgencies
from .models import AnswerStatus, Category, PhotoKind, ReportStatus


def _map_settings():
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _page_url(request, cursor):
    """This list with the same filters, from `cursor` on (None: the newest page)."""
    params = request.GET.copy()
    params.pop("truoc", None)
    if cursor:
        params["truoc"] = cursor
    return f"{request.path}?{params.urlencode()}" if params else request.path


# Each row of a list starts with this; titles and names are escaped, so no data can contain it.
_ROW_START = re.compile(r'(?=<li class="report-item")')


def _render_rows(reports):
    """The HTML of each listed report, rendered in one go (a template render per row cost more
    than the row) and cut at the start of each row."""
    if not reports:
        return []
    html = render_to_string("feedback/_report_items.html", {"reports": reports})
    rows = [part for part in _ROW_START.split(html) if part]
    if len(rows) != len(reports):
        raise ValueError(f"feedback/_report_items.html gave {len(rows)} rows for {len(reports)} reports")
    return rows


@require_GET
def feed(request):
    """The public feed: newest first, filters, diacritics-blind search, keyset pages. Its body is the
    same for everyone, so it is cached briefly (feedback.pagecache)."""

    def render_body():
        form = FeedFilterForm(request.GET, categories=selectors.feed_categories())
        filters = form.filters()
        reports, cursor = selectors.public_feed(
            filters, request.GET.get("truoc"), unit_names=form.unit_choices, category_names=form.category_names
        )
        filtered = any([filters.category_ids, filters.unit_code, filters.status, filters.period, filters.query])
        context = {
            "query": filters.query,
            "options": form.options_html(),
            "reports": reports,
            "older_url": _page_url(request, cursor) if cursor else None,
            "newest_url": _page_url(request, None) if request.GET.get("truoc") else None,
            "filtered": filtered,
            **_map_settings(),
        }

        def draw():
            rows = pagecache.cached_rows(reports, _render_rows)
            context["rows_html"] = mark_safe("".join(rows))  # noqa: S308 - our own HTML
            return render_to_string("feedback/_feed_body.html", context)

        # After another report's save, this list is most often what it was: the same rows at the
        # same versions, the same filters. Its body is then taken whole from the cache.
        return pagecache.cached_feed_body(context, pagecache.row_keys(reports), draw)

    body = pagecache.cached_html(pagecache.feed_key(request.GET), render_body)
    return render(request, "feedback/feed.html", {"body": mark_safe(body)})  # noqa: S308 - our own HTML


@login_required
def submit(request):
    """File a report. The form carries an idempotency key: sending it twice files one report."""
    categories, urgencies = active_categories(), active_urgencies()
    if request.method == "POST":
        existing = services.find_submission(request.user, request.POST.get("idempotency_key"))
        if existing is not None:
            return redirect(existing)
        form = ReportForm(request.POST, request.FILES, categories=categories, urgencies=urgencies)
        if form.is_valid():
            try:
                report, created = services.submit_report(reporter=request.user, **form.submit_arguments())
            except services.ReportActionError as exc:
                form.add_error(None, exc.message)
            else:
                if created:
                    messages.success(
                        request,
                        _("Đã gửi phản ánh. Mã theo dõi của bạn là %(code)s; chúng tôi sẽ báo qua tin nhắn.")
                        % {"code": report.code},
                    )
                return redirect(report)
    else:
        form = ReportForm(categories=categories, urgencies=urgencies)
    return render(
        request,
        "feedback/submit.html",
        {"form": form, "map_center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"], **_map_settings()},
    )


def detail(request, code):
    """A report's page: photos, place, timeline, answers; rating and reopening for the reporter.
    Private reports are a 404 to everyone but the reporter and the handling agency.

    The body of a public report is the same for every viewer but the reporter (who also sees
    photos an officer hid): it is cached briefly (feedback.pagecache), and a cache hit needs no
    query to know the report may be shown. After another report's save, the body kept under this
    report's own version spares all but the query that finds it."""
    user = request.user
    cached = pagecache.get_public_report(code)
    if cached is not None and not (user.is_authenticated and cached["reporter_id"] == user.pk):
        shell = SimpleNamespace(pk=cached["pk"], code=cached["code"], title=cached["title"], lat=cached["lat"])
        context = {
            "body": mark_safe(cached["html"]),  # noqa: S308 - our own HTML
            "report": shell,
            "is_reporter": False,
            "following": selectors.follows(user, shell),
        }
        return render(request, "feedback/detail.html", context)

    report = selectors.report_for(user, code)
    is_reporter = user.is_authenticated and report.reporter_id == user.pk
    public = not is_reporter and selectors.is_public(report)
    # Another report's save made the generation's copy stale, not this one's: its own is kept.
    body = pagecache.get_report_body(report) if public else None
    if body is None:
        page = selectors.report_page(report, with_hidden_photos=is_reporter)
        body = render_to_string("feedback/_detail_body.html", {"report": page.report, "page": page, **_map_settings()})
        if public:
            pagecache.store_report_body(report, body)
    if public:
        pagecache.store_public_report(report, body)
    context = {"body": mark_safe(body), "report": report, "is_reporter": is_reporter}  # noqa: S308 - our own HTML
    if is_reporter:
        latest = page.answers[-1] if page.answers else None
        can_rate = (
            latest is not None
            and report.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED)
            and not hasattr(latest, "rating")
        )
        context.update(
            latest_answer=latest,
            rating_form=RatingForm() if can_rate else None,
            reopen_form=ReopenForm(initial={"version": report.version}) if services.can_reopen(report) else None,
        )
    else:
        context["following"] = selectors.follows(user, report)
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def follow(request, code):
    report = selectors.report_for(request.user, code)
    if request.POST.get("action") == "unfollow":
        services.unfollow_report(report=report, user=request.user)
        messages.success(request, _("Đã bỏ theo dõi phản ánh %(code)s.") % {"code": report.code})
    elif report.reporter_id == request.user.pk:
        messages.info(request, _("Bạn là người gửi phản ánh này nên đã được thông báo mọi bước xử lý."))
    else:
        services.follow_report(report=report, user=request.user)
        messages.success(
            request, _("Bạn sẽ được thông báo khi phản ánh %(code)s có tiến triển.") % {"code": report.code}
        )
    return redirect(report)


@login_required
@require_POST
def rate(request, code):
    report = selectors.report_for(request.user, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn mức độ hài lòng."))
        return redirect(report)
    try:
        services.rate_answer(
            report_id=report.pk,
            user=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except services.ReportActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá trả lời."))
    return redirect(report)


@login_required
@require_POST
def reopen(request, code):
    report = selectors.report_for(request.user, code)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng cho biết vì sao vấn đề chưa được giải quyết (10 đến 2000 ký tự)."))
        return redirect(report)
    try:
        services.reopen_report(
            report_id=report.pk,
            user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
    except services.ReportActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã mở lại phản ánh; cơ quan xử lý sẽ xem xét lại."))
    return redirect(report)


@require_GET
def photo(request, code, pk, size="full"):
    """A stored (re-encoded) photo, only to those who may see the report; never the original upload."""
    report = selectors.report_for(request.user, code)
    item = report.photos.filter(pk=pk).select_related("answer").first()
    if item is None:
        raise Http404
    if item.kind == PhotoKind.ANSWER and (item.answer is None or item.answer.status != AnswerStatus.PUBLISHED):
        raise Http404
    if item.is_hidden and not selectors.sees_hidden_photos(request.user, report):
        raise Http404
    return photo_pipeline.serve(item, size)


@login_required
def mine(request):
    """The citizen's own reports, and those they follow."""
    following = request.GET.get("tab") == "theo-doi"
    if following:
        reports, cursor = selectors.followed_reports(request.user, request.GET.get("truoc"))
    else:
        reports, cursor = selectors.own_reports(request.user, request.GET.get("truoc"))
    return render(
        request,
        "feedback/mine.html",
        {"reports": reports, "following": following, "older_url": _page_url(request, cursor) if cursor else None},
    )


# --- Small JSON helpers for the report form's script (the form works without them) -------------


def _point(request):
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


@require_GET
def locate(request):
    """The ward at a map point, or a message when the point is outside the city."""
    point = _point(request)
    unit = geo.unit_at(*point) if point else None
    if unit is None:
        return JsonResponse(
            {
                "outside": True,
                "message": _(
                    "Vị trí đã chọn nằm ngoài thành phố Hải Phòng. Vui lòng đánh dấu một điểm trong thành phố."
                ),
            }
        )
    return JsonResponse({"outside": False, "code": unit.code, "name": unit.name})


@require_GET
def nearby(request):
    """Open reports of the same category within 250 m: "is this already reported?"."""
    point = _point(request)
    category_id = request.GET.get("category", "")
    # Not a category's number (letters, a NUL, a number past the column): nothing is near.
    category = (
        Category.objects.filter(pk=int(category_id), is_active=True).first()
        if category_id.isascii() and category_id.isdigit() and len(category_id) <= 9
        else None
    )
    if point is None or category is None:
        return JsonResponse({"reports": []})
    found = selectors.nearby_open(lat=point[0], lng=point[1], category=category, user=request.user)
    return JsonResponse(
        {
            "reports": [
                {
                    "code": report.code,
                    "title": report.title,
                    "status": str(report.get_status_display()),
                    "distance_m": report.distance_m,
                    "url": report.get_absolute_url(),
                }
                for report in found
            ]
        }
    )


@login_required
@require_POST
def photo_location(request):
    """The EXIF GPS position of a photo, read from its headers, to suggest a pin; nothing is kept."""
    upload = request.FILES.get("photo")
    if upload is None or upload.size > photo_pipeline.MAX_UPLOAD_BYTES:
        return JsonResponse({"gps": None})
    try:
        gps = photo_pipeline.read_gps(upload)
    except photo_pipeline.PhotoError:
        gps = None
    if gps is not None and geo.unit_at(*gps) is None:
        gps = None  # a photo taken elsewhere is no hint for a report in the city
    return JsonResponse({"gps": {"lat": gps[0], "lng": gps[1]} if gps else None})
