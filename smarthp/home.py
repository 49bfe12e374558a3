"""The home page's panels, drawn from what each app offers (as the officer desk, government.desk).

The home page knows no feature. Each app that has something to show there registers, in its
AppConfig.ready(), a function of the request that returns a `Panel` or None (nothing to show this
person now). Panels appear in the order of `order`, then of registration.

The home page is a citizen page: at most 8 queries in all (DESIGN §5), the layout's included. A
panel function makes one query, two at most, and none for a visitor when it can avoid it. The
citizen's profile, which several panels need (the ward, the group, the EVN customer code), is read
once for all of them: `profile_row(request)`.
"""

from dataclasses import dataclass, field

from .sql import Compiled, id_marker


@dataclass(frozen=True)
class Panel:
    """`template` is included with `panel` in its context; `context` is whatever it needs."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Contribution:
    order: int
    panel: object


_contributions = {}


def register(name, panel, *, order=50):
    """Add an app's panel function. `name` identifies it: registering it again replaces it."""
    _contributions[name] = _Contribution(order=order, panel=panel)


def unregister(name):
    _contributions.pop(name, None)


PROFILE_FIELDS = (
    "ward_id", "ward__name", "evn_customer_code",
    "residential_group_id", "residential_group__name", "residential_group__smartphone_households",
)  # fmt: skip


def _profile_query(user):
    from citizens.models import Profile

    return Profile.objects.filter(user_id=user).values_list(*PROFILE_FIELDS)


_profile = Compiled(_profile_query, user=id_marker())


def profile_row(request):
    """The signed-in person's profile as the panels read it (a dict of PROFILE_FIELDS), or None for
    a visitor or someone without a profile: one query per request, whichever panels ask."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_home_profile"):
        found = _profile.run(user=request.user.pk)
        request._home_profile = dict(zip(PROFILE_FIELDS, found[0], strict=True)) if found else None
    return request._home_profile


def panels_for(request):
    ordered = sorted(enumerate(_contributions.values()), key=lambda pair: (pair[1].order, pair[0]))
    panels = []
    for _, contribution in ordered:
        panel = contribution.panel(request)
        if panel is not None:
            panels.append(panel)
    return panels
