"""Build the example report once per session (published, draft and internal) and share the files.

The example's returns are submitted, not approved; a public build reads approved returns only,
so the published fixture builds from a copy of the example whose returns are all approved."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from masa.report import build_report
from tests.conftest import need  # noqa: F401  (re-exported for this folder's tests)




def with_status(dataset, status: str, partners=None):
    """A copy of ``dataset`` whose returns (of ``partners``, or all) have ``status``."""
    returns = [r.model_copy(update={"status": status}) if partners is None or r.partner in partners else r
               for r in dataset.returns]
    return dataset.model_copy(update={"returns": returns})


@pytest.fixture(scope="session")
def approved(dataset):
    """The example with every return approved: what the business unit would publish."""
    return with_status(dataset, "approved")


@pytest.fixture(scope="session")
def published(approved, tmp_path_factory):
    """All five formats of the published Luton 2024-25 report, from approved returns."""
    out = tmp_path_factory.mktemp("published")
    return build_report(approved, "2024-25", ["html", "pdf", "docx", "csv", "xlsx"], out)


@pytest.fixture(scope="session")
def draft(dataset, tmp_path_factory):
    """All five formats of the DRAFT build from the example's submitted returns."""
    out = tmp_path_factory.mktemp("draft")
    return build_report(dataset, "2024-25", ["html", "pdf", "docx", "csv", "xlsx"], out, draft=True)


@pytest.fixture(scope="session")
def internal(dataset, tmp_path_factory):
    """The internal build (unsuppressed), with two findings for the quality appendix."""
    out = tmp_path_factory.mktemp("internal")
    findings = [
        SimpleNamespace(code="pp-as-percent", severity="error", partner="elft", period="2024-25",
                        message="83% to 89% is 6.0 percentage points; text says 6.7%", quote="a 6.7% increase",
                        location="appendix-b/elft.yaml:12"),
        SimpleNamespace(code="spelling", severity="info", partner="bhft", message="unknown word"),
    ]
    return build_report(dataset, "2024-25", ["html", "csv", "xlsx"], out, internal=True, findings=findings)


@pytest.fixture(scope="session")
def published_html(published) -> str:
    return published["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def internal_html(internal) -> str:
    return internal["html"].read_text(encoding="utf-8")
