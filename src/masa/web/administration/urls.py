"""/bu/setup/... for the business unit, and the invited person's one-time password link."""

from django.urls import path

from . import views

app_name = "setup"
urlpatterns = [
    path("bu/setup/", views.index, name="index"),
    path("bu/setup/areas/", views.listing, {"kind": "area"}, name="areas"),
    path("bu/setup/areas/add/", views.entity, {"kind": "area"}, name="area_add"),
    path("bu/setup/areas/<str:code>/", views.entity, {"kind": "area"}, name="area_edit"),
    path("bu/setup/partners/", views.listing, {"kind": "partner"}, name="partners"),
    path("bu/setup/partners/add/", views.entity, {"kind": "partner"}, name="partner_add"),
    path("bu/setup/partners/<str:code>/", views.entity, {"kind": "partner"}, name="partner_edit"),
    path("bu/setup/indicators/", views.listing, {"kind": "indicator"}, name="indicators"),
    path("bu/setup/indicators/add/", views.entity, {"kind": "indicator"}, name="indicator_add"),
    path("bu/setup/indicators/<str:code>/", views.entity, {"kind": "indicator"}, name="indicator_edit"),
    path("bu/setup/indicators/<str:code>/retire/", views.indicator_retire, name="indicator_retire"),
    path("bu/setup/indicators/<str:code>/remove/", views.indicator_remove, name="indicator_remove"),
    path("bu/setup/priorities/", views.listing, {"kind": "priority"}, name="priorities"),
    path("bu/setup/priorities/add/", views.entity, {"kind": "priority"}, name="priority_add"),
    path("bu/setup/priorities/<str:code>/", views.entity, {"kind": "priority"}, name="priority_edit"),
    path("bu/setup/priorities/<str:code>/retire/", views.priority_retire, name="priority_retire"),
    path("bu/setup/templates/", views.listing, {"kind": "template"}, name="templates"),
    path("bu/setup/templates/add/", views.template, name="template_add"),
    path("bu/setup/templates/<str:code>/", views.template, name="template_edit"),
    path("bu/setup/users/", views.user_list, name="users"),
    path("bu/setup/users/invite/", views.user_invite, name="user_invite"),
    path("bu/setup/users/<int:pk>/", views.user_page, name="user"),
    path("bu/setup/users/<int:pk>/action/", views.user_action, name="user_action"),
    path("welcome/<str:uidb64>/<str:token>/", views.set_password, name="set_password"),
]
