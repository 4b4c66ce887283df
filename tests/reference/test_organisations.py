"""The national lists beside the local authorities: police, fire, ICBs, NHS trusts, partnerships."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from masa.reference import (
    ReferenceDataError,
    find_organisation,
    local_authorities,
    match_organisation,
    organisations,
    partnership_for_area,
    partnerships_from,
    partnerships_on,
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


def test_every_area_is_in_exactly_one_safeguarding_partnership_on_any_day():
    dated = [p for p in safeguarding_partnerships() if p.start or p.until]
    days = {date(2012, 1, 1), date.today()}  # and the day before, of and after every change
    for p in dated:
        for d in (p.start, p.until):
            if d:
                days |= {d - timedelta(days=1), d, d + timedelta(days=1)}
    everyone = {la.name for la in local_authorities()}
    for day in sorted(days):
        covered = Counter(a for p in partnerships_on(day) for a in p.areas)
        assert set(covered) == everyone, day
        assert set(covered.values()) == {1}, day
    joint = {p.name: p.areas for p in partnerships_on(date.today()) if len(p.areas) > 1}
    assert joint["Leicestershire and Rutland Safeguarding Children Partnership"] == ("Leicestershire", "Rutland")


def _on(area, y, m, d):
    return partnership_for_area(area, date(y, m, d))


def test_partnerships_change_over_time_as_the_list_dates_them():
    bcp = "Bournemouth, Christchurch and Poole"
    assert _on(bcp, 2021, 10, 1).name == "Pan-Dorset Safeguarding Children Partnership"
    assert _on(bcp, 2024, 7, 31).areas == (bcp, "Dorset")
    assert _on(bcp, 2024, 8, 1).name == "BCP Safeguarding Children Partnership"
    assert _on("Dorset", 2024, 8, 1).areas == ("Dorset",)
    assert _on("Cumberland", 2024, 6, 1).areas == ("Cumberland", "Westmorland and Furness")
    assert _on("Westmorland and Furness", 2025, 4, 1).name == "Westmorland and Furness Safeguarding Children Partnership"
    assert _on("Westminster", 2020, 6, 1).areas == ("Hammersmith and Fulham", "Kensington and Chelsea", "Westminster")
    assert _on("Hammersmith and Fulham", 2021, 4, 1).name == "Hammersmith and Fulham Local Safeguarding Children Partnership"
    assert _on("Westminster", 2021, 4, 1).listed is False  # the list does not know its arrangement after the split
    assert _on("North Northamptonshire", 2023, 1, 1).areas == ("North Northamptonshire", "West Northamptonshire")
    assert _on("Northumberland", 2022, 3, 31).short_names == ("NSSP",)
    assert _on("Northumberland", 2022, 4, 1).short_names == ("NCASP",)
    assert _on("Luton", 2015, 1, 1).name == "Luton Safeguarding Children Partnership"  # no row: its own


HEADER = "# a comment line\nname,short_names,areas,from,until\n"


def _problems(rows: str) -> str:
    with pytest.raises(ReferenceDataError) as exc:
        partnerships_from(HEADER + rows, "bad.csv")
    return str(exc.value)


def test_a_wrong_row_is_named_by_file_line_partnership_and_column():
    assert _problems("Northtown SCP,,Luton,2024-08-01,2023-24\n") == (
        "bad.csv, line 3 (Northtown SCP), column from/until: from (2024-08-01) is after until (2024-03-31)")
    assert _problems("Northtown SCP,,Luton,,2024-13-01\n") == (
        "bad.csv, line 3 (Northtown SCP), column until: '2024-13-01' is not a financial year like 2024-25 "
        "or a day like 2024-08-01")
    assert "line 3 (Northtown SCP), column from: '2024/25' is not a financial year" in _problems(
        "Northtown SCP,,Luton,2024/25,\n")
    assert _problems("Northtown SCP,,Lutn;Dorset,,\n") == (
        "bad.csv, line 3 (Northtown SCP), column areas: 'Lutn' not in local_authorities.csv "
        "(write the area's name as that list does)")
    assert _problems(",,Luton,,\n") == "bad.csv, line 3 (row), column name: empty"
    assert _problems("Northtown SCP,,,,\n") == (
        "bad.csv, line 3 (Northtown SCP), column areas: empty: a partnership covers at least one area")


def test_an_unknown_column_is_refused():
    with pytest.raises(ReferenceDataError) as exc:
        partnerships_from("name,short_names,areas,from,untill\nNorthtown SCP,,Luton,,2024-25\n", "bad.csv")
    assert str(exc.value) == ("bad.csv, line 2 (Northtown SCP), column untill: not a column of this list "
                              "(its columns: name, short_names, areas, from, until)")


def test_an_area_in_two_partnerships_at_once_is_refused_with_both_rows():
    problems = _problems("Old Joint SCP,,Luton;Bedford,,2024-25\n"
                         "Luton SCP,,Luton,2024-08-01,\n"
                         "Bedford SCP,,Bedford,2025-26,\n")
    assert problems == (
        "bad.csv, line 4 (Luton SCP), column areas: Luton is already in Old Joint SCP (line 3, until 31 March "
        "2025) while this row runs from 1 August 2024; an area is in one partnership on any day (end the "
        "earlier row's until before this row's from)")
    # Bedford's own row starts the day after the joint one ends: no problem, so the message is Luton's alone


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
