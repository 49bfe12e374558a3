"""The list pages' fixed parts drawn once per language ({% drawn %}) and the queue's keyset pages: the
same markup as the templates drew, every dossier of a tab on exactly one page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from publicservices.forms import CatalogueFilterForm
from tests.conftest import PASSWORD
from tests.publicservices.world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_catalogue_form_shows_the_filter_forms_labels(client, w, language):
    """The drawn form writes the labels as translate tags: they must stay the form's."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("publicservices:index")).text
    with translation.override(language):
        for name, field in CatalogueFilterForm.base_fields.items():
            assert f'<label for="id_{name}">{escape(field.label)}</label>' in page, name


def test_the_catalogue_links_to_the_applicants_dossiers_only_when_signed_in(client, w):
    url = reverse("publicservices:index")
    mine = f'<a class="button secondary" href="{reverse("publicservices:mine")}">'
    assert mine not in client.get(url).text
    client.login(username="canbo", password=PASSWORD)
    assert mine in client.get(url).text
    client.logout()
    assert mine not in client.get(url, {"q": "khai sinh", "truc_tuyen": "on"}).text
