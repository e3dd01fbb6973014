"""Celery tasks (imported by the worker; ``background`` sends them by name)."""

from celery import shared_task

from . import background
from .notifications import format_request_send, report_sent_send
from .services.documents import document_issue
from .services.packs import pack_build


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=8,
             acks_late=True)
def issue_document(self, document_id: int) -> str:
    return document_issue(document_id=document_id).status


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5,
             acks_late=True)
def build_pack(self, meeting_id: int) -> str:
    return pack_build(meeting_id=meeting_id).status


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_report_sent(report_id: int, actor_id: int) -> int:
    """The emails telling a board's clerks of a report sent to them."""
    return report_sent_send(report_id=report_id, actor_id=actor_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_format_request(format_request_id: int) -> int:
    """The emails telling a board's equality leads of a request for another format."""
    return format_request_send(format_request_id=format_request_id)


@shared_task
def send_pending() -> str:
    documents, packs = background.send_pending()
    return f"{documents} documents and {packs} packs sent again"
