"""Demo data of news: articles for the city and Phường Lê Chân, an urgent notice to Phường Lê Chân,
reception schedules, and the power company's outages for Lê Chân with a staff account for it.

Idempotent: run again, it finds everything in place and changes nothing. Made through the services
(the notice is sent, by SMS too, to the demo citizen of Lê Chân, who consented to notices). One
planned outage starts in a few hours, as if announced a week ago: its day-before warning goes out
at the end of the load, so the demo citizen finds it at /dev/sms/.

Demo account: `dienluc.haiphong` (password demo12345, TOTP as the other demo officers): staff of
Công ty TNHH MTV Điện lực Hải Phòng, enters the company's outages at /can-bo/tin-tuc/cat-dien-nuoc/.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image

from feedback import photos
from government.demo import _account, say, upsert
from government.models import Agency, Membership, Role

from . import services
from .models import Article, Outage, OutageKind, Schedule, ScheduleKind, UtilityKind, WardNotice

LE_CHAN = "11383"
POWER_STAFF = "dienluc.haiphong"
POWER_COMPANY = "dien-luc-hai-phong"

ARTICLES = [
    (
        "Hải Phòng khởi công tuyến đường ven sông Lạch Tray",
        "Tuyến đường dài 5,6 km nối các phường trung tâm, dự kiến hoàn thành năm 2028.",
        "<p>Sáng nay, thành phố khởi công tuyến đường ven sông Lạch Tray.</p>"
        "<h2>Lợi ích</h2><ul><li>Giảm ùn tắc giờ cao điểm</li><li>Thêm không gian xanh ven sông</li></ul>",
        "giao-thong",
        None,
        2,
    ),
    (
        "Lễ hội Hoa Phượng Đỏ năm 2027 mở đăng ký tham gia",
        "Các đơn vị, nghệ nhân đăng ký gian hàng và tiết mục trước ngày 15/01/2027.",
        "<p>Ban tổ chức <strong>Lễ hội Hoa Phượng Đỏ</strong> thông báo mở đăng ký.</p>",
        "van-hoa",
        None,
        1,
    ),
    (
        "Tiêm chủng mở rộng tại các trạm y tế trong tháng 12",
        "Trẻ dưới 5 tuổi được tiêm miễn phí theo lịch của trạm y tế phường, xã.",
        "<p>Phụ huynh mang theo sổ tiêm chủng khi đến trạm y tế.</p>",
        "y-te",
        None,
        0,
    ),
    (
        "Phường Lê Chân ra mắt mô hình tuyến phố văn minh",
        "Tuyến phố Hàng Kênh được chọn làm điểm, với vỉa hè thông thoáng và thu gom rác đúng giờ.",
        "<p>UBND Phường Lê Chân ra mắt mô hình <em>tuyến phố văn minh</em> trên phố Hàng Kênh.</p>",
        "xa-hoi",
        LE_CHAN,
        1,
    ),
]

NOTICE_TITLE = "Ngừng cấp nước khu vực Tổ dân phố 2 để sửa chữa đường ống"


def _picture():
    image = Image.new("RGB", (640, 360), (11, 92, 171))
    for x in range(0, 640, 40):
        image.paste((242, 169, 0), (x, 300, x + 20, 360))
    data = io.BytesIO()
    image.save(data, "JPEG")
    return photos.process(data.getvalue())


def _power_staff(stdout):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    from citizens.demo import DEMO_TOTP_SECRET

    company = Agency.objects.get(slug=POWER_COMPANY)
    if not company.phone:
        company.phone = "19006595"
        company.save(update_fields=["phone"])
    user = _account(POWER_STAFF, full_name="Đỗ Văn Hải")
    upsert(Membership, {"user": user, "agency": company, "role": Role.OFFICER}, {"is_active": True})
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
    )
    return user, company


def load(stdout=None):
    editor = get_user_model().objects.filter(username="bientap").first()
    if editor is None:
        return
    now = timezone.now()
    made = 0
    for position, (title, summary, body, category, ward, days_ago) in enumerate(ARTICLES):
        if Article.objects.filter(title=title).exists():
            continue
        article = services.save_article(
            editor=editor,
            title=title,
            summary=summary,
            body=body,
            category=category,
            is_citywide=ward is None,
            ward_codes=[ward] if ward else [],
            picture=_picture() if position == 0 else None,
            picture_caption="Phối cảnh tuyến đường" if position == 0 else "",
            author_name="Ban biên tập",
        )
        services.publish_article(
            editor=editor, article_id=article.pk, at=now - datetime.timedelta(days=days_ago, hours=position)
        )
        made += 1
    if not WardNotice.objects.filter(title=NOTICE_TITLE).exists():
        services.publish_notice(
            editor=editor,
            title=NOTICE_TITLE,
            body="Công ty CP Cấp nước Hải Phòng ngừng cấp nước từ 8 giờ đến 16 giờ ngày mai để sửa đường ống "
            "trên phố Hàng Kênh. Bà con chủ động trữ nước.",
            ward_codes=[LE_CHAN],
            is_urgent=True,
        )
    local = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    for kind, title, ward, days, host, place in [
        (ScheduleKind.RECEPTION, "Chủ tịch UBND phường tiếp công dân định kỳ", LE_CHAN, 3,
         "Chủ tịch UBND Phường Lê Chân", "Trụ sở UBND Phường Lê Chân"),
        (ScheduleKind.VOTERS, "Đại biểu HĐND thành phố tiếp xúc cử tri", LE_CHAN, 8, "Tổ đại biểu HĐND thành phố",
         "Nhà văn hóa Tổ dân phố 2"),
        (ScheduleKind.RECEPTION, "Lãnh đạo UBND thành phố tiếp công dân", None, 5, "Phó Chủ tịch UBND thành phố",
         "Trụ sở Tiếp công dân thành phố, 18 Hoàng Diệu"),
    ]:  # fmt: skip
        if not Schedule.objects.filter(title=title).exists():
            start = (local + datetime.timedelta(days=days)).replace(hour=8)
            services.save_schedule(
                editor=editor, kind=kind, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                place=place, host=host, ward_code=ward,
            )  # fmt: skip
    staff, company = _power_staff(stdout)
    if not Outage.objects.filter(company=company).exists():
        start = (local + datetime.timedelta(days=6)).replace(hour=7, minute=30)
        services.save_outage(
            staff=staff, company_id=company.pk, kind=OutageKind.PLANNED, utility=UtilityKind.POWER,
            area="Phố Lạch Tray (đoạn từ số 1 đến số 120), phố Hàng Kênh", ward_codes=[LE_CHAN],
            places="TBA Lạch Tray 3\nTBA Hàng Kênh 1", starts_at=start, ends_at=start + datetime.timedelta(hours=9),
            reason="Bảo dưỡng, thay thế thiết bị trạm biến áp",
        )  # fmt: skip
        # Announced a week ago (Thông tư 22/2020: five days ahead), it starts in a few hours: made in
        # the table directly, as the rule looks at the time it was entered. Its warning is due now.
        tomorrow = local + datetime.timedelta(hours=5)
        outage = Outage.objects.create(
            company=company, created_by=staff, kind=OutageKind.PLANNED, utility=UtilityKind.POWER,
            area="Khu dân cư Tổ dân phố 2, phố Lạch Tray", places="TBA Lạch Tray 2",
            starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=4),
            reason="Đấu nối đường dây trung thế",
        )  # fmt: skip
        outage.wards.set([LE_CHAN])
    warned = services.warn_due_outages()
    say(stdout, f"  news: {made} articles, notices, schedules, outages of {company.name}; {warned} warnings sent.\n")
    say(stdout, f"  news: power company staff account {POWER_STAFF}.\n")
