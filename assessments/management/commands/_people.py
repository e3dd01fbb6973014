"""The person a command acts as: its audit events name them, and the services check their role."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username: str):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No active account {username!r}: give the username of the person doing this (--by).") from None
