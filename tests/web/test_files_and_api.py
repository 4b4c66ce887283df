"""Uploads, downloads and API payloads: specific errors, never a 500; formula injection
neutralised in exported CSV and XLSX."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from tests.conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def _upload(client, web, name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    client.force_login(web.users["contributor"])
    return client.post(f"/returns/{web.draft.pk}/upload/", {"file": f})


def test_a_csv_upload_saves_figures(client, web):
    from masa.web.core.models import DataValue

    body = (b"indicator,breakdown,value\n"
            b"child_safeguarding_referrals,area=luton,22\n"
            b"child_safeguarding_referrals,area=luton;sex=not-known,14\n")
    r = _upload(client, web, "figures.csv", body)
    assert r.status_code == 302
    assert DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                 by_key="area=luton", period__code="2024-25").value == 22


def test_upload_errors_name_the_row_and_column(client, web):
    from masa.web.core.models import DataValue

    before = list(DataValue.objects.values_list("pk", "value"))
    body = (b"indicator,breakdown,value\n"
            b"child_safeguarding_referrals,area=luton,lots\n"
            b"no_such_indicator,,4\n"
            b"child_safeguarding_referrals,area=atlantis,4\n")
    r = _upload(client, web, "figures.csv", body)
    html = r.content.decode()
    assert r.status_code == 400
    assert "row 2, column C: Enter a number" in html
    assert "row 3, column A: unknown indicator &#x27;no_such_indicator&#x27;" in html
    assert "row 4, column B: &#x27;atlantis&#x27; is not an option of area" in html
    assert list(DataValue.objects.values_list("pk", "value")) == before


@pytest.mark.parametrize("name,content,message", [
    ("figures.pdf", b"%PDF-1.4", "upload a .xlsx or .csv file"),
    ("figures.xlsx", b"not a zip at all", "not an Excel workbook"),
    ("figures.csv", b"\xff\xfe\x00a", "not UTF-8 text"),
    ("figures.csv", b"", "The file is empty"),
])
def test_wrong_kinds_of_file_get_a_specific_message(client, web, name, content, message):
    r = _upload(client, web, name, content)
    assert r.status_code == 400
    assert message in r.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_opened(client, web):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    r = _upload(client, web, "figures.xlsx", buf.getvalue())
    assert r.status_code == 400
    assert "possible zip bomb" in r.content.decode()


def test_a_real_xlsx_round_trip_from_the_downloaded_template(client, web):
    from openpyxl import load_workbook

    from masa.web.core.models import DataValue

    client.force_login(web.users["contributor"])
    r = client.get(f"/returns/{web.draft.pk}/figures.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["indicator", "breakdown"] and "last_year" in header
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "child_safeguarding_referrals" and row[1].value == "area=luton;sex=female":
            row[header.index("value")].value = 4
        if row[0].value == "child_safeguarding_referrals" and row[1].value == "area=luton":
            row[header.index("value")].value = 22
    out = io.BytesIO()
    wb.save(out)
    r = _upload(client, web, "filled.xlsx", out.getvalue())
    assert r.status_code == 302, r.content.decode()[-2000:]
    assert DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                 by_key="area=luton;sex=female", period__code="2024-25").value == 4


def test_formula_injection_is_neutralised_in_exports(client, web):
    from masa.web.site.spreadsheets import csv_bytes, neutralise, xlsx_bytes

    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralise(x) for x in ("+1", "-2+3", "@SUM(A1)", "\tx")] == ["'+1", "'-2+3", "'@SUM(A1)", "'\tx"]
    assert neutralise(-5) == -5 and neutralise("plain") == "plain"
    rows = list(csv.reader(io.StringIO(csv_bytes([["a"], ["=1+1"]]).decode("utf-8-sig"))))
    assert rows[1] == ["'=1+1"]
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx_bytes([["a"], ["=1+1"]]))).active
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"


def test_published_csv_suppresses_small_counts(client, web):
    from masa.web.core.models import DataValue

    small = DataValue.objects.filter(ret=web.published, indicator__unit="count", period__code="2024-25").first()
    DataValue.objects.filter(pk=small.pk).update(value=3)
    text = client.get("/published/2024-25/figures.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["partner"] for r in rows} == {"police"}
    cell = [r for r in rows if r["indicator"] == small.indicator.code and r["period"] == "2024-25"
            and {b: v for b, v in small.by.items()} == {b: r[b] for b in small.by}
            and all(not r[b.code] for b in web.spec.breakdowns if b.code in r and b.code not in small.by)]
    assert cell and cell[0]["value"] == "c"
    assert all(r["value"] == "c" or not r["value"].replace(".", "").isdigit() or not 1 <= float(r["value"]) <= 5
               for r in rows if r["unit"] == "count")
    assert text.startswith("partnership,partner,partner_name,indicator,indicator_name,unit,period")


def test_published_csv_neutralises_formula_text(client, db, tmp_path):
    """Text that reaches the open-data CSV (here an indicator name in the partnership's spec)
    never starts a cell with = + - @, so a spreadsheet shows it instead of running it."""
    import shutil

    from masa.web.core.models import Return
    from masa.web.store import load_folder

    folder = tmp_path / "luton"
    shutil.copytree(EXAMPLE, folder)
    spec = folder / "spec" / "indicators.yaml"
    formula = '=HYPERLINK("http://example.invalid/","VR headsets")'
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "name: VR headsets bought for education work", f"name: '{formula}'"), encoding="utf-8")
    load_folder(folder)
    Return.objects.filter(partner__code="police", template__code="appendix-b").update(status="published")
    text = client.get("/published/2024-25/figures.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    named = [r for r in rows if "vr_headsets" in r]
    assert named and "'" + formula in named[0], f"the CSV lets a spreadsheet run a formula: {named}"
    assert not [c for r in rows for c in r if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_api_payload_errors_are_specific(client, web):
    from masa.web.accounts.models import ApiToken

    token = ApiToken.issue(web.users["contributor"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/returns/{web.draft.pk}/figures"
    r = client.put(url, data="{not json", content_type="application/json", **auth)
    assert r.status_code in (400, 422)
    r = client.put(url, data={"figures": []}, content_type="application/json", **auth)
    assert r.status_code == 422 and "lock_version" in str(r.json())
    lock = client.get(f"/api/returns/{web.draft.pk}", **auth).json()["lock_version"]
    r = client.put(url, data={"lock_version": lock, "figures": [{"indicator": "nope", "value": 1}]},
                   content_type="application/json", **auth)
    assert r.status_code == 422 and "unknown indicator 'nope'" in r.json()["detail"]
    r = client.put(url, data={"lock_version": lock, "figures": [
        {"indicator": "child_safeguarding_referrals", "breakdown": {"area": "luton", "sex": "female"}, "value": 2.5}]},
        content_type="application/json", **auth)
    assert r.status_code == 422 and "not a count" in r.json()["detail"]
    r = client.put(url, data={"lock_version": lock + 7, "figures": []}, content_type="application/json", **auth)
    assert r.status_code == 409 and "lock_version" in r.json()["detail"]
    r = client.get(f"/api/returns/{web.draft.pk}", HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401


def test_security_headers_and_no_inline_script(client, web):
    r = client.get("/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    html = r.content.decode()
    assert "<script>" not in html and " style=" not in html
    import masa.web.settings as real  # the tests swap in a fast hasher; production uses Argon2

    assert real.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_repeated_wrong_passwords_lock_the_account(client, web):
    for _ in range(5):
        r = client.post("/login/", {"username": "bu@example.org", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    r = client.post("/login/", {"username": "bu@example.org", "password": "correct horse battery staple"},
                    REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 429
    assert "Too many sign-in attempts" in r.content.decode()


def test_sign_in_with_the_right_password_and_totp_when_set_up(client, web):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    r = client.post("/login/", {"username": "bu@example.org", "password": "correct horse battery staple"})
    assert r.status_code == 302
    client.logout()
    device = TOTPDevice.objects.create(user=web.users["bu"], name="phone", confirmed=True)
    r = client.post("/login/", {"username": "bu@example.org", "password": "correct horse battery staple"})
    assert r.status_code == 400 and "6-digit code" in r.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    r = client.post("/login/", {"username": "bu@example.org", "password": "correct horse battery staple",
                                "otp_token": code})
    assert r.status_code == 302


@pytest.mark.parametrize("changes,expected", [
    ({"fig|child_safeguarding_referrals|area=luton": "9" * 400}, "too large for a figure"),
    ({"fig|child_safeguarding_referrals|area=luton": "nan"}, "Enter a number"),
    ({"fig|child_safeguarding_referrals|area=luton": "1e5"}, "Enter a number"),
    ({"fig|broken": "4"}, "Unrecognised figure field"),
    ({"fig|child_safeguarding_referrals|area": "4"}, "is not breakdown=option"),
    ({"fig|child_safeguarding_referrals|planet=mars": "4"}, "has no breakdown 'planet'"),
    ({"sec-training-0-pri": "not-a-priority", "sec-training-0-text": "x"}, "Unknown priority"),
    ({"au-0-title": "Audit", "au-0-act-0-text": "Do it", "au-0-act-0-due": "next week"}, "Due date: "),
    ({"au-0-title": "Audit", "au-0-act-0-text": "Do it", "au-0-act-0-status": "sideways"}, "Choose open"),
    ({"sec-training-0-text": "x" * 20001}, "the limit is 20,000"),
    ({"lock_version": "not a number", "sec-training-0-text": "fine"}, "Someone else saved this return"),
])
def test_bad_form_input_gets_a_specific_message_never_a_500(client, web, form_data, changes, expected):
    client.force_login(web.users["contributor"])
    r = client.post(f"/returns/{web.draft.pk}/", form_data(web.draft, **changes))
    assert r.status_code in (400, 409)
    assert expected in r.content.decode().replace("&#x27;", "'")


def test_api_rejects_non_finite_and_huge_values(client, web):
    from masa.web.accounts.models import ApiToken

    token = ApiToken.issue(web.users["contributor"])
    r = client.put(f"/api/returns/{web.draft.pk}/figures",
                   data='{"lock_version": 0, "figures": [{"indicator": "csc_referrals", "value": 1e999}]}',
                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 422 and "figures.0.value" in str(r.json())


@pytest.mark.parametrize("nxt,expected", [("/returns/", "/returns/"), ("https://evil.example/", "/"),
                                          ("//evil.example/", "/"), ("/\\evil.example/", "/")])
def test_sign_in_only_redirects_within_the_site(client, web, nxt, expected):
    r = client.post("/login/", {"username": "bu@example.org", "password": "correct horse battery staple",
                                "next": nxt})
    assert r.status_code == 302 and r["Location"] == expected


def test_a_csv_field_too_long_to_parse_is_an_upload_error(client, web):
    r = _upload(client, web, "figures.csv", b"indicator,breakdown,value\n\"" + b"x" * 200_000 + b"\",,1\n")
    assert r.status_code == 400
    assert "not a readable CSV file" in r.content.decode()


def test_a_huge_row_index_in_a_form_field_is_ignored_not_a_crash(client, web, form_data):
    client.force_login(web.users["contributor"])
    r = client.post(f"/returns/{web.draft.pk}/", form_data(web.draft, **{"sec-training-" + "9" * 5000 + "-text": "x"}))
    assert r.status_code in (200, 302, 400)


@pytest.mark.parametrize("query", ["?a=%C2%B2&b=1", "?a=99999999999999999999&b=1", "?a=-1&b=x"])
def test_odd_version_numbers_in_the_history_query_are_ignored(client, web, query):
    client.force_login(web.users["bu"])
    r = client.get(f"/returns/{web.draft.pk}/history/{query}")
    assert r.status_code == 200


def test_nul_characters_are_refused_with_a_clear_message(client, web):
    client.force_login(web.users["contributor"])
    r = client.post(f"/returns/{web.draft.pk}/messages/", {"section": "general", "text": "hello\x00there"})
    assert r.status_code == 400 and "NUL character" in r.content.decode()
    r = client.get("/returns/?period=2024-25\x00")
    assert r.status_code == 400
    from masa.web.accounts.models import ApiToken

    token = ApiToken.issue(web.users["contributor"])
    r = client.put(f"/api/returns/{web.draft.pk}/figures", data='{"lock_version": 0, "note": "a\\u0000b"}',
                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 400 and "NUL" in str(r.json())


def test_api_refuses_figures_for_a_return_without_a_figures_section(client, web):
    from masa.web.accounts.models import ApiToken
    from masa.web.core.models import DataValue

    token = ApiToken.issue(web.users["other"])  # police contributor; police's Appendix C is a draft
    before = DataValue.objects.count()
    lock = web.other_draft.lock_version
    r = client.put(f"/api/returns/{web.other_draft.pk}/figures",
                   data=f'{{"lock_version": {lock}, "figures": [{{"indicator": "csc_referrals", "value": 4}}]}}',
                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 422 and "has no figures section" in str(r.json())
    assert DataValue.objects.count() == before
    web.other_draft.refresh_from_db()
    assert web.other_draft.lock_version == lock
