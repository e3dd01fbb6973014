from django.urls import path

from .views import cumulative, documents, meetings, register, reports

urlpatterns = [
    path("verify/", documents.verify, name="verify"),
    path("documents/<str:code>/", documents.document_html, name="document_html"),
    path("documents/<str:code>/pdf/", documents.document_pdf, name="document_pdf"),
    path("documents/<str:code>/retry/", documents.document_retry, name="document_retry"),
    path("assessments/<int:pk>/preview.pdf", documents.assessment_preview, name="assessment_preview"),
    path("plans/<int:pk>/cumulative-impact.pdf", cumulative.plan_cumulative_pdf, name="plan_cumulative_pdf"),
    path("plan-changes/<int:plan_change_pk>/reports/new/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/pack.pdf", meetings.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack-status/", meetings.meeting_pack_status, name="meeting_pack_status"),
    path("agenda-items/<int:pk>/decision/", meetings.item_decide, name="item_decide"),
    path("clerk/queue/", meetings.clerk_queue, name="clerk_queue"),
    path("register/", register.register_index, name="register_index"),
    path("register/<slug:slug>/", register.register_board, name="register_board"),
    path("register/<slug:slug>/feed/", register.register_feed, name="register_feed"),
    path("register/<slug:slug>/register.json", register.register_json, name="register_json"),
    path("register/<slug:slug>/register.csv", register.register_export, {"fmt": "csv"}, name="register_csv"),
    path("register/<slug:slug>/register.xlsx", register.register_export, {"fmt": "xlsx"}, name="register_xlsx"),
    path("register/<slug:slug>/meetings/<int:pk>/", register.register_meeting, name="register_meeting"),
    path("register/<slug:slug>/reports/<str:number>/", register.register_report, name="register_report"),
]
