"""The ward page's ranked groups table, its rows built here rather than in the template.

A ward has 60 groups or more, and each row has a dozen figures, links and labels: rendered by
Django's template engine that was about 1.5 ms a row, most of the page's time (format_html per
cell, a third of it). The markup is the one the template had, with the same translations (the
msgids are the template's). Every text from the database or a translation goes through escape();
figures are integers.
"""

import html

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def escape(text):
    """As django.utils.html.escape (the same five characters), without its lazy-string wrapper:
    that wrapper was half the time of a row."""
    return html.escape(str(text))


def _number(value, href):
    """A figure, linked to the people behind it when there are some and the viewer sees names."""
    return f'<a href="{href}">{value}</a>' if href and value else str(value)


def _dash(value):
    return "—" if value is None else str(value)


def _exports(xlsx, csv, name):
    """The cell with a list's two downloads; `name` (escaped) tells a screen reader whose list."""
    return (
        f'<td class="nowrap"><a href="{escape(xlsx)}">XLSX<span class="visually-hidden"> {name}</span></a>'
        f' · <a href="{escape(csv)}">CSV<span class="visually-hidden"> {name}</span></a></td>'
    )


class _Labels:
    """The translated labels and the decimal separator, looked up once per table: gettext searches
    every app's catalogue, and floatformat reads the locale's formats, on each call."""

    def __init__(self):
        self.leader = _("Tổ trưởng: %(name)s")
        self.surveyed = _("Khảo sát ngày %(day)s")
        self.edit = _('Sửa số liệu<span class="visually-hidden"> %(name)s</span>')
        self.no_survey = escape(_("Chưa có số hộ có điện thoại thông minh"))
        self.decimal = get_format("DECIMAL_SEPARATOR")

    def rate(self, value):
        # As floatformat:1 (figures.rate already rounded to one decimal).
        return f"{value:.1f}".replace(".", self.decimal)


def _name_cell(row, link, name, labels):
    parts = [name]
    if row.leader_name:
        parts.append(f'<span class="sub">{escape(labels.leader % {"name": row.leader_name})}</span>')
    if row.surveyed_on:
        day = row.surveyed_on.strftime("%d/%m/%Y")
        parts.append(f'<span class="sub">{escape(labels.surveyed % {"day": day})}</span>')
    if row.roster is not None:
        text = ngettext("Theo danh sách %(n)s hộ", "Theo danh sách %(n)s hộ", row.roster) % {"n": row.roster}
        parts.append(f'<span class="sub">{escape(text)}</span>')
    if link:
        # The msgid carries markup (as the template's blocktranslate did): only the name is escaped.
        parts.append(f' <a class="sub" href="{escape(link["edit"])}">{labels.edit % {"name": name}}</a>')
    return "".join(parts)


def _row(row, link, labels):
    name = escape(row.name)
    people = escape(link["people"]) if link else None
    value = row.rate
    if value is None:
        rate = f'<span class="rate rate-none" title="{labels.no_survey}">—</span>'
    else:
        rate = f'<span class="rate rate-{row.level}">{labels.rate(value)}%</span>'
    exports = _exports(link["xlsx"], link["csv"], name) if link else ""
    return (
        f'<tr id="to-{row.pk}"><td>{row.rank}</td><th scope="row">{_name_cell(row, link, name, labels)}</th>'
        f'<td class="num">{_dash(row.households)}</td><td class="num">{_dash(row.smartphone_households)}</td>'
        f'<td class="num">{_number(row.covered, people)}</td><td class="num">{rate}</td>'
        f'<td class="num">{_dash(row.gap)}</td><td class="num">{_number(row.registered, people)}</td>'
        f'<td class="num">{_number(row.active, people and f"{people}&amp;hoat-dong=1")}</td>{exports}</tr>'
    )


def group_rows(groups):
    """<tr> of every (group row, links or None) of pages.group_links, as one safe string."""
    labels = _Labels()
    return mark_safe("\n".join(_row(row, link, labels) for row, link in groups))  # noqa: S308 - escaped above


def _rate_text(value, labels):
    return "—" if value is None else f"{labels.rate(value)}%"


def city_shapes(shapes):
    """The city map's 114 outlines (drawing.city_map), each a link to its unit's row."""
    labels = _Labels()
    parts = []
    for shape in shapes:
        title = f"{escape(shape['name'])}: {_rate_text(shape['rate'], labels)}"
        parts.append(
            f'<a href="#u-{escape(shape["code"])}" aria-label="{title}"><path d="{escape(shape["d"])}" '
            f'class="rate-fill-{shape["level"]}" fill-rule="evenodd"><title>{title}</title></path></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


def city_rows(rows, index_url):
    """<tr> of the city's table of units (figures.UnitRow), each linked to its unit's page:
    `index_url` + code + "/" (campaigns_officer:ward; a test checks they agree)."""
    labels = _Labels()
    parts = []
    for row in rows:
        code, value = escape(row.code), row.rate
        if value is None:
            rate = f'<span class="rate rate-none" title="{labels.no_survey}">—</span>'
        else:
            rate = f'<span class="rate rate-{row.level}">{labels.rate(value)}%</span>'
        parts.append(
            f'<tr id="u-{code}"><th scope="row"><a href="{index_url}{code}/">{escape(row.name)}</a></th>'
            f'<td class="num">{row.smartphone_households}</td><td class="num">{row.covered}</td>'
            f'<td class="num">{rate}</td><td class="num">{row.registered}</td></tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - escaped above


def workplace_rows(rows, code, names):
    """<tr> of the ward's workplaces (figures.WorkplaceRow), as the groups' rows: a ward may have
    dozens of agencies, schools and companies."""
    labels = _Labels()
    if names:
        people = reverse("campaigns_officer:people", args=[code])
        xlsx = reverse("campaigns_officer:export", args=[code, "xlsx"])
        csv = reverse("campaigns_officer:export", args=[code, "csv"])
    parts = []
    for row in rows:
        name, value = escape(row.name), row.rate
        query = f"?noi-lam-viec={row.pk}"
        registered = _number(row.registered, escape(people + query) if names else None)
        if value is None:
            rate = f'<span class="rate rate-none" title="{labels.no_survey}">—</span>'
        else:
            rate = f'<span class="rate rate-{row.level}">{labels.rate(value)}%</span>'
        exports = _exports(xlsx + query, csv + query, name) if names else ""
        parts.append(
            f'<tr><th scope="row">{name}</th><td>{escape(row.kind_label)}</td>'
            f'<td class="num">{_dash(row.headcount)}</td>'
            f'<td class="num">{registered}</td><td class="num">{rate}</td><td class="num">{_dash(row.gap)}</td>'
            f"{exports}</tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - escaped above


def countdown(found):
    """The countdown to a deadline (figures.Countdown, or None: nothing) as its template drew it,
    with the template's msgids: the ward page drew it three times through an {% include %}."""
    if not found:
        return ""
    who, due = found.label, found.due_on.strftime("%d/%m/%Y")
    if found.days_left > 0:
        text = ngettext(
            "%(who)s: còn %(days)s ngày đến hạn %(due)s", "%(who)s: còn %(days)s ngày đến hạn %(due)s", found.days_left
        ) % {"who": who, "days": found.days_left, "due": due}
    elif found.days_left == 0:
        text = _("%(who)s: hôm nay là hạn cuối") % {"who": who}
    else:
        text = _("%(who)s: đã quá hạn %(due)s") % {"who": who, "due": due}
    overdue = " overdue" if found.days_left < 0 else ""
    return mark_safe(f'<p class="countdown{overdue}">{escape(text)}</p>')  # noqa: S308 - escaped
