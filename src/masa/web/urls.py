"""URL map of the web application. Every name here must have a row in the authorisation
matrix test (tests/web/test_authorisation.py). Each URL also works under a partnership's
code, ``/<code>/...`` (masa.web.partnerships.PartnershipMiddleware), and no partnership
may take a code equal to one of these first path segments (masa.spec.reserved)."""

from django.urls import include, path, re_path
from django.views.static import serve

from .api.views import api
from .settings import STATIC_DIR
from .site import (
    actions,
    dashboard,
    editing,
    first_run,
    importing,
    listing,
    periods,
    public,
    publication,
    review,
    signin,
)

site = ([
    path("", signin.home, name="home"),
    path("login/", signin.login_view, name="login"),
    path("logout/", signin.logout_view, name="logout"),
    path("returns/", listing.returns_list, name="returns"),
    path("returns/start/", listing.return_start, name="return_start"),
    path("returns/<int:pk>/", editing.return_page, name="return"),
    path("returns/<int:pk>/autosave/", editing.return_autosave, name="return_autosave"),
    path("returns/<int:pk>/action/", review.return_action, name="return_action"),
    path("returns/<int:pk>/messages/", review.return_message, name="return_message"),
    path("returns/<int:pk>/history/", review.return_history, name="return_history"),
    path("returns/<int:pk>/publish/", publication.publish_confirm, name="publish_confirm"),
    path("returns/<int:pk>/figures.xlsx", editing.figures_template, name="figures_template"),
    path("returns/<int:pk>/upload/", editing.figures_upload, name="figures_upload"),
    path("imports/", importing.upload, name="import_upload"),
    path("imports/<str:token>/", importing.review, name="import_review"),
    path("imports/<str:token>/confirm/", importing.confirm, name="import_confirm"),
    path("imports/<str:token>/cancel/", importing.cancel, name="import_cancel"),
    path("bu/", dashboard.dashboard, name="dashboard"),
    path("bu/deadline/", dashboard.set_deadline, name="set_deadline"),
    path("bu/periods/", periods.periods_page, name="periods"),
    path("bu/periods/open/", periods.periods_open, name="periods_open"),
    path("bu/periods/<str:code>/", periods.period_page, name="period"),
    path("bu/periods/<str:code>/deadline/", periods.period_deadline, name="period_deadline"),
    path("bu/periods/<str:code>/extensions/", periods.period_extension, name="period_extension"),
    path("bu/periods/<str:code>/state/", periods.period_state, name="period_state"),
    path("bu/build/", dashboard.start_build, name="start_build"),
    path("bu/actions/", actions.register, name="actions"),
    path("bu/actions.csv", actions.register_csv, name="actions_csv"),
    path("bu/builds/<int:pk>/", dashboard.build_page, name="build"),
    path("bu/builds/<int:pk>/status.json", dashboard.build_status, name="build_status"),
    path("bu/builds/<int:pk>/files/<str:name>", dashboard.build_file, name="build_file"),
    path("bu/published/<str:period>/withdraw/", publication.withdraw_page, name="withdraw"),
    path("bu/partnerships/new/", first_run.new_partnership, name="first_run"),
    path("published/", public.index, name="published"),
    path("published/<str:period>/", public.report, name="published_report"),
    path("published/<str:period>/figures.csv", public.figures_csv, name="published_csv"),
    path("published/<str:period>/files/<str:name>", public.report_file, name="published_file"),
], "site")

urlpatterns = [
    path("", include("masa.web.dataset.urls")),  # before site: /published/dataset/ is not a period
    path("", include(site)),
    path("", include("masa.web.administration.urls")),
    path("", include("masa.web.notify.urls")),
    path("", include("masa.web.youngpeople.urls")),
    path("", include("masa.web.assurance.urls")),
    path("", include("masa.web.section11.urls")),
    path("api/", api.urls),
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": STATIC_DIR}, name="static"),
]
