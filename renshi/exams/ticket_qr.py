"""The signed QR code on an admission ticket, checked at the site without a network.

Content (kept short, so the code is small and quick to draw and scan):

    RSZ1|<exam code>|<ticket number>|<name>|<masked ID number>|<ID hash prefix>|<signature>

The ID hash prefix is the first 8 hex digits of the ID number's lookup hash; the signature is
Ed25519 over the UTF-8 text before the last "|", in base32 without padding. The key pair is
made once per installation under TICKET_KEY_DIR (default var/tickets/, ignored by git) like the
payment simulator's keys; a site's scanner needs only the public key (`public_key_pem()`), so a
forged or edited code fails anywhere.
"""

import base64
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PREFIX = "RSZ1"
FIELDS = ("e", "t", "n", "m", "h")


def key_dir() -> Path:
    value = getattr(settings, "TICKET_KEY_DIR", "") or os.environ.get("TICKET_KEY_DIR", "")
    return Path(value or settings.BASE_DIR / "var" / "tickets")


def _generate() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@cache
def _private_key_at(folder: str) -> Ed25519PrivateKey:
    path = Path(folder) / "ed25519.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        try:
            # O_EXCL: two processes starting at once agree on the first key written.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = None
        if fd is not None:
            with os.fdopen(fd, "wb") as f:
                f.write(_generate())
            os.replace(tmp, path)
        else:
            for _ in range(300):
                if path.exists():
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"{path} was not written (remove {tmp} and retry)")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} is not an Ed25519 key")
    return key


def private_key() -> Ed25519PrivateKey:
    return _private_key_at(str(key_dir()))


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def payload_for(*, exam_code, ticket_number, name, masked_id, id_hash) -> dict:
    return {"e": exam_code, "t": ticket_number, "n": name, "m": masked_id, "h": id_hash[:8]}


def _body(payload: dict) -> str:
    values = [str(payload[k]).replace("|", "｜") for k in FIELDS]
    return "|".join([PREFIX, *values])


def sign(payload: dict) -> str:
    body = _body(payload)
    signature = base64.b32encode(private_key().sign(body.encode())).rstrip(b"=").decode()
    return f"{body}|{signature}"


@dataclass(frozen=True)
class Checked:
    valid: bool
    reason: str = ""
    payload: dict | None = None


def verify(text: str, key: Ed25519PublicKey | None = None) -> Checked:
    """Valid only if the signature over the exact text checks with the public key."""
    body, _, signature = (text or "").strip().rpartition("|")
    parts = body.split("|")
    if parts[0] != PREFIX or len(parts) != len(FIELDS) + 1:
        return Checked(False, "不是本系统的准考证二维码")
    try:
        raw = base64.b32decode(signature + "=" * (-len(signature) % 8))
    except (ValueError, TypeError):
        return Checked(False, "二维码内容已损坏")
    try:
        (key or public_key()).verify(raw, body.encode())
    except InvalidSignature:
        return Checked(False, "签名无效：二维码内容被篡改或不是本系统签发")
    return Checked(True, "签名有效", dict(zip(FIELDS, parts[1:], strict=True)))
