"""/bu/dataset/ (business unit, board, scrutineer) and /published/dataset/ (everyone)."""

from django.urls import path

from . import views

app_name = "dataset"
urlpatterns = [
    path("bu/dataset/", views.dashboard, name="dashboard"),
    path("bu/dataset/commentary/", views.commentary, name="commentary"),
    path("bu/dataset/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("bu/dataset/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("published/dataset/", views.public_dashboard, name="public"),
    path("published/dataset/figures.csv", views.public_export, {"fmt": "csv"}, name="public_csv"),
    path("published/dataset/figures.xlsx", views.public_export, {"fmt": "xlsx"}, name="public_xlsx"),
]
