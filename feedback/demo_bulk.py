"""The demo's past six months: a few hundred PAKN reports in the central wards, each living a life
reports live (routed, or triaged by 1022 first; accepted; answered after the leader's approval;
rated; closed; some returned, rejected, reopened, overdue, still waiting), so that the officers'
queues, the 1022 board and the figures with their charts show something on the first start.

Written in bulk (one bulk_create per table, no service calls: a few hundred `submit_report` calls
would take a minute), so this module does by hand what the services would have done, and keeps to
their rules: every step is a ReportEvent at its own time in the past, and every deadline counts from
the step that started its clock, with the category's policy and the working-day calendar
(feedback.deadlines), exactly as the services count it. Lives are random but repeatable: a fixed
seed, "now" read once.

Loaded once: the reports carry the BULK_KEY_PREFIX idempotency key, and a load that finds them adds
nothing. Their tracking codes come from the portal's own yearly counter, so a report filed later
never meets one of them. The demo citizens who filed them (demo-citizen-01...) have no phone and no
usable password: nobody signs in as them, no text message goes out, and every step counts as
notified already. Some chose to keep their report private, some to hide their name from the agency.

benchmarks/fillers.py fills at scale in the same way (and its name lists started these); the
portal never imports the benchmarks, so what the demo needs lives here.
"""

import contextlib
import datetime as dt
import math
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from government import calendar
from government.models import AdministrativeUnit, Agency, AgencyKind

from . import deadlines
from .models import (
    Answer,
    AnswerStatus,
    Category,
    Channel,
    EventKind,
    Rating,
    Report,
    ReportCodeCounter,
    ReportEvent,
    ReportStatus,
    Satisfaction,
    TimeUnit,
    Urgency,
)

BULK_KEY_PREFIX = "demo-bulk:"
REPORTS = 700  # over the whole period, the fresh ones included
FRESH = 12  # filed in the current month's first days, answered and mostly rated by now
DAYS = 183
STALL_DAYS = 30
SEED = 2026
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


# The central wards with a seat (government/data/unit-seats.csv): (share of the reports, streets).
WARDS = {
    "11383": (90, ["Lạch Tray", "Tô Hiệu", "Hai Bà Trưng", "Cầu Đất", "Nguyễn Đức Cảnh", "Hàng Kênh", "Dư Hàng"]),
    "11329": (13, ["Lê Lợi", "Lạch Tray", "Lương Khánh Thiện", "Trần Phú", "Đà Nẵng", "Lê Lai"]),
    "11311": (12, ["Hoàng Văn Thụ", "Điện Biên Phủ", "Minh Khai", "Hùng Vương", "Bạch Đằng", "Tam Bạc"]),
    "11413": (11, ["Lê Hồng Phong", "Ngô Gia Tự", "Cát Bi", "Trung Lực", "Thành Tô"]),
    "11359": (8, ["Văn Cao", "Nguyễn Bình", "Đằng Giang", "Cầu Tre", "Lê Lợi"]),
    "11407": (8, ["Nguyễn Văn Linh", "Tôn Đức Thắng", "Lam Sơn", "Hồ Sen", "Cát Cụt"]),
    "11443": (8, ["Trần Thành Ngọ", "Trần Nhân Tông", "Phan Đăng Lưu", "Lê Duẩn", "Cao Toàn"]),
    "11411": (6, ["Đà Nẵng", "Lê Thánh Tông", "Đông Hải", "Ngô Quyền"]),
    "11692": (4, ["Phạm Văn Đồng", "Mạc Đăng Doanh", "Hải Thành"]),
}

