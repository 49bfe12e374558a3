"""The benchmark fillers of news (benchmarks/fillers_news.py): the rows they promise, idempotent,
removed by --reset without touching the editors' own. On PostgreSQL the articles go in by SQL."""

import pytest
from django.utils import timezone

from benchmarks import fillers_news
from news.models import Article, ArticleStatus, Outage, WardNotice

pytestmark = pytest.mark.django_db


def quiet(message):
    pass


def test_articles_notices_and_outages_are_filled_once_and_reset():
    assert fillers_news.fill_articles(100, log=quiet) == 100
    assert fillers_news.fill_articles(100, log=quiet) == 0  # already there: nothing added
    articles = Article.objects.filter(author_name=fillers_news.ARTICLE_AUTHOR)
    now = timezone.now()
    assert articles.filter(status=ArticleStatus.DRAFT, published_at__isnull=True).count() == 4
    assert articles.filter(status=ArticleStatus.PUBLISHED, published_at__gt=now).count() == 2
    assert Article.objects.public(now).filter(author_name=fillers_news.ARTICLE_AUTHOR).count() == 94
    local = articles.filter(is_citywide=False)
    assert local.count() == 70 and all(article.wards.exists() for article in local)
    assert not Article.wards.through.objects.filter(article__is_citywide=True).exists()
    assert all(fillers_news.search_key(article.title) in article.search_key for article in articles[:10])

    assert fillers_news.fill_notices(20, log=quiet) == 20
    assert WardNotice.objects.filter(wards__isnull=True).count() == 0
    assert fillers_news.fill_outages(30, log=quiet) == 30
    outages = Outage.objects.filter(reason__endswith=fillers_news.OUTAGE_SUFFIX)
    assert outages.filter(ends_at__gt=now).exists() and outages.filter(ends_at__lt=now).exists()
    assert all(o.ends_at > o.starts_at and o.warn_at <= o.starts_at and o.wards.exists() for o in outages)

    mine = Article.objects.create(title="Bài của biên tập viên", summary="T", body="<p>x</p>", category="thoi-su")
    fillers_news.reset_articles(log=quiet)
    fillers_news.reset_notices(log=quiet)
    fillers_news.reset_outages(log=quiet)
    assert list(Article.objects.all()) == [mine]
    assert not WardNotice.objects.exists() and not Outage.objects.exists()
