from django.urls import path

from .views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("tasks/inbox/", pages.inbox, name="inbox"),
    path("tasks/queue/", pages.queue, name="queue"),
    path("plan-changes/new/", pages.plan_change_start, name="plan_change_start"),
    path("plan-changes/new/<slug:board_slug>/", pages.plan_change_start, name="plan_change_start_board"),
    path("plan-changes/<int:pk>/", pages.plan_change_detail, name="plan_change_detail"),
    path("assessments/<int:pk>/new-version/", pages.assessment_new_version, name="assessment_new_version"),
    path("assessments/<int:pk>/withdraw/", pages.assessment_withdraw, name="assessment_withdraw"),
]
