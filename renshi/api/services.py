"""API tokens (issue, revoke, check) and the audited reveal of personal data through the API."""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from renshi.core import crypto
from renshi.core.audit import audit_record
from renshi.core.models import ApiToken

# A fixed tag lets secret scanners spot a leaked Renshi key.
KEY_TAG = "rsk"
# Writing last_used_at on every request would turn each read into a write; a minute is precise
# enough to tell a live integration from a dead one.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _hash(raw: str) -> str:
    # The token carries 256 random bits, so a plain digest is enough (no stretching, no key that
    # would invalidate every token when FIELD_ENCRYPTION_KEY rotates).
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Issue a token for `user`; the raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise TokenError("令牌名称不能为空")
    if not user.is_active:
        raise TokenError(f"用户「{user.username}」已停用，不能签发令牌")
    with transaction.atomic(durable=True):
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        raw = f"{KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken(user=user, name=name[:100], prefix=prefix, token_hash=_hash(raw))
        token.full_clean()
        token.save()
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            label=str(token),
            after={"user": user.username, "name": token.name, "prefix": prefix},
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic(durable=True):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked:
            raise TokenError("该令牌已吊销")
        token.revoked = True
        token.save(update_fields=["revoked"])
        audit_record(actor=actor, action="api_token.revoke", obj=token, label=str(token))
    return token


def api_token_check(raw: str) -> ApiToken | None:
    """The live token for this raw value (with its user), or None; marks it used."""
    tag, _, rest = (raw or "").partition("_")
    prefix, _, secret = rest.partition("_")
    if tag != KEY_TAG or not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.token_hash, _hash(raw)):
        return None
    if token.revoked or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def people_reveal(*, actor, token: ApiToken, people, ip=None) -> dict[int, dict[str, str]]:
    """Full ID and phone numbers for these people, with one audit row for the whole request."""
    people = list(people)
    if not people:
        return {}
    values = {
        p.pk: {
            "id_number": crypto.decrypt(p.id_number_cipher),
            "phone": crypto.decrypt(p.phone_cipher),
        }
        for p in people
    }
    single = people[0] if len(people) == 1 else None
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            action="person.api_reveal",
            object_type="personnel.person",
            object_id=str(single.pk) if single else "",
            label=single.name if single else f"{len(people)}人",
            unit_id=single.unit_id if single else None,
            after={"count": len(people), "ids": sorted(values), "fields": ["id_number", "phone"]},
            note=f"数据接口查看完整号码（令牌：{token}）",
            ip=ip,
        )
    return values