# category slug: (share, [(title, description), ...]); {street} is the street of the report.
CATEGORIES = {
    "duong-he-pho": (
        12,
        [
            (
                "Ổ gà lớn trên đường {street}",
                "Mặt đường có nhiều ổ gà sâu, xe máy đi qua rất dễ ngã, nhất là khi trời mưa.",
            ),
            (
                "Hè phố {street} bị sụt lún",
                "Một đoạn hè dài khoảng 10 m bị sụt, gạch vỡ, người đi bộ phải xuống lòng đường.",
            ),
            ("Nắp hố ga trên phố {street} bị vỡ", "Nắp hố ga giữa đường bị vỡ một góc, ban đêm rất nguy hiểm."),
        ],
    ),
    "ngap-ung-thoat-nuoc": (
        8,
        [
            (
                "Ngập sâu sau mưa ở phố {street}",
                "Mỗi trận mưa to nước ngập 30–40 cm, tràn vào nhà dân; cống thoát bị tắc.",
            ),
            ("Cống thoát nước phố {street} bốc mùi", "Cống hở không có nắp đậy, rác ùn ứ, mùi hôi suốt ngày."),
        ],
    ),
    "chieu-sang": (
        8,
        [
            ("Đèn đường phố {street} không sáng", "Một dãy cột đèn tắt nhiều đêm liền, đoạn đường rất tối."),
            (
                "Đèn chiếu sáng ngõ phố {street} hỏng",
                "Đèn trong ngõ hỏng hơn hai tuần, người dân đi lại buổi tối không an toàn.",
            ),
        ],
    ),
    "cay-xanh": (
        5,
        [
            ("Cây xanh nghiêng nguy hiểm trên phố {street}", "Cây lớn bị nghiêng sau mưa bão, rễ bật lên vỉa hè."),
            ("Cành cây khô trên phố {street} có thể gãy", "Nhiều cành khô lớn vươn ra lòng đường, cần cắt tỉa sớm."),
        ],
    ),
    "dien": (
        5,
        [
            ("Dây điện sà thấp trên phố {street}", "Dây điện võng thấp ngang đầu người, xe tải đi qua có thể vướng."),
            ("Mất điện kéo dài ở khu phố {street}", "Khu dân cư mất điện từ sáng, chưa thấy thông báo lịch cắt điện."),
        ],
    ),
    "cap-nuoc": (
        4,
        [
            ("Vỡ ống nước trên phố {street}", "Ống nước vỡ, nước chảy tràn mặt đường nhiều giờ liền."),
            ("Nước sinh hoạt yếu ở phố {street}", "Nước máy chảy rất yếu vào buổi tối, các tầng trên không có nước."),
        ],
    ),
    "den-tin-hieu": (
        3,
        [
            (
                "Đèn tín hiệu ngã tư {street} hỏng",
                "Đèn giao thông nhấp nháy vàng cả ngày, xe cộ tranh nhau đi rất nguy hiểm.",
            ),
        ],
    ),
    "trat-tu-do-thi": (
        10,
        [
            (
                "Lấn chiếm vỉa hè kinh doanh trên phố {street}",
                "Quán ăn bày bàn ghế kín vỉa hè, người đi bộ phải đi dưới lòng đường.",
            ),
            ("Xây dựng lấn ra lòng đường ở phố {street}", "Một hộ dân dựng mái che và bục bê tông lấn ra mặt đường."),
        ],
    ),
    "ve-sinh-moi-truong": (
        10,
        [
            (
                "Rác thải đổ trộm ở phố {street}",
                "Có người đổ trộm rác thải xây dựng vào ban đêm, bốc mùi và lấn ra lòng đường.",
            ),
            ("Điểm tập kết rác phố {street} quá tải", "Rác để qua đêm không được thu gom, chó mèo bới tung ra vỉa hè."),
        ],
    ),
    "an-ninh-trat-tu": (
        4,
        [
            (
                "Tụ tập gây ồn ào ban đêm ở phố {street}",
                "Nhóm thanh niên tụ tập, rú ga xe máy sau 23 giờ nhiều đêm liền.",
            ),
            (
                "Karaoke gây ồn quá giờ ở phố {street}",
                "Quán karaoke mở loa lớn đến 1–2 giờ sáng, ảnh hưởng giấc ngủ người dân.",
            ),
        ],
    ),
    "an-toan-thuc-pham": (
        2,
        [
            (
                "Cơ sở chế biến thực phẩm mất vệ sinh ở phố {street}",
                "Cơ sở làm giò chả xả nước thải ra rãnh chung, nghi dùng hàn the.",
            ),
        ],
    ),
    "giao-duc": (
        2,
        [
            (
                "Thu tiền ngoài quy định ở trường học phố {street}",
                "Phụ huynh được đề nghị nộp nhiều khoản ngoài quy định đầu năm học.",
            ),
        ],
    ),
    "van-hoa-du-lich": (
        1,
        [
            (
                "Biển quảng cáo sai quy định trên phố {street}",
                "Nhiều biển quảng cáo che khuất biển báo giao thông và lối đi.",
            ),
        ],
    ),
    "gop-y-quy-hoach": (
        2,
        [
            (
                "Đề xuất làn xe đạp trên phố {street}",
                "Đề nghị bố trí làn xe đạp để người dân đi lại và tập thể dục an toàn hơn.",
            ),
            (
                "Đề nghị thêm vườn hoa, sân chơi gần phố {street}",
                "Khu dân cư đông nhưng thiếu chỗ vui chơi cho trẻ em.",
            ),
        ],
    ),
    "gop-y-cai-cach-hanh-chinh": (
        2,
        [
            (
                "Góp ý về giờ tiếp dân của phường",
                "Đề nghị bộ phận một cửa làm thêm sáng thứ Bảy cho người đi làm hành chính.",
            ),
        ],
    ),
    "gop-y-khac": (
        1,
        [
            ("Đề nghị lắp thêm ghế đá ven phố {street}", "Người cao tuổi đi bộ buổi sáng không có chỗ nghỉ chân."),
        ],
    ),
    "ho-so-tre-han": (
        3,
        [
            (
                "Hồ sơ cấp giấy chứng nhận bị trễ hẹn",
                "Hồ sơ đã quá ngày hẹn trả nhưng chưa nhận được kết quả hay thông báo.",
            ),
        ],
    ),
    "thai-do-can-bo": (
        2,
        [
            (
                "Phản ánh thái độ cán bộ tiếp nhận hồ sơ",
                "Cán bộ trả lời thiếu tôn trọng và không hướng dẫn rõ giấy tờ cần bổ sung.",
            ),
        ],
    ),
    "chi-dao-lanh-dao": (
        1,
        [
            (
                "Chậm thực hiện kết luận về cải tạo phố {street}",
                "Thành phố đã chỉ đạo cải tạo vỉa hè từ quý trước nhưng chưa triển khai.",
            ),
        ],
    ),
}
# Quick fixes of the current month's first days: categories a ward or a utility answers within hours.
FRESH_CATEGORIES = ["duong-he-pho", "chieu-sang", "cay-xanh", "dien", "cap-nuoc", "ve-sinh-moi-truong"]
URGENT_CATEGORIES = {"dien", "cap-nuoc", "cay-xanh", "ngap-ung-thoat-nuoc", "den-tin-hieu"}

