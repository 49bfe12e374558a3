"""The officer site's pages of news (under /can-bo/tin-tuc/)."""

from django.urls import path

from .officer_views import articles, notices, outages

app_name = "news_officer"

urlpatterns = [
    path("", articles.articles, name="articles"),
    path("bai-viet/moi/", articles.article_new, name="article_new"),
    path("bai-viet/<int:pk>/", articles.article_edit, name="article"),
    path("bai-viet/<int:pk>/xuat-ban/", articles.article_publish, name="article_publish"),
    path("bai-viet/<int:pk>/go/", articles.article_unpublish, name="article_unpublish"),
    path("bai-viet/<int:pk>/dinh-chinh/", articles.article_correct, name="article_correct"),
    path("thong-bao/", notices.notices, name="notices"),
    path("thong-bao/moi/", notices.notice_new, name="notice_new"),
    path("thong-bao/<int:pk>/thoi-hien-thi/", notices.notice_withdraw, name="notice_withdraw"),
    path("lich-tiep-dan/", notices.schedules, name="schedules"),
    path("lich-tiep-dan/<int:pk>/xoa/", notices.schedule_delete, name="schedule_delete"),
    path("cat-dien-nuoc/", outages.outages, name="outages"),
    path("cat-dien-nuoc/moi/", outages.outage_new, name="outage_new"),
    path("cat-dien-nuoc/nhap/", outages.outage_import, name="outage_import"),
    path("cat-dien-nuoc/<int:pk>/", outages.outage_edit, name="outage"),
    path("cat-dien-nuoc/<int:pk>/huy/", outages.outage_cancel, name="outage_cancel"),
]
