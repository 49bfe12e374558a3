from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from citizens import views as citizens_views

from . import views

# The database being away is a 503 "busy" page, not a 500 (smarthp.middleware).
handler500 = "smarthp.views.server_error"
# Under /api/v1/ a 404 or 400 the resolver or a middleware answers is JSON in the API's error shape.
handler404 = "smarthp.views.page_not_found"
handler400 = "smarthp.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Forgotten passwords go by SMS (citizens.views.forgot_password), before allauth's e-mail reset.
    path("accounts/password/reset/", citizens_views.forgot_password, name="account_reset_password"),
    path("accounts/", include("allauth.urls")),
    path("tai-khoan/", include("citizens.urls")),
    path("dev/sms/", citizens_views.dev_sms, name="dev_sms"),
    path("can-bo/phan-anh/", include("feedback.officer_urls")),
    path("can-bo/dich-vu-cong/", include("publicservices.officer_urls")),
    path("can-bo/tien-ich/", include("utilities.officer_urls")),
    path("can-bo/tin-tuc/", include("news.officer_urls")),
    path("can-bo/chien-dich/", include("campaigns.officer_urls")),
    path("can-bo/", include("government.urls")),
    path("phan-anh/", include("feedback.urls")),
    path("dich-vu-cong/", include("publicservices.urls")),
    path("tien-ich/", include("utilities.urls")),
    path("tin-tuc/", include("news.urls")),
    path("chien-dich/", include("campaigns.urls")),
    path("ban-do/", include("government.map_urls")),
    path("thong-bao/", include("notices.urls")),
    path("api/open311/v2/", include("feedback.open311.urls")),
    path("api/v1/", include("smarthp.api_urls")),
    path("", include("smarthp.api_docs_urls")),  # /_allauth/ (app sign-in), /api/schema/, /api/docs/
    path("", include("smarthp.pwa")),
    path("quan-tri/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
