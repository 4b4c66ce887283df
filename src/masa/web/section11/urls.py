from django.urls import path

from . import views

app_name = "section11"
urlpatterns = [
    path("section11/", views.index, name="index"),
    path("section11/start/", views.start, name="start"),
    path("section11/<int:pk>/", views.assessment, name="assessment"),
    path("section11/<int:pk>/submit/", views.submit, name="submit"),
    path("section11/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("section11/<int:pk>/respond/", views.respond, name="respond"),
    path("section11/evidence/<int:pk>/", views.evidence, name="evidence"),
    path("section11/heatmap/", views.heatmap, name="heatmap"),
    path("section11/heatmap.<str:fmt>", views.heatmap_export, name="heatmap_export"),
]
