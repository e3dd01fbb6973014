"""What a signed document shows, taken once as plain data.

A snapshot is a JSON-serialisable dict of everything a document shows, in the words it shows
them: labels rather than codes, people's names, dates as written ("7 March 2027"). The PDF
is rendered from it, and it is stored with the signed document (``SignedDocument.snapshot``)
with its SHA-256, so the accessible HTML version shows exactly what the PDF holds, whatever
happens to the form, the record or the wording afterwards. Its digest is written into the
signed PDF's metadata, so the signature covers it too.

``canonical`` is the one encoding that is stored and hashed: sorted keys, no spaces, UTF-8.
"""

import datetime
import hashlib
import json

from django.utils import timezone

from assessments.models import Assessment, Role, Screening
from assessments.models.catalogue import DATE_KINDS
from assessments.selectors import (
    assessment_summary,
    citations_of,
    current_screening,
    evidence_files_of,
    job_title,
)
from assessments.text import long_date

# 2: the form is named in words ("Dundee IJB Integrated Impact Assessment, version 1"), not by its code
# 3: a locality row rated negative says which locality planning group was consulted, and when ("consulted")
# 4: the files of the evidence and consultation, and the library entries cited ("files", "citations"),
#    each file with its size and SHA-256 and whether it is published (only when it has any)
SCHEMA = 4
COUNTED = ("positive", "negative", "not_known")
RATING_WORDS = {
    "positive": "Positive",
    "negative": "Negative",
    "no_impact": "No impact",
    "not_known": "Not known",
    "not_applicable": "Not applicable",
}


def canonical(snapshot: dict) -> str:
    """The snapshot as stored and hashed: JSON with sorted keys and no spaces."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    """SHA-256 of a canonical snapshot, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def day(value) -> str:
    """A date, or a moment in the board's time zone, as written in documents ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return long_date(value)


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _rating_words(rating) -> str:
    if rating is None or not rating.ratings:
        return "Not rated"
    return " and ".join(RATING_WORDS[r] for r in rating.ratings)


def _answer_words(question, value: str) -> str:
    """An answer as the document writes it: a date in words, anything else as given."""
    if question.kind in DATE_KINDS and value:
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _consulted(rating) -> str:
    """The locality planning group consulted on a locality row rated negative, and when (s.41)."""
    if rating is None or rating.consulted_group_id is None:
        return ""
    return f"{rating.consulted_group.name}, on {day(rating.consulted_on)}"


def _screening_outcome(screening) -> str:
    if screening is None or not screening.outcome:
        return "Not recorded"
    reason = f": {screening.outcome_reason}" if screening.outcome_reason else ""
    return screening.get_outcome_display() + reason


def assessment_snapshot(assessment: Assessment) -> dict:
    """Everything the signed assessment shows: the summary, every section of the form
    version it was made with (rows, ratings, explanations, answers), evidence, actions and
    the approval and sign-off."""
    a = assessment
    pc = a.plan_change
    summary = assessment_summary(a)
    sections = []
    for s in summary.sections:
        sections.append({
            "code": s.section.code,
            "title": s.section.title,
            "counts": {key: s.counts[key] for key in COUNTED},
            "groups": [{
                "title": group,
                "rows": [{
                    "label": item.row.label,
                    "rating": _rating_words(item.rating),
                    "explanation": item.rating.explanation if item.rating else "",
                    "justification": item.rating.justification if item.rating else "",
                    "consulted": _consulted(item.rating),
                } for item in rows],
            } for group, rows in s.groups],
            "answers": [{"question": question.label, "answer": _answer_words(question, value)}
                        for question, value in s.answers],
        })
    snap = {
        "schema": SCHEMA,
        "kind": "assessment",
        "board": {"name": pc.board.name, "short_name": pc.board.short_name},
        "plan_change": {
            "reference": pc.reference,
            "title": pc.title,
            "type": pc.get_change_type_display() + (", revision of an existing policy or service"
                                                    if pc.is_revision else ", new"),
            "lead_officer": person(pc.lead_officer),
            "director": person(pc.director),
            "started": day(pc.created_at),
        },
        "reference": a.reference,
        "version": a.version,
        "form": f"{a.template.title}, version {a.template.version}",
        "submitted": day(a.submitted_at),
        "approved": day(a.approved_at),
        "signed_off": day(a.signed_off_at),
        "review_date": day(a.review_date),
        "screening_outcome": _screening_outcome(current_screening(pc)),
        "risk_level": a.get_risk_level_display(),
        "sections": sections,
        "evidence": a.evidence,
        "consultation": a.consultation,
        "actions": [{
            "description": x.description,
            "kind": x.get_kind_display(),
            "owner": x.owner,
            "due": day(x.due_date),
            "rows": [r.label for r in x.rows.all()],
        } for x in summary.actions],
        "approval": {
            "by": person(a.approved_by),
            "role": job_title(a.approved_by, pc.board_id, Role.EQUALITY_LEAD) if a.approved_by else "",
            "date": day(a.approved_at),
            "comments": a.approval_comments,
        },
        "sign_off": {
            "by": person(a.signed_off_by),
            "role": a.signed_off_role,
            "date": day(a.signed_off_at),
            "comments": a.sign_off_comments,
            "declaration": a.sign_off_declaration or a.template.sign_off_declaration,
        },
    }
    # only when there are any: the snapshots of assessments without files stay as they were
    files = evidence_files_of(a)
    if files:
        snap["files"] = [file_facts(f) for f in files]
    citations = citations_of(a)
    if citations:
        snap["citations"] = [{
            "title": c.source.title, "description": c.source.description, "url": c.source.url,
            "file": file_facts(c.source.file) if c.source.file else None,
        } for c in citations]
    return snap


def file_words(size: int) -> str:
    """A size as people read it: 920 bytes, 14.2 kB, 3.1 MB."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1000 * 1000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000 / 1000:.1f} MB"


