"""Work done once in gunicorn's master process (``--preload``) and shared by every worker.

Without it each worker pays, on its first request, for loading the British English
dictionary (about a second) and for checking every return on the dashboard. Forked workers
inherit the loaded dictionary and the findings cache copy-on-write.
"""

from __future__ import annotations


def warm_up() -> None:
    from django.db import connections

    from masa.web.workflow.checks_seam import engine_available

    try:
        if engine_available():
            from masa.checks import prepare

            prepare()
        _check_current_returns()
    finally:
        connections.close_all()  # never share a database connection across fork


def _check_current_returns() -> None:
    from masa.web.core.models import SpecVersion
    from masa.web.site import common
    from masa.web.site.dashboard import completeness

    if not SpecVersion.objects.exists():
        return
    spec = common.spec()
    completeness(spec, spec.periods.current)
