import pytest

from renshi.payments import hooks
from renshi.payments.tests.helpers import PREFIX, TestPayer


@pytest.fixture
def payer():
    """A tiny payer owner: takes the first payment of each payer ref, declines any later one."""
    owner = TestPayer()
    hooks.register(
        PREFIX,
        hooks.PayerHooks(
            on_paid=owner.on_paid, on_refunded=owner.on_refunded, describe=owner.describe
        ),
    )
    yield owner
    hooks._registry.pop(PREFIX, None)


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.PAY_SIMULATOR = "1"
    settings.PAY_PUBLIC_BASE_URL = "http://testserver"
