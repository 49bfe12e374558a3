from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ArticleForm, CorrectionForm, PublishForm
from ..models import Article, ArticleStatus
from .common import editor_required, form_error


@editor_required
def articles(request):
    status = request.GET.get("trang-thai")
    status = status if status in ArticleStatus.values else None
    return render(
        request,
        "news/officer/articles.html",
        {"articles": selectors.editor_articles(status), "status": status, "statuses": ArticleStatus.choices},
    )


def _arguments(data):
    return {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "category": data["category"],
        "is_citywide": data["is_citywide"],
        "ward_codes": data["wards"],
        "picture": data["picture"],
        "picture_caption": data["picture_caption"],
        "author_name": data["author_name"],
    }


@editor_required
def article_new(request):
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.save_article(editor=request.user, **_arguments(form.cleaned_data))
        except services.NewsError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp. Xem lại rồi xuất bản."))
            return redirect("news_officer:article", article.pk)
    return render(request, "news/officer/article_form.html", {"form": form, "article": None})


@editor_required
def article_edit(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.save_article(
                    editor=request.user,
                    article_id=pk,
                    expected_version=form.cleaned_data.get("version"),
                    **_arguments(form.cleaned_data),
                )
            except services.NewsError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu bài viết."))
                return redirect("news_officer:article", pk)
    else:
        form = ArticleForm(
            initial={
                "title": article.title,
                "summary": article.summary,
                "body": article.body,
                "category": article.category,
                "is_citywide": article.is_citywide,
                "wards": list(article.wards.values_list("code", flat=True)),
                "picture_caption": article.picture_caption,
                "author_name": article.author_name,
                "version": article.version,
            }
        )
    return render(
        request,
        "news/officer/article_form.html",
        {
            "form": form,
            "article": article,
            "publish_form": PublishForm(initial={"version": article.version}),
            "correction_form": CorrectionForm(initial={"version": article.version}),
        },
    )


@editor_required
@require_POST
def article_publish(request, pk):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thời điểm hẹn giờ không hợp lệ."))
        return redirect("news_officer:article", pk)
    try:
        article = services.publish_article(
            editor=request.user,
            article_id=pk,
            at=form.cleaned_data["at"],
            expected_version=form.cleaned_data["version"],
        )
    except services.NewsError as exc:
        messages.error(request, exc.message)
    else:
        if article.is_public:
            messages.success(request, _("Đã xuất bản."))
        else:
            messages.success(request, _("Đã hẹn giờ xuất bản."))
    return redirect("news_officer:article", pk)


@editor_required
@require_POST
def article_unpublish(request, pk):
    try:
        services.unpublish_article(editor=request.user, article_id=pk, expected_version=request.POST.get("version"))
    except services.NewsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gỡ bài về bản nháp."))
    return redirect("news_officer:article", pk)


@editor_required
@require_POST
def article_correct(request, pk):
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi nội dung đính chính."))
        return redirect("news_officer:article", pk)
    try:
        services.correct_article(
            editor=request.user,
            article_id=pk,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except services.NewsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi đính chính."))
    return redirect("news_officer:article", pk)
