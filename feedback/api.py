"""REST API v1 of PAKN reports, mounted under /api/v1/ by smarthp.api_urls.

The same reads (feedback.selectors, scoped to the user asking) and writes (feedback.services) as
the pages; input is validated by the pages' own forms (feedback.forms), so a rule and its message
live in one place. Filing takes an `Idempotency-Key` header: the same key files one report.

    GET  report-categories/, report-urgencies/
    GET  reports/                      the public feed (q, category, unit, status, period, cursor)
    POST reports/                      file a report (multipart with photos, or JSON without)
    GET  reports/mine/, reports/followed/
    GET  reports/{code}/               a report as its page shows it to the user asking
    POST/DELETE reports/{code}/follow/
    POST reports/{code}/rating/, reports/{code}/reopen/
    GET  reports/{code}/photos/{id}/   a stored photo (?size=thumb)
"""

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from smarthp import api

from . import photos as photo_pipeline
from . import selectors, services
from .forms import FeedFilterForm, RatingForm, ReopenForm, ReportForm
from .models import AnswerStatus, Channel, PhotoKind, ReportStatus, Satisfaction
from .urls import CODE

# --- Serializers ---------------------------------------------------------------------------------


def _photo_url(request, code, pk, *, thumb=False):
    path = f"/api/v1/reports/{code}/photos/{pk}/" + ("?size=thumb" if thumb else "")
    return request.build_absolute_uri(path)


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    selectable = serializers.SerializerMethodField(help_text="Whether a report can be filed under it.")

    def get_selectable(self, category) -> bool:
        # A top-level category with sub-categories is a heading (feedback.forms.ReportForm).
        return bool(category.parent_id or not category.children_ids)


class UrgencySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField()
    level = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    """A report as a list shows it (the feed, my reports)."""

    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    category = serializers.CharField(source="category_name")
    category_slug = serializers.CharField()
    category_id = serializers.IntegerField()
    ward = serializers.CharField(source="unit_name")
    ward_code = serializers.CharField(source="unit_id")
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)
    is_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    thumbnail_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField(help_text="The report's page on the portal.")

    def get_thumbnail_url(self, report) -> str | None:
        photos = getattr(report, "public_photos", None)
        if not photos:
            return None
        return _photo_url(self.context["request"], report.code, photos[0].pk, thumb=True)

    def get_web_url(self, report) -> str:
        return self.context["request"].build_absolute_uri(f"/phan-anh/{report.code}/")


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        return _photo_url(self.context["request"], self.context["code"], photo.pk)

    def get_thumbnail_url(self, photo) -> str:
        return _photo_url(self.context["request"], self.context["code"], photo.pk, thumb=True)


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    message = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class RatingSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=Satisfaction.choices)
    label = serializers.CharField(source="get_score_display")
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    text = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    photos = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, answer):
        return PhotoSerializer(answer.public_photos, many=True, context=self.context).data

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, answer):
        rating = answer.rating if hasattr(answer, "rating") else None
        return RatingSerializer(rating).data if rating is not None else None


class ReportDetailSerializer(ReportSerializer):
    """A report as its page shows it to the user asking (`report_page` gives the rest)."""

    description = serializers.CharField()
    agency = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text="Send it back with reopen: a stale screen cannot act twice.")
    follower_count = serializers.IntegerField()
    photos = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    is_reporter = serializers.SerializerMethodField()
    following = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()
    can_reopen = serializers.SerializerMethodField()

    def get_agency(self, report) -> str | None:
        if report.agency_id is None or report.status == ReportStatus.SUBMITTED:
            return None
        return report.agency.name

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, report):
        return PhotoSerializer(
            self.context["page"].photos, many=True, context={**self.context, "code": report.code}
        ).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, report):
        return EventSerializer(self.context["page"].events, many=True).data

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, report):
        return AnswerSerializer(
            self.context["page"].answers, many=True, context={**self.context, "code": report.code}
        ).data

    def get_is_reporter(self, report) -> bool:
        return self.context["is_reporter"]

    def get_following(self, report) -> bool:
        return self.context["following"]

    def get_can_rate(self, report) -> bool:
        answers = self.context["page"].answers
        return bool(
            self.context["is_reporter"]
            and answers
            and report.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED)
            and not hasattr(answers[-1], "rating")
        )

    def get_can_reopen(self, report) -> bool:
        return bool(self.context["is_reporter"] and services.can_reopen(report))


def report_response(request, report, *, status_code=status.HTTP_200_OK, headers=None):
    """A report in full, read again for the user asking (after a write, its new state)."""
    user = request.user
    report = selectors.report_for(user, report.code if not isinstance(report, str) else report)
    is_reporter = bool(user.is_authenticated and report.reporter_id == user.pk)
    page = selectors.report_page(report, with_hidden_photos=is_reporter)
    selectors.prepare_rows([report])
    report.public_photos = page.photos
    context = {
        "request": request,
        "page": page,
        "is_reporter": is_reporter,
        "following": (not is_reporter) and selectors.follows(user, report),
    }
    return Response(ReportDetailSerializer(report, context=context).data, status=status_code, headers=headers)


