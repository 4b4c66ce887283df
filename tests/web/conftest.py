"""Web fixtures: the Luton example loaded, a few users per role, one draft, one published."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

USERS = {
    "contributor": ("bfrs.contributor@example.org", "contributor", "bfrs"),
    "approver": ("bfrs.approver@example.org", "approver", "bfrs"),
    "other": ("police.contributor@example.org", "contributor", "police"),
    "bu": ("bu@example.org", "business_unit", None),
    "scrutineer": ("scrutineer@example.org", "scrutineer", None),
}
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the real hasher (settings.py); tests use a fast one to stay quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Web:
    spec: object
    users: dict
    draft: object  # bfrs appendix-b, draft
    submitted: object  # bfrs appendix-c, submitted
    published: object  # police appendix-b, published
    other_draft: object  # police appendix-c, draft


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"


@lru_cache(maxsize=1)
def _example_parsed():
    """The example's YAML, parsed and validated once per test process (about 0.8 s a time)."""
    from masa.returns import load_dataset

    return load_dataset(EXAMPLE)


def _load_example() -> str:
    """The example loaded, users per role, and the statuses the tests start from."""
    from masa.web.core.models import Return
    from masa.web.demo import ensure_user
    from masa.web.store import load_folder

    summary = load_folder(EXAMPLE, dataset=_example_parsed().model_copy(deep=True))
    for u, role, partner in USERS.values():
        ensure_user(u, role, partner, PASSWORD)
    Return.objects.filter(partner__code="bfrs", template__code="appendix-b").update(status="draft")
    Return.objects.filter(partner__code="police", template__code="appendix-b").update(status="published")
    Return.objects.filter(partner__code="police", template__code="appendix-c").update(status="draft")
    return summary.partnership


def _web_for(partnership: str) -> Web:
    from django.contrib.auth import get_user_model

    from masa.web.core.models import Return
    from masa.web.store import spec_for

    user = get_user_model().objects.get
    get = lambda p, t: Return.objects.select_related("partner", "period", "template").get(
        partner__code=p, template__code=t)
    return Web(spec_for(partnership), {k: user(username=u) for k, (u, _, _) in USERS.items()},
               get("bfrs", "appendix-b"), get("bfrs", "appendix-c"),
               get("police", "appendix-b"), get("police", "appendix-c"))


def make_web():
    """The example loaded for real (tests that commit: browser tests, live servers)."""
    return _web_for(_load_example())


@pytest.fixture
def web(db, request):
    """The example's rows, loaded once per test process and copied into each test's
    transaction (tests/web/snapshot.py); a test that commits loads it for real."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        return make_web()
    from masa.web.auditlog.keys import current_key
    from tests.web.snapshot import restore

    key = hashlib.sha256(current_key().secret).hexdigest()
    return _web_for(restore("luton-example", _load_example, key))


@pytest.fixture
def form_data():
    return post_for


def post_for(row, **changes) -> dict:
    """The full form a browser would post for a stored return, with some fields changed."""
    from masa.web import store
    from masa.web.site import common
    from masa.web.site.returnform import figure_cells
    from masa.web.site.formdata import last_year_values, request_post_from

    spec = common.spec()
    ret = store.return_from_row(row)
    data = request_post_from(ret, spec)
    for c in figure_cells(spec, ret, last_year_values(row)):
        data[c.name] = c.value
    data["lock_version"] = str(row.lock_version)
    data.update(changes)
    return data
