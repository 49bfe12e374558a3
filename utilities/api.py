"""REST API v1 of utilities: serializers and views, mounted under /api/v1/ by smarthp.api_urls.

- GET places/near/?lat=&lng=&kind=&radius=&limit=  the nearest places (kind: "pharmacy" or its
  address word "nha-thuoc"; radius in km, default 5, at most 50), nearest first, with distance_m;
- GET places/<id>/                                  one place, with whether it is open now;
- GET wards/at/?lat=&lng=                           the ward or commune of a point, with its People's
  Committee and police (404 outside the city).
The same selectors as the pages; everything here is public and read-only.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from smarthp import api as smarthp_api

from . import kinds, selectors
from .models import Place


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PlaceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    ward = UnitSerializer(source="unit", read_only=True)
    is_open = serializers.SerializerMethodField(help_text=_("Đang mở cửa (giờ Hà Nội); null khi chưa rõ giờ mở cửa."))
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Place
        fields = [
            "id", "name", "kind", "kind_label", "address", "ward", "lat", "lng",
            "phone", "opening_hours", "is_open", "website", "note", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_open(self, place) -> bool | None:
        state = place.hours_state()
        return state.is_open if state.known else None


class NearbyPlaceSerializer(serializers.Serializer):
    distance_m = serializers.IntegerField()
    place = PlaceSerializer()


class NearQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    kind = serializers.CharField(required=False, allow_blank=True)
    radius = serializers.FloatField(
        required=False, default=selectors.DEFAULT_RADIUS_KM, min_value=0.05, max_value=selectors.MAX_RADIUS_KM
    )
    limit = serializers.IntegerField(
        required=False, default=selectors.DEFAULT_LIMIT, min_value=1, max_value=selectors.MAX_LIMIT
    )

    def validate_kind(self, value):
        if not value:
            return None
        kind = kinds.kind_of(value)
        if kind is None:
            raise serializers.ValidationError(_("Loại địa điểm không hợp lệ."))
        return kind


class PointQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class PlacesNearView(generics.GenericAPIView):
    """The nearest places to a point, nearest first."""

    serializer_class = NearbyPlaceSerializer
    pagination_class = None

    @extend_schema(parameters=[NearQuerySerializer], responses=NearbyPlaceSerializer(many=True))
    def get(self, request):
        query = NearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = selectors.nearest(
            lat=data["lat"], lng=data["lng"], kind=data.get("kind"), radius_km=data["radius"], limit=data["limit"]
        )
        rows = [{"distance_m": item.distance_m, "place": item.place} for item in found]
        return Response(self.get_serializer(rows, many=True).data)


class PlaceDetailView(generics.RetrieveAPIView):
    serializer_class = PlaceSerializer
    queryset = Place.objects.active().select_related("unit").defer("unit__boundary")


class AgencyContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()


class WardAnswerSerializer(serializers.Serializer):
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    committees = AgencyContactSerializer(many=True)
    police = AgencyContactSerializer(many=True)


class WardAtView(generics.GenericAPIView):
    """The ward or commune a point lies in, with its People's Committee and police."""

    serializer_class = WardAnswerSerializer
    pagination_class = None

    @extend_schema(
        parameters=[PointQuerySerializer],
        responses={200: WardAnswerSerializer, **smarthp_api.NOT_FOUND},
    )
    def get(self, request):
        query = PointQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        answer = selectors.ward_at(query.validated_data["lat"], query.validated_data["lng"])
        if answer is None:
            raise NotFound(_("Vị trí này nằm ngoài thành phố Hải Phòng."))
        return Response(self.get_serializer(answer).data)


urlpatterns = [
    path("places/near/", PlacesNearView.as_view(), name="places-near"),
    path("places/<int:pk>/", PlaceDetailView.as_view(), name="place-detail"),
    path("wards/at/", WardAtView.as_view(), name="ward-at"),
]
