"""The ``web`` fixture copies the example's recorded rows into each test (tests/web/snapshot.py):
what one test changes must never reach the next. The two tests run in order on one worker
(``--dist loadgroup``); the first changes the example in the database and in the objects it
was handed, the second must see the example as loaded."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("snapshot-isolation")


def test_a_test_that_changes_the_example(web):
    from masa.web.core.models import DataValue, Partner, Return

    Return.objects.filter(pk=web.draft.pk).update(status="published")
    DataValue.objects.all().delete()
    Partner.objects.filter(code="police").update(name="Changed by an earlier test")
    web.users["bu"].delete()
    web.draft.status = "published"
    web.users.pop("contributor")


def test_the_next_test_sees_the_example_as_loaded(web):
    from django.contrib.auth import get_user_model

    from masa.web.core.models import DataValue, Partner, Return
    from tests.web.conftest import USERS

    assert web.draft.status == "draft"
    assert Return.objects.get(pk=web.draft.pk).status == "draft"
    assert Return.objects.filter(pk=web.published.pk, status="published").exists()
    assert DataValue.objects.count() == 60  # every figure of the example
    assert Partner.objects.get(code="police").name != "Changed by an earlier test"
    assert set(web.users) == set(USERS)
    assert get_user_model().objects.filter(username=USERS["bu"][0]).exists()
