"""Registers applications as payers with the payments app (payments never imports exams)."""

from renshi.payments.hooks import PayerHooks, register


def _on_paid(order):
    from renshi.exams.services.fees import application_paid

    return application_paid(order)


def _on_refunded(refund):
    from renshi.exams.services.fees import application_refunded

    return application_refunded(refund)


def _describe(payer_ref):
    from renshi.exams.services.fees import describe

    return describe(payer_ref)


register(
    "exams.application", PayerHooks(on_paid=_on_paid, on_refunded=_on_refunded, describe=_describe)
)
