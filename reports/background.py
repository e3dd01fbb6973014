"""Background work: on Celery when a broker is configured, inline after commit otherwise.

Celery is imported only when it is used, so a process without a broker (``make run``,
the tests, a command) does not carry it (about 20 MiB)."""

import logging

from django.conf import settings

logger = logging.getLogger("iia.documents")


def enqueue(document_id: int) -> None:
    """Produce a signed document. An inline failure is recorded on the document and
    retried later (``manage.py issue_documents``); it never reaches the user who signed off."""
    if settings.CELERY_BROKER_URL:
        from .tasks import issue_document

        issue_document.delay(document_id)
        return
    from .services import document_issue

    try:
        document_issue(document_id=document_id)
    except Exception:  # recorded on the document by document_issue
        logger.warning("document %s will be retried", document_id)


def enqueue_pack(meeting_id: int) -> None:
    """Build an agenda pack (a failure is kept on the pack and shown to the clerk)."""
    if settings.CELERY_BROKER_URL:
        from .tasks import build_pack

        build_pack.delay(meeting_id)
        return
    from .services.packs import pack_build

    try:
        pack_build(meeting_id=meeting_id)
    except Exception:
        logger.warning("agenda pack of meeting %s will be retried", meeting_id)