# No rule routes these (1022 triages them): where the centre sends them, "ward" for the ward's committee.
TRIAGED_TO = {"gop-y-quy-hoach": "so-xay-dung"}
# Where the centre re-routes a report a ward returned as not its competence, by top-level category.
RETURNED_TO = {"su-co-ha-tang-ky-thuat": "so-xay-dung", "kinh-te-van-hoa-xa-hoi": "so-nong-nghiep-va-moi-truong"}

ANSWERS = [
    "Đơn vị đã kiểm tra hiện trường và chỉ đạo khắc phục xong. Cảm ơn ông/bà đã phản ánh.",
    "Đã giao tổ công tác xử lý, lập biên bản và yêu cầu khắc phục; đơn vị sẽ tiếp tục kiểm tra thường xuyên.",
    "Nội dung phản ánh đúng. Đơn vị đã phối hợp với các bên liên quan xử lý dứt điểm trong tuần.",
    "Đơn vị đã tiếp thu ý kiến và đưa vào kế hoạch thực hiện; kết quả sẽ được thông báo công khai.",
]
RETURN_REASONS = [
    "Tuyến đường do thành phố quản lý, không thuộc thẩm quyền của phường.",
    "Nội dung thuộc lĩnh vực của sở chuyên ngành, đề nghị Trung tâm 1022 chuyển đúng đơn vị.",
]
REJECT_REASONS = [
    "Nội dung là khiếu nại, đề nghị công dân gửi theo thủ tục giải quyết khiếu nại.",
    "Phản ánh trùng nội dung đã được trả lời, không có thông tin mới.",
    "Nội dung không đủ thông tin để xác minh (không rõ địa điểm).",
]
REOPEN_REASONS = [
    "Sau vài ngày tình trạng vẫn như cũ, đề nghị kiểm tra lại.",
    "Mới khắc phục tạm, hôm qua lại hỏng như trước.",
]
RATING_COMMENTS = ["", "", "Xử lý nhanh, cảm ơn phường.", "Cảm ơn cán bộ.", "Chưa triệt để."]
SCORES = [Satisfaction.VERY_SATISFIED] * 5 + [Satisfaction.SATISFIED] * 4 + [Satisfaction.UNSATISFIED]
LATE_SCORES = [Satisfaction.VERY_SATISFIED] + [Satisfaction.SATISFIED] * 3 + [Satisfaction.UNSATISFIED] * 3

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@contextlib.contextmanager
def keeping_given_times(*models):
    """bulk_create that keeps the created_at/updated_at given to each row instead of "now".

    auto_now/auto_now_add are switched off on the models' fields for the duration: for a loading
    command or a benchmark filler run before serving, never inside a serving process.
    """
    changed = []
    for model in models:
        for field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(field, flag, False):
                    setattr(field, flag, False)
                    changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


