"""The indexes the home page's ward summary reads by (news/migrations/0002_ward_summary_indexes.py),
on SQLite and PostgreSQL alike; the migration goes back and forth."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

WANTED = {
    ("news_wardnotice_wards", "news_notice_ward_unit"): ["administrativeunit_id", "wardnotice_id"],
    ("news_outage_wards", "news_outage_ward_unit"): ["administrativeunit_id", "outage_id"],
    ("news_wardnotice", "notice_expires"): ["expires_at"],
    ("news_outage", "outage_ends"): ["ends_at"],
}


def _indexes():
    with connection.cursor() as cursor:
        return {
            (table, name): found["columns"]
            for table in {table for table, _name in WANTED}
            for name, found in connection.introspection.get_constraints(cursor, table).items()
            if found["index"]
        }


def test_the_ward_summary_indexes_exist_with_their_columns():
    indexes = _indexes()
    for key, columns in WANTED.items():
        assert indexes.get(key) == columns, key


def test_the_migration_is_reversible():
    executor = MigrationExecutor(connection)
    executor.migrate([("news", "0001_initial")])
    assert not set(WANTED) & set(_indexes())
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(WANTED) <= set(_indexes())
