"""A partnership's view of one return written for several partnerships (masa.returns.scope)."""

from __future__ import annotations

from masa.returns import Challenge, Dataset, DataValue, Return, SectionAnswer
from masa.returns.scope import NOT_COMPUTABLE, figure_in_scope, part_in_scope, scope_dataset, scope_return

ALL = ["bedford", "central-bedfordshire", "luton"]


def test_parts_go_to_the_partnerships_of_their_areas():
    assert part_in_scope([], ALL, ["bedford"])  # "all my areas"
    assert part_in_scope(["luton"], ALL, ["luton"])
    assert not part_in_scope(["luton"], ALL, ["bedford"])
    assert not part_in_scope([], ["luton"], ["bedford"])  # all of a Luton-only partner's areas


def test_figures_go_to_their_areas_and_a_partner_wide_one_only_where_it_belongs():
    assert figure_in_scope(DataValue(indicator="x", value=1, by={"area": "luton"}), ALL, ["luton"])
    assert not figure_in_scope(DataValue(indicator="x", value=1, by={"area": "bedford"}), ALL, ["luton"])
    force_wide = DataValue(indicator="x", value=1)
    assert not figure_in_scope(force_wide, ALL, ["luton"])  # not Luton's figure
    assert figure_in_scope(force_wide, ["luton"], ["luton"])  # a Luton-only partner's figure is Luton's
    assert figure_in_scope(force_wide, ALL, ALL)
    marked = DataValue(indicator="x", value=1, areas=["luton"])
    assert figure_in_scope(marked, ALL, ["luton"]) and not figure_in_scope(marked, ALL, ["bedford"])


def test_a_figure_marked_for_three_areas_is_no_single_area_partnerships_figure():
    """Published by each of three partnerships beside their own area's figure, a three-area
    total of 20 with Bedford's 9 and Central's 8 public gives away Luton's suppressed 3."""
    pan = DataValue(indicator="x", value=20, areas=ALL)
    assert not any(figure_in_scope(pan, ALL, [a]) for a in ALL)
    assert figure_in_scope(pan, ALL, ALL)


def _police(spec):
    return Return(partner="police", period="2024-25", template="appendix-b",
                  sections=[SectionAnswer(section="achievements", text="All areas."),
                            SectionAnswer(section="achievements", areas=["luton"], text="Luton only."),
                            SectionAnswer(section="achievements", areas=["bedford"], text="Bedford only.")],
                  challenges=[Challenge(text="Bedford's challenge", areas=["bedford"])],
                  values=[DataValue(indicator="csc_referrals", value=v, by={"area": a})
                          for a, v in (("luton", 40), ("bedford", 30), ("central-bedfordshire", 20))]
                  + [DataValue(indicator="schools_signed_up", value=p, by={"area": a})
                     for a, p in (("luton", 90), ("bedford", 100))])


def test_one_return_seen_by_two_partnerships(spec):
    ret = _police(spec)
    luton = scope_return(ret, ALL, ["luton"], spec)
    bedford = scope_return(ret, ALL, ["bedford"], spec)
    assert [s.text for s in luton.sections] == ["All areas.", "Luton only."] and luton.challenges == []
    assert [s.text for s in bedford.sections] == ["All areas.", "Bedford only."] and len(bedford.challenges) == 1
    assert {(v.indicator, v.by.get("area"), v.value) for v in luton.values} == {
        ("csc_referrals", "luton", 40), ("schools_signed_up", "luton", 90)}  # no total for one area
    assert scope_return(ret.model_copy(update={"partner": "lbc"}), ["luton"], ["bedford"], spec) is None


def test_a_partnership_of_two_areas_gets_its_figure_where_it_adds_up(spec):
    both = scope_return(_police(spec), ALL, ["luton", "bedford"], spec)
    totals = {v.indicator: v for v in both.values if "area" not in v.by}
    assert totals["csc_referrals"].value == 70 and totals["csc_referrals"].provenance.kind == "computed"
    assert totals["schools_signed_up"].value is None  # a percentage does not add up
    assert totals["schools_signed_up"].note.startswith(NOT_COMPUTABLE)


def test_a_suppressed_area_figure_leaves_the_total_not_computable(spec):
    ret = Return(partner="police", period="2024-25", template="appendix-b",
                 values=[DataValue.published("c", indicator="csc_referrals", by={"area": "luton"}),
                         DataValue(indicator="csc_referrals", value=30, by={"area": "bedford"})])
    total = [v for v in scope_return(ret, ALL, ["luton", "bedford"], spec).values if "area" not in v.by]
    assert total[0].value is None and NOT_COMPUTABLE in total[0].note


def test_scope_dataset_uses_the_spec_partnership_areas(spec):
    ds = scope_dataset(Dataset(spec=spec, returns=[_police(spec)]))
    assert [s.text for s in ds.returns[0].sections] == ["All areas.", "Luton only."]


def test_the_voice_answer_goes_only_where_it_is_marked(spec):
    ret = Return(partner="bfrs", period="2024-25", template="appendix-c", voice="About Luton.", voice_areas=["luton"])
    assert scope_return(ret, ALL, ["luton"]).voice == "About Luton."
    assert scope_return(ret, ALL, ["bedford"]).voice == ""


def test_a_document_for_one_partnership_is_marked_for_its_areas(spec):
    from masa.returns.scope import mark_for_partnership

    ret = Return(partner="elft", period="2024-25", template="appendix-b", voice="",
                 sections=[SectionAnswer(section="achievements", text="About Luton.")],
                 values=[DataValue(indicator="training_compliance", value=89, by={"training-course": "l3-children"}),
                         DataValue(indicator="csc_referrals", value=5, by={"area": "bedford"})])
    marked = mark_for_partnership(ret, spec)
    assert marked.sections[0].areas == ["luton"]
    assert [v.areas for v in marked.values] == [["luton"], []]  # a figure with an area keeps it
    lbc = ret.model_copy(update={"partner": "lbc"})
    assert mark_for_partnership(lbc, spec) == lbc  # a Luton-only partner's parts are Luton's already


def test_carried_items_keep_the_areas_of_the_parts_they_came_from():
    """A Bedford-only audit's unfinished action, and a Bedford-only priority, carried into next
    year's return, are read by Bedford's partnership and not by Luton's (issue 11, fx's note)."""
    from masa.returns.model import Action, Audit, NextYearPriority
    from masa.returns.rollover import carry_forward

    last = Return(partner="police", period="2024-25", template="appendix-b",
                  audits=[Audit(title="Patrols audit", areas=["bedford"],
                                actions=[Action(text="Re-audit the patrol logs", status="open")])],
                  next_year=[NextYearPriority(text="Patrols near schools", areas=["bedford"])])
    new = carry_forward(last, Return(partner="police", period="2025-26", template="appendix-b"))
    assert new.carried_actions[0].areas == ["bedford"] and new.priority_reviews[0].areas == ["bedford"]
    luton = scope_return(new, ALL, ["luton"])
    bedford = scope_return(new, ALL, ["bedford"])
    assert luton.carried_actions == [] and luton.priority_reviews == []
    assert [c.text for c in bedford.carried_actions] == ["Re-audit the patrol logs"]
    assert [p.text for p in bedford.priority_reviews] == ["Patrols near schools"]
    # an answer given before the item had areas keeps the answer and takes the part's areas
    answered = new.model_copy(update={"carried_actions": [new.carried_actions[0].model_copy(
        update={"areas": [], "status": "in-progress", "note": "Half done"})]})
    again = carry_forward(last, answered)
    assert again.carried_actions[0].areas == ["bedford"] and again.carried_actions[0].note == "Half done"
