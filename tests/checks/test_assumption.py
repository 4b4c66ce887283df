"""No hidden Luton: without a spec the check reads the report's own partnership and areas from
the report and says so first; other-area findings only for areas neither own nor joint.
All texts here are invented."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert run.assumed == ("Assumed: North Tyneside Safeguarding Children Partnership (North Tyneside) from the title; "
                           "partnerships as in 2023-24, the report's period")
    assert run.findings == []


def test_a_joint_partnership_owns_all_its_areas_but_not_the_city_next_door():
    text = ("Leicestershire and Rutland Safeguarding Children Partnership Yearly Report 2024-25\n\n"
            + BODY.format(own="Rutland") + "The same team saw children in Leicester.\n")
    run = _run(text)
    assert run.assumed == ("Assumed: Leicestershire and Rutland Safeguarding Children Partnership "
                           "(Leicestershire, Rutland) from the title; partnerships as in 2024-25, the report's period")
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
                           "from the title; partnerships as they are now: the report states no period")
    assert run.findings == []


def test_one_area_of_a_joint_partnership_keeps_its_name_and_its_neighbours_are_joint():
    text = "Dorset Safeguarding Children Partnership\nYearly report 2023-24\n\n" + BODY.format(own="Dorset")
    run = _run(text + "We saw children across Bournemouth, Christchurch and Poole too.\n")
    assert run.assumed == ("Assumed: Dorset Safeguarding Children Partnership (Dorset); joint partners: "
                           "Bournemouth, Christchurch and Poole from the title; partnerships as in 2023-24, the "
                           "report's period (the list has Dorset Safeguarding Children Partnership only from 1 August "
                           "2024; then: Pan-Dorset Safeguarding Children Partnership)")
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
    assert run.assumed == ("Assumed: the partnership for Kent (Kent) from the area the first pages name most; "
                           "partnerships as in 2023-24, the report's period")
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


# Partnerships change over time: the report's own period picks the one in place then.

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "excerpts"


def _excerpt(name):
    """A corpus excerpt's text without its front matter (as tests/corpus/score.py checks it)."""
    return CORPUS.joinpath(name).read_text(encoding="utf-8").split("---", 2)[2].lstrip("\n")


def test_bcps_own_2024_25_report_is_bcps_not_pan_dorsets():
    # it opens by naming the dissolved Pan-Dorset partnership: the one in place in 2024-25 wins
    run = _run(_excerpt("bcp-2024-25.txt"))
    assert run.assumed == ("Assumed: BCP Safeguarding Children Partnership (Bournemouth, Christchurch and Poole) "
                           "from the title; partnerships as in 2024-25, the report's period")
    # even when the ended partnership is named first
    text = ("Annual Report 2024-25\n\nWhen the Pan-Dorset Safeguarding Children Partnership ended, the BCP "
            "Safeguarding Children Partnership took on its work for our area.\n\n" + BODY.format(own="BCP"))
    assert _run(text).assumed.startswith("Assumed: BCP Safeguarding Children Partnership (Bournemouth, Christchurch "
                                         "and Poole) from the title")


def test_after_the_split_dorset_is_another_area_for_bcp():
    text = ("BCP Safeguarding Children Partnership Annual Report 2024-25\n\n"
            + BODY.format(own="Bournemouth, Christchurch and Poole")
            + "We also worked hard to safeguard children in Dorset this year.\n")
    assert [f.quote for f in _run(text).findings] == ["Dorset"]


def test_a_pan_dorset_report_of_2021_22_covers_both_areas():
    run = _run(_excerpt("pan-dorset-2021-22.txt"))
    assert run.assumed == ("Assumed: Pan-Dorset Safeguarding Children Partnership (Bournemouth, Christchurch and "
                           "Poole, Dorset) from the title; partnerships as in 2021-22, the report's period")
    text = ("Pan-Dorset Safeguarding Children Partnership Yearly Report 2021-22\n\n" + BODY.format(own="Dorset")
            + "We saw children in Bournemouth, Christchurch and Poole and children in Somerset.\n")
    assert [f.quote for f in _run(text).findings] == ["Somerset"]


