class ExamError(Exception):
    """A rule of registration was broken; the message is for the user, in Chinese."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class StaleDecision(ExamError):
    """The application changed after the reviewer opened it."""

    def __init__(self, message="考生已更改报考信息，请刷新后重新审核"):
        super().__init__(message, code="stale")
