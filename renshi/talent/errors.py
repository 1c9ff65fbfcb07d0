class TalentError(Exception):
    """A rule of the talent market or of party members was broken; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
