"""Figures kept in the cache until the next audited change.

Every change the services make to a plan change, its screening, its assessments (ratings,
states, versions), reports and meetings writes an audit event, so the newest event's id
is a version number for all of them: a key made with it is never read after a change.
An entry also expires after its ``seconds`` (changes made outside the services, e.g. in
the admin, are not audited).
"""

import hashlib

from django.core.cache import cache

from .models import AuditEvent


def latest_audit_event() -> int | None:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()


def change_key(name: str, parts) -> str:
    """A cache key for ``name`` and ``parts`` (a repr-able value naming what the entry
    depends on) that changes with the next audited change."""
    return f"iia:{name}:" + hashlib.sha256(repr((parts, latest_audit_event())).encode()).hexdigest()


def until_next_change(name: str, parts, compute, *, seconds: int):
    """``compute()``, kept under ``name`` and ``parts`` until the next audited change."""
    key = change_key(name, parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
