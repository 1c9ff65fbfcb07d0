class PersonnelError(Exception):
    """A rule of the personnel database was broken; the message is for the user, in Chinese."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class EstablishmentExceeded(PersonnelError):
    def __init__(self, message: str):
        super().__init__(message, code="establishment_exceeded")


class StaleRecord(PersonnelError):
    def __init__(self, message="该记录已被他人修改，请刷新后重试"):
        super().__init__(message, code="stale")
