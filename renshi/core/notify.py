"""Messages to people: SMS through a pluggable backend (settings.SMS_BACKEND), e-mail through
Django's. Production sets SMS_BACKEND to a provider adapter with the same `send` method."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SMS:
    phone: str
    text: str


outbox: list[SMS] = []


class ConsoleSMSBackend:
    def send(self, phone: str, text: str) -> None:
        print(f"[短信] {phone}: {text}", flush=True)  # the demo's SMS gateway


class LocmemSMSBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append(SMS(phone, text))


def send_sms(phone: str, text: str) -> None:
    """Send now; callers inside a transaction wrap this in transaction.on_commit."""
    if not phone:
        return
    try:
        import_string(settings.SMS_BACKEND)().send(phone, text)
    except Exception:  # a message is never worth failing the user's action for
        log.exception("SMS to %s failed", phone[-4:])


def send_email(address: str, subject: str, text: str) -> None:
    if not address:
        return
    try:
        send_mail(subject, text, None, [address])
    except Exception:
        log.exception("e-mail failed")
