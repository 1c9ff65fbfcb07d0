"""The simulator's signatures, done the providers' way (not with the SDKs we are testing)."""

import base64
import json
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from renshi.payments import keys


def rsa_sign(private_pem: str, message: str) -> str:
    key = load_pem_private_key(private_pem.encode(), None)
    return base64.b64encode(key.sign(message.encode(), PKCS1v15(), SHA256())).decode()


def rsa_verify(public_pem: str, message: str, signature: str) -> bool:
    try:
        load_pem_public_key(public_pem.encode()).verify(
            base64.b64decode(signature), message.encode(), PKCS1v15(), SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def alipay_content(params: dict, *, leave_out=("sign", "sign_type")) -> str:
    """Alipay RSA2: sorted k=v joined by &, without empty values and the left-out keys (a
    notification leaves out sign and sign_type; a merchant's request only sign)."""
    items = sorted((k, v) for k, v in params.items() if k not in leave_out and v != "")
    return "&".join(f"{k}={v}" for k, v in items)


def alipay_sign(params: dict, *, private_pem: str | None = None) -> str:
    return rsa_sign(
        private_pem or keys.sim_keys()["alipay_platform_private"], alipay_content(params)
    )


def alipay_request_ok(params: dict) -> bool:
    """Was this call signed by the merchant app's key?"""
    public = keys.sim_keys()["alipay_app_public"]
    content = alipay_content(params, leave_out=("sign",))
    return rsa_verify(public, content, params.get("sign", ""))


def wechat_sign(timestamp: str, nonce: str, body: str, *, private_pem: str | None = None) -> str:
    private = private_pem or keys.sim_keys()["wechat_platform_private"]
    return rsa_sign(private, f"{timestamp}\n{nonce}\n{body}\n")


def wechat_request_ok(method: str, path: str, body: str, authorization: str) -> bool:
    """Check the merchant's WECHATPAY2-SHA256-RSA2048 Authorization header."""
    scheme, _, rest = authorization.partition(" ")
    if scheme != "WECHATPAY2-SHA256-RSA2048":
        return False
    fields = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
    fields = {k.strip(): v.strip().strip('"') for k, v in fields.items()}
    message = f"{method}\n{path}\n{fields.get('timestamp')}\n{fields.get('nonce_str')}\n{body}\n"
    return rsa_verify(
        keys.sim_keys()["wechat_merchant_public"], message, fields.get("signature", "")
    )


def wechat_encrypt(plain: dict, associated_data: str, *, key: str | None = None) -> dict:
    """resource of an APIv3 notification: AEAD_AES_256_GCM with the APIv3 key."""
    nonce = secrets.token_hex(6)  # 12 characters, as WeChat sends
    apiv3_key = key or keys.sim_keys()["wechat_apiv3_key"]
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    cipher = AESGCM(apiv3_key.encode()).encrypt(
        nonce.encode(), text.encode(), associated_data.encode()
    )
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(cipher).decode(),
        "nonce": nonce,
        "associated_data": associated_data,
        "original_type": associated_data,
    }


def other_private_key() -> str:
    """A key that is not the provider's: what a forger would sign with."""
    return keys.sim_keys()["alipay_app_private"]
