"""A figures upload with a formula (or a spreadsheet error) in a cell is refused, naming the
cell; the stored figures stay exactly as they were. Workbooks are written here with openpyxl,
which, like many scripts, stores formulas without a cached result."""

from __future__ import annotations

import html
import io

import pytest

pytestmark = pytest.mark.django_db

FIGURE = {"partner__code": "bfrs", "indicator__code": "child_safeguarding_referrals", "by_key": "area=luton",
          "period__code": "2024-25"}


def _workbook(rows, title="Figures") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, web, name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    client.force_login(web.users["contributor"])
    return client.post(f"/returns/{web.draft.pk}/upload/", {"file": f})


def _figures():
    from masa.web.core.models import DataValue

    return sorted(DataValue.objects.filter(partner__code="bfrs").values_list("indicator__code", "by_key", "value"))


def _stored_value():
    from masa.web.core.models import DataValue

    return DataValue.objects.get(**FIGURE).value


def _parts(total: int) -> list[list]:
    """The total with its parts by sex, which a spec rule requires to add up."""
    return [["child_safeguarding_referrals", "area=luton;sex=female", 4],
            ["child_safeguarding_referrals", "area=luton;sex=male", 9],
            ["child_safeguarding_referrals", "area=luton;sex=not-known", total - 13]]


def _set_figure(client, web, value: int) -> None:
    rows = [["indicator", "breakdown", "value"], *_parts(value), ["child_safeguarding_referrals", "area=luton", value]]
    body = "".join(",".join(map(str, r)) + "\n" for r in rows).encode()
    r = _upload(client, web, "figures.csv", body)
    assert r.status_code == 302, html.unescape(r.content.decode()).split("govuk-error-summary__list")[-1][:600]


def test_a_formula_in_a_value_cell_is_refused_and_the_figure_kept(client, web):
    _set_figure(client, web, 22)
    before = _figures()
    content = _workbook([
        ["indicator", "breakdown", "label", "value"],
        ["child_safeguarding_referrals", "area=luton;sex=female", "", 5],
        ["child_safeguarding_referrals", "area=luton;sex=male", "", 9],
        ["child_safeguarding_referrals", "area=luton;sex=not-known", "", 10],
        ["child_safeguarding_referrals", "area=luton", "", "=SUM(D2:D4)"],
    ])
    r = _upload(client, web, "figures.xlsx", content)
    page = html.unescape(r.content.decode())
    assert r.status_code == 400
    assert "Sheet Figures, cell D5: a formula (=SUM(D2:D4)) cannot be uploaded; type the value" in page
    assert _stored_value() == 22
    assert _figures() == before  # the two typed cells were not stored either: nothing half-way


def test_every_formula_cell_is_counted_and_the_first_named(client, web):
    content = _workbook([
        ["indicator", "breakdown", "value"],
        ["child_safeguarding_referrals", "area=luton", "=1+1"],
        ["child_safeguarding_referrals", "area=luton;sex=male", "=2+2"],
        ["child_safeguarding_referrals", "area=luton;sex=female", "=3+3"],
    ], title="Data")
    page = html.unescape(_upload(client, web, "figures.xlsx", content).content.decode())
    assert "Sheet Data, cell C2: a formula (=1+1) cannot be uploaded; type the value (and 2 more such cells)" in page


def test_a_spreadsheet_error_value_is_refused_not_read_as_empty(client, web):
    _set_figure(client, web, 17)
    content = _workbook([["indicator", "breakdown", "value"], ["child_safeguarding_referrals", "area=luton", "#N/A"]])
    r = _upload(client, web, "figures.xlsx", content)
    assert r.status_code == 400
    assert "Sheet Figures, cell C2: the spreadsheet error #N/A cannot be uploaded" in html.unescape(
        r.content.decode())
    assert _stored_value() == 17


def test_a_formula_typed_into_a_csv_is_refused_with_its_cell(client, web):
    _set_figure(client, web, 22)
    body = b"indicator,breakdown,value\nchild_safeguarding_referrals,area=luton,=SUM(C3:C4)\n"
    r = _upload(client, web, "figures.csv", body)
    assert r.status_code == 400
    assert "row 2, column C: a formula (=SUM(C3:C4)) cannot be uploaded; type the value" in html.unescape(
        r.content.decode())
    assert _stored_value() == 22


def test_typed_numbers_in_an_xlsx_still_save(client, web):
    content = _workbook([["indicator", "breakdown", "value"], *_parts(31),
                         ["child_safeguarding_referrals", "area=luton", 31]])
    r = _upload(client, web, "figures.xlsx", content)
    assert r.status_code == 302, html.unescape(r.content.decode()).split("govuk-error-summary__list")[-1][:600]
    assert _stored_value() == 31
