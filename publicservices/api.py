"""REST API v1 of publicservices, mounted under /api/v1/ by smarthp.api_urls. It calls the same
services as the pages: procedures (list, search, detail), the signed-in applicant's dossiers (list,
detail, submit, supplement, withdraw) and the public lookup by code."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from government.models import Agency, AgencyKind

from . import selectors, services
from .files import UploadError, check_upload
from .limits import allow_lookup
from .models import Dossier, Procedure
from .services import DossierActionError


class Pages(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()


class ProcedureSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name")
    agency = serializers.CharField(source="agency.name", default=None)
    accepts_online = serializers.BooleanField()

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "level",
            "agency",
            "online_level",
            "accepts_online",
            "processing_days",
            "processing_hours",
            "is_sample",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "in_person",
            "online",
            "by_post",
            "fees",
            "steps",
            "conditions",
            "result",
            "legal_basis",
            "documents",
        ]


class StatusSerializer(serializers.Serializer):
    """What anyone with the code may see (TT 01/2018 Art. 16.2.d)."""

    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    holder_name = serializers.CharField()
    holder_unit = serializers.CharField()
    note = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    due_at = serializers.DateTimeField()


class DossierSerializer(StatusSerializer):
    agency = serializers.CharField(source="agency.name")
    submitted_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, dossier) -> bool:
        return dossier.is_overdue()


class DossierDetailSerializer(DossierSerializer):
    result_note = serializers.CharField()
    events = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_events(self, dossier) -> list[dict]:
        return EventSerializer(selectors.timeline(dossier), many=True).data

    def get_files(self, dossier) -> list[dict]:
        request = self.context.get("request")
        return [
            {
                "label": f.label,
                "kind": f.kind,
                "size": f.size,
                "url": request.build_absolute_uri(f.get_absolute_url()) if request else f.get_absolute_url(),
            }
            for f in selectors.files_of(dossier)
        ]


class ProcedureList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer
    pagination_class = Pages

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Tìm không dấu"),
            OpenApiParameter("field", str),
            OpenApiParameter("level", str, enum=["city", "ward"]),
            OpenApiParameter("agency", str),
            OpenApiParameter("online", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.procedures(
            query=params.get("q", "")[:100],
            field=params.get("field"),
            level=params.get("level", "") if params.get("level") in ("city", "ward") else "",
            agency=params.get("agency"),
            online=params.get("online") in ("1", "true"),
        ).order_by("name", "pk")


class ProcedureDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Procedure.objects.published().select_related("field", "agency").prefetch_related("documents")


class MyDossiers(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = DossierSerializer
    pagination_class = Pages

    def get_queryset(self):
        return selectors.dossiers_of(self.request.user).order_by("-submitted_at", "-pk")


def _mine(request, code):
    return get_object_or_404(selectors.dossiers_of(request.user), code=code)


class MyDossier(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request, code):
        return Response(DossierDetailSerializer(_mine(request, code), context={"request": request}).data)


def _action_error(exc):
    return ValidationError({"detail": exc.message})


def _checked(upload):
    try:
        return check_upload(upload)
    except UploadError as exc:
        raise ValidationError({"detail": str(exc)}) from None


class Submit(APIView):
    """Submit a dossier (multipart: `doc_<document id>` files). Anonymous submission is the web form's."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "DossierSubmit",
            {
                "name": serializers.CharField(),
                "address": serializers.CharField(required=False),
                "id_number": serializers.CharField(required=False),
                "note": serializers.CharField(required=False),
                "agency": serializers.SlugField(required=False, help_text="UBND phường, xã (thủ tục cấp xã)"),
                "idempotency_key": serializers.CharField(required=False),
                "doc_<id>": serializers.FileField(required=False),
            },
        ),
        responses={201: DossierDetailSerializer, 200: DossierDetailSerializer},
    )
    def post(self, request, code):
        procedure = get_object_or_404(Procedure.objects.published(), code=code)
        uploads = {}
        for document in procedure.documents.all():
            upload = request.FILES.get(f"doc_{document.pk}")
            if upload:
                uploads[document.pk] = _checked(upload)
        agency = None
        if request.data.get("agency"):
            agency = Agency.objects.filter(slug=request.data["agency"], kind=AgencyKind.WARD_COMMITTEE).first()
        try:
            dossier, created = services.submit_dossier(
                procedure=procedure,
                applicant=request.user,
                name=request.data.get("name") or request.user.full_name,
                address=request.data.get("address", ""),
                id_number=request.data.get("id_number", ""),
                note=request.data.get("note", ""),
                agency=agency,
                uploads=uploads,
                idempotency_key=(request.data.get("idempotency_key") or "")[:36] or None,
            )
        except DossierActionError as exc:
            raise _action_error(exc) from None
        data = DossierDetailSerializer(dossier, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class Supplement(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "DossierSupplement",
            {
                "files": serializers.ListField(child=serializers.FileField()),
                "note": serializers.CharField(required=False),
            },
        ),
        responses=DossierDetailSerializer,
    )
    def post(self, request, code):
        dossier = _mine(request, code)
        asked = selectors.supplement_request(selectors.timeline(dossier))
        labels = asked.items if asked else []
        uploads = [
            (labels[i] if i < len(labels) else labels[-1] if labels else "", _checked(f))
            for i, f in enumerate(request.FILES.getlist("files"))
        ]
        try:
            dossier = services.supply(
                dossier=dossier, user=request.user, uploads=uploads, note=request.data.get("note", "")
            )
        except DossierActionError as exc:
            raise _action_error(exc) from None
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class Withdraw(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer("DossierWithdraw", {"reason": serializers.CharField(required=False)}),
        responses=DossierDetailSerializer,
    )
    def post(self, request, code):
        try:
            dossier = services.withdraw(
                dossier=_mine(request, code), user=request.user, reason=request.data.get("reason", "")
            )
        except DossierActionError as exc:
            raise _action_error(exc) from None
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class Lookup(APIView):
    """By code: the procedure, status, received and due dates. Rate limited per address; a code that
    does not exist reads as 404 with no further hint."""

    permission_classes = [AllowAny]

    @extend_schema(responses=StatusSerializer)
    def get(self, request, code):
        if not allow_lookup(request):
            raise Throttled()
        dossier = Dossier.objects.select_related("procedure").filter(code=code.strip().upper()).first()
        if dossier is None:
            raise NotFound()
        return Response(StatusSerializer(dossier).data)


urlpatterns = [
    path("dich-vu-cong/thu-tuc/", ProcedureList.as_view(), name="publicservices-procedures"),
    path("dich-vu-cong/thu-tuc/<str:code>/", ProcedureDetail.as_view(), name="publicservices-procedure"),
    path("dich-vu-cong/thu-tuc/<str:code>/nop/", Submit.as_view(), name="publicservices-submit"),
    path("dich-vu-cong/ho-so/", MyDossiers.as_view(), name="publicservices-dossiers"),
    path("dich-vu-cong/ho-so/<str:code>/", MyDossier.as_view(), name="publicservices-dossier"),
    path("dich-vu-cong/ho-so/<str:code>/bo-sung/", Supplement.as_view(), name="publicservices-supplement"),
    path("dich-vu-cong/ho-so/<str:code>/rut/", Withdraw.as_view(), name="publicservices-withdraw"),
    path("dich-vu-cong/tra-cuu/<str:code>/", Lookup.as_view(), name="publicservices-lookup"),
]
