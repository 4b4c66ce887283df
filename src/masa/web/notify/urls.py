from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("account/notifications/", views.preferences, name="preferences"),
]