class _World:
    """What every life reads, read once: categories, policies, agencies, people."""

    def __init__(self, now):
        self.now = now
        self.categories = {category.slug: category for category in Category.objects.select_related("parent")}
        self.units = {
            unit.code: unit
            for unit in AdministrativeUnit.objects.filter(code__in=WARDS).only("code", "seat_lat", "seat_lng")
        }
        self.agencies = {agency.slug: agency for agency in Agency.objects.all()}
        self.hotline = next((a for a in self.agencies.values() if a.kind == AgencyKind.HOTLINE), None)
        self.urgent = Urgency.objects.filter(slug="khan").first()
        from . import demo

        self.city_wide = {
            slug: agency for _s, _n, _p, children in demo.CATEGORIES for slug, _name, agency in children if agency
        }
        self.ward_routed = set(demo.WARD_ROUTED)
        users = get_user_model().objects.filter(username__in=["canbo.lechan", "lanhdao.lechan", "dieuphoi.1022"])
        users = {user.username: user for user in users}
        self.officer, self.leader, self.operator = (
            users.get(name) for name in ("canbo.lechan", "lanhdao.lechan", "dieuphoi.1022")
        )
        self._policies = {}
        today = timezone.localdate(now)
        self.calendar = calendar.WorkingCalendar(today - dt.timedelta(days=DAYS + 10), today + dt.timedelta(days=90))

    def top(self, category):
        return category.parent or category

    def rule_agency(self, category, unit_code):
        """The agency the demo's routing rules give (feedback.demo.load_routing), or None: 1022."""
        if category.slug in self.city_wide:
            return self.agencies.get(self.city_wide[category.slug])
        if self.top(category).slug in self.ward_routed:
            return self.agencies.get(f"ubnd-{unit_code}")
        return None

    def triage_target(self, category, unit_code):
        return self.agencies.get(TRIAGED_TO.get(category.slug, f"ubnd-{unit_code}"))

    def due_after(self, start, amount, unit):
        """deadlines.due_after, with the calendar read once for the whole period (a query per clock
        made loading take seconds); tests/feedback/test_demo.py checks both agree on every report."""
        if unit != TimeUnit.WORKING_DAYS:
            return deadlines.due_after(start, amount, unit)
        day = timezone.localtime(start).date()
        if amount <= 0:
            return deadlines.due_after(start, amount, unit)
        while amount:
            day += dt.timedelta(days=1)
            amount -= self.calendar.is_working_day(day)
        return deadlines._office_close(day)  # the same close of office hours as every deadline

    def policy(self, report):
        key = (report.category_id, report.urgency_id)
        if key not in self._policies:
            self._policies[key] = deadlines.policy_for(report)
        return self._policies[key]

    def handlers(self, agency):
        """(officer, leader) acting for the agency: the demo's own for Lê Chân, nobody named elsewhere."""
        if agency is not None and agency.slug == "ubnd-11383":
            return self.officer, self.leader
        return None, None


