"""The public register (no login): published assessments and screening records."""


from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments import exports
from assessments.models import Board

from .. import selectors
from ..caching import public_page
from ..forms import RegisterFilterForm
from ..models import Meeting, MeetingStatus, Report, ReportStatus
from ..services import policy_implications


@require_safe
def register_index(request):
    return render(request, "reports/register_index.html", {"boards": Board.objects.order_by("name")})


def _entry(document) -> dict:
    record = document.assessment or document.screening
    # a missing reverse one-to-one raises an AttributeError (read with the document: no query)
    return {"document": document, "record": record, "plan_change": document.plan_change,
            "publications": list(document.publications.all()),
            "decision": getattr(document, "delegated_decision", None)}


def _decision_words(decision) -> str:
    """A delegated decision in one line ("" for none): who decided, when, under which authority."""
    if decision is None:
        return ""
    return (f"Decided on {decision.decided_on.isoformat()} by {decision.decider_name}, {decision.decider_role}, "
            f"under {decision.authority}: {decision.decision}")


def _filtered(request, board):
    """The register filter form and the documents it selects (a wrong filter is reported
    beside its field; the valid ones still apply)."""
    form = RegisterFilterForm(request.GET or None, board=board)
    form.is_valid()
    valid = {k: v for k, v in (getattr(form, "cleaned_data", None) or {}).items()
             if v not in (None, "") and k not in form.errors}
    filters = selectors.RegisterFilters(**valid)
    documents = selectors.register_entries(board, filters) if not form.non_field_errors() else []
    return form, documents, bool(valid)


@require_safe
@public_page
def register_board(request, slug):
    board = get_object_or_404(Board, slug=slug)
    form, documents, filtered = _filtered(request, board)
    documents = list(documents[:200])
    published = selectors.published_answers(documents)
    entries = [{**_entry(d), "published_answers": published.get(d.assessment_id, [])} for d in documents]
    return render(request, "reports/register_board.html", {
        "board": board, "form": form, "entries": entries, "filtered": filtered,
        "meetings": selectors.published_meetings(board)[:20], "query": request.GET.urlencode(),
    })


@require_safe
def register_export(request, slug, fmt):
    """The register (with the page's filters) as CSV or XLSX."""
    board = get_object_or_404(Board, slug=slug)
    _form, documents, _filtered_ = _filtered(request, board)
    table = [["Record", "Reference", "Version", "Plan change", "Signed by", "Signer's role", "Signed",
              "Published", "Reports", "Meetings", "Verification code", "SHA-256", "Read it", "Signed PDF",
              "Delegated decision"]]
    for document in documents[:5000]:
        entry = _entry(document)
        record = entry["record"]
        publications = entry["publications"]
        table.append([
            document.get_kind_display(), record.reference if document.assessment else entry["plan_change"].reference,
            getattr(record, "version", ""), entry["plan_change"].title, document.signer_name, document.signer_role,
            timezone.localdate(document.signed_at).isoformat() if document.signed_at else "",
            timezone.localdate(document.published_at).isoformat(),
            "; ".join(p.report.number for p in publications),
            "; ".join(f"{p.meeting.title} ({p.meeting.date.isoformat()})" for p in publications),
            document.verification_code, document.sha256,
            request.build_absolute_uri(reverse("document_html", args=[document.verification_code])),
            request.build_absolute_uri(reverse("document_pdf", args=[document.verification_code])),
            _decision_words(entry["decision"]),
        ])
    return exports.download(table, fmt, f"{slugify(board.short_name)}-register", "Register")


