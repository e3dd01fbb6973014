"""Background work: on Celery when a broker is configured, inline after commit otherwise.

The services ask for work with the signals of ``reports.signals`` after their commit;
this module runs it. Celery tasks are sent by name through the process's current Celery
app (the project's, ``iia/celery.py``, made the default when a broker is configured), so
this app imports neither ``reports.tasks`` here nor the project's Celery module; Celery itself is imported only when a task is
sent, so a process without a broker (``make run``, the tests, a command) does not carry
it (about 20 MiB)."""

import datetime
import logging

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from .models import AgendaPack, DocumentStatus, PackStatus, SignedDocument
from .notifications import format_request_send, report_sent_send
from .services.documents import document_issue
from .services.packs import pack_build
from .signals import document_requested, format_requested, pack_requested, report_sent

logger = logging.getLogger("iia.documents")

ISSUE_DOCUMENT = "reports.tasks.issue_document"
BUILD_PACK = "reports.tasks.build_pack"
SEND_REPORT_SENT = "reports.tasks.send_report_sent"
SEND_FORMAT_REQUEST = "reports.tasks.send_format_request"


def send_to_workers(name: str, *args) -> bool:
    """Send the task ``name`` to the workers. A broker out of reach is logged, not raised:
    the work is kept in the database as pending and sent again by the sweep
    (``send_pending``), never undoing or failing the change that asked for it."""
    from celery import current_app  # only with a broker: see the module docstring
    from kombu.exceptions import OperationalError

    try:
        current_app.send_task(name, args=args)
    except (OperationalError, OSError) as error:
        logging.getLogger("iia.background").warning("broker out of reach, %s%s not sent: %s", name, args, error)
        return False
    return True


def enqueue(document_id: int) -> None:
    """Produce a signed document. An inline failure is recorded on the document and
    retried later (``manage.py issue_documents``); it never reaches the user who signed off."""
    if settings.CELERY_BROKER_URL:
        send_to_workers(ISSUE_DOCUMENT, document_id)  # the broker out of reach: left pending for the sweep
        return
    try:
        document_issue(document_id=document_id)
    except Exception:  # recorded on the document by document_issue
        logger.warning("document %s will be retried", document_id)


def enqueue_pack(meeting_id: int) -> None:
    """Build an agenda pack (a failure is kept on the pack and shown to the clerk)."""
    if settings.CELERY_BROKER_URL:
        send_to_workers(BUILD_PACK, meeting_id)  # the broker out of reach: left pending for the sweep
        return
    try:
        pack_build(meeting_id=meeting_id)
    except Exception:
        logger.warning("agenda pack of meeting %s will be retried", meeting_id)


def enqueue_report_sent(report_id: int, actor_id: int) -> None:
    """Tell the board's clerks about a report sent to them. A broker out of reach, or a
    failure to send, is logged and never undoes or blocks the change it reports."""
    if settings.CELERY_BROKER_URL:
        send_to_workers(SEND_REPORT_SENT, report_id, actor_id)
        return
    try:
        report_sent_send(report_id=report_id, actor_id=actor_id)
    except Exception:
        logging.getLogger("iia.notifications").exception("the clerks were not told of report %s", report_id)


def enqueue_format_request(format_request_id: int) -> None:
    """Tell the board's equality leads about a request for another format. A failure is
    logged; the request stays on their page (and is reminded when overdue) whatever happens."""
    if settings.CELERY_BROKER_URL:
        send_to_workers(SEND_FORMAT_REQUEST, format_request_id)
        return
    try:
        format_request_send(format_request_id=format_request_id)
    except Exception:
        logging.getLogger("iia.notifications").exception("the equality leads were not told of request %s",
                                                         format_request_id)


@receiver(document_requested, dispatch_uid="reports.background.document_requested")
def _document_requested(sender, *, document_id: int, **kwargs) -> None:
    enqueue(document_id)


@receiver(pack_requested, dispatch_uid="reports.background.pack_requested")
def _pack_requested(sender, *, meeting_id: int, **kwargs) -> None:
    enqueue_pack(meeting_id)


@receiver(report_sent, dispatch_uid="reports.background.report_sent")
def _report_sent(sender, *, report_id: int, actor_id: int, **kwargs) -> None:
    enqueue_report_sent(report_id, actor_id)


@receiver(format_requested, dispatch_uid="reports.background.format_requested")
def _format_requested(sender, *, format_request_id: int, **kwargs) -> None:
    enqueue_format_request(format_request_id)


# work still pending this long after it was asked for was most likely never sent (the
# broker was out of reach); a worker busy longer than this with a backlog gets it twice,
# which is harmless: issuing a document and building a pack are idempotent
PENDING_FOR = datetime.timedelta(minutes=30)


def send_pending(now=None) -> tuple[int, int]:
    """Send again the documents and agenda packs still pending ``PENDING_FOR`` after they
    were asked for (Celery beat runs this every quarter of an hour): (documents, packs)."""
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
