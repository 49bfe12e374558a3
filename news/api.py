"""REST API v1 of news: serializers and views, mounted under /api/v1/ by smarthp.api_urls.

GET news/articles/?q=&chuyen-muc=&phuong=&truoc=   public articles, newest first (keyset pages)
GET news/articles/<id>/                            one public article
GET news/me/notices/                               current notices of my profile's ward
GET news/me/outages/                               outages ahead for my profile's ward
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from . import selectors
from .home import profile_of
from .models import Article, Outage, WardNotice


class ArticleListSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "summary", "category", "published_at", "is_citywide", "url"]


class ArticleSerializer(ArticleListSerializer):
    wards = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body", "author_name", "wards", "correction", "corrected_at"]


class NoticeSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = WardNotice
        fields = ["id", "title", "body", "is_urgent", "published_at", "expires_at", "url"]


class OutageSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Outage
        fields = ["id", "company", "utility", "kind", "area", "places", "starts_at", "ends_at", "reason", "url"]


class ArticleList(generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ArticleListSerializer

    @extend_schema(
        operation_id="news_articles_list",
        responses=inline_serializer(
            "ArticlePage",
            {
                "results": ArticleListSerializer(many=True),
                "next_cursor": serializers.CharField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        articles, cursor = selectors.article_page(
            selectors.filters_from(request.query_params), request.query_params.get("truoc")
        )
        return Response({"results": self.get_serializer(articles, many=True).data, "next_cursor": cursor})


class ArticleDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return Article.objects.public().prefetch_related("wards").defer("search_key")


class MyNotices(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NoticeSerializer
    pagination_class = None

    def get_queryset(self):
        ward_code = profile_of(self.request)[0]
        if not ward_code:
            return WardNotice.objects.none()
        return WardNotice.objects.current().for_ward(ward_code)[:50]


class MyOutages(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OutageSerializer
    pagination_class = None

    def get_queryset(self):
        ward_code = profile_of(self.request)[0]
        if not ward_code:
            return Outage.objects.none()
        return Outage.objects.ahead().for_ward(ward_code).select_related("company").order_by("starts_at", "pk")[:50]


urlpatterns = [
    path("news/articles/", ArticleList.as_view(), name="news-articles"),
    path("news/articles/<int:pk>/", ArticleDetail.as_view(), name="news-article"),
    path("news/me/notices/", MyNotices.as_view(), name="news-my-notices"),
    path("news/me/outages/", MyOutages.as_view(), name="news-my-outages"),
]
