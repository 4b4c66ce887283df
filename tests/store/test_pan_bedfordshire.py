"""Pan-Bedfordshire: three partnerships in one database. The seven partners serving all three
write one return each; each partnership's report shows only the parts about its own areas."""

from __future__ import annotations

import html
import re

import pytest

from masa.returns import load_dataset
from masa.returns.validate import AREA_PARTS
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)

FOLDERS = [EXAMPLE, EXAMPLE.parent / "bedford-borough-2024-25", EXAMPLE.parent / "central-bedfordshire-2024-25"]
AREA = {"luton": "luton", "bedford-borough": "bedford"}


def _words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _marked_parts():
    """(areas, a sentence of the text) of every part marked for particular areas, in every folder."""
    out = []
    for folder in FOLDERS:
        for r in load_dataset(folder).returns:
            for name in AREA_PARTS:
                for part in getattr(r, name):
                    if part.areas:
                        text = getattr(part, "text", "") or part.title
                        out.append((set(part.areas), _words(text)[:60]))
            if r.voice_areas:
                out.append((set(r.voice_areas), _words(r.voice)[:60]))
    return out


@pytest.fixture
def reports(tmp_path):
    from masa.report import build_report
    from masa.web.store import dataset_for, load_folder

    for folder in FOLDERS:
        load_folder(folder)
    return {code: _words(build_report(dataset_for(code, "2024-25"), "2024-25", ["html"], tmp_path / code,
                                      draft=True)["html"].read_text(encoding="utf-8"))
            for code in AREA}


def test_each_report_has_its_own_areas_parts_and_none_of_the_others(reports):
    marked = _marked_parts()
    assert any(a == {"bedford"} for a, _ in marked) and any(a == {"luton"} for a, _ in marked)
    for code, text in reports.items():
        for areas, start in marked:
            if AREA[code] in areas:
                assert start in text, (code, start)
            else:
                assert start not in text, f"{code}'s report shows a part marked for {sorted(areas)}: {start!r}"


def test_a_shared_partner_writes_once_and_appears_in_both_reports(reports):
    from masa.web.core.models import Partnership, Return

    assert Return.objects.filter(partner__code="police", period__code="2024-25", template__code="appendix-b").count() == 1
    assert set(Partnership.objects.get(code="bedford-borough").partners.values_list("code", flat=True)) == {
        "bfrs", "bhft", "icb", "police", "ccs", "elft", "nspcc", "bbc"}
    everywhere = _words("Pan-Bedfordshire child abuse training ran across the three local authorities")
    assert all(everywhere in text for text in reports.values())
    assert "Early help in the borough's family hubs" in reports["bedford-borough"]
    assert "Early help in the borough's family hubs" not in reports["luton"]


def test_loading_another_partnership_leaves_the_first_as_it_was():
    from masa.web.core.models import Partner, SpecVersion
    from masa.web.store import load_folder, spec_for

    load_folder(FOLDERS[0])
    luton = spec_for("luton").model_dump()
    versions = SpecVersion.objects.filter(partnership="luton").count()
    load_folder(FOLDERS[1])
    load_folder(FOLDERS[2])
    assert spec_for("luton").model_dump() == luton
    assert SpecVersion.objects.filter(partnership="luton").count() == versions
    police = Partner.objects.get(code="police")
    assert sorted(a.code for a in police.areas.all()) == ["bedford", "central-bedfordshire", "luton"]
    assert sorted(police.partnerships.values_list("code", flat=True)) == [
        "bedford-borough", "central-bedfordshire", "luton"]


def test_the_setup_screens_cannot_rename_a_shared_partner_in_one_partnership_only():
    """The business unit of one partnership renames the police: the other partnerships' spec
    still says 'Bedfordshire Police', so the change is refused with both names, and nothing
    is stored; a label that does not identify it (short name) is its own to change."""
    from masa.web.administration import service
    from masa.web.core.models import Partner, SpecVersion
    from masa.web.store import load_folder, spec_for

    for folder in FOLDERS:
        load_folder(folder)
    police = spec_for("bedford-borough").partner("police")
    data = {"code": "police", "name": "Bedfordshire Constabulary", "short_name": police.short_name,
            "aliases": police.aliases, "type": police.type, "areas": police.areas}
    versions = SpecVersion.objects.count()
    with pytest.raises(service.Refused) as exc:
        service.save_partner("bedford-borough", "bu", data, original="police")
    assert exc.value.errors == {"__all__": (
        "Partner 'police' has name 'Bedfordshire Constabulary' here but 'Bedfordshire Police' in partnership "
        "'central-bedfordshire'; a partner shared by partnerships must have the same name in each (or use another "
        "code). Partner 'police' has name 'Bedfordshire Constabulary' here but 'Bedfordshire Police' in partnership "
        "'luton'; a partner shared by partnerships must have the same name in each (or use another code). "
        "Nothing was saved.")}
    assert SpecVersion.objects.count() == versions and Partner.objects.get(code="police").name == "Bedfordshire Police"
    service.save_partner("bedford-borough", "bu", {**data, "name": police.name, "short_name": "Beds Police"},
                         original="police")
    assert spec_for("bedford-borough").partner("police").short_name == "Beds Police"
    assert spec_for("luton").partner("police").short_name == "Bedfordshire Police"
