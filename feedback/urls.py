from django.urls import path, re_path
from django.views.generic import RedirectView

from . import stats_views, views

app_name = "feedback"

CODE = r"(?P<code>PA-\d{4}-\d{6,})"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("thong-ke/", stats_views.public_stats, name="stats"),
    path("thong-ke/xuat.xlsx", stats_views.public_stats_export, {"fmt": "xlsx"}, name="stats_xlsx"),
    path("thong-ke/xuat.csv", stats_views.public_stats_export, {"fmt": "csv"}, name="stats_csv"),
    path("gui/", views.submit, name="submit"),
    path("cua-toi/", views.mine, name="mine"),
    # Notices of every app live at /thong-bao/ now (the notice pipeline); old links still arrive.
    path("thong-bao/", RedirectView.as_view(pattern_name="notices:index", permanent=True), name="notifications"),
    path("dia-ban/", views.locate, name="locate"),
    path("gan-day/", views.nearby, name="nearby"),
    path("vi-tri-anh/", views.photo_location, name="photo_location"),
    re_path(rf"^{CODE}/$", views.detail, name="detail"),
    re_path(rf"^{CODE}/theo-doi/$", views.follow, name="follow"),
    re_path(rf"^{CODE}/danh-gia/$", views.rate, name="rate"),
    re_path(rf"^{CODE}/mo-lai/$", views.reopen, name="reopen"),
    re_path(rf"^{CODE}/anh/(?P<pk>\d+)/$", views.photo, name="photo"),
    re_path(rf"^{CODE}/anh/(?P<pk>\d+)/nho/$", views.photo, {"size": "thumb"}, name="thumbnail"),
]
