"""The simulated gateway's key pairs (and the demo merchant's): made once per installation.

They live in PAY_KEY_DIR (default var/paysim/, ignored by git) so a fresh clone just works and no
key is ever committed. They are only for the simulator: production names real key files in env.
"""

import json
import os
import secrets
import string
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from renshi.payments import conf

PAIRS = ("alipay_app", "alipay_platform", "wechat_merchant", "wechat_platform")


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _generate() -> dict:
    data = {}
    for name in PAIRS:
        data[f"{name}_private"], data[f"{name}_public"] = _pair()
    alphabet = string.ascii_letters + string.digits
    data["wechat_apiv3_key"] = "".join(secrets.choice(alphabet) for _ in range(32))
    data["wechat_merchant_serial"] = secrets.token_hex(20).upper()
    data["wechat_public_key_id"] = "PUB_KEY_ID_" + secrets.token_hex(16).upper()
    return data


@cache
def sim_keys() -> dict:
    path = conf.key_dir() / "keys.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once agree on the first file written.
            fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = None
        if fd is not None:
            with os.fdopen(fd, "w") as f:
                json.dump(_generate(), f)
            os.replace(path.with_suffix(".tmp"), path)
        else:
            _wait_for(path)
    return json.loads(path.read_text())


def _wait_for(path, seconds=30):
    import time

    for _ in range(seconds * 10):
        if path.exists():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{path} was not written (remove {path.with_suffix('.tmp')} and retry)")
