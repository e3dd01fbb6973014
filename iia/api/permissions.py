"""Who may call the API at all. What each person may see or do is decided further in, by
the selectors (scoped to their boards) and the rules the services check."""

from rest_framework.permissions import AllowAny, BasePermission

from assessments import rules


class IsBoardMember(BasePermission):
    """Signed in (token or session) and holding a role on at least one board. Superusers
    get no exemption: the site administrator has no role and no API access."""

    message = "You have no role on any board."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and rules.board_ids(user))


class Public(AllowAny):
    """The public register: no sign-in, and only published material behind it."""
