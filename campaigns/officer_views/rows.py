"""The campaign pages' repeated parts, built here rather than in the templates: the ward's groups
and workplaces, the city's units and map outlines, the countdowns, the export jobs.

A ward has 60 groups or more, and each row has a dozen figures, links and labels: rendered by
Django's template engine that was about 1.5 ms a row, most of the page's time (format_html per
cell, a third of it). The markup is the one the template had, with the same translations (the
msgids are the template's). Every text from the database or a translation goes through escape();
figures are integers.

Each row's HTML is memoised per process (functools.lru_cache, bounded) by everything it shows and
the language: the figures are read afresh on every request, and a row is formatted again only when
one of its values changes. The memos are dropped when settings change (tests: URLconf, languages).
"""

import functools
import html

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from smarthp.links import url

from ..figures import rate_level


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


class Labels:
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


def unit_links(code):
    """The link prefixes of a unit's pages (the ward page, its people, its two exports), each
    reversed once (smarthp.links): the same on every request."""
    return {
        "ward": url("campaigns_officer:ward", code),
        "people": url("campaigns_officer:people", code),
        "xlsx": url("campaigns_officer:export", code, "xlsx"),
        "csv": url("campaigns_officer:export", code, "csv"),
    }


def index_url():
    return url("campaigns_officer:index")


@receiver(setting_changed)
def _forget(**kwargs):
    # Tests change the URLconf, the languages, the formats.
    for memo in (_group_row, _workplace_row, _city_shape, _city_row, labels_for, _countdown):
        memo.cache_clear()


def rate_cell(value, level, labels):
    """A rate as the tables show it: "—" with its title without a survey."""
    if value is None:
        return f'<span class="rate rate-none" title="{labels.no_survey}">—</span>'
    return f'<span class="rate rate-{level}">{labels.rate(value)}%</span>'


def group_rows(groups, links):
    """<tr> of every group (figures.GroupRow, in rank order) as one safe string; with `links`
    (unit_links(): the viewer sees names) each figure links to the people behind it, and the row
    to its survey's edit page and its two lists.

    A row's HTML is memoised by everything it shows (its figures, rank, names, the links and the
    language): the figures are read afresh on every request, and a row whose figures are the
    ones drawn before is not formatted again (60 rows were most of the page's own time)."""
    language = get_language()
    prefixes = (links["ward"], links["people"], links["xlsx"], links["csv"]) if links else None
    return mark_safe(  # noqa: S308 - escaped in _group_row
        "\n".join(
            [
                _group_row(
                    language,
                    prefixes,
                    (
                        row.pk,
                        row.rank,
                        row.name,
                        row.leader_name,
                        row.surveyed_on,
                        row.roster,
                        row.households,
                        row.smartphone_households,
                        row.covered,
                        row.registered,
                        row.active,
                        row.target_percent,
                    ),
                )
                for row in groups
            ]
        )
    )


