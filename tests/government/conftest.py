import pytest


@pytest.fixture(autouse=True)
def _fresh_geo_index():
    """Each test starts with this process's point-in-ward index unbuilt."""
    from government import geo

    geo.forget_index()
    yield
    geo.forget_index()


@pytest.fixture
def city(db):
    """The 114 units from the bundled list, with the bundled seats."""
    from government.services import import_unit_seats, import_units

    import_units()
    import_unit_seats()
