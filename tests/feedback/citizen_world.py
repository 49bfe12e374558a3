"""A small city for the citizen-side PAKN tests, and photo makers.

Import the fixtures you use into a test module (`from tests.feedback.citizen_world import world`);
`fresh_geo_index` is autouse once imported.

The world: two wards with square boundaries side by side (Lê Chân west of Ngô Quyền), their ward
committees, the power company, the 1022 centre; categories "Sự cố hạ tầng kỹ thuật" (with the
sub-categories "Đường, hè phố" and "Sự cố điện") and "Góp ý hiến kế"; routing rules:
infrastructure × each ward → that ward's committee, electricity (any ward) → the power company;
suggestions have no rule (→ 1022 triage). People: alice and bob (citizens, from tests/conftest.py),
`ward_officer` of Lê Chân's committee, `power_officer` of the power company, `operator` of 1022.
"""

import io
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback import services
from feedback.models import Category, RoutingRule
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitKind

# Lê Chân: lng 106.66–106.69, lat 20.83–20.85; Ngô Quyền: lng 106.69–106.72, same band.
LE_CHAN_POINT = (20.8400, 106.6790)
NGO_QUYEN_POINT = (20.8400, 106.7050)
OUTSIDE_POINT = (21.0285, 105.8542)  # Hà Nội
_keys = itertools.count(1)


def square(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture(autouse=True)
def fresh_geo_index():
    """Each test builds this process's point-in-ward index from its own units."""
    from government import geo

    geo.forget_index()
    yield
    geo.forget_index()


@pytest.fixture
# Transactional: work queued with transaction.on_commit (routing, notices) runs as in production.
def world(transactional_db, alice, bob, make_user):
    lechan = AdministrativeUnit.objects.create(
        code="11383", name="Phường Lê Chân", kind=UnitKind.WARD, boundary=square(106.66, 20.83, 106.69, 20.85)
    )
    ngoquyen = AdministrativeUnit.objects.create(
        code="11329", name="Phường Ngô Quyền", kind=UnitKind.WARD, boundary=square(106.69, 20.83, 106.72, 20.85)
    )
    lechan_committee = Agency.objects.create(
        name="UBND Phường Lê Chân", slug="ubnd-11383", kind=AgencyKind.WARD_COMMITTEE, unit=lechan
    )
    ngoquyen_committee = Agency.objects.create(
        name="UBND Phường Ngô Quyền", slug="ubnd-11329", kind=AgencyKind.WARD_COMMITTEE, unit=ngoquyen
    )
    power = Agency.objects.create(name="Điện lực Hải Phòng", slug="dien-luc", kind=AgencyKind.UTILITY)
    hotline = Agency.objects.create(name="Trung tâm 1022 Hải Phòng", slug="trung-tam-1022", kind=AgencyKind.HOTLINE)
    infra = Category.objects.create(name="Sự cố hạ tầng kỹ thuật", slug="ha-tang", answer_needs_photo=True)
    roads = Category.objects.create(name="Đường, hè phố", slug="duong-he-pho", parent=infra, answer_needs_photo=True)
    electricity = Category.objects.create(name="Sự cố điện", slug="dien", parent=infra, answer_needs_photo=True)
    ideas = Category.objects.create(name="Góp ý hiến kế", slug="gop-y")
    RoutingRule.objects.create(category=infra, unit=lechan, agency=lechan_committee)
    RoutingRule.objects.create(category=infra, unit=ngoquyen, agency=ngoquyen_committee)
    RoutingRule.objects.create(category=electricity, unit=None, agency=power)

    def member(username, agency, role):
        user = make_user(username=username, full_name=username.title())
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return SimpleNamespace(
        lechan=lechan,
        ngoquyen=ngoquyen,
        lechan_committee=lechan_committee,
        ngoquyen_committee=ngoquyen_committee,
        power=power,
        hotline=hotline,
        infra=infra,
        roads=roads,
        electricity=electricity,
        ideas=ideas,
        alice=alice,
        bob=bob,
        ward_officer=member("canbo.lechan", lechan_committee, Role.OFFICER),
        power_officer=member("canbo.dienluc", power, Role.OFFICER),
        operator=member("dieuphoi", hotline, Role.OPERATOR),
    )


def file_report(reporter, category, *, point=LE_CHAN_POINT, unit=None, **fields):
    """File a report through the service, as the form would (routing runs eagerly in tests)."""
    values = {
        "title": "Ổ gà lớn trên đường Lạch Tray",
        "description": "Ổ gà sâu khoảng 20 cm trước số 120, xe máy rất dễ ngã.",
        "address": "120 Lạch Tray",
        "idempotency_key": f"key-{next(_keys)}",
    }
    values.update(fields)
    lat, lng = point if point else (None, None)
    report, _created = services.submit_report(
        reporter=reporter, category=category, unit=unit, lat=lat, lng=lng, **values
    )
    report.refresh_from_db()
    return report


# --- Photos -----------------------------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(640, 480), color=(200, 40, 40), mode="RGB", exif=None, **save):
    buffer = io.BytesIO()
    image = Image.new(mode, size, color)
    if exif is not None:
        save["exif"] = exif
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def gps_exif(lat, lng, orientation=None):
    """EXIF with a GPS position (degrees, minutes, seconds) and optionally an orientation."""
    from PIL.TiffImagePlugin import IFDRational

    def dms(value):
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
        return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))

    exif = Image.Exif()
    exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lng >= 0 else "W", 4: dms(lng)}
    exif[0x010F] = "PhoneMaker"  # camera make: metadata that must not survive either
    if orientation:
        exif[0x0112] = orientation
    return exif


def upload(data, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(media_root):
    """Every file under MEDIA_ROOT (photo files of reports)."""
    from pathlib import Path

    root = Path(media_root)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
