"""text.part-areas: a part of a multi-area partner's return that names an area it is not marked for."""

from __future__ import annotations

from masa.checks import check_dataset
from masa.returns import Dataset, Return, SectionAnswer

CODE = "text.part-areas"


def _found(spec, *sections, partner="icb"):
    ret = Return(partner=partner, period="2024-25", template="appendix-b", sections=list(sections))
    return [f for f in check_dataset(Dataset(spec=spec, returns=[ret]), "2024-25", codes=[CODE]) if f.code == CODE]


def test_a_part_marked_for_luton_that_names_bedford_borough_is_flagged(spec):
    found = _found(spec, SectionAnswer(section="achievements", areas=["luton"],
                                       text="We kept children safe in Bedford Borough all year."))
    assert [f.message.split(":")[0] for f in found] == [
        "this part mentions Bedford Borough but is marked for Luton only"]
    assert found[0].quote == "Bedford Borough"
    assert found[0].location.return_key == "icb/2024-25/appendix-b"
    assert found[0].location.section == "sections[0] achievements"


def test_an_alias_counts_and_each_area_is_named_once(spec):
    found = _found(spec, SectionAnswer(section="achievements", areas=["luton"],
                                       text="A Bedford family, then Central Bedfordshire Council, then Bedford again."))
    assert [f.quote for f in found] == ["Bedford", "Central Bedfordshire Council"]


def test_parts_that_may_name_the_area_are_left_alone(spec):
    assert _found(spec,
                  # "all my areas" of a partner covering Luton, Bedford Borough and Central Bedfordshire
                  SectionAnswer(section="achievements", text="Across Luton and Bedford Borough we trained staff."),
                  # marked for both areas it names
                  SectionAnswer(section="achievements", areas=["luton", "bedford"],
                                text="In Luton and in Bedford Borough the clinics opened."),
                  # an area's name inside a partner's name is not a mention of the area
                  SectionAnswer(section="achievements", areas=["bedford"],
                                text="Bedfordshire Luton Milton Keynes ICB funds it in Bedford Borough.")) == []


def test_one_area_partners_are_left_to_text_other_area(spec):
    assert _found(spec, SectionAnswer(section="achievements", text="Children in Bedford Borough."),
                  partner="lbc") == []


def test_the_luton_example_icb_section_is_flagged(dataset):
    """The seed's defect (DEFECTS.md row 12) is now a part marked for Luton that names Bedford Borough."""
    found = [f for f in check_dataset(dataset, "2024-25", codes=[CODE]) if f.code == CODE]
    assert [(f.partner, f.quote) for f in found] == [("icb", "Bedford Borough")]
