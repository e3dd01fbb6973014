"""Background work: Celery when a broker is configured, inline after commit otherwise."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger("iia.documents")


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=8,
             acks_late=True)
def issue_document(self, document_id: int) -> str:
    from .services import document_issue

    return document_issue(document_id=document_id).status


def enqueue(document_id: int) -> None:
    """Produce the document in the background, or now (inline) without a broker. An
    inline failure is recorded on the document and retried later by
    ``manage.py issue_documents``; it never reaches the user who signed off."""
    if settings.CELERY_BROKER_URL:
        issue_document.delay(document_id)
        return
    from .services import document_issue

    try:
        document_issue(document_id=document_id)
    except Exception:  # recorded on the document by document_issue
        logger.warning("document %s will be retried", document_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5,
             acks_late=True)
def build_pack(self, meeting_id: int) -> str:
    from .services.packs import pack_build

    return pack_build(meeting_id=meeting_id).status


def enqueue_pack(meeting_id: int) -> None:
    """Build the agenda pack on Celery, or inline without a broker (a failure is kept on
    the pack and shown to the clerk, who can retry)."""
    if settings.CELERY_BROKER_URL:
        build_pack.delay(meeting_id)
        return
    from .services.packs import pack_build

    try:
        pack_build(meeting_id=meeting_id)
    except Exception:
        logger.warning("agenda pack of meeting %s will be retried", meeting_id)
