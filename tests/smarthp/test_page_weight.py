"""DESIGN §5: a citizen page without map or photos weighs under 100 KB over the wire (gzip)."""

import pytest

from benchmarks.weight import BUDGET_KB, measure


@pytest.mark.django_db
def test_home_page_weighs_under_the_mobile_budget(client):
    result = measure(client, "/")

    kinds = {kind for kind, *_ in result["items"]}
    assert {"html", "css", "js"} <= kinds  # it did follow the page's stylesheet and script
    assert result["gzip"] < BUDGET_KB * 1024, result["items"]
