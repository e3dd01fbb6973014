"""Background work: on Celery when a broker is configured, inline after commit otherwise.

Celery is imported only when it is used, so a process without a broker (``make run``,
the tests, a command) does not carry it (about 20 MiB)."""

import datetime
import logging

from django.conf import settings

logger = logging.getLogger("iia.documents")


def enqueue(document_id: int) -> None:
    """Produce a signed document. An inline failure is recorded on the document and
    retried later (``manage.py issue_documents``); it never reaches the user who signed off."""
    if settings.CELERY_BROKER_URL:
        from iia.celery import send_to_workers

        from .tasks import issue_document

        send_to_workers(issue_document, document_id)  # the broker out of reach: left pending for the sweep
        return
    from .services import document_issue

    try:
        document_issue(document_id=document_id)
    except Exception:  # recorded on the document by document_issue
        logger.warning("document %s will be retried", document_id)


def enqueue_pack(meeting_id: int) -> None:
    """Build an agenda pack (a failure is kept on the pack and shown to the clerk)."""
    if settings.CELERY_BROKER_URL:
        from iia.celery import send_to_workers

        from .tasks import build_pack

        send_to_workers(build_pack, meeting_id)  # the broker out of reach: left pending for the sweep
        return
    from .services.packs import pack_build

    try:
        pack_build(meeting_id=meeting_id)
    except Exception:
        logger.warning("agenda pack of meeting %s will be retried", meeting_id)


# work still pending this long after it was asked for was most likely never sent (the
# broker was out of reach); a worker busy longer than this with a backlog gets it twice,
# which is harmless: issuing a document and building a pack are idempotent
PENDING_FOR = datetime.timedelta(minutes=30)


def send_pending(now=None) -> tuple[int, int]:
    """Send again the documents and agenda packs still pending ``PENDING_FOR`` after they
    were asked for (Celery beat runs this every quarter of an hour): (documents, packs)."""
    from django.utils import timezone

    from .models import AgendaPack, DocumentStatus, PackStatus, SignedDocument

    before = (now or timezone.now()) - PENDING_FOR
    documents = list(SignedDocument.objects.filter(status=DocumentStatus.PENDING, requested_at__lt=before)
                     .order_by("pk").values_list("pk", flat=True))
    meetings = list(AgendaPack.objects.filter(status=PackStatus.PENDING, requested_at__lt=before)
                    .order_by("pk").values_list("meeting_id", flat=True))
    for pk in documents:
        enqueue(pk)
    for pk in meetings:
        enqueue_pack(pk)
    return len(documents), len(meetings)
