"""The demo citizens who filed the bulk reports, and the names they go by."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

CITIZEN_PREFIX = "demo-citizen-"
CITIZENS = 36

SURNAMES = [
    *["Nguyễn"] * 38, *["Trần"] * 11, *["Lê"] * 9, *["Phạm"] * 7, *["Hoàng"] * 5, *["Vũ"] * 4, *["Đặng"] * 2,
    *["Bùi"] * 2, *["Đỗ"] * 2, "Hồ", "Ngô", "Dương", "Lý", "Phan", "Đinh", "Mai", "Trịnh", "Đoàn", "Lương", "Cao",
]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Thu", "Ngọc", "Quang", "Xuân", "Hồng", "Kim", "Gia", "Bảo"]
GIVEN = [
    "An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Duy", "Giang", "Hà", "Hải", "Hạnh", "Hiếu",
    "Hoa", "Hòa", "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc",
    "Nhung", "Phong", "Phúc", "Phương", "Quân", "Quang", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang",
    "Trung", "Tuấn", "Tú", "Vân", "Việt", "Vy", "Yến",
]  # fmt: skip


def person_name(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def demo_citizens(rng):
    """The demo's reporters: accounts without phone or usable password (nobody signs in as them)."""
    user_model = get_user_model()
    names = [f"{CITIZEN_PREFIX}{number:02d}" for number in range(1, CITIZENS + 1)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    unusable = make_password(None)
    user_model.objects.bulk_create(
        [
            user_model(username=name, full_name=person_name(rng), password=unusable)
            for name in names
            if name not in existing
        ]
    )
    return list(user_model.objects.filter(username__in=names).order_by("username"))
