# ruff: noqa: E501 - a table of sample places, one per line
"""Demo data of the directory of places: places in the central wards (Lê Chân, Ngô Quyền, Hồng
Bàng, An Biên, Gia Viên), the ward committees and police shown as places, and one citizen's
report of a wrong place waiting for the editor.

SAMPLE DATA. The landmarks (hospitals, bus stations, the theatre, the museum, Đình Hàng Kênh, the
Maritime University) are real and placed near where they stand; their phone numbers and opening
hours here are illustrative. The pharmacies, clinics, banks, ATMs, the fuel station, the wifi
spots, the bus stop, every street number, every phone number and every opening hour of them are
invented for trying the portal: they are not a real directory. The ward police agencies and the
committees' addresses and phones are sample data as well.

`load()` is idempotent: the places go through the GeoJSON import (source ids "demo/…"), which
updates rather than duplicates; the agencies and the report are made only when missing.
"""

import json

from django.contrib.auth import get_user_model
from django.db import transaction

from government.demo import DEMO_CITIZEN, say, upsert
from government.models import AdministrativeUnit, Agency, AgencyKind

from . import services
from .models import Place, PlaceReport, Problem

# (source id, OSM tags, lat, lng). Tags as an OpenStreetMap export carries them.
PLACES = [
    # Pharmacies in and around Phường Lê Chân (invented, see the docstring).
    ("demo/pharmacy-1", {"amenity": "pharmacy", "name": "Nhà thuốc Minh Châu", "addr:housenumber": "118", "addr:street": "Lạch Tray", "phone": "0225 3855 101", "opening_hours": "Mo-Su 07:00-22:00"}, 20.8412, 106.6812),
    ("demo/pharmacy-2", {"amenity": "pharmacy", "name": "Nhà thuốc Hồng Đức", "addr:housenumber": "45", "addr:street": "Tô Hiệu", "phone": "0225 3700 202", "opening_hours": "Mo-Sa 07:30-21:30; Su 08:00-12:00"}, 20.8436, 106.6772),
    ("demo/pharmacy-3", {"amenity": "pharmacy", "name": "Nhà thuốc An Khang Chợ Hàng", "addr:housenumber": "210", "addr:street": "Chợ Hàng", "phone": "0225 3611 303", "opening_hours": "Mo-Su 06:30-22:30"}, 20.8352, 106.6818),
    ("demo/pharmacy-4", {"amenity": "pharmacy", "name": "Nhà thuốc 24 giờ Trẻ Em", "addr:housenumber": "2", "addr:street": "Nguyễn Văn Linh", "phone": "0225 3622 404", "opening_hours": "24/7"}, 20.8338, 106.6745),
    ("demo/pharmacy-5", {"amenity": "pharmacy", "name": "Nhà thuốc Tâm An", "addr:housenumber": "77", "addr:street": "Hàng Kênh", "phone": "0225 3833 505", "opening_hours": "Mo-Sa 08:00-20:00; PH off"}, 20.8441, 106.6862),
    ("demo/pharmacy-6", {"amenity": "pharmacy", "name": "Nhà thuốc Phương Lan", "addr:housenumber": "15", "addr:street": "Trần Nguyên Hãn", "phone": "0225 3844 606", "opening_hours": "Mo-Su 07:00-21:00"}, 20.8398, 106.6731),
    ("demo/pharmacy-7", {"amenity": "pharmacy", "name": "Nhà thuốc Thành Công", "addr:housenumber": "300", "addr:street": "Lạch Tray", "phone": "0225 3866 707", "opening_hours": "Mo-Fr 07:00-19:00; Sa 07:00-12:00"}, 20.8395, 106.6905),
    # Health.
    ("demo/hospital-viet-tiep", {"amenity": "hospital", "name": "Bệnh viện Hữu nghị Việt Tiệp", "addr:housenumber": "1", "addr:street": "Nhà Thương", "phone": "0225 3700 436", "opening_hours": "24/7"}, 20.8552, 106.6824),
    ("demo/hospital-children", {"amenity": "hospital", "name": "Bệnh viện Trẻ em Hải Phòng", "addr:street": "Nguyễn Văn Linh", "phone": "0225 3728 727", "opening_hours": "24/7"}, 20.8332, 106.6736),
    ("demo/clinic-lechan", {"amenity": "clinic", "name": "Phòng khám đa khoa Lê Chân", "addr:housenumber": "9", "addr:street": "Mê Linh", "phone": "0225 3811 909", "opening_hours": "Mo-Sa 07:00-17:00"}, 20.8470, 106.6800),
    # Schools.
    ("demo/school-lechan", {"amenity": "school", "name": "Trường THPT Lê Chân", "addr:street": "Hàng Kênh", "phone": "0225 3855 300"}, 20.8425, 106.6840),
    ("demo/university-maritime", {"amenity": "university", "name": "Trường Đại học Hàng hải Việt Nam", "addr:housenumber": "484", "addr:street": "Lạch Tray", "website": "https://vimaru.edu.vn"}, 20.8374, 106.6937),
    # Getting around.
    ("demo/bus-station-niem-nghia", {"amenity": "bus_station", "name": "Bến xe Niệm Nghĩa", "addr:street": "Trần Nguyên Hãn", "opening_hours": "Mo-Su 04:30-19:00"}, 20.8287, 106.6736),
    ("demo/bus-station-cau-rao", {"amenity": "bus_station", "name": "Bến xe Cầu Rào", "addr:street": "Phạm Văn Đồng", "opening_hours": "Mo-Su 05:00-18:30"}, 20.8197, 106.6936),
    ("demo/bus-stop-lach-tray", {"highway": "bus_stop", "name": "Điểm dừng xe buýt Sân vận động Lạch Tray", "addr:street": "Lạch Tray"}, 20.8475, 106.6868),
    ("demo/fuel-lechan", {"amenity": "fuel", "name": "Cửa hàng xăng dầu Petrolimex số 20", "addr:street": "Nguyễn Văn Linh", "phone": "0225 3844 020", "opening_hours": "Mo-Su 05:00-23:00"}, 20.8355, 106.6870),
    # Money.
    ("demo/bank-lechan", {"amenity": "bank", "name": "Ngân hàng Vietcombank – Phòng giao dịch Lê Chân", "addr:housenumber": "6", "addr:street": "Tô Hiệu", "phone": "0225 3856 666", "opening_hours": "Mo-Fr 07:30-11:30,13:00-16:30; Sa 07:30-11:30; PH off"}, 20.8455, 106.6785),
    ("demo/atm-to-hieu", {"amenity": "atm", "name": "ATM BIDV Tô Hiệu", "addr:street": "Tô Hiệu", "opening_hours": "24/7"}, 20.8447, 106.6790),
    ("demo/atm-cho-hang", {"amenity": "atm", "name": "ATM Agribank Chợ Hàng", "addr:street": "Chợ Hàng", "opening_hours": "24/7"}, 20.8360, 106.6826),
    # Wifi and sights.
    ("demo/wifi-theatre", {"internet_access": "wlan", "name": "Wifi công cộng Quảng trường Nhà hát Thành phố", "note": "Mạng HaiPhong_Free_Wifi"}, 20.8587, 106.6836),
    ("demo/tourism-theatre", {"tourism": "attraction", "name": "Nhà hát Thành phố Hải Phòng", "addr:street": "Quang Trung"}, 20.8591, 106.6829),
    ("demo/tourism-museum", {"tourism": "museum", "name": "Bảo tàng Hải Phòng", "addr:housenumber": "66", "addr:street": "Điện Biên Phủ", "opening_hours": "Tu-Su 08:00-11:00,14:00-17:00"}, 20.8603, 106.6848),
    ("demo/tourism-hang-kenh", {"historic": "building", "name": "Đình Hàng Kênh", "addr:street": "Nguyễn Công Hòa", "opening_hours": "Mo-Su 07:00-17:00"}, 20.8437, 106.6890),
    ("demo/government-service-centre", {"office": "government", "name": "Trung tâm Phục vụ hành chính công thành phố", "addr:street": "Lê Hồng Phong", "phone": "0225 1022", "opening_hours": "Mo-Fr 08:00-11:30,13:30-17:00; PH off"}, 20.8505, 106.7080),
]  # fmt: skip