def file_facts(f) -> dict:
    """One file as a signed document lists it."""
    return {
        "id": f.pk, "part": f.get_part_display(), "name": f.name, "size": file_words(f.size), "bytes": f.size,
        "sha256": f.sha256, "uploaded_by": f.uploaded_by_name, "uploaded": day(f.uploaded_at),
        "published": f.published, "withheld_reason": f.withheld_reason,
    }


def screening_snapshot(screening: Screening) -> dict:
    """Everything the signed screening record shows: the outcome and why, who submitted
    and reviewed it, and every question with its answer and comment."""
    s = screening
    pc = s.plan_change
    overridden = s.review_decision == "override"
    # only when the screening names one: earlier records' snapshots stay as they were
    relies_on = {"relies_on": _relies_on(s)} if s.relies_on_id else {}
    return {
        **relies_on,
        "schema": SCHEMA,
        "kind": "screening_record",
        "board": {"name": pc.board.name, "short_name": pc.board.short_name},
        "plan_change": {
            "reference": pc.reference,
            "title": pc.title,
            "lead_officer": person(pc.lead_officer),
            "director": person(pc.director),
        },
        "outcome": s.get_outcome_display(),
        "reason": s.outcome_reason,
        "proposed": f"{s.get_proposed_outcome_display()}: {s.proposed_reason}" if overridden else "",
        "officer_reason": s.officer_reason,
        "submitted_by": person(s.submitted_by),
        "submitted": day(s.submitted_at),
        "reviewed_by": person(s.reviewed_by),
        "reviewer_role": job_title(s.reviewed_by, pc.board_id, Role.EQUALITY_LEAD) if s.reviewed_by else "",
        "reviewed": day(s.reviewed_at),
        "review_decision": s.get_review_decision_display(),
        "review_comments": s.review_comments,
        "answers": [{"question": question.text, "answer": answer, "comment": comment}
                    for question, answer, comment in s.answer_rows()],
    }


