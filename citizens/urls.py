from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("cap-nhat/", views.profile_edit, name="profile_edit"),
    path("to-dan-pho/", views.residential_groups, name="residential_groups"),
    path("quyen-rieng-tu/", views.privacy, name="privacy"),
    path("quyen-rieng-tu/du-lieu.json", views.export_data, name="export"),
    path("xoa-tai-khoan/", views.erase, name="erase"),
    path("dat-mat-khau-moi/", views.new_password, name="new_password"),
]
