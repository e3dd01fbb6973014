from django.urls import path

from .views import casework, evidence, evidence_library, monitoring, pages, plan_changes

urlpatterns = [
    path("", pages.home, name="home"),
    path("tasks/inbox/", pages.inbox, name="inbox"),
    path("tasks/queue/", pages.queue, name="queue"),
    path("plan-changes/", plan_changes.plan_change_list_page, name="plan_change_list"),
    path("plan-changes/plan-changes.csv", plan_changes.plan_change_list_csv, name="plan_change_list_csv"),
    path("plan-changes/new/", pages.plan_change_start, name="plan_change_start"),
    path("plan-changes/new/<slug:board_slug>/", pages.plan_change_start, name="plan_change_start_board"),
    path("plan-changes/<int:pk>/", pages.plan_change_detail, name="plan_change_detail"),
    path("assessments/<int:pk>/new-version/", pages.assessment_new_version, name="assessment_new_version"),
    path("assessments/<int:pk>/withdraw/", pages.assessment_withdraw, name="assessment_withdraw"),
    path("assessments/<int:pk>/review/", casework.assessment_review, name="assessment_review"),
    path("actions/<int:pk>/progress/", monitoring.action_progress, name="action_progress"),
    path("actions/<int:pk>/progress/files/", evidence.action_progress_files, name="action_progress_files"),
    path("assessments/<int:pk>/files/", evidence.assessment_files, name="assessment_files"),
    path("evidence-files/<int:pk>/", evidence.evidence_file_download, name="evidence_file_download"),
    path("evidence-files/<int:pk>/remove/", evidence.evidence_file_remove, name="evidence_file_remove"),
    path("evidence-files/<int:pk>/publication/", evidence.evidence_file_publication,
         name="evidence_file_publication"),
    path("assessments/<int:pk>/citations/", evidence_library.assessment_cite, name="assessment_cite"),
    path("citations/<int:pk>/remove/", evidence_library.citation_remove, name="citation_remove"),
    path("boards/<slug:slug>/evidence-library/", evidence_library.evidence_library, name="evidence_library"),
    path("evidence-library/<int:pk>/retire/", evidence_library.evidence_source_retire, name="evidence_source_retire"),
    path("plan-changes/<int:pk>/comments/", casework.plan_change_comments, name="plan_change_comments"),
    path("delegations/", casework.delegation_list, name="delegation_list"),
    path("delegations/<int:pk>/end/", casework.delegation_end, name="delegation_end"),
]
