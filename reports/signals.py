"""Background work the reports services ask for, sent after the commit that asked for it.
``reports.background`` receives them and runs the work on Celery, or inline without a
broker. The services do not import ``background`` (which runs services): no import cycle."""

from django.dispatch import Signal

# a signed document to produce: document_id
document_requested = Signal()
# an agenda pack to (re)build: meeting_id
pack_requested = Signal()
# a report sent to the clerk, to tell the board's clerks: report_id, actor_id
report_sent = Signal()
# a request for a document in another format, to tell the board's equality leads: format_request_id
format_requested = Signal()
