"""Each unit's "total" row filled from the counts already kept (campaigns.tallies.refresh_total, in
the historical models), so that the city page does not recount every unit on its first view."""

import datetime as dt

from django.db import migrations
from django.db.models import Count, Min, Sum
from django.utils import timezone

NOT_COUNTED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # as campaigns.tallies.NOT_COUNTED


def fill_totals(apps, schema_editor):
    Tally = apps.get_model("campaigns", "Tally")
    ResidentialGroup = apps.get_model("government", "ResidentialGroup")
    surveys = {
        row["unit_id"]: row
        for row in ResidentialGroup.objects.values("unit_id").annotate(
            n=Count("pk"), smart=Sum("smartphone_households")
        )
    }
    rows = []
    for code, survey in surveys.items():
        kept = Tally.objects.filter(unit_id=code, group__unit_id=code).aggregate(
            n=Count("pk"),
            registered=Sum("registered"),
            homes=Sum("homes"),
            active=Sum("active"),
            covered=Sum("covered"),
            oldest=Min("refreshed_at"),
        )
        rows.append(
            Tally(
                unit_id=code,
                key="total",
                registered=kept["registered"] or 0,
                homes=kept["homes"] or 0,
                active=kept["active"] or 0,
                covered=kept["covered"] or 0,
                groups=survey["n"],
                smartphone_households=survey["smart"] or 0,
                refreshed_at=NOT_COUNTED if kept["n"] < survey["n"] else kept["oldest"] or timezone.now(),
            )
        )
    Tally.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_tally_total")]

    operations = [migrations.RunPython(fill_totals, migrations.RunPython.noop)]
