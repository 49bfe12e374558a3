"""assert_constant_queries catches a page whose query count grows with its rows (an N+1)."""

import itertools

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import include, path

from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

numbers = itertools.count()


def _listing(permissions):
    return HttpResponse("\n".join(f"{p.codename} ({p.content_type.app_label})" for p in permissions))


def n_plus_one(request):
    """One query for the list, then one per row for its content type."""
    return _listing(Permission.objects.filter(codename__startswith="budget_"))


def constant(request):
    return _listing(Permission.objects.filter(codename__startswith="budget_").select_related("content_type"))


def wasteful(request):
    """A constant number of queries, but too many of them."""
    for _ in range(10):
        Permission.objects.exists()
    return HttpResponse("ok")


# The portal's own URLs stay reachable: its 404 page links home, as a real 404 would.
urlpatterns = [
    path("n-plus-one/", n_plus_one),
    path("constant/", constant),
    path("wasteful/", wasteful),
    path("", include("smarthp.urls")),
]


def add_rows(count=3):
    """Permissions on brand-new content types, so no content type is already in Django's cache."""

    def grow():
        for _ in range(count):
            number = next(numbers)
            content_type = ContentType.objects.create(app_label=f"budget{number}", model="thing")
            Permission.objects.create(codename=f"budget_{number}", name="budget", content_type=content_type)

    return grow


@pytest.fixture(autouse=True)
def throwaway_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_it_fails_on_an_n_plus_one(client):
    add_rows(2)()

    with pytest.raises(AssertionError, match="depends on the number of rows"):
        assert_constant_queries(client, "/n-plus-one/", grow=add_rows(3))


def test_it_passes_on_a_page_with_constant_queries(client):
    add_rows(2)()

    assert assert_constant_queries(client, "/constant/", grow=add_rows(3)) == 1


def test_it_fails_over_the_budget_even_when_constant(client):
    with pytest.raises(AssertionError, match="over the budget of 8"):
        assert_constant_queries(client, "/wasteful/", grow=add_rows(3))


def test_it_fails_when_the_page_does_not_answer_200(client):
    with pytest.raises(AssertionError, match="answered 404"):
        assert_constant_queries(client, "/missing/", grow=add_rows(1))
