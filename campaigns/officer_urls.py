"""The officer site's pages of campaigns (under /can-bo/chien-dich/)."""

from django.urls import path

from .officer_views import downloads, manage, pages

app_name = "campaigns_officer"

urlpatterns = [
    path("", pages.index, name="index"),
    path("thanh-pho/", pages.city, name="city"),
    path("<str:code>/", pages.ward, name="ward"),
    path("<str:code>/nguoi/", pages.people, name="people"),
    path("<str:code>/nguoi-huong-dan/", pages.helpers, name="helpers"),
    path("<str:code>/nhat-ky-tai/", pages.export_log, name="log"),
    path("<str:code>/to/<int:group_id>/sua/", manage.edit_group, name="edit_group"),
    path("<str:code>/nhap-to-dan-pho/", manage.import_groups, name="import_groups"),
    path("<str:code>/nhap-danh-sach-ho/", manage.import_roster, name="import_roster"),
    path("<str:code>/co-quan/", manage.workplaces, name="workplaces"),
    path("<str:code>/co-quan/<int:workplace_id>/", manage.workplaces, name="workplace"),
    path("<str:code>/danh-sach.<str:fmt>", downloads.export_list, name="export"),
    path("<str:code>/tai-ve/<int:job_id>/", downloads.job, name="job"),
    path("<str:code>/tai-ve/<int:job_id>/tep", downloads.job_file, name="job_file"),
    path("<str:code>/tong-hop.xlsx", downloads.summary, name="summary"),
    path("<str:code>/bao-cao-thang/", downloads.monthly, name="monthly"),
    path("<str:code>/bao-cao-thang.xlsx", downloads.monthly_xlsx, name="monthly_xlsx"),
]
