"""Payment settings. Each value comes from Django settings if set there (tests), else from the
environment, else a default that runs against Renshi's own simulated gateway (/pay/sim/)."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def value(name: str, default: str = "") -> str:
    return str(getattr(settings, name, os.environ.get(name, default)))


def simulator_on() -> bool:
    """PAY_SIMULATOR=1 (the default): both channels talk to /pay/sim/ with the simulator's keys."""
    return value("PAY_SIMULATOR", "1").lower() in ("1", "true", "yes", "on")


def public_base_url() -> str:
    """Where the providers reach us (notify URLs must be absolute)."""
    return value("PAY_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def key_dir() -> Path:
    return Path(value("PAY_KEY_DIR", str(settings.BASE_DIR / "var" / "paysim")))


def order_timeout_minutes() -> int:
    return int(value("PAY_ORDER_TIMEOUT_MINUTES", "30"))


def query_after_minutes() -> int:
    return int(value("PAY_QUERY_AFTER_MINUTES", "3"))


def replay_window_seconds() -> int:
    return int(value("PAY_REPLAY_WINDOW_SECONDS", "300"))


def _pem(file_setting: str, sim_key: str) -> str:
    path = value(file_setting)
    if path:
        return Path(path).read_text()
    if not simulator_on():
        raise ImproperlyConfigured(f"{file_setting} must name a PEM file when PAY_SIMULATOR=0")
    from renshi.payments import keys

    return keys.sim_keys()[sim_key]


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    seller_id: str
    gateway: str
    app_private_key: str
    alipay_public_key: str


@dataclass(frozen=True)
class WechatConfig:
    app_id: str
    mch_id: str
    gateway: str
    apiv3_key: str
    cert_serial_no: str
    private_key: str
    public_key: str
    public_key_id: str


def alipay() -> AlipayConfig:
    sim = simulator_on()
    return AlipayConfig(
        app_id=value("ALIPAY_APP_ID", "2021000100000001"),
        seller_id=value("ALIPAY_SELLER_ID", "2088100000000001"),
        gateway=value(
            "ALIPAY_GATEWAY",
            "/pay/sim/alipay/gateway.do" if sim else "https://openapi.alipay.com/gateway.do",
        ),
        app_private_key=_pem("ALIPAY_APP_PRIVATE_KEY_FILE", "alipay_app_private"),
        alipay_public_key=_pem("ALIPAY_PUBLIC_KEY_FILE", "alipay_platform_public"),
    )


def wechat() -> WechatConfig:
    sim = simulator_on()
    from renshi.payments import keys

    sim_keys = keys.sim_keys() if sim else {}
    return WechatConfig(
        app_id=value("WECHAT_APP_ID", "wx10000000000000a1"),
        mch_id=value("WECHAT_MCH_ID", "1900000001"),
        gateway=value(
            "WECHAT_GATEWAY", "/pay/sim/wechat" if sim else "https://api.mch.weixin.qq.com"
        ),
        apiv3_key=value("WECHAT_APIV3_KEY", sim_keys.get("wechat_apiv3_key", "")),
        cert_serial_no=value("WECHAT_CERT_SERIAL_NO", sim_keys.get("wechat_merchant_serial", "")),
        private_key=_pem("WECHAT_PRIVATE_KEY_FILE", "wechat_merchant_private"),
        public_key=_pem("WECHAT_PUBLIC_KEY_FILE", "wechat_platform_public"),
        public_key_id=value("WECHAT_PUBLIC_KEY_ID", sim_keys.get("wechat_public_key_id", "")),
    )
