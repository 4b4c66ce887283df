"""The national lists beside the local authorities: police, fire, ICBs, NHS trusts, partnerships."""

from __future__ import annotations

from collections import Counter

from masa.reference import (
    find_organisation,
    local_authorities,
    match_organisation,
    organisations,
    safeguarding_partnerships,
)


def _kind(kind):
    return [o for o in organisations() if o.kind == kind]


def test_43_police_forces_and_every_english_area_is_policed_by_exactly_one():
    forces = _kind("police")
    assert len(forces) == 43
    covered = Counter(a for f in forces for a in f.areas)
    assert set(covered) == {la.name for la in local_authorities()}
    assert set(covered.values()) == {1}


def test_42_integrated_care_boards_with_their_short_forms():
    icbs = _kind("icb")
    assert len(icbs) == 42 and len({o.name for o in icbs}) == 42
    assert find_organisation("BLMK ICB").name == "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board"
    assert find_organisation("NHS North East and North Cumbria ICB").kind == "icb"


def test_every_area_belongs_to_exactly_one_safeguarding_partnership():
    covered = Counter(a for p in safeguarding_partnerships() for a in p.areas)
    assert set(covered) == {la.name for la in local_authorities()}
    assert set(covered.values()) == {1}
    joint = {p.name: p.areas for p in safeguarding_partnerships() if len(p.areas) > 1}
    assert joint["Leicestershire and Rutland Safeguarding Children Partnership"] == ("Leicestershire", "Rutland")


def test_trusts_and_fire_services_answer_to_the_short_forms_reports_use():
    assert find_organisation("ELFT").name == "East London NHS Foundation Trust"
    assert find_organisation("CCS").name == "Cambridgeshire Community Services NHS Trust"
    assert find_organisation("the Luton & Dunstable University Hospital NHS Foundation Trust") is not None
    assert find_organisation("London Fire Brigade").kind == "fire"
    assert len(_kind("fire")) >= 44 and len(_kind("nhs-trust")) >= 200


def test_shortened_names_in_headings_resolve_to_one_organisation_of_the_right_kind():
    assert match_organisation("Bedfordshire Luton Integrated Care Board").kind == "icb"
    assert match_organisation("Bedfordshire Luton Milton Keynes").kind == "icb"
    assert match_organisation("Bedfordshire Fire & Rescue Services").name == "Bedfordshire Fire and Rescue Service"
    assert match_organisation("Bedfordshire Police").kind == "police"
    assert match_organisation("Youth Partnership Service") is None
    assert match_organisation("Tees Valley Police") is None  # no such force


def test_the_first_name_list_leaves_out_everyday_words():
    from masa.reference import first_names

    names = first_names()
    assert len(names) > 400 and {"Oliver", "Amelia", "Muhammad", "Sophie"} <= names
    assert not names & {"Grace", "Will", "May", "Mark", "Hope", "Faith", "Joy", "Summer", "Bill", "Rose"}
