"""The officer desk (/can-bo/) and the officer site's navigation bar, drawn from what each app offers.

The desk knows roles, not features (DESIGN §2). Each app that serves officers registers, in its
AppConfig.ready(), the roles it serves and two functions of (request, memberships):

- `sections` returns the desk's sections for this person (`Section`: a title and `Item`s, each a
  link with an optional count and tone): what is waiting for them, and where their tools are;
- `nav` returns the app's links for the navigation bar shown on every officer page (`Link`). It is
  called on every officer page, so it must not touch the database.

`memberships` are the person's active memberships (request.memberships, set by officer_required).
A role that no app serves yet still gets a section on the desk saying its tools are coming, so
nobody lands on an empty page; it disappears by itself once an app registers for that role.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from smarthp.links import url

from .models import Role


@dataclass(frozen=True)
class Item:
    """One link of a desk section. `count` None shows no figure; `tone` is "", "new", "soon" or
    "overdue" (a figure that needs attention is drawn in that colour when it is not zero)."""

    label: str
    url: str
    count: int | None = None
    tone: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple = ()
    note: str = ""


@dataclass(frozen=True)
class Link:
    """A link of the navigation bar. `exact`: current only on this very URL (not below it)."""

    label: str
    url: str
    exact: bool = False


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Contribution:
    roles: frozenset
    sections: object = None
    nav: object = None


@dataclass(frozen=True)
class WaitingRole:
    """A role of this person that no app serves yet, with the agencies where they hold it."""

    role: str
    label: str
    agencies: tuple = field(default_factory=tuple)


_contributions = {}


def register(name, *, roles, sections=None, nav=None):
    """Add an app's part of the desk. `name` identifies it: registering it again replaces it."""
    _contributions[name] = Contribution(roles=frozenset(roles), sections=sections, nav=nav)


def unregister(name):
    _contributions.pop(name, None)


def _roles(memberships):
    return {membership.role for membership in memberships}


def _serving(memberships):
    mine = _roles(memberships)
    return [c for c in _contributions.values() if c.roles & mine]


def sections_for(request, memberships):
    """The desk's sections for this person, app by app in the order they registered."""
    sections = []
    for contribution in _serving(memberships):
        if contribution.sections is not None:
            sections.extend(contribution.sections(request, memberships))
    return sections


def waiting_roles(memberships):
    """This person's roles that no registered app serves, in the order of `Role`."""
    served = set().union(*(c.roles for c in _contributions.values()))
    agencies = {}
    for membership in memberships:
        if membership.role not in served:
            agencies.setdefault(membership.role, []).append(membership.agency.name)
    return [WaitingRole(role, label, tuple(agencies[role])) for role, label in Role.choices if role in agencies]


def nav_for(request, memberships):
    """The navigation bar: the desk, then each app's links. The link whose URL is the longest start
    of the current path is the current one (a report's page sits under the queue)."""
    links = [Link(_("Tổng quan"), url("government:officer_home"), exact=True)]
    for contribution in _serving(memberships):
        if contribution.nav is not None:
            links.extend(contribution.nav(request, memberships))
    path = request.path

    def matches(link):
        return path == link.url if link.exact else path.startswith(link.url)

    current = max((link for link in links if matches(link)), key=lambda link: len(link.url), default=None)
    return [NavLink(link.label, link.url, link is current) for link in links]
