import pytest


@pytest.fixture(autouse=True)
def _no_staff_2fa_by_default(settings):
    """Most tests log in with force_login; the two-factor tests switch it back on."""
    settings.REQUIRE_STAFF_2FA = False
