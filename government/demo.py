"""Demo data of the government app: the 114 units, agencies, a few residential groups, demo accounts.

`load()` is idempotent: running it again finds everything in place and changes nothing. It is
called first by `manage.py load_demo` (and `manage.py rundemo`). The units come with their
boundaries (government/data/), so a map point finds its ward by polygon from the first run.

Demo accounts (password of every one: demo12345; for trying the portal only, never in production):

| username        | role                                   | agency                          |
|-----------------|----------------------------------------|---------------------------------|
| admin           | administrator (superuser, Django admin)| –                               |
| canbo.lechan    | officer (cán bộ xử lý)                 | UBND Phường Lê Chân             |
| lanhdao.lechan  | leader (lãnh đạo)                      | UBND Phường Lê Chân             |
| phuong.lechan   | ward staff (cán bộ phường)             | UBND Phường Lê Chân             |
| dieuphoi.1022   | 1022 operator (điều phối viên)         | Trung tâm 1022 Hải Phòng        |
| bientap         | editor (biên tập viên)                 | Trung tâm 1022 Hải Phòng        |
| citizen-demo    | citizen Nguyễn Văn An, +84912345678    | – (phone verified)              |
"""

import io

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import AdministrativeUnit, Agency, AgencyKind, Membership, ResidentialGroup, Role
from .services import import_boundaries, import_residential_groups, import_unit_seats, import_units

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password, demo data only

# Since 1 July 2025 the former Sở Tài nguyên và Môi trường sits in Sở Nông nghiệp và Môi trường and
# the former Sở Giao thông vận tải in Sở Xây dựng.
CITY_AGENCIES = [
    ("so-xay-dung", "Sở Xây dựng", AgencyKind.DEPARTMENT),
    ("so-nong-nghiep-va-moi-truong", "Sở Nông nghiệp và Môi trường", AgencyKind.DEPARTMENT),
    ("so-y-te", "Sở Y tế", AgencyKind.DEPARTMENT),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", AgencyKind.DEPARTMENT),
    ("so-van-hoa-the-thao-va-du-lich", "Sở Văn hóa, Thể thao và Du lịch", AgencyKind.DEPARTMENT),
    ("cong-an-thanh-pho", "Công an thành phố Hải Phòng", AgencyKind.POLICE),
    ("dien-luc-hai-phong", "Công ty TNHH MTV Điện lực Hải Phòng", AgencyKind.UTILITY),
    ("cap-nuoc-hai-phong", "Công ty CP Cấp nước Hải Phòng", AgencyKind.UTILITY),
    ("trung-tam-1022", "Trung tâm 1022 Hải Phòng", AgencyKind.HOTLINE),
]

LE_CHAN, NGO_QUYEN = "11383", "11329"

# (unit code, CSV of its groups): made-up figures, in the format ward staff import.
RESIDENTIAL_GROUPS = {
    LE_CHAN: "name,households,smartphone_households\n"
    "Tổ dân phố 1,312,268\nTổ dân phố 2,287,240\nTổ dân phố 3,355,301\nTổ dân phố 4,198,150\nTổ dân phố 5,264,229\n",
    NGO_QUYEN: "name,households,smartphone_households\n"
    "Tổ dân phố 1,241,210\nTổ dân phố 2,305,262\nTổ dân phố 3,276,233\nTổ dân phố 4,330,295\nTổ dân phố 5,219,181\n",
}

# (username, role, agency slug, full name); the admin and the citizen are made apart.
DEMO_OFFICERS = [
    ("canbo.lechan", Role.OFFICER, f"ubnd-{LE_CHAN}", "Trần Thị Bình"),
    ("lanhdao.lechan", Role.LEADER, f"ubnd-{LE_CHAN}", "Phạm Văn Cường"),
    ("phuong.lechan", Role.WARD_STAFF, f"ubnd-{LE_CHAN}", "Lê Thị Dung"),
    ("dieuphoi.1022", Role.OPERATOR, "trung-tam-1022", "Vũ Minh Đức"),
    ("bientap", Role.EDITOR, "trung-tam-1022", "Hoàng Thu Hà"),
]
DEMO_CITIZEN = {"username": "citizen-demo", "phone": "+84912345678", "full_name": "Nguyễn Văn An"}

