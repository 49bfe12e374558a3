"""Demo data of PAKN: the city's five categories with sub-categories, urgencies, routing rules,
deadline policies, ten sample reports in the central wards made through the services, and the
past six months of a few hundred more written in bulk (feedback.demo_bulk).

`load()` is idempotent (run again, it changes nothing). It runs after government.demo, which made
the units, the agencies ("ubnd-<code>" for every ward, the city departments, the utilities, the
1022 centre) and the demo citizen.

Routing in the demo (administrators change it in the admin):
- infrastructure incidents and public-order/society reports go to the ward's People's Committee,
  one rule per category × ward;
- some sub-categories go to a city-wide agency whatever the ward (electricity → the power company,
  water supply → the water company, traffic lights → Sở Xây dựng, security → the police, food
  safety → Sở Y tế, schools → Sở Giáo dục và Đào tạo); a category rule beats the ward rule;
- suggestions, administrative procedures and the city leaders' instructions have no rule: they
  reach the 1022 centre, which triages them.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from government.demo import say, upsert
from government.models import AdministrativeUnit, Agency

from . import deadlines, demo_bulk, services
from . import photos as photo_pipeline
from .models import (
    Answer,
    AnswerStatus,
    Category,
    DeadlinePolicy,
    EventKind,
    Report,
    ReportStatus,
    RoutingRule,
    TimeUnit,
    Urgency,
)

# (slug, name, answer_needs_photo, [(slug, name, city-wide agency slug or None), ...])
CATEGORIES = [
    (
        "gop-y-hien-ke",
        "Góp ý hiến kế",
        False,
        [
            ("gop-y-quy-hoach", "Quy hoạch, phát triển đô thị", None),
            ("gop-y-cai-cach-hanh-chinh", "Cải cách hành chính, chuyển đổi số", None),
            ("gop-y-khac", "Góp ý khác", None),
        ],
    ),
    (
        "kinh-te-van-hoa-xa-hoi",
        "Kinh tế – văn hóa – xã hội – quốc phòng – an ninh",
        False,
        [
            ("trat-tu-do-thi", "Trật tự đô thị, lấn chiếm vỉa hè", None),
            ("ve-sinh-moi-truong", "Vệ sinh môi trường, rác thải", None),
            ("an-ninh-trat-tu", "An ninh, trật tự công cộng", "cong-an-thanh-pho"),
            ("an-toan-thuc-pham", "Y tế, an toàn thực phẩm", "so-y-te"),
            ("giao-duc", "Giáo dục", "so-giao-duc-va-dao-tao"),
            ("van-hoa-du-lich", "Văn hóa, du lịch", None),
        ],
    ),
    (
        "su-co-ha-tang-ky-thuat",
        "Sự cố hạ tầng kỹ thuật",
        True,
        [
            ("duong-he-pho", "Đường, hè phố hư hỏng", None),
            ("ngap-ung-thoat-nuoc", "Ngập úng, thoát nước", None),
            ("chieu-sang", "Chiếu sáng công cộng", None),
            ("cay-xanh", "Cây xanh", None),
            ("dien", "Sự cố điện", "dien-luc-hai-phong"),
            ("cap-nuoc", "Cấp nước", "cap-nuoc-hai-phong"),
            ("den-tin-hieu", "Đèn tín hiệu giao thông", "so-xay-dung"),
        ],
    ),
    (
        "thu-tuc-hanh-chinh",
        "Thủ tục hành chính",
        False,
        [
            ("ho-so-tre-han", "Hồ sơ trễ hẹn", None),
            ("thai-do-can-bo", "Thái độ, trách nhiệm của cán bộ", None),
        ],
    ),
    ("chi-dao-lanh-dao", "Thực hiện chỉ đạo của lãnh đạo thành phố", False, []),
]

# Categories routed to the ward's People's Committee, one rule per ward.
WARD_ROUTED = ["su-co-ha-tang-ky-thuat", "kinh-te-van-hoa-xa-hoi"]

URGENCIES = [("khan", "Khẩn", 1), ("rat-khan", "Rất khẩn", 2)]

# (category slug or None, urgency slug or None, accept within, answer within, unit)
DEADLINES = [
    (None, None, 1, 10, TimeUnit.WORKING_DAYS),
    ("su-co-ha-tang-ky-thuat", None, 1, 5, TimeUnit.WORKING_DAYS),
    ("gop-y-hien-ke", None, 2, 15, TimeUnit.WORKING_DAYS),
    (None, "khan", 4, 16, TimeUnit.WORKING_HOURS),
    (None, "rat-khan", 2, 8, TimeUnit.WORKING_HOURS),
]

# (key, category slug, unit code, lat, lng, title, description, address, days ago, outcome, photo)
SAMPLE_REPORTS = [
    (
        "1",
        "duong-he-pho",
        "11383",
        20.8412,
        106.6795,
        "Ổ gà lớn trên đường Lạch Tray",
        "Đoạn trước số 120 Lạch Tray có ổ gà sâu khoảng 20 cm, xe máy đi qua rất nguy hiểm, nhất là buổi tối.",
        "120 Lạch Tray",
        40,
        "answered",
        True,
    ),
    (
        "2",
        "ngap-ung-thoat-nuoc",
        "11383",
        20.8391,
        106.6772,
        "Ngập nước sau mưa ở ngõ 15 Tô Hiệu",
        "Mỗi lần mưa to ngõ ngập sâu 30–40 cm, cống thoát nước bị tắc rác nhiều tháng nay.",
        "Ngõ 15 Tô Hiệu",
        12,
        "in_progress",
        True,
    ),
    (
        "3",
        "chieu-sang",
        "11329",
        20.8620,
        106.6990,
        "Đèn đường hỏng trên phố Lê Lợi",
        "Ba cột đèn liền nhau không sáng từ tuần trước, đoạn đường rất tối.",
        "Phố Lê Lợi, gần ngã tư Lạch Tray",
        6,
        "assigned",
        False,
    ),
    (
        "4",
        "ve-sinh-moi-truong",
        "11311",
        20.8625,
        106.6802,
        "Rác thải đổ trộm cạnh chợ",
        "Có người đổ trộm rác thải xây dựng cạnh cổng chợ vào ban đêm, bốc mùi và lấn ra lòng đường.",
        "Cạnh chợ Sắt",
        3,
        "assigned",
        True,
    ),
    (
        "5",
        "trat-tu-do-thi",
        "11359",
        20.8508,
        106.6920,
        "Lấn chiếm vỉa hè để kinh doanh",
        "Các quán ăn bày bàn ghế kín vỉa hè, người đi bộ phải đi xuống lòng đường.",
        "Phố Văn Cao",
        4,
        "answered",
        False,
    ),
    (
        "6",
        "dien",
        "11407",
        20.8530,
        106.6765,
        "Dây điện sà thấp nguy hiểm",
        "Dây điện trước nhà số 8 bị võng thấp, xe tải đi qua có thể vướng.",
        "Số 8 đường Nguyễn Văn Linh",
        2,
        "assigned",
        False,
    ),
    (
        "7",
        "cay-xanh",
        "11411",
        20.8445,
        106.7335,
        "Cây xanh có nguy cơ đổ",
        "Cây phượng lớn bị nghiêng sau bão, rễ bật lên vỉa hè.",
        "Đường Đà Nẵng",
        8,
        "in_progress",
        False,
    ),
    (
        "8",
        "gop-y-quy-hoach",
        "11329",
        20.8600,
        106.6950,
        "Đề xuất thêm làn xe đạp ven hồ",
        "Đề nghị thành phố bố trí làn xe đạp quanh khu vực hồ để người dân tập thể dục an toàn hơn.",
        "",
        15,
        "triage",
        False,
    ),
    (
        "9",
        "ho-so-tre-han",
        "11383",
        20.8405,
        106.6801,
        "Hồ sơ cấp giấy phép xây dựng bị trễ hẹn",
        "Hồ sơ nộp đã quá hạn hẹn trả 10 ngày nhưng chưa nhận được kết quả hay thông báo nào.",
        "",
        25,
        "closed",
        False,
    ),
    (
        "10",
        "duong-he-pho",
        "11413",
        20.8275,
        106.7155,
        "Nắp hố ga bị vỡ",
        "Nắp hố ga giữa đường bị vỡ một góc, rất nguy hiểm cho xe máy.",
        "Đường Trần Hưng Đạo",
        1,
        "assigned",
        True,
    ),
]

DEMO_ANSWER = (
    "Cơ quan đã kiểm tra hiện trường và khắc phục xong. Cảm ơn bạn đã phản ánh; nếu vấn đề còn tồn tại, "
    "bạn có thể mở lại phản ánh trong 7 ngày."
)


def load_categories():
    created = 0
    for position, (slug, name, needs_photo, children) in enumerate(CATEGORIES):
        parent, new = upsert(
            Category, {"slug": slug}, {"name": name, "answer_needs_photo": needs_photo, "position": position}
        )
        created += new
        for child_position, (child_slug, child_name, _agency) in enumerate(children):
            _child, new = upsert(
                Category,
                {"slug": child_slug},
                {"name": child_name, "parent": parent, "answer_needs_photo": needs_photo, "position": child_position},
            )
            created += new
    for slug, name, level in URGENCIES:
        upsert(Urgency, {"slug": slug}, {"name": name, "level": level})
    return created


def load_routing():
    created = 0
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    for _slug, _name, _needs_photo, children in CATEGORIES:
        for child_slug, _child_name, agency_slug in children:
            if agency_slug and agency_slug in agencies:
                category = Category.objects.get(slug=child_slug)
                _rule, new = upsert(
                    RoutingRule, {"category": category, "unit": None}, {"agency": agencies[agency_slug]}
                )
                created += new
    existing = set(RoutingRule.objects.filter(unit__isnull=False).values_list("category__slug", "unit_id"))
    new_rules = []
    units = list(AdministrativeUnit.objects.only("pk", "code"))  # decoding every boundary twice took ~0.5 s a load
    for slug in WARD_ROUTED:
        category = Category.objects.get(slug=slug)
        for unit in units:
            agency = agencies.get(f"ubnd-{unit.code}")
            if agency is not None and (slug, unit.code) not in existing:
                new_rules.append(RoutingRule(category=category, unit=unit, agency=agency))
    RoutingRule.objects.bulk_create(new_rules)
    return created + len(new_rules)


def load_deadlines():
    for category_slug, urgency_slug, accept, answer, unit in DEADLINES:
        category = Category.objects.get(slug=category_slug) if category_slug else None
        urgency = Urgency.objects.get(slug=urgency_slug) if urgency_slug else None
        upsert(
            DeadlinePolicy,
            {"category": category, "urgency": urgency},
            {"accept_within": accept, "answer_within": answer, "unit": unit},
        )


def _demo_photo(seed):
    """A small generated picture, through the same pipeline as an upload."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (120 + seed * 10 % 100, 130, 140))
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 180, 550, 420), fill=(70, 60, 50))
    draw.rectangle((0, 450, 800, 600), fill=(90, 90, 95))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return photo_pipeline.process(buffer.getvalue())


