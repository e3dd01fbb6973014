"""Figures kept in the cache until the next audited change.

Every change the services make to a plan change, its screening, its assessments (ratings,
states, versions), reports and meetings writes an audit event, so the newest event's id
is a version number for all of them: an entry is stored under an explicit key with that
version, and is never read after a change. An entry also expires after its ``seconds``
(changes made outside the services, e.g. in the admin, are not audited).
"""

import hashlib

from django.core.cache import cache

from .models import AuditEvent


def latest_audit_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def change_key(name: str, parts) -> str:
    """The cache key for ``name`` and ``parts`` (a repr-able value naming what the entry
    depends on); its version is ``latest_audit_event()``."""
    return f"iia:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def until_next_change(name: str, parts, compute, *, seconds: int):
    """``compute(stamp)``, kept under ``name`` and ``parts`` until the next audited change.
    ``stamp`` names this entry at this version: a template keeps the markup it renders from
    the value under the same stamp (``{% cache … stamp %}``), so it is rendered again exactly
    when the value is computed again."""
    key, version = change_key(name, parts), latest_audit_event()
    found = cache.get(key, version=version)
    if found is None:
        found = compute(f"{key}:{version}")
        cache.set(key, found, seconds, version=version)
    return found