class _Life:
    """One report's steps, taken while they fall before now; the first step that would not stops it."""

    def __init__(self, world, rng, report, *, fresh, pace):
        self.world, self.rng, self.report = world, rng, report
        self.fresh, self.pace = fresh, pace
        self.events, self.answers, self.ratings = [], [], []
        self.at = report.created_at

    def wait(self, window, low, high):
        """When the next step comes: a share of the running clock's window (late when above 1), or, for
        the current month's quick fixes, within hours."""
        if self.fresh:
            return self.at + HOUR * self.rng.uniform(0.2, 1.5) * self.pace
        return self.at + max(window, HOUR) * self.rng.uniform(low, high)

    def step(self, at, kind, *, to_status="", actor=None, agency=None, message="", public=True):
        if at >= self.world.now:
            return False
        report = self.report
        event = ReportEvent(
            report=report,
            kind=kind,
            actor=actor,
            agency=agency,
            from_status=report.status if to_status and kind != EventKind.SUBMITTED else "",
            to_status=to_status,
            message=message,
            is_public=public,
            notified_at=at,
        )
        event.created_at = at
        self.events.append(event)
        if to_status:
            report.status = to_status
        report.updated_at = self.at = at
        return True

    def stalls(self, chance):
        """Whether the work stops here (a backlog, past its clock sooner or later): only for reports of
        the last STALL_DAYS (older ones were all dealt with), never for the current month's quick fixes."""
        roll = self.rng.random()  # drawn always, so one change of age does not reshuffle every other life
        return not self.fresh and self.world.now - self.report.created_at < STALL_DAYS * DAY and roll < chance

    def accept_clock(self, start):
        policy = self.world.policy(self.report)
        self.report.accept_due_at = self.world.due_after(start, policy.accept_within, policy.unit)

    def answer_clock(self, start):
        policy = self.world.policy(self.report)
        self.report.answer_due_at = self.world.due_after(start, policy.answer_within, policy.unit)

    def live(self):
        report, world, rng = self.report, self.world, self.rng
        self.step(report.created_at, EventKind.SUBMITTED, to_status=ReportStatus.SUBMITTED, actor=report.reporter)
        routed = report.created_at + dt.timedelta(seconds=rng.uniform(5, 90))
        agency = world.rule_agency(report.category, report.unit_id)
        if not self.route(routed, agency):
            return
        if agency is None and not self.triage():
            return
        if not self.handle() or not self.answer():
            return
        self.after_answer()

    def route(self, at, agency):
        report = self.report
        report.agency = agency or self.world.hotline
        report.routed_at = at
        self.accept_clock(at)
        self.step(at, EventKind.RECEIVED, agency=report.agency)
        kind, status = (EventKind.ROUTED, ReportStatus.ASSIGNED) if agency else (EventKind.TRIAGE, ReportStatus.TRIAGE)
        return self.step(at, kind, to_status=status, agency=report.agency)

    def triage(self):
        """The 1022 centre places what no rule could: to the ward (or a department), or refuses it."""
        report, world, rng = self.report, self.world, self.rng
        if self.stalls(0.06):
            return False  # still waiting for the centre, past its clock
        at = self.wait(report.accept_due_at - self.at, 0.1, 1.2)
        if world.top(report.category).slug == "thu-tuc-hanh-chinh" and rng.random() < 0.2:
            if self.step(
                at,
                EventKind.REJECTED,
                to_status=ReportStatus.REJECTED,
                actor=world.operator,
                agency=report.agency,
                message=rng.choice(REJECT_REASONS),
            ):
                report.closed_at = at
            return False
        target = world.triage_target(report.category, report.unit_id)
        if target is None or not self.step(
            at, EventKind.ROUTED, to_status=ReportStatus.ASSIGNED, actor=world.operator, agency=target
        ):
            return False
        report.agency = target
        self.accept_clock(at)
        return True

    def handle(self):
        """The agency accepts, or returns the report to 1022 as not its competence, or refuses it."""
        report, world, rng = self.report, self.world, self.rng
        transferred = False
        while True:
            officer, leader = world.handlers(report.agency)
            if self.stalls(0.06):
                return False  # nobody has taken it yet: the accept clock runs out
            roll = 1.0 if self.fresh else rng.random()
            at = self.wait(report.accept_due_at - self.at, 0.05, 1.3)
            ward = report.agency.kind == AgencyKind.WARD_COMMITTEE
            if ward and not transferred and roll < 0.07:
                if not self.step(
                    at,
                    EventKind.RETURNED,
                    to_status=ReportStatus.RETURNED,
                    actor=officer,
                    agency=report.agency,
                    message=rng.choice(RETURN_REASONS),
                ):
                    return False
                self.accept_clock(at)  # the centre's clock to route it again
                if rng.random() < 0.15:
                    return False  # still at the centre
                at = self.wait(report.accept_due_at - self.at, 0.1, 1.1)
                target = world.agencies.get(RETURNED_TO.get(world.top(report.category).slug, "so-xay-dung"))
                if target is None or not self.step(
                    at, EventKind.TRANSFERRED, to_status=ReportStatus.ASSIGNED, actor=world.operator, agency=target
                ):
                    return False
                report.agency, transferred = target, True
                self.accept_clock(at)
                continue
            if roll < 0.1:
                if self.step(
                    at,
                    EventKind.REJECTED,
                    to_status=ReportStatus.REJECTED,
                    actor=officer,
                    agency=report.agency,
                    message=rng.choice(REJECT_REASONS),
                ):
                    report.closed_at = at
                return False
            if not self.step(
                at, EventKind.ACCEPTED, to_status=ReportStatus.IN_PROGRESS, actor=officer, agency=report.agency
            ):
                return False
            report.accepted_at = at
            self.answer_clock(at)
            if officer is not None and self.step(
                at + dt.timedelta(minutes=rng.uniform(5, 90)) if not self.fresh else at,
                EventKind.ASSIGNED_OFFICER,
                actor=leader,
                agency=report.agency,
                message=str(officer),
                public=False,
            ):
                report.assignee = officer
            return True

    def answer(self, *, reopened=False):
        """An officer writes the answer, the leader approves it, it is published."""
        report, rng = self.report, self.rng
        officer, leader = self.world.handlers(report.agency)
        if not reopened and self.stalls(0.1):
            return False  # no answer yet, and the answer clock runs out
        at = self.wait(report.answer_due_at - self.at, 0.15, 1.35)
        needs_approval = report.agency.answers_need_approval
        answer = Answer(
            report=report, agency=report.agency, author=officer, text=rng.choice(ANSWERS), status=AnswerStatus.PENDING
        )
        answer.created_at = at
        if needs_approval:
            if not self.step(
                at,
                EventKind.ANSWER_DRAFTED,
                actor=officer,
                agency=report.agency,
                message="Gửi lãnh đạo duyệt trả lời.",
                public=False,
            ):
                return False
            self.answers.append(answer)  # waiting for the leader, if the next step is still to come
            if self.stalls(0.14):
                return False  # the leader has not got to it yet
            at = (
                self.at + HOUR * rng.uniform(0.2, 1.5) * self.pace
                if self.fresh
                else self.at + HOUR * rng.uniform(2, 40)
            )
            if not self.step(at, EventKind.ANSWER_APPROVED, actor=leader, agency=report.agency, public=False):
                return False
        elif at >= self.world.now:
            return False
        else:
            self.answers.append(answer)
        answer.status, answer.published_at, answer.approved_by = AnswerStatus.PUBLISHED, at, leader
        self.step(
            at, EventKind.ANSWERED, to_status=ReportStatus.ANSWERED, actor=leader or officer, agency=report.agency
        )
        report.answered_at, report.closed_at = at, None
        return True

    def after_answer(self):
        """The reporter rates, sometimes reopens (within 7 days); answered reports close after a week."""
        report, world, rng = self.report, self.world, self.rng
        answer = self.answers[-1]
        score = None
        if rng.random() < (0.7 if self.fresh else 0.45):
            at = self.at + (HOUR * rng.uniform(0.3, 3) * self.pace if self.fresh else HOUR * rng.uniform(2, 72))
            late = report.answered_at > report.answer_due_at
            score = rng.choice(LATE_SCORES if late else SCORES)
            if self.step(
                at, EventKind.RATED, actor=report.reporter, agency=answer.agency, message=str(Satisfaction(score).label)
            ):
                rating = Rating(
                    report=report, answer=answer, agency=answer.agency, score=score, comment=rng.choice(RATING_COMMENTS)
                )
                rating.created_at = at
                self.ratings.append(rating)
            else:
                return
        if self.fresh:
            return
        reopen = rng.random() < (0.4 if score == Satisfaction.UNSATISFIED else 0.02)
        if reopen:
            at = report.answered_at + DAY * rng.uniform(1, 6)
            if max(at, self.at) >= world.now:
                return
            self.step(
                max(at, self.at),
                EventKind.REOPENED,
                to_status=ReportStatus.REOPENED,
                actor=report.reporter,
                agency=report.agency,
                message=rng.choice(REOPEN_REASONS),
            )
            self.answer_clock(self.at)
            if not self.answer(reopened=True):
                return
        if rng.random() < 0.7:
            officer, _leader = world.handlers(report.agency)
            at = max(self.at, report.answered_at + DAY * rng.uniform(7, 12))
            if self.step(at, EventKind.CLOSED, to_status=ReportStatus.CLOSED, actor=officer, agency=report.agency):
                report.closed_at = at


