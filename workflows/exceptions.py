"""Workflow errors shown to users as a 409 "someone else just changed this" page."""


class Conflict(Exception):
    """The task or record changed under the user: it was completed, claimed or locked
    by someone else. Nothing the user sent was saved."""

    def __init__(self, message: str = "", *, next_url: str = ""):
        self.next_url = next_url
        super().__init__(message or "Someone else has just changed this. Nothing you sent was saved.")
