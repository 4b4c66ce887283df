"""Section 11 in the web: one submission per partner and period, seen in every partnership
the partner serves; moderation audited; bad input refused with a message and nothing stored;
the example's cycles loaded with carried ratings and actions, and a reload keeps web work."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db

STANDARDS = ["leadership", "childs-voice", "clear-policies", "safer-recruitment", "training",
             "information-sharing", "partnership-working", "quality-assurance"]


def _start(client, web, period="2024-25"):
    """A fresh BFRS assessment (the example's loaded one removed first) for ``period``."""
    from masa.web.section11.models import Assessment

    Assessment.objects.filter(partner__code="bfrs").delete()
    client.force_login(web.users["contributor"])
    r = client.post("/section11/start/", {"period": period})
    assert r.status_code == 302
    return Assessment.objects.get(partner__code="bfrs", period__code=period)


def _form(row, **changes) -> dict:
    data = {f"{c}-actions": "1" for c in STANDARDS}
    for c in STANDARDS:
        data[f"{c}-rating"] = "green"
        data[f"{c}-evidence"] = "Synthetic evidence"
    data.update(changes)
    return data


def _stored(row):
    from masa.web.section11.models import ActionItem, Answer, EvidenceFile

    return (list(Answer.objects.filter(assessment=row).values_list("standard", "rating", "evidence")),
            ActionItem.objects.filter(answer__assessment=row).count(),
            EvidenceFile.objects.filter(answer__assessment=row).count())


def test_the_example_carries_ratings_and_open_actions_into_2025_26(web):
    from masa.web.section11 import service
    from masa.web.section11.models import Assessment

    police = service.to_engine(Assessment.objects.get(partner__code="police", period__code="2025-26"))
    info = police.answer("information-sharing")
    assert info.previous_rating == "amber" and info.rating == "green"
    training = police.answer("training")
    assert training.previous_rating == "red"
    assert [(x.id, x.carried, x.raised, x.status) for x in training.actions] == [
        ("police-s11-3", True, "2024-25", "in-progress")]
    assert Assessment.objects.get(partner__code="nspcc", period__code="2025-26").status == "draft"


def test_a_second_load_keeps_work_done_in_the_web(web):
    from masa.web.section11.models import Answer
    from masa.web.store import load_folder
    from tests.web.conftest import EXAMPLE, _example_parsed

    ans = Answer.objects.get(assessment__partner__code="lbc", assessment__period__code="2025-26", standard="training")
    ans.rating = "red"
    ans.save()
    summary = load_folder(EXAMPLE, dataset=_example_parsed().model_copy(deep=True))
    ans.refresh_from_db()
    assert ans.rating == "red"
    assert any("Section 11 lbc 2025-26" in k for k in summary.kept)


def test_one_submission_appears_in_each_partnership_the_partner_serves(client, web):
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    row = _start(client, web)
    assert client.post(f"/luton/section11/{row.pk}/", _form(row)).status_code == 302
    assert client.post(f"/luton/section11/{row.pk}/submit/").status_code == 302
    # the same partner's people see one assessment from either partnership
    assert client.get(f"/{BEDFORD}/section11/{row.pk}/").status_code == 200
    for who, code in ((web.users["bu"], "luton"), (bedford_bu, BEDFORD)):
        client.force_login(who)
        page = client.get(f"/{code}/section11/?period=2024-25").content.decode()
        assert f"/{code}/section11/{row.pk}/" in page
        assert "Green" in client.get(f"/{code}/section11/{row.pk}/").content.decode()
    # a partner that serves Luton only is not in Bedford Borough's list
    client.force_login(bedford_bu)
    lbc = row.__class__.objects.get(partner__code="lbc", period__code="2024-25")
    assert client.get(f"/{BEDFORD}/section11/{lbc.pk}/").status_code == 404
    assert "Luton Borough Council" not in client.get(f"/{BEDFORD}/section11/heatmap/?period=2024-25").content.decode()


def test_moderation_is_audited_and_needs_a_reason(client, web):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.section11.models import Moderation

    row = _start(client, web)
    client.post(f"/section11/{row.pk}/", _form(row))
    client.post(f"/section11/{row.pk}/submit/")
    client.force_login(web.users["bu"])
    r = client.post(f"/section11/{row.pk}/moderate/", {"training-verdict": "challenge", "training-reason": ""})
    assert r.status_code == 400 and "give a reason" in r.content.decode()
    assert not Moderation.objects.filter(answer__assessment=row).exists()
    r = client.post(f"/section11/{row.pk}/moderate/",
                    {"training-verdict": "challenge", "training-reason": "Training figures are a year old"})
    assert r.status_code == 302
    entry = AuditEntry.objects.filter(action="section11.moderated").last()
    assert entry.actor == web.users["bu"].username and entry.target == "section11:bfrs:2024-25"
    assert entry.data["verdict"] == "challenge" and entry.data["standard"] == "training"
    assert entry.data["reason"] == "Training figures are a year old"
    page = client.get(f"/section11/{row.pk}/").content.decode()
    assert "Challenge: Training figures are a year old" in page
    # partners and scrutineers cannot moderate
    client.force_login(web.users["scrutineer"])
    assert client.post(f"/section11/{row.pk}/moderate/", {"training-verdict": "agree",
                                                          "training-reason": "ok"}).status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"training-rating": "purple"}, "training-rating", "&#x27;purple&#x27; is not a rating: choose red, amber or green"),
    ({"training-a0-text": "Refresh training", "training-a0-owner": "", "training-a0-due": "31/03/2025"},
     "training-a0-owner", "enter an owner"),
    ({"training-a0-text": "Refresh training", "training-a0-owner": "Lead", "training-a0-due": "31/03/2024"},
     "training-a0-due", "before the assessment period starts (01/04/2024)"),
    ({"training-a0-text": "Refresh training", "training-a0-owner": "Lead", "training-a0-due": "soon"},
     "training-a0-due", "due date: "),
])
def test_bad_input_is_named_on_the_form_and_nothing_is_stored(client, web, changes, field, message):
    row = _start(client, web)
    before = _stored(row)
    r = client.post(f"/section11/{row.pk}/", _form(row, **changes))
    page = r.content.decode()
    assert r.status_code == 400
    assert message in page and f'href="#{field}"' in page and "There is a problem" in page
    assert _stored(row) == before


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.mark.parametrize("name, data, message", [
    ("notes.exe", b"MZ" + b"0" * 10, "notes.exe is not a file type masa keeps as evidence"),
    ("fake.pdf", b"hello there", "fake.pdf is not really a .pdf file"),
    ("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "the largest evidence file is 10 MB"),
])
def test_a_bad_evidence_file_is_refused_with_nothing_stored(client, web, name, data, message):
    row = _start(client, web)
    before = _stored(row)
    f = io.BytesIO(data)
    f.name = name
    r = client.post(f"/section11/{row.pk}/", _form(row, **{"training-file": f,
                                                           "leadership-rating": "amber"}))
    assert r.status_code == 400 and message in r.content.decode()
    assert _stored(row) == before  # the good rating beside it is not saved either


def test_a_good_evidence_file_is_kept_and_downloadable(client, web):
    row = _start(client, web)
    f = io.BytesIO(PNG)
    f.name = "chart.png"
    assert client.post(f"/section11/{row.pk}/", _form(row, **{"training-file": f})).status_code == 302
    page = client.get(f"/section11/{row.pk}/").content.decode()
    assert "chart.png" in page
    from masa.web.section11.models import EvidenceFile

    ev = EvidenceFile.objects.get(answer__assessment=row)
    assert client.get(f"/section11/evidence/{ev.pk}/").content == PNG
    client.force_login(web.users["other"])  # another partner
    assert client.get(f"/section11/evidence/{ev.pk}/").status_code == 404


def test_submitting_needs_every_standard_rated(client, web):
    row = _start(client, web)
    r = client.post(f"/section11/{row.pk}/submit/")
    assert r.status_code == 400 and "Training and supervision: choose red, amber or green before submitting" in r.content.decode()
    row.refresh_from_db()
    assert row.status == "draft"


def test_heatmap_shows_change_and_exports(client, web):
    client.force_login(web.users["bu"])
    page = client.get("/section11/heatmap/?period=2025-26").content.decode()
    assert "with the change since 2024-25" in page and "improved (was red)" in page
    csv = client.get("/section11/heatmap.csv?period=2025-26").content.decode("utf-8-sig")
    assert "Bedfordshire Police,Training and supervision,amber,red,improved" in csv
    assert client.get("/section11/heatmap.xlsx?period=2025-26")["Content-Type"].startswith("application/vnd.openxml")


def test_a_bad_cycle_file_is_refused_naming_it_and_nothing_is_stored(web, tmp_path):
    import shutil

    from masa.spec import SourceError
    from masa.web.section11.models import Answer
    from masa.web.store import load_folder
    from tests.web.conftest import EXAMPLE, _example_parsed

    folder = tmp_path / "luton"
    shutil.copytree(EXAMPLE / "assurance", folder / "assurance")
    cycle = folder / "assurance" / "section11" / "2025-26.yaml"
    cycle.write_text(cycle.read_text().replace("rating: amber", "rating: purple", 1)
                     .replace("rating: green", "rating: red", 1))
    before = list(Answer.objects.order_by("pk").values_list("rating", flat=True))
    with pytest.raises(SourceError, match="2025-26.yaml: not a valid Section 11 file"):
        load_folder(folder, dataset=_example_parsed().model_copy(deep=True))
    assert list(Answer.objects.order_by("pk").values_list("rating", flat=True)) == before