def test_with_no_period_the_partnerships_in_place_now_and_the_line_says_so():
    text = "Dorset Safeguarding Children Partnership\n\nAbout us\n\n" + BODY.format(own="Dorset")
    run = _run(text + "We also saw children in Bournemouth, Christchurch and Poole.\n")
    assert run.assumed == ("Assumed: Dorset Safeguarding Children Partnership (Dorset) from the title; "
                           "partnerships as they are now: the report states no period")
    assert [f.quote for f in run.findings] == ["Bournemouth, Christchurch and Poole"]
    # the same report for 2022-23, when Dorset was in Pan-Dorset: BCP is a joint partner
    dated = _run(text.replace("About us", "Yearly report 2022-23") + "We also saw children in Bournemouth, "
                 "Christchurch and Poole.\n")
    assert "joint partners: Bournemouth, Christchurch and Poole" in dated.assumed and dated.findings == []


def test_a_partnership_named_after_it_ended_is_still_read_and_the_line_says_when_it_ran():
    run = _run("Pan-Dorset Safeguarding Children Partnership\n\nOur history\n\n" + BODY.format(own="Dorset"))
    assert run.assumed == (
        "Assumed: Pan-Dorset Safeguarding Children Partnership (Bournemouth, Christchurch and Poole, Dorset) from "
        "the title; partnerships as they are now: the report states no period (the list has Pan-Dorset "
        "Safeguarding Children Partnership only from 1 September 2019 to 31 July 2024; then: BCP Safeguarding "
        "Children Partnership, Dorset Safeguarding Children Partnership)")


def test_cumbria_before_its_split_and_westmorland_and_furness_after():
    run = _run("Cumbria Safeguarding Children Partnership Annual Report 2023-24\n\n" + BODY.format(own="Cumbria"))
    assert run.assumed.startswith("Assumed: Cumbria Safeguarding Children Partnership (Cumberland, Westmorland and "
                                  "Furness) from the title; partnerships as in 2023-24")
    text = ("Westmorland and Furness Safeguarding Children Partnership Annual Report 2025-26\n\n"
            + BODY.format(own="Westmorland and Furness") + "We also saw children in Cumberland.\n")
    run = _run(text)
    assert run.assumed.startswith("Assumed: Westmorland and Furness Safeguarding Children Partnership "
                                  "(Westmorland and Furness) from the title; partnerships as in 2025-26")
    assert [f.quote for f in run.findings] == ["Cumberland"]


def test_masa_check_names_broken_reference_data_without_a_traceback(tmp_path, monkeypatch):
    """The national lists ship with masa; an installation whose list was edited and broken gets
    one line naming the file and the fault, exit 2, not a traceback."""
    from typer.testing import CliRunner

    import masa.reference as ref
    from masa.cli import app

    doc = tmp_path / "report.txt"
    doc.write_text("Bury Safeguarding Children Partnership\nYearly report 2023-24\n\nWe met four times.\n")
    broken = ("name,areas,from,until\nPan-Dorset Safeguarding Children Partnership,Dorset,2025-26,2019-20\n")
    import masa.checks.assumption as assumption

    def clear_derived():  # the lists read from the partnerships, cached once per process
        for fn in vars(assumption).values():
            if callable(getattr(fn, "cache_clear", None)):
                fn.cache_clear()

    clear_derived()
    for module in (ref, assumption):
        monkeypatch.setattr(module, "safeguarding_partnerships", lambda: ref.partnerships_from(broken))
    try:
        result = CliRunner().invoke(app, ["check", str(doc)])
    finally:
        monkeypatch.undo()
        clear_derived()
    assert result.exit_code == 2, result.output
    assert "masa's reference data" in result.output and "safeguarding_partnerships.csv" in result.output
    assert "Traceback" not in result.output
