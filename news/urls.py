"""The citizen site's pages of news (under /tin-tuc/)."""

from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.article, name="article"),
    path("<int:pk>/anh/", views.picture, name="picture"),
    path("<int:pk>/anh-nho/", views.picture, {"size": "thumb"}, name="thumbnail"),
    path("rss/", feeds.CityFeed(), name="rss"),
    path("atom/", feeds.CityAtomFeed(), name="atom"),
    path("phuong/<str:code>/rss/", feeds.WardFeed(), name="ward_rss"),
    path("phuong/<str:code>/atom/", feeds.WardAtomFeed(), name="ward_atom"),
    path("thong-bao/", views.notices, name="notices"),
    path("thong-bao/<int:pk>/", views.notice, name="notice"),
    path("lich-tiep-dan/", views.schedules, name="schedules"),
    path("lich-tiep-dan/lich.ics", views.schedules_ics, name="schedules_ics"),
    path("lich-tiep-dan/<int:pk>.ics", views.schedule_ics, name="schedule_ics"),
    path("cat-dien-nuoc/", views.outages, name="outages"),
    path("cat-dien-nuoc/<int:pk>/", views.outage, name="outage"),
    path("cat-dien-nuoc/theo-doi/", views.outage_follow, name="outage_follow"),
]
