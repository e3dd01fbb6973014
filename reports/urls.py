from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("documents/<str:code>/", views.document_html, name="document_html"),
    path("documents/<str:code>/pdf/", views.document_pdf, name="document_pdf"),
    path("documents/<str:code>/retry/", views.document_retry, name="document_retry"),
    path("assessments/<int:pk>/preview.pdf", views.assessment_preview, name="assessment_preview"),
]
