"""The one family of errors a user may see.

Messages become strings when raised (not lazily), so a Celery worker running in another language
cannot translate them differently from the request that caused them (pretix does the same).
"""

from django.utils.encoding import force_str


class DomainError(Exception):
    """A rule of the domain refused an action; the message is for the user as it stands."""

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        self.message = force_str(message)
        self.field = field
        self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(DomainError):
    """The row is not in a state the action starts from."""


class ActionForbidden(DomainError):
    """The actor may not take this action on this row now (a 403 in a view)."""
