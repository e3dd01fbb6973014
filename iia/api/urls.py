from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from .views import records, register, tasks

app_name = "api"

router = SimpleRouter()
router.register("boards", records.BoardViewSet, basename="board")
router.register("plan-changes", records.PlanChangeViewSet, basename="plan-change")
router.register("assessments", records.AssessmentViewSet, basename="assessment")
router.register("tasks", tasks.TaskViewSet, basename="task")
router.register("reports", records.ReportViewSet, basename="report")
router.register("meetings", records.MeetingViewSet, basename="meeting")

docs = {"authentication_classes": [], "permission_classes": [AllowAny]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**docs), name="schema"),
    # Redoc, not Swagger UI: Swagger UI nests buttons in buttons and fails colour contrast
    # (axe-core, WCAG 2.2 AA); Redoc passes (tests/browser/test_axe.py).
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html", **docs),
         name="docs"),
    path("register/", register.RegisterBoardList.as_view(), name="register-boards"),
    path("register/<str:slug>/documents/", register.RegisterDocumentList.as_view(), name="register-documents"),
    path("register/<str:slug>/meetings/", register.RegisterMeetingList.as_view(), name="register-meetings"),
    path("register/<str:slug>/directions/", register.RegisterDirectionList.as_view(), name="register-directions"),
    *router.urls,
]
