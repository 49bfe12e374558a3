import pytest

from campaigns import demo, figures
from government import demo as government_demo
from government.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_the_demo_ward_has_groups_at_different_rates_and_loads_twice_alike():
    government_demo.load()
    demo.load()
    demo.load()
    rates = [row.rate for row in figures.compute_ward(AdministrativeUnit.objects.get(code="11383")).groups]
    assert len(set(rates)) == 5 and all(rate is not None for rate in rates)
    assert figures.helpers(AdministrativeUnit.objects.get(code="11383"))[0].households >= 10
