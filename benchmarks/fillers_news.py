"""Benchmark fillers of news (registered with benchmarks.fillers.filler on import).

`--articles N`: articles over five years, newest now; three in ten for the whole city, the rest for
one ward (one in seven for two), the ward taken from the article's id; one in 25 a draft, one in
50 scheduled for the next two weeks, the rest published. Bodies of 2-3 KB, already clean HTML.
`--notices N`: ward notices over the past year, one in ten urgent, most shown for 3-14 days.
`--outages N`: power (four in five) and water cuts over a year, from eleven months ago to a month
ahead, for one or two wards each, with their substations, warning times and a few cancelled.

Benchmark rows are told apart by a mark ("dữ liệu thử") in the author name (articles), the title
(notices) or the reason (outages): that is how they are counted and removed by --reset. On
PostgreSQL each kind is one INSERT … SELECT over generate_series per 50,000 rows, then the wards
in one INSERT … SELECT; elsewhere bulk_create in batches.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.fillers import BATCH, filler, in_batches
from smarthp.text import search_key

MARK = "dữ liệu thử"
ARTICLE_AUTHOR = f"Ban biên tập ({MARK})"
NOTICE_SUFFIX = f" ({MARK})"
OUTAGE_SUFFIX = f" ({MARK})"
ARTICLE_YEARS = 5
STEP = 50_000

# (category, title, summary): what a city newsroom writes about, ward news and city news alike.
ARTICLES = [
    ("giao-thong", "Khởi công nâng cấp tuyến đường Lạch Tray", "Tuyến đường được mở rộng lên sáu làn xe."),
    ("giao-thong", "Phân luồng giao thông qua nút Cầu Đất", "Xe trên 16 chỗ đi đường vòng từ ngày mai."),
    ("chinh-quyen", "Tiếp nhận hồ sơ trực tuyến toàn trình", "Người dân nộp hồ sơ không cần đến trụ sở."),
    ("chinh-quyen", "Hội nghị đối thoại với người dân về chỉnh trang đô thị", "Lãnh đạo trả lời 24 ý kiến."),
    ("xa-hoi", "Ra quân tổng vệ sinh môi trường cuối tuần", "Các tổ dân phố thu gom rác, phát quang."),
    ("xa-hoi", "Trao quà cho hộ nghèo dịp Tết", "Mỗi hộ nhận một suất quà và tiền mặt."),
    ("kinh-te", "Chợ phiên nông sản an toàn mở cửa hằng tháng", "Các hợp tác xã bày bán rau, quả có nguồn gốc."),
    ("kinh-te", "Hướng dẫn đăng ký hộ kinh doanh trực tuyến", "Các bước khai báo trên Cổng dịch vụ công."),
    ("van-hoa", "Lễ hội Hoa Phượng Đỏ chào đón du khách", "Chuỗi sự kiện văn hóa kéo dài một tuần."),
    ("van-hoa", "Khai trương thư viện sách cộng đồng", "Thư viện mở cửa miễn phí các ngày trong tuần."),
    ("y-te", "Tiêm chủng mở rộng tại trạm y tế", "Trẻ dưới 5 tuổi được tiêm miễn phí theo lịch."),
    ("y-te", "Khám sức khỏe miễn phí cho người cao tuổi", "Bác sĩ tuyến thành phố về khám, tư vấn."),
    ("thoi-su", "Phòng chống bão: sơ tán dân khỏi vùng nguy hiểm", "Các lực lượng trực 24/24 giờ."),
    ("thoi-su", "Kết quả kỳ họp Hội đồng nhân dân", "Thông qua 18 nghị quyết về kinh tế, xã hội."),
]
PARAGRAPH = (
    "<p>Theo <strong>UBND</strong>, chương trình được triển khai từ đầu tháng, với sự tham gia của các "
    "tổ dân phố, đoàn thể và người dân. Mọi thắc mắc xin liên hệ bộ phận một cửa hoặc đường dây nóng "
    "1022 để được hướng dẫn cụ thể về thời gian, địa điểm và giấy tờ cần mang theo.</p>"
)
BODIES = [
    PARAGRAPH * 6,
    PARAGRAPH * 4 + "<h2>Lưu ý</h2><ul><li>Mang theo căn cước</li><li>Đến đúng giờ hẹn</li></ul>" + PARAGRAPH * 2,
    PARAGRAPH * 3 + "<blockquote>Chúng tôi mong người dân cùng tham gia.</blockquote>" + PARAGRAPH * 4,
]
NOTICES = [
    ("Ngừng cấp nước để sửa chữa đường ống", "Bà con chủ động trữ nước từ 8 giờ đến 16 giờ."),
    ("Phun thuốc diệt muỗi phòng sốt xuất huyết", "Đề nghị các hộ mở cửa cho đội phun thuốc."),
    ("Lịch thu gom rác thay đổi trong dịp lễ", "Rác được thu gom vào buổi tối từ 19 giờ."),
    ("Họp tổ dân phố lấy ý kiến về chỉnh trang ngõ", "Mời đại diện các hộ dự họp tại nhà văn hóa."),
    ("Cảnh báo triều cường, ngập úng", "Không để xe, đồ đạc ở tầng trệt vùng trũng."),
]
AREAS = [
    "Phố Lạch Tray (đoạn từ số 1 đến số 120), phố Hàng Kênh",
    "Khu dân cư Tổ dân phố 2, 3, 5",
    "Toàn bộ khu đô thị mới và các ngõ lân cận",
    "Đường Tô Hiệu, phố Dư Hàng, một phần phố Chợ Hàng",
]
PLACES = ["TBA Lạch Tray 3\nTBA Hàng Kênh 1", "TBA Dư Hàng 2", "TBA Chợ Hàng 5\nĐường Tô Hiệu", "Đường Văn Cao"]
REASONS = ["Bảo dưỡng, thay thế thiết bị trạm biến áp", "Đấu nối đường dây trung thế", "Sửa chữa đường ống"]


def _article_key(index, body):
    from news.sanitize import plain_text

    _category, title, summary = ARTICLES[index]
    return search_key(f"{title} {summary} {plain_text(BODIES[body])}")[:20_000]


def _array(values):
    """A literal array of these ints for the SQL (ward codes and agency ids are ours, not input)."""
    return "ARRAY[" + ",".join(str(int(value)) for value in values) + "]"


def _wards():
    from benchmarks.fillers import fill_units
    from government.models import AdministrativeUnit

    fill_units(0, log=lambda message: None)
    return list(AdministrativeUnit.objects.order_by("code").values_list("code", flat=True))


def _set_wards(table, column, ids_sql, second_every, wards):
    """Each row's ward from its id (one in `second_every` gets a second), in one INSERT … SELECT."""
    codes = "ARRAY[" + ",".join(f"'{code}'" for code in wards) + "]"
    n = len(wards)
    sql = f"""
        INSERT INTO {table}_wards ({column}, administrativeunit_id)
        SELECT id, ({codes})[1 + mod(id, {n})] FROM ({ids_sql}) AS made
        UNION ALL
        SELECT id, ({codes})[1 + mod(id + {n // 2}, {n})] FROM ({ids_sql}) AS made WHERE mod(id, {second_every}) = 0
    """  # our own table names and ward codes: nothing here comes from input
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _ward_rows(through, column, made, second_every, wards):
    n = len(wards)
    rows = []
    for pk in made:
        rows.append(through(**{column: pk, "administrativeunit_id": wards[pk % n]}))
        if pk % second_every == 0:
            rows.append(through(**{column: pk, "administrativeunit_id": wards[(pk + n // 2) % n]}))
    through.objects.bulk_create(rows)


# --- Articles -------------------------------------------------------------------------------------


def reset_articles(*, log):
    from news.models import Article

    deleted, _ = Article.objects.filter(author_name=ARTICLE_AUTHOR).delete()
    log(f"articles: {deleted} rows deleted (with their wards)")


def _article_time(n, count, now):
    """(status, published_at): drafts have none, scheduled ones are ahead, the rest spread back."""
    if n % 25 == 7:
        return "draft", None
    if n % 50 == 3:
        return "published", now + dt.timedelta(days=1 + n % 14)
    return "published", now - dt.timedelta(days=ARTICLE_YEARS * 365) * ((count - n) / count)


@filler("articles", order=80, help="news articles for the city and the wards", reset=reset_articles)
def fill_articles(count, *, log):
    from news.models import Article

    existing = Article.objects.filter(author_name=ARTICLE_AUTHOR).count()
    if existing >= count:
        return 0
    wards = _wards()
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _articles_sql(existing, count, wards, now, log)
    created = 0
    rows = []
    for n in range(existing, count):
        category, title, summary = ARTICLES[n % len(ARTICLES)]
        status, published = _article_time(n, count, now)
        rows.append(
            Article(
                title=title,
                summary=summary,
                body=BODIES[n % len(BODIES)],
                search_key=_article_key(n % len(ARTICLES), n % len(BODIES)),
                category=category,
                is_citywide=n % 10 < 3,
                author_name=ARTICLE_AUTHOR,
                status=status,
                published_at=published,
            )
        )
    for batch in in_batches(rows):
        with transaction.atomic():
            made = Article.objects.bulk_create(batch)
            local = [a.pk for a in made if not a.is_citywide]
            _ward_rows(Article.wards.through, "article_id", local, 7, wards)
        created += len(batch)
        log(f"articles: {existing + created}/{count}")
    return created


def _articles_sql(existing, count, wards, now, log):
    keys = [_article_key(i, b) for i in range(len(ARTICLES)) for b in range(len(BODIES))]
    params = {
        "categories": [a[0] for a in ARTICLES],
        "titles": [a[1] for a in ARTICLES],
        "summaries": [a[2] for a in ARTICLES],
        "bodies": BODIES,
        "keys": keys,
        "author": ARTICLE_AUTHOR,
        "now": now,
        "count": count,
        "span": dt.timedelta(days=ARTICLE_YEARS * 365),
    }
    a, b = len(ARTICLES), len(BODIES)
    created = 0
    for start in range(existing, count, STEP):
        stop = min(start + STEP, count) - 1
        sql = f"""
        WITH made AS (
            INSERT INTO news_article (
                title, summary, body, search_key, category, is_citywide, picture, thumbnail, picture_caption,
                author_name, status, published_at, created_at, updated_at, correction, version)
            SELECT (%(titles)s::text[])[1 + mod(n, {a})], (%(summaries)s::text[])[1 + mod(n, {a})],
                   (%(bodies)s::text[])[1 + mod(n, {b})], (%(keys)s::text[])[1 + mod(n, {a}) * {b} + mod(n, {b})],
                   (%(categories)s::text[])[1 + mod(n, {a})], mod(n, 10) < 3, '', '', '',
                   %(author)s, CASE WHEN mod(n, 25) = 7 THEN 'draft' ELSE 'published' END, published,
                   coalesce(published, %(now)s) - interval '1 hour', coalesce(published, %(now)s), '', 0
            FROM generate_series(%(start)s, %(stop)s) AS n
            CROSS JOIN LATERAL (
                SELECT CASE WHEN mod(n, 25) = 7 THEN NULL
                            WHEN mod(n, 50) = 3 THEN %(now)s + (1 + mod(n, 14)) * interval '1 day'
                            ELSE %(now)s - %(span)s * ((%(count)s - n)::float / %(count)s) END AS published
            ) AS t
            RETURNING id, is_citywide
        )
        SELECT id FROM made WHERE NOT is_citywide
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {**params, "start": start, "stop": stop})
            local = [row[0] for row in cursor.fetchall()]
            created += stop - start + 1
            if local:
                _set_wards("news_article", "article_id", f"SELECT unnest({_array(local)}) AS id", 7, wards)
        log(f"articles: {existing + created}/{count}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
        cursor.execute("ANALYZE news_article_wards")
    return created


# --- Notices --------------------------------------------------------------------------------------


def reset_notices(*, log):
    from news.models import WardNotice

    deleted, _ = WardNotice.objects.filter(title__endswith=NOTICE_SUFFIX).delete()
    log(f"notices: {deleted} rows deleted (with their wards)")


@filler("notices", order=82, help="ward notices over the past year", reset=reset_notices)
def fill_notices(count, *, log):
    from news.models import WardNotice

    existing = WardNotice.objects.filter(title__endswith=NOTICE_SUFFIX).count()
    if existing >= count:
        return 0
    wards = _wards()
    now = timezone.now()
    year = dt.timedelta(days=365)
    rows = []
    for n in range(existing, count):
        title, body = NOTICES[n % len(NOTICES)]
        published = now - year * ((count - n) / count)
        rows.append(
            WardNotice(
                title=f"{title}{NOTICE_SUFFIX}",
                body=body,
                is_urgent=n % 10 == 3,
                published_at=published,
                expires_at=None if n % 10 == 0 else published + dt.timedelta(days=3 + n % 12),
            )
        )
    created = 0
    for batch in in_batches(rows):
        with transaction.atomic():
            made = WardNotice.objects.bulk_create(batch)
            if made and made[0].pk is None:  # a backend that returns no ids
                made = WardNotice.objects.filter(title__endswith=NOTICE_SUFFIX).order_by("-pk")[: len(batch)]
            _ward_rows(WardNotice.wards.through, "wardnotice_id", [m.pk for m in made], 4, wards)
        created += len(batch)
        log(f"notices: {existing + created}/{count}")
    return created


# --- Outages --------------------------------------------------------------------------------------


def reset_outages(*, log):
    from news.models import Outage

    deleted, _ = Outage.objects.filter(reason__endswith=OUTAGE_SUFFIX).delete()
    log(f"outages: {deleted} rows deleted (with their wards)")


def _outage_start(n, count, now):
    """From 335 days ago to 30 days ahead, evenly, on the hour."""
    at = now - dt.timedelta(days=335) + dt.timedelta(days=365) * (n / count)
    return at.replace(minute=0, second=0, microsecond=0)


@filler("outages", order=84, help="power and water outages over a year, for the wards", reset=reset_outages)
def fill_outages(count, *, log):
    from benchmarks.fillers import fill_agencies
    from government.models import Agency
    from news.models import Outage

    existing = Outage.objects.filter(reason__endswith=OUTAGE_SUFFIX).count()
    if existing >= count:
        return 0
    fill_agencies(0, log=log)
    power = Agency.objects.get(slug="dien-luc-hai-phong").pk
    water = Agency.objects.get(slug="cap-nuoc-hai-phong").pk
    wards = _wards()
    now = timezone.now()
    rows = []
    for n in range(existing, count):
        starts = _outage_start(n, count, now)
        places = PLACES[n % len(PLACES)] if n % 5 else ""
        outage = Outage(
            company_id=water if n % 5 == 0 else power,
            utility="nuoc" if n % 5 == 0 else "dien",
            kind="emergency" if n % 10 == 4 else "planned",
            area=AREAS[n % len(AREAS)],
            places=places,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2 + n % 8),
            reason=f"{REASONS[n % len(REASONS)]}{OUTAGE_SUFFIX}",
            cancelled_at=starts - dt.timedelta(days=2) if n % 33 == 5 else None,
        )
        outage.refresh_keys()  # place keys and the day-before warning time, as a save computes them
        outage.warned_at = outage.warn_at if outage.warn_at < now and outage.cancelled_at is None else None
        rows.append(outage)
    created = 0
    for batch in in_batches(rows, BATCH):
        with transaction.atomic():
            made = Outage.objects.bulk_create(batch)
            if made and made[0].pk is None:
                made = Outage.objects.filter(reason__endswith=OUTAGE_SUFFIX).order_by("-pk")[: len(batch)]
            _ward_rows(Outage.wards.through, "outage_id", [m.pk for m in made], 3, wards)
        created += len(batch)
        log(f"outages: {existing + created}/{count}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE news_outage")
            cursor.execute("ANALYZE news_outage_wards")
    return created
