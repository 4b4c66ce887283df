"""A cell formatted as a percentage shows 83% but holds 0.83: the figures upload stores
what the person sees (83) for a percent indicator, and refuses a percentage given for a
count. Workbooks are written here with openpyxl."""

from __future__ import annotations

import html
import io

import pytest

pytestmark = pytest.mark.django_db


def _workbook(rows, formats: dict[str, str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Figures"
    for r in rows:
        ws.append(r)
    for ref, number_format in formats.items():
        ws[ref].number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, web, content: bytes):
    f = io.BytesIO(content)
    f.name = "figures.xlsx"
    client.force_login(web.users["contributor"])
    return client.post(f"/returns/{web.draft.pk}/upload/", {"file": f})


def _stored(indicator: str) -> dict[str, float]:
    from masa.web.core.models import DataValue

    return dict(DataValue.objects.filter(partner__code="bfrs", indicator__code=indicator, period__code="2024-25")
                .values_list("by_key", "value"))


def test_a_percentage_formatted_cell_is_stored_as_the_percentage_shown(client, web):
    content = _workbook([["indicator", "breakdown", "value"],
                         ["referral_share", "age-group=adult", 0.575],
                         ["referral_share", "age-group=child", 42.5]],  # typed as a plain number
                        {"C2": "0.0%"})
    r = _upload(client, web, content)
    assert r.status_code == 302, html.unescape(r.content.decode()).split("govuk-error-summary__list")[-1][:600]
    assert _stored("referral_share") == {"age-group=adult": 57.5, "age-group=child": 42.5}


def test_a_percentage_for_a_count_is_refused_and_nothing_stored(client, web):
    before = _stored("child_safeguarding_referrals")
    content = _workbook([["indicator", "breakdown", "value"],
                         ["child_safeguarding_referrals", "area=luton", 0.31]], {"C2": "0%"})
    r = _upload(client, web, content)
    assert r.status_code == 400
    assert "row 2, column C: 31% is a percentage, but child_safeguarding_referrals is a count; type the number" \
        in " ".join(html.unescape(r.content.decode()).split())
    assert _stored("child_safeguarding_referrals") == before
