"""API tokens (docs/api.md): made, checked and revoked here, kept only as hashes.

A token is 43 random URL-safe characters (256 bits), so one SHA-256 suffices: there is
nothing to guess that a slow password hash would protect. Tokens made before hashing
(40 hexadecimal characters) were hashed as they were and keep working."""

import hashlib
import hmac
import secrets

from django.db import transaction

from .models import ApiToken

PREFIX_LENGTH = 8


def token_digest(key: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user) -> str:
    """A new token for ``user``, replacing any they had (which stops working). Returns the
    token: the only time anyone sees it."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, prefix=key[:PREFIX_LENGTH], digest=token_digest(key))
    return key


def api_token_revoke(*, user) -> bool:
    """Delete ``user``'s token; whether they had one."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return bool(deleted)


def api_token_find(key: str) -> ApiToken | None:
    """The token ``key`` is, with its user; ``None`` when it is no token. Looked up by its
    prefix, then its hash compared in constant time."""
    digest = token_digest(key)
    found = None
    for token in ApiToken.objects.select_related("user").filter(prefix=key[:PREFIX_LENGTH]):
        if hmac.compare_digest(token.digest, digest):
            found = token
    return found
