"""Articles: drafts, publishing (now or at a time), corrections. Editors only."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import sanitize
from ..models import Article, ArticleCategory, ArticleStatus
from .common import NewsError, now, require_editor, units

TITLE_MIN = 5


def _lock(article_id, expected_version):
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise NewsError(_("Không tìm thấy bài viết."))
    if expected_version is not None and article.version != int(expected_version):
        raise NewsError(_("Bài viết vừa được người khác sửa. Hãy tải lại trang để xem bản mới nhất."))
    return article


def check_body(body):
    if sanitize.carries_script(body):
        raise NewsError(
            _("Nội dung có mã lệnh (thẻ script, thuộc tính on…, liên kết javascript:): không được phép. Hãy xóa đi."),
            field="body",
        )
    cleaned = sanitize.clean(body)
    if not sanitize.plain_text(cleaned):
        raise NewsError(_("Hãy nhập nội dung bài viết."), field="body")
    return cleaned


def _store_picture(article, picture, written):
    name = uuid.uuid4().hex
    article.picture.save(f"{name}.jpg", ContentFile(picture.image), save=False)
    written.append(article.picture.name)
    article.thumbnail.save(f"{name}.jpg", ContentFile(picture.thumbnail), save=False)
    written.append(article.thumbnail.name)


def save_article(
    *,
    editor,
    title,
    summary,
    body,
    category,
    is_citywide=True,
    ward_codes=(),
    article_id=None,
    expected_version=None,
    picture=None,
    picture_caption="",
    author_name="",
):
    """Create a draft (no `article_id`) or change an article, published or not. `picture` is a
    feedback.photos.ProcessedPhoto (already validated and stripped). Returns the article."""
    require_editor(editor)
    title, summary = (title or "").strip(), (summary or "").strip()
    if len(title) < TITLE_MIN:
        raise NewsError(_("Tiêu đề cần ít nhất %(n)s ký tự.") % {"n": TITLE_MIN}, field="title")
    if not summary:
        raise NewsError(_("Hãy nhập tóm tắt."), field="summary")
    if category not in ArticleCategory.values:
        raise NewsError(_("Chuyên mục không hợp lệ."), field="category")
    cleaned = check_body(body)
    wards = units(ward_codes, required=not is_citywide)
    written = []
    try:
        with transaction.atomic():
            if article_id is None:
                article = Article(author=editor, status=ArticleStatus.DRAFT)
            else:
                article = _lock(article_id, expected_version)
            article.title, article.summary, article.body, article.category = title, summary, cleaned, category
            article.is_citywide = bool(is_citywide)
            article.picture_caption = (picture_caption or "").strip()
            article.author_name = (author_name or "").strip() or article.author_name or str(editor)
            if picture is not None:
                _store_picture(article, picture, written)
            article.refresh_search_key()
            article.version += 1
            article.save()
            article.wards.set(wards)
    except Exception:
        for name in written:
            Article.picture.field.storage.delete(name)
        raise
    return article


def publish_article(*, editor, article_id, at=None, expected_version=None):
    """Publish now, or at `at` (scheduled: not shown before then). Returns the article."""
    require_editor(editor)
    with transaction.atomic():
        article = _lock(article_id, expected_version)
        article.status = ArticleStatus.PUBLISHED
        article.published_at = at or now()
        article.version += 1
        article.save(update_fields=["status", "published_at", "version", "updated_at"])
    return article


def unpublish_article(*, editor, article_id, expected_version=None):
    require_editor(editor)
    with transaction.atomic():
        article = _lock(article_id, expected_version)
        article.status = ArticleStatus.DRAFT
        article.version += 1
        article.save(update_fields=["status", "version", "updated_at"])
    return article


def correct_article(*, editor, article_id, note, body=None, expected_version=None):
    """Note a correction (đính chính) on a published article, with its time; optionally fix the body."""
    require_editor(editor)
    note = (note or "").strip()
    if not note:
        raise NewsError(_("Hãy ghi nội dung đính chính."), field="note")
    cleaned = check_body(body) if body is not None else None
    with transaction.atomic():
        article = _lock(article_id, expected_version)
        if article.status != ArticleStatus.PUBLISHED:
            raise NewsError(_("Bản nháp không cần đính chính: hãy sửa trực tiếp."))
        stamp = now()
        article.correction = f"{article.correction}\n{note}".strip() if article.correction else note
        article.corrected_at = stamp
        if cleaned is not None:
            article.body = cleaned
            article.refresh_search_key()
        article.version += 1
        article.save()
    return article