def _advance(report, outcome, officer_agency):
    """Move a routed sample report along as the agency would (demo only)."""
    if outcome in ("triage", "assigned") or report.status == ReportStatus.TRIAGE:
        return
    report = services.lock_report(report.pk)
    report.accepted_at = timezone.now()
    services.set_status(
        report, ReportStatus.IN_PROGRESS, kind=EventKind.ACCEPTED, agency=officer_agency, fields=["accepted_at"]
    )
    if outcome == "in_progress":
        return
    answer = Answer.objects.create(
        report=report,
        agency=officer_agency,
        text=DEMO_ANSWER,
        status=AnswerStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    report.answered_at = answer.published_at
    services.set_status(
        report, ReportStatus.ANSWERED, kind=EventKind.ANSWERED, agency=officer_agency, fields=["answered_at"]
    )
    if outcome == "closed":
        report.closed_at = timezone.now()
        services.set_status(report, ReportStatus.CLOSED, kind=EventKind.CLOSED, fields=["closed_at"])


def load_reports():
    citizen = get_user_model().objects.filter(username="citizen-demo").first()
    if citizen is None:
        return 0
    created = 0
    for (
        key,
        category_slug,
        unit_code,
        lat,
        lng,
        title,
        description,
        address,
        days_ago,
        outcome,
        photo,
    ) in SAMPLE_REPORTS:
        unit = AdministrativeUnit.objects.filter(code=unit_code).first()
        if unit is None:
            continue
        report, new = services.submit_report(
            reporter=citizen,
            category=Category.objects.get(slug=category_slug),
            title=title,
            description=description,
            unit=unit,
            lat=lat,
            lng=lng,
            address=address,
            photos=[_demo_photo(int(key))] if photo else [],
            idempotency_key=f"demo-{key}",
        )
        if not new:
            continue
        created += 1
        report = services.route_report(report.pk)
        with transaction.atomic():  # _advance locks the row, which needs a transaction
            if report.agency is not None:
                _advance(report, outcome, report.agency)
            _backdate(report, timezone.now() - datetime.timedelta(days=days_ago, hours=int(key)))
    return created


def _backdate(report, start):
    """Spread a sample over the past (steps six hours apart) so the feed and timelines look lived-in.

    Its notices count as sent: the demo must not fill the SMS inbox before anyone has used it.
    """
    step = datetime.timedelta(hours=6)
    events = list(report.events.order_by("pk"))
    for number, event in enumerate(events):
        event.created_at = start + number * step
        event.notified_at = event.created_at
    type(events[0]).objects.bulk_update(events, ["created_at", "notified_at"])
    times = {event.kind: event.created_at for event in events}
    report.refresh_from_db()
    report.created_at = start
    report.updated_at = events[-1].created_at
    report.routed_at = times.get(EventKind.RECEIVED, start)
    report.accepted_at = times.get(EventKind.ACCEPTED)
    report.answered_at = times.get(EventKind.ANSWERED)
    report.closed_at = times.get(EventKind.CLOSED)
    # The clocks count from the moved steps, as they would have run: some samples are overdue.
    if report.accept_due_at:
        deadlines.start_accept_clock(report, report.routed_at)
    if report.accepted_at:
        deadlines.start_answer_clock(report, report.accepted_at)
    dates = ["created_at", "updated_at", "routed_at", "accepted_at", "answered_at", "closed_at"]
    Report.objects.filter(pk=report.pk).update(
        **{name: getattr(report, name) for name in [*dates, "accept_due_at", "answer_due_at"]}
    )
    report.answers.update(published_at=times.get(EventKind.ANSWERED), created_at=times.get(EventKind.ANSWERED, start))


def load(stdout=None):
    categories = load_categories()
    say(stdout, f"Lĩnh vực phản ánh: {categories} thêm mới, {Category.objects.count()} tất cả.")
    rules = load_routing()
    say(stdout, f"Quy tắc chuyển xử lý: {rules} thêm mới, {RoutingRule.objects.count()} tất cả.")
    load_deadlines()
    say(stdout, f"Thời hạn xử lý: {DeadlinePolicy.objects.count()}.")
    reports = load_reports()
    say(stdout, f"Phản ánh mẫu: {reports} thêm mới.")
    months = demo_bulk.load()
    say(stdout, f"Phản ánh của sáu tháng qua: {months} thêm mới, {Report.objects.count()} tất cả.")
    return {"categories": Category.objects.count(), "rules": RoutingRule.objects.count()}
