"""Entities two partnerships share must agree on what identifies them (masa.spec.shared)."""

from __future__ import annotations

from masa.spec.shared import disagreements


def _other(spec, **changes):
    doc = spec.model_dump(mode="json")
    doc["partnership"]["code"] = "bedford-borough"
    doc["partnership"]["areas"] = ["bedford"]
    for kind, (code, field, value) in changes.items():
        next(e for e in doc[kind] if e["code"] == code)[field] = value
    return type(spec).model_validate(doc)


def test_the_same_entities_said_the_same_way_agree(spec):
    assert disagreements(spec, {"bedford-borough": _other(spec)}) == []
    assert disagreements(spec, {"luton": spec}) == []  # its own earlier spec is not another partnership


def test_each_disagreement_names_the_entity_the_field_and_both_values(spec):
    other = _other(spec, partners=("police", "type", "charity"), areas=("bedford", "name", "Bedford"),
                   indicators=("csc_referrals", "unit", "percent"))
    got = [msg for _, msg in disagreements(spec, {"bedford-borough": other})]
    assert "area 'bedford' has name 'Bedford Borough' here but 'Bedford' in partnership 'bedford-borough'; an area " \
           "shared by partnerships must have the same name in each (or use another code)" in got
    assert any(m.startswith("partner 'police' has type 'police' here but 'charity'") for m in got)
    assert any(m.startswith("indicator 'csc_referrals' has unit 'count' here but 'percent'") for m in got)
    assert len(got) == 4  # the unit change also changes how the indicator adds up (aggregation)


def test_two_partnerships_cannot_cover_one_area(spec):
    """Each could suppress a different cell of that area's figures; compared, the two
    publications would give the hidden counts away."""
    other = _other(spec)
    doc = other.model_dump(mode="json")
    doc["partnership"]["areas"] = ["bedford", "luton"]
    got = disagreements(spec, {"bedford-borough": type(spec).model_validate(doc)})
    assert [m for _, m in got] == ["area 'luton' is already covered by partnership 'bedford-borough'; an area "
                                   "belongs to one partnership in a database, so that no figure is published by "
                                   "two partnerships"]


def test_a_shared_partner_must_cover_the_same_areas_in_each_spec(spec):
    """Said to cover Luton only in one spec and Bedford only in the other, a force's
    whole-force total would be each partnership's own figure, published by both."""
    police = next(p for p in spec.partners if p.code == "police")
    other = _other(spec, partners=("police", "areas", ["bedford"]))
    got = [m for _, m in disagreements(spec, {"bedford-borough": other})]
    assert got == [f"partner 'police' has areas {str(sorted(police.areas))!r} here but \"['bedford']\" in partnership "
                   "'bedford-borough'; a partner shared by partnerships must have the same areas in each (or use "
                   "another code)"]
    same = _other(spec, partners=("police", "areas", list(reversed(police.areas))))
    assert disagreements(spec, {"bedford-borough": same}) == []  # the order is no disagreement