# What `rundemo` prints before serving: (username, what the account is for).
DEMO_ACCOUNTS = [
    ("admin", "Quản trị viên (trang /quan-tri/)"),
    ("canbo.lechan", "Cán bộ xử lý – UBND Phường Lê Chân"),
    ("lanhdao.lechan", "Lãnh đạo – UBND Phường Lê Chân"),
    ("phuong.lechan", "Cán bộ phường – UBND Phường Lê Chân"),
    ("dieuphoi.1022", "Điều phối viên – Trung tâm 1022 Hải Phòng"),
    ("bientap", "Biên tập viên – Trung tâm 1022 Hải Phòng"),
    ("citizen-demo", "Công dân Nguyễn Văn An, +84912345678"),
]


def say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def upsert(model, lookup, values):
    """update_or_create that writes nothing when the row already holds these values."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj, False


def _account(username, password=DEMO_PASSWORD, **values):
    user, created = upsert(get_user_model(), {"username": username}, values)
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load(stdout=None):
    """Create (or find in place) the government demo data; returns the counts of what exists."""
    units = import_units()
    seats = import_unit_seats()
    # After the seats, so that only the units without one get a seat derived from their boundary.
    # Measured on a busy two-core machine: 1.3 s the first time, 0.75 s when nothing changed.
    boundaries = import_boundaries()
    say(stdout, f"Đơn vị hành chính: {units}; tọa độ trụ sở: {seats}; ranh giới: {boundaries}.")

    created = 0
    # unit_id, not unit: comparing the related row would load each unit's boundary (2 MB in all).
    for unit in AdministrativeUnit.objects.defer("boundary"):
        _agency, new = upsert(
            Agency,
            {"slug": f"ubnd-{unit.code}"},
            {"name": f"UBND {unit.name}", "kind": AgencyKind.WARD_COMMITTEE, "unit_id": unit.code},
        )
        created += new
    for slug, name, kind in CITY_AGENCIES:
        _agency, new = upsert(Agency, {"slug": slug}, {"name": name, "kind": kind, "unit_id": None})
        created += new
    say(stdout, f"Cơ quan: {created} thêm mới, {Agency.objects.count()} tất cả.")

    for code, text in RESIDENTIAL_GROUPS.items():
        result = import_residential_groups(code, io.StringIO(text))
        say(stdout, f"Tổ dân phố ({code}): {result}.")

    _account("admin", is_staff=True, is_superuser=True, full_name="Quản trị viên")
    for username, role, slug, full_name in DEMO_OFFICERS:
        user = _account(username, full_name=full_name)
        upsert(Membership, {"user": user, "agency": Agency.objects.get(slug=slug), "role": role}, {"is_active": True})
    _account(
        DEMO_CITIZEN["username"],
        phone=DEMO_CITIZEN["phone"],
        full_name=DEMO_CITIZEN["full_name"],
        phone_verified=True,
    )
    say(stdout, f"Tài khoản thử: {len(DEMO_ACCOUNTS)}, mật khẩu {DEMO_PASSWORD}.")
    return counts()


def counts():
    """How many rows of each kind the demo concerns (what a second load must leave the same)."""
    user_model = get_user_model()
    return {
        "units": AdministrativeUnit.objects.count(),
        "units_with_seat": AdministrativeUnit.objects.filter(seat_lat__isnull=False).count(),
        "units_with_boundary": AdministrativeUnit.objects.filter(boundary__isnull=False).count(),
        "agencies": Agency.objects.count(),
        "residential_groups": ResidentialGroup.objects.count(),
        "memberships": Membership.objects.count(),
        "users": user_model.objects.count(),
    }