def _weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[key][0] for key in keys])[0]


def _filed_at(rng, now):
    """A moment in the past DAYS days, more of them lately (more citizens use the portal every month)."""
    # Density growing as 1 + 4x from DAYS ago (x = 0) to now (x = 1): the inverse of its distribution.
    x = (-1 + math.sqrt(1 + 24 * rng.random())) / 4
    return now - DAY * DAYS * (1 - x) - dt.timedelta(minutes=10)


def _fresh_window(now):
    """Where the current month's quick fixes are filed, and how fast their lives run (1: normal)."""
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = max(month_start, now - 2 * DAY)
    return start, min(1.0, (now - start) / (2 * DAY))


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


def _new_report(world, rng, citizens, created, *, fresh):
    slug = rng.choice(FRESH_CATEGORIES) if fresh else _weighted(rng, CATEGORIES)
    code = _weighted(rng, WARDS)
    unit = world.units[code]
    street = rng.choice(WARDS[code][1])
    title, description = rng.choice(CATEGORIES[slug][1])
    category = world.categories[slug]
    public = rng.random() < 0.8
    report = Report(
        category=category,
        urgency=world.urgent if slug in URGENT_CATEGORIES and rng.random() < 0.3 else None,
        title=title.format(street=street),
        description=description,
        address=f"Số {rng.randint(1, 250)} {street}",
        lat=unit.seat_lat + rng.uniform(-0.006, 0.006) if unit.seat_lat else None,
        lng=unit.seat_lng + rng.uniform(-0.006, 0.006) if unit.seat_lng else None,
        unit=unit,
        is_public=public,
        hide_identity=rng.random() < 0.1,
        reporter=rng.choice(citizens),
        channel=Channel.API if rng.random() < 0.3 else Channel.WEB,
        status=ReportStatus.SUBMITTED,
    )
    report.created_at = report.updated_at = created
    return report


