"""The places' part of the officer desk (government.desk): editors see the citizens' reports of a
wrong place waiting for them, and the links to add, import and correct places."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from government.desk import Item, Link, Section
from government.models import Role
from smarthp.links import url

from .models import PlaceReport, PlaceReportStatus

ROLES = (Role.EDITOR,)


def open_reports():
    return PlaceReport.objects.filter(status=PlaceReportStatus.OPEN).count()


def sections(request, memberships):
    if not any(membership.role == Role.EDITOR for membership in memberships):
        return []
    return [
        Section(
            title=_("Địa điểm (Tiện ích)"),
            note=_("Danh bạ địa điểm trên bản đồ cho người dân"),
            items=(
                Item(_("Báo sai chờ xử lý"), reverse("utilities_officer:reports"), open_reports(), "new"),
                Item(_("Tất cả địa điểm"), reverse("utilities_officer:index")),
                Item(_("Thêm địa điểm"), reverse("utilities_officer:add")),
                Item(_("Nhập từ tệp GeoJSON, CSV"), reverse("utilities_officer:import")),
            ),
        )
    ]


def nav(request, memberships):
    if not any(membership.role == Role.EDITOR for membership in memberships):
        return []
    return [Link(_("Địa điểm"), url("utilities_officer:index"))]
