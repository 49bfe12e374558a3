"""What the list pages show (the catalogue, the desk's queue), worked out here in plain dicts.

A model instance a row, `{% url %}`, `get_FOO_display()` and `|date` for every row cost more than
the SQL at a million dossiers: the rows come from `.values()`, their URLs from one reverse() with a
placeholder, their labels from a table built once per language, their dates from strftime.
"""

import functools
from types import SimpleNamespace
from urllib.parse import quote

from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Value
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government.models import Agency
from smarthp.sql import aware

from .models import Dossier, DossierStatus, Level, OnlineLevel, ProcedureField, overdue

_PLACEHOLDER = "0PLACEHOLDER0"
_LABELS = {}


@receiver(setting_changed)
def _forget_labels(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _LABELS.clear()


def choice_label(choices, value):
    """get_FOO_display() for `value` of these TextChoices in the active language. Django's hashes
    every lazy label (a gettext call each) on every call; one language's labels never change while
    the process runs, so they are worked out once per language."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {choice: str(label) for choice, label in choices.choices}
    return labels.get(value, value)


def url_maker(name):
    """A function code -> URL of the view `name` taking one code, reversed once (as reverse() quotes)."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda code: pattern.replace(_PLACEHOLDER, quote(code, safe=safe))


def _day(moment, zone):
    return moment.astimezone(zone).strftime("%d/%m/%Y") if moment else ""


# --- The catalogue ---------------------------------------------------------------------------


@functools.cache
def _choices_sql():
    # Compiling this UNION costs the ORM about 2 ms of CPU, more than running it; its SQL never
    # changes, so it is compiled once per process (the rows are read afresh every time).
    fields = ProcedureField.objects.order_by().annotate(choice=Value(0)).values_list("choice", "slug", "name", "pk")
    agencies = (
        Agency.objects.filter(procedures__is_active=True)
        .order_by()
        .annotate(choice=Value(1))
        .values_list("choice", "slug", "name", "pk")
    )
    query = fields.union(agencies).order_by("choice", "name").query  # UNION drops an agency's repeats
    return query.sql_with_params()


def catalogue_choices():
    """([(slug, name, pk)] of the fields, [(slug, name, pk)] of the agencies with a published
    procedure): the filters' options, and the names the rows show. One query."""
    sql, params = _choices_sql()
    found = {0: [], 1: []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for choice, slug, name, pk in cursor.fetchall():
            found[choice].append((slug, name, pk))
    return found[0], found[1]


PROCEDURE_FIELDS = ("pk", "code", "name", "field_id", "level", "agency_id", "is_active", "online", "online_level")
PROCEDURE_FIELDS += ("is_sample",)


def procedure_rows(rows, fields, agencies):
    """The catalogue's rows from `.values(*PROCEDURE_FIELDS)`, with the names of their field and agency
    taken from `fields` and `agencies` (catalogue_choices()) rather than from two joins."""
    field_names = {pk: name for _slug, name, pk in fields}
    agency_names = {pk: name for _slug, name, pk in agencies}
    url = url_maker("publicservices:procedure")
    result = []
    for row in rows:
        online = row["is_active"] and row["online"] and row["online_level"] != OnlineLevel.NONE
        meta = [row["code"], field_names.get(row["field_id"], ""), choice_label(Level, row["level"])]
        if row["agency_id"] in agency_names:
            meta.append(agency_names[row["agency_id"]])
        row.update(
            url=url(row["code"]),
            meta=" · ".join(meta),
            online_label=choice_label(OnlineLevel, row["online_level"]) if online else "",
            full=row["online_level"] == OnlineLevel.FULL,
        )
        result.append(row)
    return result


def procedure_items(rows):
    """The catalogue's <li> items as HTML, from procedure_rows(): every text escaped here. The
    template engine spent about 0.1 ms a row on them, more than the query for the page."""
    online, sample = escape(_("Nộp trực tuyến")), escape(_("Dữ liệu mẫu"))
    items = []
    for row in rows:
        tags = ""
        if row["online_label"]:
            full = " ps-tag-full" if row["full"] else ""
            tags = f'<span class="ps-tag{full}">{online}: {escape(row["online_label"])}</span>'
        if row["is_sample"]:
            tags += f'<span class="ps-tag">{sample}</span>'
        items.append(
            f'  <li><a class="ps-title" href="{escape(row["url"])}">{escape(row["name"])}</a>\n'
            f'    <p class="ps-meta">{escape(row["meta"])}</p>\n'
            f'    <p class="ps-meta">{tags}</p></li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - escaped above


def options(choices, chosen):
    """[(value, label, selected)] of a select, `choices` being (value, label, ...) tuples."""
    return [(value, label, value == chosen) for value, label, *_rest in choices]


# --- The desk's queue ------------------------------------------------------------------------

QUEUE_FIELDS = (
    "pk", "code", "applicant_name", "status", "submitted_at", "due_at", "finished_at", "holder_unit",
    "procedure__name", "holder_id", "holder__full_name", "holder__username",
)  # fmt: skip


def queue_rows(rows, now=None):
    """The queue's rows from `.values(*QUEUE_FIELDS)`: link, dates as shown, overdue, who holds it."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()  # once: timezone.localtime() looks it up on every call
    url = url_maker("publicservices_officer:dossier")
    result = []
    for row in rows:
        submitted = row["submitted_at"].astimezone(zone)
        holder = (row["holder__full_name"] or row["holder__username"]) if row["holder_id"] else ""
        result.append(
            {
                "code": row["code"],
                "url": url(row["code"]),
                "procedure": row["procedure__name"],
                "applicant": row["applicant_name"],
                "submitted": submitted.strftime("%H:%M %d/%m/%Y"),
                "due": _day(row["due_at"], zone) or "–",
                "overdue": overdue(row["status"], row["due_at"], row["finished_at"], now),
                "holder": f"{holder} {row['holder_unit']}".strip(),
            }
        )
    return result


def queue_table_rows(rows):
    """The queue's <tr> rows as HTML, from queue_rows(): every text escaped here (30 rows through the
    template engine took about 2.5 ms of CPU)."""
    late = escape(_("Quá hạn"))
    parts = []
    for row in rows:
        tag = f' <span class="ps-tag ps-tag-late">{late}</span>' if row["overdue"] else ""
        parts.append(
            f'<tr><th scope="row"><a href="{escape(row["url"])}">{escape(row["code"])}</a></th>'
            f"<td>{escape(row['procedure'])}</td><td>{escape(row['applicant'])}</td><td>{row['submitted']}</td>"
            f"<td>{escape(row['due'])}{tag}</td><td>{escape(row['holder'])}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


# --- Lookup by code ---------------------------------------------------------------------------


LOOKUP_FIELDS = ("code", "status", "received_at", "due_at", "applicant_id", "secret", "procedure__name")


@functools.cache
def _lookup_sql():
    # The public lookup is the page anyone can hit: its query's SQL is the same for every code, so
    # the ORM compiles it once per process (0.7 ms of CPU a request) and the code is its one parameter.
    sql, params = Dossier.objects.filter(code="").values(*LOOKUP_FIELDS)[:1].query.sql_with_params()
    assert list(params) == [""], params
    return sql


def lookup_row(code):
    """What a lookup by code shows of a dossier (TT 01/2018 Art. 16.2.d: procedure, status, received
    and due dates), plus what tells its applicant (`applicant_id`, `secret`); None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [code])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(LOOKUP_FIELDS, found, strict=True))
    zone = timezone.get_current_timezone()
    return SimpleNamespace(
        code=row["code"],
        procedure=row["procedure__name"],
        status=choice_label(DossierStatus, row["status"]),
        received=_day(aware(row["received_at"]), zone) or "–",
        due=_day(aware(row["due_at"]), zone) or "–",
        applicant_id=row["applicant_id"],
        secret=row["secret"],
    )
