"""The campaign's part of the officer desk (government.desk): the ward's figure and tools for ward
staff, the export log for the ward's leaders, the city's page for city staff."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from government.desk import Item, Link, Section
from government.models import Role
from smarthp.links import url

from .access import access_of

ROLES = (Role.WARD_STAFF, Role.CITY_STAFF, Role.LEADER)


def sections(request, memberships):
    access = access_of(memberships)
    result = []
    for code in sorted(access.ward_units):
        result.append(
            Section(
                title=_("Chiến dịch cài đặt ứng dụng"),
                items=(
                    Item(_("Số liệu theo tổ dân phố"), reverse("campaigns_officer:ward", args=[code])),
                    Item(_("Báo cáo tháng (Phụ lục 01)"), reverse("campaigns_officer:monthly", args=[code])),
                    Item(_("Cơ quan, trường học"), reverse("campaigns_officer:workplaces", args=[code])),
                    Item(_("Người hướng dẫn"), reverse("campaigns_officer:helpers", args=[code])),
                ),
                note=_("Số hộ đã có người đăng ký được tính trực tiếp từ tài khoản của người dân."),
            )
        )
    for code in sorted(access.leader_units - access.ward_units):
        result.append(
            Section(
                title=_("Chiến dịch cài đặt ứng dụng"),
                items=(
                    Item(_("Số liệu của phường"), reverse("campaigns_officer:ward", args=[code])),
                    Item(_("Nhật ký tải danh sách"), reverse("campaigns_officer:log", args=[code])),
                ),
            )
        )
    if access.is_city:
        result.append(
            Section(
                title=_("Chiến dịch cài đặt ứng dụng"),
                items=(Item(_("114 phường, xã, đặc khu"), reverse("campaigns_officer:city")),),
            )
        )
    return result


def nav(request, memberships):
    access = access_of(memberships)
    if access.ward_units or access.leader_units or access.is_city:
        return [Link(_("Chiến dịch"), url("campaigns_officer:index"))]
    return []