# --- Views ---------------------------------------------------------------------------------------

REPORT_ERRORS = api.errors(api.READ_ERRORS, api.NOT_FOUND)
ACTION_ERRORS = api.errors(
    api.COMMON_ERRORS,
    api.BAD_REQUEST,
    api.NOT_FOUND,
    {409: OpenApiResponse(api.ErrorSerializer, description="Not possible now: `message` says why.")},
)


def _action_error(exc):
    return api.ApiError(exc.message, code="not_allowed", status_code=status.HTTP_409_CONFLICT)


FEED_PARAMETERS = [
    OpenApiParameter("q", str, description='Words to find (diacritics ignored: "duong" finds "đường").'),
    OpenApiParameter("category", str, description="A category id (its sub-categories included)."),
    OpenApiParameter("unit", str, description="A ward's official code (e.g. 11383)."),
    OpenApiParameter("status", str, enum=list(selectors.STATUS_GROUPS), description="Being handled, answered, closed."),
    OpenApiParameter("period", str, enum=list(selectors.PERIOD_DAYS), description="The last 7, 30 or 365 days."),
    api.CURSOR_PARAMETER,
]


def _cursor(request):
    cursor = request.query_params.get("cursor") or None
    if cursor and selectors.parse_cursor(cursor) is None:
        raise api.ApiError(_("cursor không hợp lệ: hãy dùng liên kết `next` của trang trước."), code="invalid_cursor")
    return cursor


class CategoryList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["reports"], summary="Report categories", responses={200: CategorySerializer(many=True), **api.READ_ERRORS}
    )
    def get(self, request):
        return Response(CategorySerializer(selectors.active_categories(), many=True).data)


class UrgencyList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["reports"], summary="Urgency levels", responses={200: UrgencySerializer(many=True), **api.READ_ERRORS}
    )
    def get(self, request):
        return Response(UrgencySerializer(selectors.active_urgencies(), many=True).data)


REPORT_INPUT = api.form_serializer(
    ReportForm,
    name="ReportInput",
    exclude=("idempotency_key",),
    extra={
        "category": serializers.CharField(help_text="A selectable category's id (or its slug)."),
        "unit": serializers.CharField(required=False, help_text="A ward's code; without it, the ward at lat/lng."),
        "urgency": serializers.CharField(required=False, help_text="An urgency id; empty for normal."),
        "visibility": serializers.ChoiceField(
            choices=["public", "private"], required=False, help_text="public (default) or private."
        ),
    },
)


class ReportList(APIView):
    """The public feed (GET), and filing a report (POST)."""

    throttle_classes = [api.ClientRateThrottle, api.UserRateThrottle, api.WriteRateThrottle]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        tags=["reports"],
        summary="The public feed",
        operation_id="reports_feed",
        parameters=FEED_PARAMETERS,
        responses={200: api.page_serializer(ReportSerializer), **api.BAD_REQUEST, **api.READ_ERRORS},
    )
    def get(self, request):
        cursor = _cursor(request)
        form = FeedFilterForm(request.query_params, categories=selectors.feed_categories())
        rows, next_cursor = selectors.public_feed(
            form.filters(), cursor, unit_names=form.unit_choices, category_names=form.category_names
        )
        return api.page_response(request, rows, next_cursor, ReportSerializer)

    @extend_schema(
        tags=["reports"],
        summary="File a report",
        description=(
            "As the portal's form: multipart/form-data with up to five `photos` (JPEG, PNG, WEBP, HEIC; "
            "re-encoded, their metadata stripped), or JSON without photos. A map point (lat, lng) "
            "inside the city, or a ward (unit), is required. 201 with the new report; 200 with the "
            "first one when the same Idempotency-Key was used before."
        ),
        parameters=[api.IDEMPOTENCY_PARAMETER],
        request={"multipart/form-data": REPORT_INPUT, "application/json": REPORT_INPUT},
        responses={
            201: ReportDetailSerializer,
            200: OpenApiResponse(ReportDetailSerializer, description="Filed before with this Idempotency-Key."),
            **api.errors(api.COMMON_ERRORS, api.BAD_REQUEST),
        },
    )
    def post(self, request):
        key, given = api.idempotency_key(request)
        existing = services.find_submission(request.user, key) if given else None
        if existing is not None:
            return report_response(request, existing, headers={"Idempotent-Replayed": "true"})
        data = api.form_fields(request)
        data["idempotency_key"] = key
        data.setdefault("visibility", "public")
        categories, urgencies = selectors.active_categories(), selectors.active_urgencies()
        by_slug = {category.slug: str(category.pk) for category in categories}
        if data.get("category") in by_slug:
            data["category"] = by_slug[data["category"]]
        form = ReportForm(data, request.FILES, categories=categories, urgencies=urgencies)
        if not form.is_valid():
            raise api.form_errors(form)
        try:
            report, created = services.submit_report(
                reporter=request.user, channel=Channel.API, **form.submit_arguments()
            )
        except services.ReportActionError as exc:
            raise api.ApiError(exc.message) from exc
        if not created:
            return report_response(request, report, headers={"Idempotent-Replayed": "true"})
        return report_response(request, report, status_code=status.HTTP_201_CREATED)


