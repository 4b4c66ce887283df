"""Narrative on web pages is rendered like the report's: an image with an external address
(a tracking pixel, a hot-linked picture) is removed, on the public page and the return page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

NARRATIVE = ("Referrals rose this year.\n\n![pixel](https://tracker.example.net/p.gif)\n\n"
             "![logo](//cdn.example.net/logo.png) and ![inline](http://old.example.net/x.png) here.\n\n"
             "See [the guidance](https://www.gov.uk/).")


def _write(row):
    from masa.web.core.models import SectionAnswer

    answer = SectionAnswer.objects.filter(ret=row).order_by("order").first()
    answer.text = NARRATIVE
    answer.save()


def _assert_clean(html: str):
    assert "Referrals rose this year." in html
    assert "<img" not in html
    for host in ("tracker.example.net", "cdn.example.net", "old.example.net"):
        assert host not in html, host
    assert 'href="https://www.gov.uk/"' in html  # links stay


def test_the_public_page_strips_external_images(client, web):
    _write(web.published)
    _assert_clean(client.get("/published/2024-25/").content.decode())


def test_the_return_page_strips_external_images(client, web):
    _write(web.draft)
    client.force_login(web.users["bu"])
    _assert_clean(client.get(f"/returns/{web.draft.pk}/").content.decode())
