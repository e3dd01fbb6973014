"""What every page's header needs."""

from django.conf import settings

from . import rules
from .models import Board


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show_demo_logins": settings.IIA_SHOW_DEMO_LOGINS}
    return {
        "user_boards": Board.objects.filter(pk__in=rules.board_ids(user)),
        "show_demo_logins": settings.IIA_SHOW_DEMO_LOGINS,
    }
