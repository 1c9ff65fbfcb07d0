"""How paid and refunded orders reach the app that owns the payer, without payments importing it.

An owner registers a prefix ("exams.application") with callbacks. Payments calls them inside the
transaction that changes the order, so the owner's change and the order's change commit together.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PayerHooks:
    # on_paid(order) -> True if the payer took the payment; False if it is not needed any more
    # (already paid by another order, withdrawn, cancelled): payments then refunds it.
    on_paid: Callable[[object], bool]
    # on_refunded(refund) -> None: the owner updates its own state after a completed refund.
    on_refunded: Callable[[object], None] | None = None
    # describe(payer_ref) -> str: a human label for finance exports and reconciliation lists.
    describe: Callable[[str], str] | None = None


_registry: dict[str, PayerHooks] = {}


def register(prefix: str, hooks: PayerHooks) -> None:
    _registry[prefix] = hooks


def hooks_for(payer_ref: str) -> PayerHooks | None:
    return _registry.get(payer_ref.split(":", 1)[0])
