"""The officer site for PAKN reports, mounted at /can-bo/phan-anh/."""

from django.urls import path

from . import officer_views as views

app_name = "feedback_officer"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("1022/", views.triage, name="triage"),
    path("1022/toan-thanh/", views.board, name="board"),
    path("1022/nhap-phan-anh/", views.intake, name="intake"),
    path("1022/tra-cuu/", views.lookup, name="lookup"),
    path("thong-ke/", views.figures, name="stats"),
    path("thong-ke/xuat.xlsx", views.figures_export, {"fmt": "xlsx"}, name="stats_xlsx"),
    path("thong-ke/xuat.csv", views.figures_export, {"fmt": "csv"}, name="stats_csv"),
    path("<str:code>/", views.workspace, name="workspace"),
    path("<str:code>/sua-thong-tin/", views.correct, name="correct"),
    path("<str:code>/bien-tap/", views.redact, name="redact"),
    path("<str:code>/anh/<int:pk>/", views.photo, name="photo"),
    path("<str:code>/anh/<int:pk>/nho/", views.photo, {"size": "thumb"}, name="thumbnail"),
    *[
        path(f"<str:code>/{action}/", views.act, {"action": action}, name=f"act_{action.replace('-', '_')}")
        for action in views.ACTIONS
    ],
]
