"""Citizen pages of news: the news list and search, articles, ward notices, reception schedules
(with iCalendar), outages ahead and following one's EVN customer code. HTTP only."""

import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from government import geo
from government.models import AdministrativeUnit

from . import ical, selectors, services
from .forms import OutageFollowForm
from .home import profile_of
from .models import Article, ArticleCategory, Outage, OutageFollow, Schedule, WardNotice


def _page_url(request, cursor):
    params = request.GET.copy()
    params.pop("truoc", None)
    if cursor:
        params["truoc"] = cursor
    return f"{request.path}?{params.urlencode()}" if params else request.path


def _chosen_ward(request):
    """The ward asked for (?phuong=), else the signed-in citizen's profile ward, else None: (code, name)."""
    names = dict(geo.units_choices())
    code = str(request.GET.get("phuong", ""))[:5]
    if code in names:
        return code, names[code]
    if request.user.is_authenticated and "phuong" not in request.GET:
        ward_code, ward_name, _evn = profile_of(request)
        if ward_code:
            return ward_code, ward_name
    return None, None


def options_html(choices, selected):
    """The <option>s of a select, `selected` marked, as one string: a {% for %} over the 114 wards
    with an {% if %} in each costs the page more than its query."""
    selected = str(selected or "")
    parts = []
    for value, label in choices:
        mark = " selected" if str(value) == selected else ""
        parts.append(f'<option value="{html.escape(str(value))}"{mark}>{html.escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


def articles_html(rows):
    """The news list's <li>s from article_rows, every value escaped: written here rather than by
    a template, which spent three milliseconds on twenty rows."""
    parts = []
    for a in rows:
        picture = (
            f'<img src="{html.escape(a["thumbnail_url"])}" alt="" width="96" height="72" loading="lazy">'
            if a["thumbnail_url"]
            else ""
        )
        parts.append(
            f'<li class="news-item card">{picture}\n'
            f'    <div><h2><a href="{html.escape(a["url"])}">{html.escape(a["title"])}</a></h2>\n'
            f'    <p class="news-meta"><time datetime="{a["iso_time"]}">{a["time"]}</time> · '
            f"{html.escape(a['category_label'])}</p>\n"
            f"    <p>{html.escape(a['summary'])}</p></div></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


@require_GET
def index(request):
    filters = selectors.filters_from(request.GET)
    articles, cursor = selectors.article_rows(filters, request.GET.get("truoc"))
    units = geo.units_choices()
    ward_name = dict(units).get(filters.ward) if filters.ward else None
    return render(
        request,
        "news/index.html",
        {
            "articles": articles,
            "articles_html": articles_html(articles),
            "filters": filters,
            "category_options": options_html(ArticleCategory.choices, filters.category),
            "ward_options": options_html(units, filters.ward),
            "ward_name": ward_name,
            "has_ward_name": bool(ward_name),
            "ward_filtered": bool(filters.ward),
            "ward_rss_url": reverse("news:ward_rss", args=[filters.ward]) if filters.ward else "",
            "older_url": _page_url(request, cursor) if cursor else None,
            "newest_url": _page_url(request, None) if request.GET.get("truoc") else None,
        },
    )


@require_GET
def article(request, pk):
    item = selectors.article_for(request.user, pk)
    return render(request, "news/article.html", {"article": item, "wards": item["wards"]})


@require_GET
def picture(request, pk, size="full"):
    row = Article.objects.filter(pk=pk).only("picture", "thumbnail", "status", "published_at").first()
    if row is None or not row.is_public:
        raise Http404
    field = row.thumbnail if size == "thumb" else row.picture
    if not field:
        raise Http404
    try:
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def notices(request):
    ward_code, ward_name = _chosen_ward(request)
    rows = selectors.notices_for_ward(ward_code, limit=30) if ward_code else selectors.city_notices(20)
    return render(
        request,
        "news/notices.html",
        {
            "notices": rows,
            "ward_code": ward_code,
            "ward_name": ward_name,
            "ward_options": options_html(geo.units_choices(), ward_code),
        },
    )


@require_GET
def notice(request, pk):
    item = get_object_or_404(WardNotice.objects.current(), pk=pk)
    return render(request, "news/notice.html", {"notice": item, "wards": list(item.wards.only("code", "name"))})


@require_GET
def schedules(request):
    ward_code, ward_name = _chosen_ward(request)
    rows = selectors.schedules_ahead(ward_code, limit=50)
    return render(
        request,
        "news/schedules.html",
        {
            "schedules": rows,
            "ward_code": ward_code,
            "ward_name": ward_name,
            "ward_options": options_html(geo.units_choices(), ward_code),
        },
    )


def _ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def schedule_ics(request, pk):
    schedule = get_object_or_404(Schedule, pk=pk)
    return _ics_response(ical.calendar([schedule], name=schedule.title), f"lich-{schedule.pk}.ics")


@require_GET
def schedules_ics(request):
    code = str(request.GET.get("phuong", ""))[:5]
    ward = AdministrativeUnit.objects.filter(code=code).only("code", "name").first() if code else None
    if code and ward is None:
        raise Http404
    rows = selectors.schedules_ahead(ward.code if ward else None, limit=200)
    name = _("Lịch tiếp dân %(ward)s") % {"ward": ward.name} if ward else _("Lịch tiếp dân thành phố Hải Phòng")
    return _ics_response(ical.calendar(rows, name=name), f"lich-tiep-dan-{ward.code if ward else 'hai-phong'}.ics")


@require_GET
def outages(request):
    ward_code, ward_name = _chosen_ward(request)
    follow = None
    if request.user.is_authenticated:
        follow = OutageFollow.objects.filter(user=request.user).first()
    return render(
        request,
        "news/outages.html",
        {
            "outages": selectors.outages_ahead(ward_code, limit=50),
            "ward_code": ward_code,
            "ward_name": ward_name,
            "ward_options": options_html(geo.units_choices(), ward_code),
            "follow": follow,
        },
    )


@require_GET
def outage(request, pk):
    item = get_object_or_404(Outage.objects.select_related("company"), pk=pk)
    return render(
        request,
        "news/outage.html",
        {"outage": item, "wards": list(item.wards.only("code", "name")), "over": item.ends_at <= timezone.now()},
    )


@login_required
def outage_follow(request):
    _ward_code, ward_name, evn_code = profile_of(request)
    follow = OutageFollow.objects.filter(user=request.user).first()
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            services.stop_outage_follow(user=request.user)
            messages.success(request, _("Đã thôi theo dõi mã khách hàng điện."))
            return redirect("news:outage_follow")
        form = OutageFollowForm(request.POST)
        if form.is_valid():
            try:
                services.save_outage_follow(user=request.user, **form.cleaned_data)
            except services.NewsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Đã lưu. Bạn sẽ được báo trước một ngày khi khu vực của bạn bị cắt điện."))
                return redirect("news:outages")
    else:
        initial = {"substation": follow.substation, "street": follow.street} if follow else None
        form = OutageFollowForm(initial=initial)
    return render(
        request,
        "news/outage_follow.html",
        {"form": form, "follow": follow, "evn_code": evn_code, "ward_name": ward_name},
    )
