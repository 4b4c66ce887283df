"""The return form keeps the areas each part is marked for, and changes them only when the
part editor showed the choice (a partner covering several areas)."""

from __future__ import annotations

from masa.returns import Challenge, DataValue, Return, SectionAnswer
from masa.web.site import entries, returnform


class Post(dict):
    def getlist(self, key):
        v = self.get(key, [])
        return v if isinstance(v, list) else [v]


def _base():
    return Return(partner="police", period="2024-25", template="appendix-b", sections=[
        SectionAnswer(section="achievements", text="All areas."),
        SectionAnswer(section="achievements", text="Bedford only.", areas=["bedford"])],
        challenges=[Challenge(text="Luton's challenge", areas=["luton"])],
        values=[DataValue(indicator="gp_practice_visits", value=33, areas=["luton"])])


def _fields(ret):
    return Post({"sec-achievements-0-text": "All areas.", "sec-achievements-1-text": "Bedford only, edited.",
                 "ch-0-text": "Luton's challenge", "fig|gp_practice_visits|": "34"})


def test_a_page_without_the_choice_keeps_the_stored_areas(spec):
    got = returnform.read_form(spec, _base(), _fields(_base()), "tester")
    assert got.ret is not None, got.errors
    assert [s.areas for s in got.ret.sections] == [[], ["bedford"]]
    assert got.ret.sections[1].text == "Bedford only, edited."
    assert got.ret.challenges[0].areas == ["luton"]
    assert [v.areas for v in got.ret.values if v.indicator == "gp_practice_visits"] == [["luton"]]


def test_the_choice_as_posted_is_stored_and_none_ticked_is_all_areas(spec):
    post = _fields(_base())
    post.update({"sec-achievements-0-areas-shown": "1", "sec-achievements-0-areas": ["luton", "central-bedfordshire"],
                 "sec-achievements-1-areas-shown": "1"})
    got = returnform.read_form(spec, _base(), post, "tester")
    assert [s.areas for s in got.ret.sections] == [["central-bedfordshire", "luton"], []]


def test_an_area_the_partner_does_not_cover_is_refused(spec):
    post = _fields(_base())
    post.update({"ch-0-areas-shown": "1", "ch-0-areas": ["milton-keynes"]})
    got = returnform.read_form(spec, _base(), post, "tester")
    message = "area 'milton-keynes' is not one of the areas partner 'police' covers (bedford, central-bedfordshire, luton)"
    assert got.errors == {"ch-0-text": [message]}


def test_the_editor_offers_the_choice_only_to_a_several_area_partner(spec):
    section = spec.template("appendix-b").sections[0]
    data = Post({**returnform.area_fields(_base()), "sec-achievements-1-text": "x"})
    areas = [(a.code, a.name) for a in spec.areas]
    shown = entries.section_entries(section, data, {}, spec.priorities, areas)
    assert [o["code"] for o in shown[1]["areas"]["options"] if o["checked"]] == ["bedford"]
    assert entries.section_entries(section, data, {}, spec.priorities, areas[:1])[1]["areas"] is None
