class PaymentError(Exception):
    """A payment rule was broken or a gateway refused; the message is for the user, in Chinese."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class GatewayError(PaymentError):
    """The payment provider could not be reached or answered something we cannot use."""

    def __init__(self, message: str = "支付渠道暂时无法访问，请稍后再试"):
        super().__init__(message, code="gateway")
