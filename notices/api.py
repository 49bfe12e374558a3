"""REST API v1 of notices: my notifications, mounted under /api/v1/ by smarthp.api_urls.

Every app's notices to me (reports, dossiers, ward notices, outages), newest first, in keyset
pages; marked read or unread through notices.services. Someone else's notice is a 404.

    GET          notifications/                 (?cursor=, ?unread=true)
    POST         notifications/read-all/
    POST/DELETE  notifications/{id}/read/       read / unread again
"""

from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from smarthp import api

from . import selectors, services
from .models import Notice


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField(help_text="Which feature speaks, e.g. feedback.report.")
    text = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The page the notice is about, or null.")
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, notice) -> str | None:
        return self.context["request"].build_absolute_uri(notice.url) if notice.url else None

    def get_read(self, notice) -> bool:
        return notice.read_at is not None


def _notice(user, pk):
    """The user's own notice `pk`, or a 404 (another person's notice does not exist for them)."""
    notice = Notice.objects.filter(user=user, pk=pk).only("pk", "kind", "text", "url", "created_at", "read_at").first()
    if notice is None:
        raise exceptions.NotFound()
    return notice


def _cursor(request):
    value = request.query_params.get("cursor") or ""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise api.ApiError(_("cursor không hợp lệ: hãy dùng liên kết `next` của trang trước."), code="invalid_cursor")
    return int(value)


class NotificationList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        summary="My notifications, newest first",
        parameters=[
            api.CURSOR_PARAMETER,
            OpenApiParameter("unread", bool, description="Only those not read yet."),
        ],
        responses={200: api.page_serializer(NotificationSerializer), **api.BAD_REQUEST, **api.COMMON_ERRORS},
    )
    def get(self, request):
        size = selectors.PAGE_SIZE
        unread = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        before = _cursor(request)
        rows = selectors.for_user(request.user, before=before, limit=size + 1)
        if unread:
            # The page is read in full and the read ones left out: the next link still walks by id.
            more = len(rows) > size
            last = rows[size - 1].pk if more else None
            rows = [row for row in rows[:size] if row.read_at is None]
            return api.page_response(request, rows, last, NotificationSerializer)
        next_cursor = rows[size - 1].pk if len(rows) > size else None
        return api.page_response(request, rows[:size], next_cursor, NotificationSerializer)


ReadAll = inline_serializer("MarkedRead", {"marked": serializers.IntegerField(help_text="How many changed.")})


class NotificationsReadAll(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        summary="Mark all my notifications read",
        request=None,
        responses={200: ReadAll, **api.COMMON_ERRORS},
    )
    def post(self, request):
        return Response({"marked": services.mark_read(user=request.user)})


class NotificationRead(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        summary="Mark a notification read",
        request=None,
        responses={200: NotificationSerializer, **api.NOT_FOUND, **api.COMMON_ERRORS},
    )
    def post(self, request, pk):
        notice = _notice(request.user, pk)
        services.mark_read(user=request.user, notice_ids=[notice.pk])
        return Response(NotificationSerializer(_notice(request.user, pk), context={"request": request}).data)

    @extend_schema(
        tags=["notifications"],
        summary="Mark a notification unread again",
        responses={200: NotificationSerializer, **api.NOT_FOUND, **api.COMMON_ERRORS},
    )
    def delete(self, request, pk):
        notice = _notice(request.user, pk)
        services.mark_unread(user=request.user, notice_ids=[notice.pk])
        return Response(NotificationSerializer(_notice(request.user, pk), context={"request": request}).data)


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notifications"),
    path("notifications/read-all/", NotificationsReadAll.as_view(), name="notifications_read_all"),
    re_path(r"^notifications/(?P<pk>[0-9]{1,18})/read/$", NotificationRead.as_view(), name="notification_read"),
]
