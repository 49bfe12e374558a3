import pytest

from tests.campaigns.world import build


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    settings.CAMPAIGN_EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def w(make_user):
    return build(make_user)
