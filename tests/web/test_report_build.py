"""The business unit's one-click report build: progress, files, and what the public may download."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.worker_helpers import run_worker

pytestmark = pytest.mark.django_db


def test_build_then_publish_then_download(client, web, monkeypatch, settings, tmp_path,
                                          django_capture_on_commit_callbacks):
    from masa.web.core.models import Return
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(dashboard, "FORMATS", ["html", "csv"])  # PDF and DOCX are the report engine's tests
    Return.objects.filter(pk=web.submitted.pk).update(status="approved")
    client.force_login(web.users["bu"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/bu/build/", {"period": "2024-25"})
    build = ReportBuild.objects.get()
    assert r["Location"] == f"/bu/builds/{build.pk}/"
    assert client.get(f"/bu/builds/{build.pk}/status.json").json()["state"] == "queued"
    run_worker(monkeypatch)  # masa worker
    status = client.get(f"/bu/builds/{build.pk}/status.json").json()
    assert status["state"] == "done", status
    assert status["progress"] == 100 and any(f.endswith(".html") for f in status["files"])
    build.refresh_from_db()
    assert set(build.included) == {web.submitted.pk, web.published.pk}
    client.logout()
    # the build includes an approved, not yet published return: the public gets no file
    page = client.get("/published/2024-25/").content.decode()
    html_name = next(f for f in status["files"] if f.endswith(".html"))
    assert html_name not in page
    assert client.get(f"/published/2024-25/files/{html_name}").status_code == 404
    Return.objects.filter(pk=web.submitted.pk).update(status="published")
    assert html_name in client.get("/published/2024-25/").content.decode()
    r = client.get(f"/published/2024-25/files/{html_name}")
    assert r.status_code == 200
    assert "script-src 'self'" in r["Content-Security-Policy"]


def test_a_build_with_nothing_approved_fails_with_a_reason(client, web, settings, tmp_path):
    from masa.web.core.models import Return
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    Return.objects.filter(status__in=("approved", "published")).update(status="submitted")
    build = ReportBuild.objects.create(partnership="luton", period="2024-25")
    dashboard.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == "failed" and "no approved or published returns" in build.message


def test_a_submitted_return_is_listed_as_awaiting_approval_not_as_no_response(web, monkeypatch, settings, tmp_path):
    """The web build hands the engine every return; the engine leaves out those not approved
    and says why, so a partner whose return is only submitted never reads "No response"."""
    from masa.web.core.models import Return
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(dashboard, "FORMATS", ["html"])
    assert Return.objects.get(partner__code="elft", template__code="appendix-b").status == "submitted"
    build = ReportBuild.objects.create(partnership="luton", period="2024-25")
    dashboard.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == "done", build.message
    html = next(Path(build.out_dir).glob("*.html")).read_text(encoding="utf-8")
    assert "This report is not complete" in html
    elft = html.split('id="appendix-b-elft"', 1)[1].split("<section", 1)[0]
    assert "has been submitted and is awaiting approval" in elft
    assert "No response was received" not in elft