@functools.lru_cache(maxsize=4096)  # about 1.5 KB each: a ward of 60 groups in both languages, many times
def _group_row(language, prefixes, values):
    pk, rank, name, leader, surveyed_on, roster, households, smart, covered, registered, active, target = values
    labels = labels_for(language)
    name = escape(name)
    cell = name
    if leader:
        cell += f'<span class="sub">{escape(labels.leader % {"name": leader})}</span>'
    if surveyed_on:
        day = surveyed_on.strftime("%d/%m/%Y")
        cell += f'<span class="sub">{escape(labels.surveyed % {"day": day})}</span>'
    if roster is not None:
        text = ngettext("Theo danh sách %(n)s hộ", "Theo danh sách %(n)s hộ", roster) % {"n": roster}
        cell += f'<span class="sub">{escape(text)}</span>'
    value = round(100 * covered / smart, 1) if smart else None  # figures.rate
    gap = max(-(-smart * target // 100) - covered, 0) if smart else "—"  # GroupRow.gap
    exports = ""
    if prefixes:
        ward, people, xlsx, csv = prefixes
        ward, people = escape(ward), escape(people)  # _exports escapes its own
        # The msgid carries markup (as the template's blocktranslate did): only the name is escaped.
        cell += f' <a class="sub" href="{ward}to/{pk}/sua/">{labels.edit % {"name": name}}</a>'
        people = f"{people}?to={pk}"
        covered = _number(covered, people)
        registered = _number(registered, people)
        active = _number(active, f"{people}&amp;hoat-dong=1")
        exports = _exports(f"{xlsx}?to={pk}", f"{csv}?to={pk}", name)
    return (
        f'<tr id="to-{pk}"><td>{rank}</td><th scope="row">{cell}</th>'
        f'<td class="num">{_dash(households)}</td><td class="num">{_dash(smart)}</td>'
        f'<td class="num">{covered}</td><td class="num">{rate_cell(value, rate_level(value), labels)}</td>'
        f'<td class="num">{gap}</td><td class="num">{registered}</td>'
        f'<td class="num">{active}</td>{exports}</tr>'
    )


@functools.lru_cache(maxsize=16)
def labels_for(language):
    """Labels in `language`, the active one (get_language())."""
    return Labels()


def _rate_text(value, labels):
    return "—" if value is None else f"{labels.rate(value)}%"


def city_shapes(shapes):
    """The city map's 114 outlines (drawing.city_map), each a link to its unit's row (memoised
    as the groups' rows are: by what each shows, and the language)."""
    language = get_language()
    return mark_safe(  # noqa: S308 - escaped in _city_shape
        "".join([_city_shape(language, *shape) for shape in shapes])
    )


@functools.lru_cache(maxsize=512)  # 114 units in two languages
def _city_shape(language, code, name, value, path):
    title = f"{escape(name)}: {_rate_text(value, labels_for(language))}"
    return (
        f'<a href="#u-{escape(code)}" aria-label="{title}"><path d="{escape(path)}" '
        f'class="rate-fill-{rate_level(value)}" fill-rule="evenodd"><title>{title}</title></path></a>'
    )


def city_rows(rows, index_url):
    """<tr> of the city's table of units (figures.UnitRow), each linked to its unit's page:
    `index_url` + code + "/" (campaigns_officer:ward; a test checks they agree); memoised as the
    groups' rows are."""
    language = get_language()
    return mark_safe(  # noqa: S308 - escaped in _city_row
        "\n".join(
            [
                _city_row(
                    language, index_url, row.code, row.name, row.smartphone_households, row.covered, row.registered
                )
                for row in rows
            ]
        )
    )


@functools.lru_cache(maxsize=512)
def _city_row(language, index_url, code, name, smart, covered, registered):
    code, value = escape(code), round(100 * covered / smart, 1) if smart else None  # figures.rate
    return (
        f'<tr id="u-{code}"><th scope="row"><a href="{index_url}{code}/">{escape(name)}</a></th>'
        f'<td class="num">{smart}</td><td class="num">{covered}</td>'
        f'<td class="num">{rate_cell(value, rate_level(value), labels_for(language))}</td>'
        f'<td class="num">{registered}</td></tr>'
    )


def workplace_rows(rows, links):
    """<tr> of the ward's workplaces (figures.WorkplaceRow), as the groups' rows (and memoised as
    they are): a ward may have dozens of agencies, schools and companies. `links`: unit_links(),
    or None (no names)."""
    language = get_language()
    prefixes = (links["people"], links["xlsx"], links["csv"]) if links else None
    return mark_safe(  # noqa: S308 - escaped in _workplace_row
        "\n".join(
            [
                _workplace_row(
                    language,
                    prefixes,
                    (row.pk, row.name, str(row.kind_label), row.headcount, row.registered),
                )
                for row in rows
            ]
        )
    )


@functools.lru_cache(maxsize=1024)
def _workplace_row(language, prefixes, values):
    pk, name, kind_label, headcount, registered = values
    labels = labels_for(language)
    name, query = escape(name), f"?noi-lam-viec={pk}"
    value = round(100 * registered / headcount, 1) if headcount else None  # WorkplaceRow.rate
    gap = max(headcount - registered, 0) if headcount else None  # WorkplaceRow.gap
    exports = ""
    if prefixes:
        people, xlsx, csv = prefixes
        registered = _number(registered, escape(people + query))
        exports = _exports(xlsx + query, csv + query, name)
    return (
        f'<tr><th scope="row">{name}</th><td>{escape(kind_label)}</td>'
        f'<td class="num">{_dash(headcount)}</td>'
        f'<td class="num">{registered}</td><td class="num">{rate_cell(value, rate_level(value), labels)}</td>'
        f'<td class="num">{_dash(gap)}</td>{exports}</tr>'
    )


def jobs_section(jobs, links):
    """The officer's recent export jobs (ExportJob), each linked to its page, as the template drew
    them; "" without any."""
    if not jobs:
        return ""
    items = []
    for job in jobs:
        percent = f" {job.percent}%" if job.status == "running" else ""
        items.append(
            f'<li><a href="{escape(links["ward"])}tai-ve/{job.pk}/">{escape(job.label)} ({escape(job.fmt.upper())})'
            f"</a> – {escape(job.get_status_display())}{percent}</li>"
        )
    return mark_safe(  # noqa: S308 - escaped above
        '<section class="card" aria-labelledby="jobs-title">\n'
        f'  <h2 id="jobs-title">{escape(_("Danh sách đang tạo, đã tạo"))}</h2>\n'
        f"  <ul>{''.join(items)}</ul>\n</section>"
    )


def countdown(found):
    """The countdown to a deadline (figures.Countdown, or None: nothing) as its template drew it,
    with the template's msgids: the ward page drew it three times through an {% include %}."""
    if not found:
        return ""
    return _countdown(get_language(), str(found.label), found.due_on, found.days_left)


@functools.lru_cache(maxsize=256)  # a few audiences and deadlines, each day
def _countdown(_language, who, due_on, days_left):
    due = due_on.strftime("%d/%m/%Y")
    if days_left > 0:
        text = ngettext(
            "%(who)s: còn %(days)s ngày đến hạn %(due)s", "%(who)s: còn %(days)s ngày đến hạn %(due)s", days_left
        ) % {"who": who, "days": days_left, "due": due}
    elif days_left == 0:
        text = _("%(who)s: hôm nay là hạn cuối") % {"who": who}
    else:
        text = _("%(who)s: đã quá hạn %(due)s") % {"who": who, "due": due}
    overdue = " overdue" if days_left < 0 else ""
    return mark_safe(f'<p class="countdown{overdue}">{escape(text)}</p>')  # noqa: S308 - escaped
