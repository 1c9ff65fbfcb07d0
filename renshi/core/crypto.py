"""Field encryption for personal data: SM4-GCM for the value, HMAC-SM3 blind index for lookup.

A database dump shows neither ID numbers nor phone numbers. Keys come from FIELD_ENCRYPTION_KEY
(hex); the demo derives them from SECRET_KEY. Production puts this behind a certified crypto module.
"""

import base64
import functools
import os

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sm4g1:"


@functools.cache
def _keys() -> tuple[bytes, bytes]:
    master = settings.FIELD_ENCRYPTION_KEY
    material = bytes.fromhex(master) if master else settings.SECRET_KEY.encode()
    okm = HKDF(algorithm=hashes.SM3(), length=48, salt=b"renshi-fields", info=b"v1").derive(
        material
    )
    return okm[:16], okm[16:]


def encrypt(text: str) -> str:
    if not text:
        return ""
    enc_key, _ = _keys()
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(text.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("unknown ciphertext format")
    enc_key, _ = _keys()
    raw = base64.b64decode(token[len(PREFIX) :])
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(enc_key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()


def blind_index(text: str) -> str:
    """Keyed hash for exact-match lookup without storing the value."""
    if not text:
        return ""
    _, mac_key = _keys()
    mac = hmac.HMAC(mac_key, hashes.SM3())
    mac.update(text.encode())
    return mac.finalize().hex()
