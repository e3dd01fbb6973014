"""Errors raised by the services; views turn them into messages beside the fields."""


class RuleViolation(Exception):
    """A business rule refused the change. ``errors`` maps a field key to its messages;
    the key ``"__all__"`` holds messages for the whole form."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(message for messages in errors.values() for message in messages))


class NotAllowed(Exception):
    """The user's role, board or involvement does not allow the action."""


class StaleEdit(Exception):
    """The record changed since the form was loaded; nothing was saved."""

    def __init__(self, message: str, *, current_by: str = "", current_at=None):
        self.current_by = current_by
        self.current_at = current_at
        super().__init__(message)


class TemplateInUse(NotAllowed):
    """Something was to be added to, or moved into, a template that screenings or
    assessments use: such a template is copied as a new version instead."""
