"""Every write to the personnel database goes through these services: validated, audited, atomic.

They use `transaction.atomic()` (not durable) on purpose: the service hall calls them inside the
transaction of the case step that causes them.
"""
