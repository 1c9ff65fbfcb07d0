"""Renshi's simulated payment gateway (/pay/sim/): speaks enough of the Alipay openapi gateway and
of WeChat Pay APIv3 for the real SDKs, and signs with its own keys exactly as the providers do."""
