"""URLs of the young people's version (each also works under ``/<partnership-code>/``)."""

from django.urls import path

from . import views

app_name = "youngpeople"
urlpatterns = [
    path("bu/young-people/", views.index, name="index"),
    path("bu/young-people/<str:period>/", views.edit, name="edit"),
    path("bu/young-people/<str:period>/generate/", views.generate, name="generate"),
    path("bu/young-people/<str:period>/score.json", views.score, name="score"),
    path("bu/young-people/<str:period>/action/", views.action, name="action"),
    path("published/<str:period>/young-people/", views.public, name="public"),
    path("published/<str:period>/young-people.pdf", views.public_pdf, name="public_pdf"),
]
