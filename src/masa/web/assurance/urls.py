from django.urls import path

from . import views

app_name = "assurance"
urlpatterns = [
    path("assurance/", views.index, name="index"),
    path("assurance/reviews/", views.reviews, name="reviews"),
    path("assurance/reviews/<str:code>/", views.review, name="review"),
    path("assurance/reviews/<str:code>/recommendations/", views.recommendation_add, name="recommendation_add"),
    path("assurance/reviews/<str:code>/actions/", views.review_action_add, name="review_action_add"),
    path("assurance/actions/<int:pk>/", views.action, name="action"),
    path("assurance/audits/", views.audits, name="audits"),
    path("assurance/audits/<str:code>/", views.audit, name="audit"),
    path("assurance/audits/<str:code>/actions/", views.audit_action_add, name="audit_action_add"),
    path("assurance/audits/<str:code>/cases/<str:ref>/", views.audit_form, name="audit_form"),
    path("assurance/scrutiny/", views.scrutiny, name="scrutiny"),
    path("assurance/scrutiny/recommendations/", views.scrutiny_recommendation_add, name="scrutiny_recommendation_add"),
    path("assurance/scrutiny/recommendations/<int:pk>/respond/", views.scrutiny_respond, name="scrutiny_respond"),
    path("assurance/scrutiny/sign-off/", views.sign_off, name="sign_off"),
]
