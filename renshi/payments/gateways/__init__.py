"""Payment channel adapters. With PAY_SIMULATOR on, both talk to Renshi's simulated gateway."""

from renshi.payments import conf
from renshi.payments.gateways.base import Gateway


def gateway_for(channel: str) -> Gateway:
    from renshi.payments.gateways.alipay import AlipayGateway
    from renshi.payments.gateways.transport import InProcessTransport
    from renshi.payments.gateways.wechat import WechatGateway

    transport = InProcessTransport() if conf.simulator_on() else None
    classes = {"alipay": AlipayGateway, "wechat": WechatGateway}
    if channel not in classes:
        raise ValueError(f"unknown payment channel {channel!r}")
    return classes[channel](transport=transport)
