"""Celery tasks (imported by the worker, and by ``background`` when a broker is set)."""

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=8,
             acks_late=True)
def issue_document(self, document_id: int) -> str:
    from .services import document_issue

    return document_issue(document_id=document_id).status


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5,
             acks_late=True)
def build_pack(self, meeting_id: int) -> str:
    from .services.packs import pack_build

    return pack_build(meeting_id=meeting_id).status


@shared_task
def send_pending() -> str:
    from .background import send_pending as sweep

    documents, packs = sweep()
    return f"{documents} documents and {packs} packs sent again"
