"""Domain errors shared by every layer.

The web layer turns :class:`NotFoundError` into a 404 page, the API into a
404 response and the CLI into a message with a non-zero exit. A missing object
and one the viewer may not see raise the same error, so nothing leaks.
"""

__all__ = ["BridgeworkError", "NotFoundError", "InvalidInputError"]


class BridgeworkError(Exception):
    """Base class of every error Bridgework raises on purpose."""


class NotFoundError(BridgeworkError):
    """The object does not exist, or the viewer may not see it."""


class InvalidInputError(BridgeworkError):
    """Input failed validation; ``errors`` maps field names to messages."""

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}
