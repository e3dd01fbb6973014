"""What every page's header needs."""

from django.conf import settings

from . import rules
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_demo_logins": settings.IIA_SHOW_DEMO_LOGINS}
    board_ids = rules.board_ids(user)
    return {
        "user_board_names": rules.board_names(user),
        "is_officer": any(rules.has_role(user, b, Role.OFFICER) for b in board_ids),
        "is_clerk": any(rules.has_role(user, b, Role.CLERK) for b in board_ids),
        "is_equality_lead": any(rules.has_role(user, b, Role.EQUALITY_LEAD) for b in board_ids),
        "show_demo_logins": settings.IIA_SHOW_DEMO_LOGINS,
    }
