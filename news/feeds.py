"""RSS 2.0 and Atom feeds of the city's news and of each ward's (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from government.models import AdministrativeUnit

from . import selectors


class CityFeed(Feed):
    def title(self):
        return _("Tin tức thành phố Hải Phòng")

    def link(self):
        return reverse("news:index")

    def description(self):
        return _("Tin mới của Cổng công dân số Hải Phòng")

    def items(self):
        return selectors.feed_articles()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.published_at

    def item_author_name(self, item):
        return item.author_name or None

    def item_categories(self, item):
        return [item.get_category_display()]

    def item_guid(self, item):
        return f"tin-{item.pk}"

    item_guid_is_permalink = False


class CityAtomFeed(CityFeed):
    feed_type = Atom1Feed
    subtitle = CityFeed.description


class WardFeed(CityFeed):
    def get_object(self, request, code):
        return get_object_or_404(AdministrativeUnit.objects.only("code", "name"), code=code)

    def title(self, obj):
        return _("Tin tức %(ward)s") % {"ward": obj.name}

    def link(self, obj):
        return reverse("news:index") + f"?phuong={obj.code}"

    def description(self, obj):
        return _("Tin của %(ward)s trên Cổng công dân số Hải Phòng") % {"ward": obj.name}

    def items(self, obj):
        return selectors.feed_articles(obj.code)


class WardAtomFeed(WardFeed):
    feed_type = Atom1Feed
    subtitle = WardFeed.description
