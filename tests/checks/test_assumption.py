"""No hidden Luton: without a spec the check reads the report's own partnership and areas from
the report and says so first; other-area findings only for areas neither own nor joint.
All texts here are invented."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from masa.checks import check_texts
from masa.cli import app

BODY = ("Partners worked hard for children in {own} this year. Families in {own} told us the "
        "new early help offer made a difference. Schools across {own} took part in the audit.\n\n")


def _run(text, **kw):
    return check_texts([("report.txt", text)], codes=["text.other-area"], **kw)


def test_a_report_naming_its_own_area_raises_no_other_area_finding():
    text = "North Tyneside Safeguarding Children Partnership\nAnnual Report 2023-24\n\n" + BODY.format(own="North Tyneside") * 3
    run = _run(text)
    assert run.assumed == "Assumed: North Tyneside Safeguarding Children Partnership (North Tyneside) from the title"
    assert run.findings == []


def test_a_joint_partnership_owns_all_its_areas_but_not_the_city_next_door():
    text = ("Leicestershire and Rutland Safeguarding Children Partnership Yearly Report 2024-25\n\n"
            + BODY.format(own="Rutland") + "The same team saw children in Leicester.\n")
    run = _run(text)
    assert run.assumed.startswith("Assumed: Leicestershire and Rutland Safeguarding Children Partnership "
                                  "(Leicestershire, Rutland) from the title")
    assert [f.quote for f in run.findings] == ["Leicester"]


def test_an_area_named_as_a_joint_partner_is_not_an_other_area():
    text = ("Bracknell Forest Safeguarding Board: Annual Report 2023-24\n\n"
            "This year we began a joint partnership arrangement with Slough for exploitation work.\n\n"
            "We referred children in Slough and children in Wokingham to the panel.\n")
    run = _run(text)
    assert "joint partners: Slough" in run.assumed
    assert [f.quote for f in run.findings] == ["Wokingham"]


def test_a_report_naming_no_partnership_assumes_none_and_flags_no_area():
    run = _run("Annual report\n\nChildren in Wigan and children in Luton were helped.\n")
    assert run.assumed.startswith("Assumed: no partnership recognised")
    assert run.findings == []


def test_the_partnership_in_the_headings_when_the_title_has_none(tmp_path):
    text = ("Yearly report 2024-25\n\nForeword\n\nAbout the Pan-Dorset Safeguarding Children Partnership\n\n"
            + BODY.format(own="Dorset") + "Some children in Wiltshire were placed by us.\n")
    run = _run(text)
    assert run.assumed.startswith("Assumed: Pan-Dorset Safeguarding Children Partnership "
                                  "(Bournemouth, Christchurch and Poole, Dorset) from")
    assert [f.quote for f in run.findings] == ["Wiltshire"]


def test_the_cli_says_what_it_assumed_before_its_findings_in_every_format(tmp_path):
    doc = tmp_path / "nt.txt"
    doc.write_text("North Tyneside Safeguarding Children Partnership Annual Report 2023-24\n\n"
                   + BODY.format(own="North Tyneside"), encoding="utf-8")
    text = CliRunner().invoke(app, ["check", str(doc)])
    assert text.stdout.splitlines()[0].startswith("Assumed: North Tyneside Safeguarding Children Partnership")
    js = json.loads(CliRunner().invoke(app, ["check", str(doc), "--format", "json"]).stdout)
    assert js[0]["code"] == "report.assumed" and "North Tyneside" in js[0]["message"]
    html = CliRunner().invoke(app, ["check", str(doc), "--format", "html"]).stdout
    assert html.index("Assumed: North Tyneside") < html.index("<h2>Summary</h2>")


def test_spec_narrows_to_the_spec_partnership(example_dir, tmp_path):
    doc = tmp_path / "nt.txt"
    doc.write_text("North Tyneside Safeguarding Children Partnership Annual Report 2023-24\n\n"
                   + BODY.format(own="North Tyneside"), encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(doc), "--spec", str(example_dir / "spec"), "--format", "json"])
    js = json.loads(res.stdout)
    assert js[0]["message"].startswith("Using: ") and "(Luton)" in js[0]["message"]
    assert any(f["code"] == "text.other-area" and f["quote"] == "North Tyneside" for f in js)


def test_a_shorter_area_inside_the_own_name_is_not_another_area():
    text = ("North East Lincolnshire\n\nSafeguarding Children's Board\n\nAnnual Report\n\n"
            "This is the North East Lincolnshire Safeguarding Children Board's report.\n")
    run = _run(text)
    assert run.assumed == ("Assumed: North East Lincolnshire Safeguarding Children's Board (North East Lincolnshire) "
                           "from the title")
    assert run.findings == []


def test_one_area_of_a_joint_partnership_keeps_its_name_and_its_neighbours_are_joint():
    text = "Dorset Safeguarding Children Partnership\nYearly report 2023-24\n\n" + BODY.format(own="Dorset")
    run = _run(text + "We saw children across Bournemouth, Christchurch and Poole too.\n")
    assert run.assumed == ("Assumed: Dorset Safeguarding Children Partnership (Dorset); joint partners: "
                           "Bournemouth, Christchurch and Poole from the title")
    assert run.findings == []


def test_an_lscb_title_with_a_shortened_area_name():
    run = _run("Hartlepool & Stockton LSCB Joint Training Group\n\nTraining report 2017/2018\n")
    assert run.assumed.startswith("Assumed: Hartlepool & Stockton LSCB (Hartlepool, Stockton-on-Tees)")


def test_a_longer_place_starting_with_an_area_name_is_not_that_area():
    text = ("Birmingham Safeguarding Children Partnership Annual Report 2023-24\n\n"
            + BODY.format(own="Birmingham") + "We supported children in Sutton Coldfield and children in Sutton.\n")
    assert [f.quote for f in _run(text).findings] == ["Sutton"]


def test_with_no_partnership_name_the_area_the_first_pages_name_most():
    text = "Training report 2023-24\n\n" + BODY.format(own="Kent") + "A few children in Medway attended too.\n"
    run = _run(text)
    assert run.assumed == "Assumed: the partnership for Kent (Kent) from the area the first pages name most"
    assert [f.quote for f in run.findings] == ["Medway"]


def test_a_listed_partnership_written_with_an_ampersand_and_childrens():
    run = _run("Kingston & Richmond Safeguarding Children's Partnership\nAnnual report 2021-22\n")
    assert run.assumed.startswith("Assumed: Kingston and Richmond Safeguarding Children Partnership "
                                  "(Kingston upon Thames, Richmond upon Thames) from the title")


def test_areas_listed_as_the_partnerships_local_authorities_are_joint():
    text = ("Slough Safeguarding Partnership Annual Report 2023-24\n\n"
            "The partnership works across the two local authority areas of Slough and Windsor and Maidenhead.\n\n"
            "We saw children in Windsor and Maidenhead and children in Reading.\n")
    run = _run(text)
    assert "joint partners: Windsor and Maidenhead" in run.assumed
    assert [f.quote for f in run.findings] == ["Reading"]
