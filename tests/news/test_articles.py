"""Articles: sanitised bodies, drafts and scheduled publishing, corrections, the list and search."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from news import services
from news.models import Article, ArticleStatus
from tests.news.world import publish, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "<p>Xin chào</p><script>alert(1)</script>",
        '<p><a href="javascript:alert(1)">bấm</a></p>',
        '<p><a href="JaVa&#x09;ScRiPt:alert(1)">bấm</a></p>',
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p onclick="alert(1)">chữ</p>',
    ],
)
def test_an_article_carrying_script_is_refused_and_nothing_is_saved(world, body):
    with pytest.raises(services.NewsError) as caught:
        services.save_article(
            editor=world.editor, title="Tiêu đề bài", summary="Tóm tắt", body=body, category="thoi-su"
        )
    assert "script" in caught.value.message
    assert not Article.objects.exists()


def test_the_body_keeps_only_the_allow_list(world):
    article = services.save_article(
        editor=world.editor,
        title="Tiêu đề bài",
        summary="Tóm tắt",
        body='<h2>Mục</h2><p style="color:red">Đoạn <strong>đậm</strong> <a href="https://haiphong.gov.vn">link</a></p>'
        "<iframe src='https://x'></iframe><style>p{}</style><table><tr><td>ô</td></tr></table>",
        category="thoi-su",
    )
    assert "<h2>Mục</h2>" in article.body
    assert "<strong>đậm</strong>" in article.body
    assert 'href="https://haiphong.gov.vn"' in article.body and 'rel="noopener noreferrer nofollow"' in article.body
    for gone in ("style", "iframe", "<table", "<td"):
        assert gone not in article.body
    assert "ô" in article.body


def test_only_editors_write_articles(world):
    with pytest.raises(services.NewsError):
        services.save_article(editor=world.lan, title="Tiêu đề bài", summary="T", body="<p>x</p>", category="thoi-su")


def test_a_ward_article_needs_a_ward(world):
    with pytest.raises(services.NewsError):
        services.save_article(
            editor=world.editor,
            title="Tiêu đề bài",
            summary="T",
            body="<p>x</p>",
            category="thoi-su",
            is_citywide=False,
        )


def test_a_draft_and_a_scheduled_article_are_hidden_until_their_time(world, client):
    draft = services.save_article(
        editor=world.editor, title="Bản nháp bí mật", summary="T", body="<p>x</p>", category="thoi-su"
    )
    later = publish(world, "Tin hẹn giờ", at=timezone.now() + datetime.timedelta(hours=2))
    now = publish(world, "Tin đã đăng")

    page = client.get("/tin-tuc/").content.decode()
    assert "Tin đã đăng" in page and "Tin hẹn giờ" not in page and "Bản nháp bí mật" not in page
    assert client.get(f"/tin-tuc/{draft.pk}/").status_code == 404
    assert client.get(f"/tin-tuc/{later.pk}/").status_code == 404
    assert client.get(f"/tin-tuc/{now.pk}/").status_code == 200
    # Its time come, it shows without any task having run.
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "Tin hẹn giờ" in client.get("/tin-tuc/").content.decode()
    # The editor previews a draft.
    client.force_login(world.editor)
    preview = client.get(f"/tin-tuc/{draft.pk}/")
    assert preview.status_code == 200 and "Bản nháp: người dân chưa thấy bài này." in preview.content.decode()
    assert "Bản nháp" not in client.get(f"/tin-tuc/{now.pk}/").content.decode().split("<h1>")[0]


def test_search_ignores_diacritics(world, client):
    publish(world, "Đường Lạch Tray thông xe")
    publish(world, "Lễ hội hoa phượng")
    page = client.get("/tin-tuc/", {"q": "duong lach tray"}).content.decode()
    assert "Đường Lạch Tray thông xe" in page and "Lễ hội hoa phượng" not in page


def test_a_ward_filter_lists_that_wards_articles(world, client):
    publish(world, "Tin riêng Lê Chân", ward=world.lechan)
    publish(world, "Tin riêng Ngô Quyền", ward=world.ngoquyen)
    page = client.get("/tin-tuc/", {"phuong": world.lechan.code}).content.decode()
    assert "Tin riêng Lê Chân" in page and "Tin riêng Ngô Quyền" not in page


def test_the_list_pages_by_keyset(world, client):
    for number in range(25):
        publish(world, f"Tin số {number:02d}", at=timezone.now() - datetime.timedelta(minutes=number))
    first = client.get("/tin-tuc/")
    assert "Tin số 00" in first.content.decode() and "Tin số 24" not in first.content.decode()
    older = first.context["older_url"]
    second = client.get(older).content.decode()
    assert "Tin số 24" in second and "Tin số 00" not in second


def test_each_row_of_the_list_links_the_article_with_its_time_and_category(world, client):
    at = datetime.datetime(2026, 11, 30, 1, 5, tzinfo=datetime.UTC)  # 08:05 in Hải Phòng
    article = publish(world, "Tin có giờ", at=at, category="giao-thong")
    page = client.get("/tin-tuc/", {"chuyen-muc": "giao-thong"}).content.decode()
    assert f'<a href="/tin-tuc/{article.pk}/">Tin có giờ</a>' in page
    assert '<time datetime="2026-11-30T08:05:00+07:00">30/11/2026 08:05</time> · Giao thông, đô thị' in page
    assert '<option value="giao-thong" selected>Giao thông, đô thị</option>' in page
    ward_page = client.get("/tin-tuc/", {"phuong": world.lechan.code}).content.decode()
    assert f'<option value="{world.lechan.code}" selected>{world.lechan.name}</option>' in ward_page
    assert ward_page.count(" selected>") == 1


def test_the_list_writes_titles_and_summaries_as_text(world, client):
    publish(world, 'Giá "điện" <b>tăng</b> & giảm', summary="<i>Tóm</i> tắt")
    page = client.get("/tin-tuc/").content.decode()
    assert "<b>" not in page and "<i>" not in page
    assert (
        "Giá &quot;điện&quot; &lt;b&gt;tăng&lt;/b&gt; &amp; giảm</a>" in page
        and "<p>&lt;i&gt;Tóm&lt;/i&gt; tắt</p>" in page
    )


def test_an_article_page_is_one_query_with_its_wards(world, client, django_assert_num_queries):
    from government import geo

    article = publish(world, "Tin hai phường", ward=world.lechan)
    article.wards.add(world.ngoquyen)
    client.get(article.get_absolute_url())  # the boundaries index and the session, read once
    geo.units_choices()
    with django_assert_num_queries(1):
        page = client.get(article.get_absolute_url()).content.decode()
    links = [f'<a href="/tin-tuc/?phuong={ward.code}">{ward.name}</a>' for ward in (world.lechan, world.ngoquyen)]
    assert all(link in page for link in links) and page.index(links[0]) < page.index(links[1])
    city = publish(world, "Tin thành phố")
    assert "?phuong=" not in client.get(city.get_absolute_url()).content.decode().split("<h1>")[0]


def test_the_unsearched_pages_walk_as_the_models_rules_say(world):
    """The first and older pages without a search run SQL compiled once; they give what the
    queryset gives, ties on the publish time included."""
    from news import selectors

    same = timezone.now() - datetime.timedelta(hours=1)
    for number in range(45):
        publish(world, f"Tin {number}", at=same if number % 3 == 0 else same - datetime.timedelta(minutes=number))
    publish(world, "Tin hẹn giờ", at=timezone.now() + datetime.timedelta(hours=1))
    seen, cursor = [], None
    while True:
        rows, cursor_next = selectors.article_rows(selectors.Filters(), cursor)
        models, model_cursor = selectors.article_page(selectors.Filters(), cursor)
        assert [row["pk"] for row in rows] == [article.pk for article in models] and cursor_next == model_cursor
        seen += [row["pk"] for row in rows]
        if not cursor_next:
            break
        cursor = cursor_next
    assert len(seen) == len(set(seen)) == 45


def test_a_correction_is_noted_on_the_page(world, client):
    article = publish(world, "Tin cần đính chính")
    services.correct_article(editor=world.editor, article_id=article.pk, note="Sửa ngày khởi công: 05/12.")
    page = client.get(f"/tin-tuc/{article.pk}/").content.decode()
    assert "Đính chính" in page and "Sửa ngày khởi công: 05/12." in page


def test_two_editors_at_once_one_gets_a_clear_message(world):
    article = services.save_article(
        editor=world.editor, title="Tiêu đề bài", summary="T", body="<p>x</p>", category="thoi-su"
    )
    version = article.version
    services.publish_article(editor=world.editor, article_id=article.pk, expected_version=version)
    with pytest.raises(services.NewsError) as caught:
        services.unpublish_article(editor=world.editor, article_id=article.pk, expected_version=version)
    assert "người khác" in caught.value.message
    assert Article.objects.get().status == ArticleStatus.PUBLISHED


def test_garbage_parameters_never_break_the_list(world, client):
    for params in ({"truoc": "%%%"}, {"phuong": "<x>"}, {"chuyen-muc": "nope"}, {"truoc": "MTIz"}):
        assert client.get("/tin-tuc/", params).status_code == 200
    # A NUL never reaches the view (smarthp.middleware): the portal's own "bad request" page.
    refused = client.get("/tin-tuc/", {"q": "\x00"})
    assert refused.status_code == 400 and "Yêu cầu không hợp lệ" in refused.content.decode()
