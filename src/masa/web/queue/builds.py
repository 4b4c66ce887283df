"""Report builds on the background queue: a build is enqueued once its row is committed, a
worker runs it, and a build whose worker died is run again or failed with a clear message
(``recovery.sweep`` calls ``reconcile``), so no build shows "running" for ever."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masa.web.workflow.models import ReportBuild

WAITING = "Queued: waiting for the background worker (masa worker)"
LOST = ("Build failed: the background worker stopped while building (a restart or crash) on every try; "
        "start the build again")
ORPHANED = "Build failed: it was interrupted (the server stopped) and is no longer queued; start the build again"
GRACE = timedelta(seconds=60)  # a build just created may not have reached the queue yet


@task()
def build_report_task(pk: int) -> None:
    from masa.web.site.dashboard import run_build

    run_build(pk)


def enqueue_build(pk: int) -> None:
    """Queue the build of ReportBuild ``pk`` once the current transaction commits."""
    ReportBuild.objects.filter(pk=pk, state="queued").update(message=WAITING)
    # robust: if the queue cannot take it, the build is failed with a reason by the next sweep
    transaction.on_commit(lambda: build_report_task.enqueue(pk), robust=True)


def _build_tasks(statuses):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=build_report_task.module_path, status__in=statuses)
    return {row.args_kwargs["args"][0]: row for row in rows if row.args_kwargs.get("args")}


def reconcile() -> int:
    """Fail every unfinished build that no live task will finish; the number failed."""
    from django_tasks import TaskResultStatus

    pending = _build_tasks([TaskResultStatus.READY, TaskResultStatus.RUNNING])
    failed = _build_tasks([TaskResultStatus.FAILED])
    n = 0
    cutoff = timezone.now() - GRACE
    for b in ReportBuild.objects.filter(state__in=["queued", "running"]):
        if b.pk in pending or (b.pk not in failed and b.created > cutoff):
            continue
        message = LOST if b.pk in failed else ORPHANED
        n += ReportBuild.objects.filter(pk=b.pk, state__in=["queued", "running"]).update(
            state="failed", progress=100, message=message)
    return n
