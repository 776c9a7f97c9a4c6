"""Domain errors: a service raises them, a view turns them into a clear message (403/409/400)."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the action; ``message`` is shown to the user as it is."""

    code = "domain_error"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        message = str(message)  # a translated message, in the language of the person it refuses
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid"


class Conflict(DomainError):
    code = "conflict"


class NotAllowed(DomainError):
    code = "not_allowed"


class Unavailable(DomainError):
    """The service cannot do it right now (a full disk, a server down); nothing was changed."""

    code = "unavailable"
