class HallError(Exception):
    """A rule of the service hall was broken; the message is for the user, in Chinese."""

    def __init__(self, message: str, *, field: str | None = None, errors: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or [message]