def _reserve_codes(reports):
    """Tracking codes from the portal's own yearly counter, in the order the reports were filed."""
    by_year = {}
    for report in sorted(reports, key=lambda item: item.created_at):
        by_year.setdefault(timezone.localtime(report.created_at).year, []).append(report)
    for year, filed in by_year.items():
        ReportCodeCounter.objects.get_or_create(year=year)
        ReportCodeCounter.objects.filter(year=year).update(last=F("last") + len(filed))
        last = ReportCodeCounter.objects.get(year=year).last
        for number, report in enumerate(filed, start=last - len(filed) + 1):
            report.code = f"PA-{year}-{number:06d}"


def load(count=REPORTS, *, now=None):
    """Write the demo's months of reports, once. Returns how many were added (0 when they exist)."""
    from smarthp.text import search_key

    if Report.objects.filter(idempotency_key__startswith=BULK_KEY_PREFIX).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)
    world = _World(now)
    if world.hotline is None or len(world.units) < len(WARDS) or not set(CATEGORIES) <= set(world.categories):
        return 0  # the government demo or the categories are missing: nothing to file against
    citizens = demo_citizens(rng)
    fresh_start, pace = _fresh_window(now)
    lives = []
    for number in range(count):
        fresh = number < FRESH
        created = fresh_start + (now - fresh_start) * rng.uniform(0, 0.6) if fresh else _filed_at(rng, now)
        report = _new_report(world, rng, citizens, created, fresh=fresh)
        report.idempotency_key = f"{BULK_KEY_PREFIX}{number}"
        life = _Life(world, rng, report, fresh=fresh, pace=pace)
        life.live()
        lives.append(life)
    reports = [life.report for life in lives]
    _reserve_codes(reports)
    for report in reports:
        report.search_key = search_key(f"{report.title} {report.description} {report.address} {report.code}")
    with keeping_given_times(Report, ReportEvent, Answer, Rating):
        Report.objects.bulk_create(reports)
        Answer.objects.bulk_create([answer for life in lives for answer in life.answers])
        Rating.objects.bulk_create([rating for life in lives for rating in life.ratings])
        ReportEvent.objects.bulk_create([event for life in lives for event in life.events])
    return len(reports)