class MyReports(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="My reports",
        parameters=[api.CURSOR_PARAMETER],
        responses={200: api.page_serializer(ReportSerializer), **api.BAD_REQUEST, **api.COMMON_ERRORS},
    )
    def get(self, request):
        rows, next_cursor = selectors.own_reports(request.user, _cursor(request))
        return api.page_response(request, rows, next_cursor, ReportSerializer)


class FollowedReports(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="Reports I follow",
        parameters=[api.CURSOR_PARAMETER],
        responses={200: api.page_serializer(ReportSerializer), **api.BAD_REQUEST, **api.COMMON_ERRORS},
    )
    def get(self, request):
        rows, next_cursor = selectors.followed_reports(request.user, _cursor(request))
        return api.page_response(request, rows, next_cursor, ReportSerializer)


class ReportDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["reports"], summary="A report", responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    def get(self, request, code):
        return report_response(request, code)


FollowSerializer = inline_serializer("Following", {"following": serializers.BooleanField()})


class Follow(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"], summary="Follow a report", request=None, responses={200: FollowSerializer, **ACTION_ERRORS}
    )
    def post(self, request, code):
        report = selectors.report_for(request.user, code)
        if report.reporter_id == request.user.pk:
            raise api.ApiError(
                _("Bạn là người gửi phản ánh này nên đã được thông báo mọi bước xử lý."),
                code="own_report",
                status_code=status.HTTP_409_CONFLICT,
            )
        services.follow_report(report=report, user=request.user)
        return Response({"following": True})

    @extend_schema(
        tags=["reports"], summary="Stop following a report", responses={200: FollowSerializer, **ACTION_ERRORS}
    )
    def delete(self, request, code):
        report = selectors.report_for(request.user, code)
        services.unfollow_report(report=report, user=request.user)
        return Response({"following": False})


class Rate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="Rate the answer (the reporter, once per answer)",
        request=api.form_serializer(RatingForm, name="RatingInput"),
        responses={201: RatingSerializer, **ACTION_ERRORS},
    )
    def post(self, request, code):
        report = selectors.report_for(request.user, code)
        form = RatingForm(api.form_fields(request))
        if not form.is_valid():
            raise api.form_errors(form)
        try:
            rating = services.rate_answer(
                report_id=report.pk,
                user=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except services.ReportActionError as exc:
            raise _action_error(exc) from exc
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class Reopen(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="Reopen: the answer did not solve it (the reporter, within 7 days)",
        request=api.form_serializer(ReopenForm, name="ReopenInput"),
        responses={200: ReportDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request, code):
        report = selectors.report_for(request.user, code)
        form = ReopenForm(api.form_fields(request))
        if not form.is_valid():
            raise api.form_errors(form)
        try:
            services.reopen_report(
                report_id=report.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.ReportActionError as exc:
            raise _action_error(exc) from exc
        return report_response(request, report)


class Photo(APIView):
    permission_classes = [AllowAny]
    # A throttle per photo would cost a cache round trip per thumbnail of a list.
    throttle_classes = []

    @extend_schema(
        tags=["reports"],
        summary="A photo of a report or of its answer (re-encoded JPEG, no metadata)",
        parameters=[OpenApiParameter("size", str, enum=["full", "thumb"])],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **REPORT_ERRORS},
    )
    def get(self, request, code, pk):
        report = selectors.report_for(request.user, code)
        item = report.photos.filter(pk=pk).select_related("answer").first()
        if item is None:
            raise exceptions.NotFound()
        if item.kind == PhotoKind.ANSWER and (item.answer is None or item.answer.status != AnswerStatus.PUBLISHED):
            raise exceptions.NotFound()
        if item.is_hidden and not selectors.sees_hidden_photos(request.user, report):
            raise exceptions.NotFound()
        return photo_pipeline.serve(item, "thumb" if request.query_params.get("size") == "thumb" else "full")


urlpatterns = [
    re_path(r"^report-categories/$", CategoryList.as_view(), name="report_categories"),
    re_path(r"^report-urgencies/$", UrgencyList.as_view(), name="report_urgencies"),
    re_path(r"^reports/$", ReportList.as_view(), name="reports"),
    re_path(r"^reports/mine/$", MyReports.as_view(), name="my_reports"),
    re_path(r"^reports/followed/$", FollowedReports.as_view(), name="followed_reports"),
    re_path(rf"^reports/{CODE}/$", ReportDetail.as_view(), name="report"),
    re_path(rf"^reports/{CODE}/follow/$", Follow.as_view(), name="report_follow"),
    re_path(rf"^reports/{CODE}/rating/$", Rate.as_view(), name="report_rating"),
    re_path(rf"^reports/{CODE}/reopen/$", Reopen.as_view(), name="report_reopen"),
    re_path(rf"^reports/{CODE}/photos/(?P<pk>[0-9]{{1,18}})/$", Photo.as_view(), name="report_photo"),
]