def _relies_on(screening: Screening) -> str:
    """The earlier assessment the screening relies on, and who checked it."""
    earlier = screening.relies_on
    text = f"{earlier.reference}: {earlier.plan_change.title} (signed off {day(earlier.signed_off_at)})"
    if screening.relies_on_checked_by_id:
        text += f"; checked by {person(screening.relies_on_checked_by)}, {day(screening.relies_on_checked_at)}"
    return text


def snapshot_of(record: Assessment | Screening) -> dict:
    """The snapshot of an assessment or of a screening record."""
    if isinstance(record, Assessment):
        return assessment_snapshot(record)
    return screening_snapshot(record)


# --- what both renderers show: the PDF (``reports.pdf``) and the HTML version -------------

def summary_facts(snap: dict) -> list[tuple[str, str]]:
    """The assessment's first-page facts, as label and value pairs."""
    pc = snap["plan_change"]
    return [
        ("Reference", f"{snap['reference']} (version {snap['version']})"),
        ("Board", snap["board"]["name"]),
        ("Plan change", pc["title"]),
        ("Type", pc["type"]),
        ("Lead officer", pc["lead_officer"]),
        ("Responsible director", pc["director"]),
        ("Started", pc["started"]),
        ("Submitted for review", snap["submitted"]),
        ("Approved", snap["approved"]),
        ("Signed off", snap["signed_off"]),
        ("Review date", snap["review_date"]),
        ("Screening outcome", snap["screening_outcome"]),
        ("Risk level", snap["risk_level"] or "Not yet set"),
        ("Form", snap["form"]),
    ]


def explanation(row: dict) -> str:
    """A row's explanation, with the justification of a negative rating after it, and the
    locality planning group consulted (snapshots of schema 3 on)."""
    lines = [row["explanation"]] if row["explanation"] else []
    if row["justification"]:
        lines.append(f"Justification: {row['justification']}")
    if row.get("consulted"):
        lines.append(f"Locality planning group consulted: {row['consulted']}")
    return "\n".join(lines)


def sign_off_facts(snap: dict) -> list[tuple[str, str]]:
    """The approval and sign-off block, as label and value pairs."""
    approval, sign_off = snap["approval"], snap["sign_off"]
    return [
        ("Equality lead approval", approval["by"] or "Not yet approved"),
        ("Role", approval["role"]),
        ("Date", approval["date"]),
        ("Risk level", snap["risk_level"]),
        ("Comments", approval["comments"]),
        ("Senior officer sign-off", sign_off["by"] or "Not yet signed off"),
        ("Role", sign_off["role"]),
        ("Date", sign_off["date"]),
        # only when given: a document without them reads as documents always have
        *([("Comments", sign_off["comments"])] if sign_off.get("comments") else []),
        ("Declaration", sign_off["declaration"]),
    ]


def screening_facts(snap: dict) -> list[tuple[str, str]]:
    """The screening record's facts, as label and value pairs."""
    pc = snap["plan_change"]
    reviewed = f"{snap['reviewed_by']}, {snap['reviewer_role']}, {snap['reviewed']}" if snap["reviewed_by"] else ""
    return [
        ("Reference", f"{pc['reference']} screening record"),
        ("Board", snap["board"]["name"]),
        ("Plan change", pc["title"]),
        ("Lead officer", pc["lead_officer"]),
        ("Responsible director", pc["director"]),
        *([("Already assessed in", snap["relies_on"])] if snap.get("relies_on") else []),
        ("Outcome", snap["outcome"] or "Not yet decided"),
        ("Reason", snap["reason"]),
        *([("Proposed by the product", snap["proposed"])] if snap["proposed"] else []),
        ("Officer's explanation", snap["officer_reason"]),
        ("Submitted by", f"{snap['submitted_by']}, {snap['submitted']}"),
        ("Reviewed by", reviewed),
        ("Review decision", snap["review_decision"] + (f": {snap['review_comments']}" if snap["review_comments"] else "")),
    ]
