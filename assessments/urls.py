from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/cumulative-impact.csv", views.plan_matrix_export, {"fmt": "csv"}, name="plan_matrix_csv"),
    path("plans/<int:pk>/cumulative-impact.xlsx", views.plan_matrix_export, {"fmt": "xlsx"}, name="plan_matrix_xlsx"),
    path("boards/<slug:slug>/dashboard/", views.board_dashboard, name="board_dashboard"),
    path("boards/<slug:slug>/cumulative-impact.csv", views.board_matrix_export, {"fmt": "csv"},
         name="board_matrix_csv"),
    path("boards/<slug:slug>/cumulative-impact.xlsx", views.board_matrix_export, {"fmt": "xlsx"},
         name="board_matrix_xlsx"),
]