@require_safe
def register_feed(request, slug):
    board = get_object_or_404(Board, slug=slug)
    feed = Atom1Feed(
        title=f"{board.name}: published impact assessments",
        link=request.build_absolute_uri(reverse("register_board", args=[slug])),
        description="Integrated Impact Assessments and screening records published with the board's agendas "
                    "or by decisions under delegated authority.",
        language="en-GB",
        feed_url=request.build_absolute_uri(),
    )
    for document in selectors.published_documents(board)[:50]:
        entry = _entry(document)
        link = request.build_absolute_uri(reverse("document_html", args=[document.verification_code]))
        feed.add_item(
            title=f"{document.get_kind_display()}: {entry['plan_change'].title}",
            link=link, unique_id=link, pubdate=document.published_at, updateddate=document.published_at,
            description=f"{entry['plan_change'].reference}; signed by {document.signer_name}, {document.signer_role}"
                        + "".join(f"; report {p.report.number}, {p.meeting.title}" for p in entry["publications"])
                        + (f"; delegated decision of {entry['decision'].decided_on:%-d %B %Y}"
                           if entry["decision"] else ""),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


def _decision_json(request, slug, decision) -> dict | None:
    if decision is None:
        return None
    return {"decision": decision.decision, "authority": decision.authority,
            "decided_on": decision.decided_on.isoformat(), "decider_name": decision.decider_name,
            "decider_role": decision.decider_role, "publication_due": decision.publication_due.isoformat(),
            "published_at": decision.published_at.isoformat(), "late_reason": decision.late_reason,
            "url": request.build_absolute_uri(reverse("register_delegated_decision", args=[slug, decision.pk]))}


@require_safe
def register_json(request, slug):
    board = get_object_or_404(Board, slug=slug)
    items = []
    for document in selectors.published_documents(board)[:500]:
        entry = _entry(document)
        record = entry["record"]
        items.append({
            "kind": document.kind,
            "reference": record.reference if document.assessment else entry["plan_change"].reference,
            "version": getattr(record, "version", None),
            "title": entry["plan_change"].title,
            "verification_code": document.verification_code,
            "sha256": document.sha256,
            "signed_by": document.signer_name,
            "signer_role": document.signer_role,
            "signed_at": document.signed_at.isoformat() if document.signed_at else None,
            "published_at": document.published_at.isoformat(),
            "html": request.build_absolute_uri(reverse("document_html", args=[document.verification_code])),
            "pdf": request.build_absolute_uri(reverse("document_pdf", args=[document.verification_code])),
            "published_with": [{
                "report_number": p.report.number,
                "report": request.build_absolute_uri(reverse("register_report", args=[slug, p.report.number])),
                "meeting": p.meeting.title, "meeting_date": p.meeting.date.isoformat(),
                "meeting_url": request.build_absolute_uri(reverse("register_meeting", args=[slug, p.meeting_id])),
            } for p in entry["publications"]],
            "delegated_decision": _decision_json(request, slug, entry["decision"]),
        })
    return JsonResponse({"board": board.name, "count": len(items), "items": items},
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
@public_page
def register_directions(request, slug):
    """The board's register of directions (2014 Act ss.26-27): every issued direction, its
    status and what it came from, varies or revokes."""
    board = get_object_or_404(Board, slug=slug)
    return render(request, "reports/register_directions.html", {
        "board": board, "directions": selectors.register_directions(board)[:500]})


@require_safe
def register_meeting(request, slug, pk):
    board = get_object_or_404(Board, slug=slug)
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk, committee__board=board)
    if meeting.status == MeetingStatus.DRAFT:
        raise Http404("No such meeting.")
    items = (meeting.items.select_related("report__appendix").order_by("position", "pk")
             .defer(*(f"report__appendix__{field}" for field in selectors.DOCUMENT_BYTES)))
    return render(request, "reports/register_meeting.html", {
        "board": board, "meeting": meeting,
        "items": [(item, item.report.appendix if item.report_id and item.report.appendix_id else None)
                  for item in items],
    })


@require_safe
def register_report(request, slug, number):
    board = get_object_or_404(Board, slug=slug)
    report = get_object_or_404(Report.objects.select_related("committee", "plan_change", "appendix")
                               .defer(*(f"appendix__{field}" for field in selectors.DOCUMENT_BYTES)), board=board, number=number,
                               status__in=[ReportStatus.PUBLISHED, ReportStatus.DECIDED])
    item = report.items.select_related("meeting__committee").exclude(meeting__status=MeetingStatus.DRAFT).first()
    return render(request, "reports/register_report.html", {
        "board": board, "report": report, "item": item, "policy": policy_implications(report),
        "appendix": report.appendix, "directions": report.directions.all(),
        "easy_read": selectors.easy_read_of(report.appendix) if report.appendix_id else None,
    })