# Sample addresses and phones of the central wards' committees, and their police (see the docstring).
WARD_CONTACTS = {
    "11383": ("Số 1 Hai Bà Trưng", "0225 3857 001", "Số 3 Hai Bà Trưng", "0225 3857 113"),
    "11329": ("Số 2 Lạch Tray", "0225 3826 002", "Số 4 Lạch Tray", "0225 3826 113"),
    "11311": ("Số 5 Hoàng Văn Thụ", "0225 3842 003", "Số 7 Hoàng Văn Thụ", "0225 3842 113"),
    "11407": ("Số 10 Tô Hiệu", "0225 3835 004", "Số 12 Tô Hiệu", "0225 3835 113"),
    "11359": ("Số 8 Lê Lợi", "0225 3765 005", "Số 10 Lê Lợi", "0225 3765 113"),
}


def _features():
    features = []
    for source_id, tags, lat, lng in PLACES:
        properties = {"@id": source_id, **tags}
        if "note" in tags:
            properties["description"] = properties.pop("note")
        features.append({"type": "Feature", "id": source_id, "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [lng, lat]}})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def _ward_agencies():
    units = {unit.code: unit for unit in AdministrativeUnit.objects.defer("boundary").filter(code__in=WARD_CONTACTS)}
    for code, (address, phone, police_address, police_phone) in WARD_CONTACTS.items():
        unit = units.get(code)
        if unit is None:
            continue
        committee = Agency.objects.filter(slug=f"ubnd-{code}").first()
        if committee is not None and not committee.address and not committee.phone:
            committee.address, committee.phone = address, phone
            committee.save(update_fields=["address", "phone"])
        upsert(
            Agency,
            {"slug": f"cong-an-{code}"},
            {
                "name": f"Công an {unit.name}",
                "kind": AgencyKind.POLICE,
                "unit_id": code,
                "address": police_address,
                "phone": police_phone,
            },
        )


@transaction.atomic
def load(stdout=None):
    _ward_agencies()
    places = services.import_geojson(json.dumps(_features(), ensure_ascii=False))
    agencies = services.sync_agency_places()
    say(stdout, f"Địa điểm mẫu: {places}; UBND, công an: {agencies}.")
    citizen = get_user_model().objects.filter(username=DEMO_CITIZEN["username"]).first()
    place = Place.objects.filter(source_id="demo/pharmacy-7").first()
    if citizen is not None and place is not None and not PlaceReport.objects.filter(place=place).exists():
        services.report_place(
            place=place,
            reporter=citizen,
            problem=Problem.HOURS,
            message="Chủ nhật nhà thuốc vẫn mở buổi sáng.",
        )
    return {"places": Place.objects.count(), "place_reports": PlaceReport.objects.count()}
