"""The public register (no login): published assessments and screening records."""


from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from assessments.models import Board

from .. import selectors
from ..forms import RegisterFilterForm
from ..models import Meeting, MeetingStatus, Report, ReportStatus


def register_index(request):
    return render(request, "reports/register_index.html", {"boards": Board.objects.order_by("name")})


def _entry(document) -> dict:
    record = document.assessment or document.screening
    report = selectors.report_of_document(document)
    return {"document": document, "record": record, "plan_change": document.plan_change, "report": report}


def register_board(request, slug):
    board = get_object_or_404(Board, slug=slug)
    form = RegisterFilterForm(request.GET or None, board=board)
    filters = selectors.RegisterFilters()
    if form.is_valid():
        filters = selectors.RegisterFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    documents = selectors.register_entries(board, filters)[:200]
    return render(request, "reports/register_board.html", {
        "board": board, "form": form, "entries": [_entry(d) for d in documents],
        "meetings": selectors.published_meetings(board)[:20],
    })


def register_feed(request, slug):
    board = get_object_or_404(Board, slug=slug)
    feed = Atom1Feed(
        title=f"{board.name}: published impact assessments",
        link=request.build_absolute_uri(reverse("register_board", args=[slug])),
        description="Integrated Impact Assessments and screening records published with the board's agendas.",
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
                        + (f"; report {entry['report'].number}" if entry["report"] else ""),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


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
            "report_number": entry["report"].number if entry["report"] else None,
            "report": request.build_absolute_uri(reverse("register_report", args=[slug, entry["report"].number]))
            if entry["report"] else None,
            "meeting": {"title": document.meeting.title, "date": document.meeting.date.isoformat(),
                        "url": request.build_absolute_uri(reverse("register_meeting", args=[slug, document.meeting_id]))}
            if document.meeting_id else None,
        })
    return JsonResponse({"board": board.name, "count": len(items), "items": items},
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


def register_meeting(request, slug, pk):
    board = get_object_or_404(Board, slug=slug)
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk, committee__board=board)
    if meeting.status == MeetingStatus.DRAFT:
        from django.http import Http404

        raise Http404("No such meeting.")
    items = meeting.items.select_related("report__plan_change").order_by("position", "pk")
    documents = {d.plan_change.pk: d for d in meeting.documents.filter(status="ready")}
    return render(request, "reports/register_meeting.html", {
        "board": board, "meeting": meeting,
        "items": [(item, documents.get(item.report.plan_change_id) if item.report_id else None) for item in items],
    })


def register_report(request, slug, number):
    from ..services import policy_implications
    from ..services.packs import appendix_document

    board = get_object_or_404(Board, slug=slug)
    report = get_object_or_404(Report.objects.select_related("committee", "plan_change"), board=board, number=number,
                               status__in=[ReportStatus.PUBLISHED, ReportStatus.DECIDED])
    item = report.items.select_related("meeting__committee").exclude(meeting__status=MeetingStatus.DRAFT).first()
    return render(request, "reports/register_report.html", {
        "board": board, "report": report, "item": item, "policy": policy_implications(report),
        "appendix": appendix_document(report), "directions": report.directions.all(),
    })



