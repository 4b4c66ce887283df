"""The shipped list of England's local authorities with children's services."""

from __future__ import annotations

from collections import Counter

from masa.reference import (
    closest_local_authorities,
    districts,
    find_district,
    find_local_authority,
    local_authorities,
)
from masa.spec import Area


def test_the_list_is_the_153_upper_tier_authorities_with_valid_ons_codes():
    las = local_authorities()
    assert len(las) == 153
    assert Counter(la.ons_code[:3] for la in las) == {"E06": 63, "E08": 36, "E09": 33, "E10": 21}
    assert len({la.ons_code for la in las}) == len({la.name for la in las}) == len({la.code for la in las}) == 153
    for la in las:  # the spec's own pattern accepts every code, and every area code is a valid spec code
        Area(code=la.code, name=la.name, ons_code=la.ons_code)


def test_found_by_name_official_name_or_ons_code_however_written():
    assert find_local_authority("kingston upon hull").ons_code == "E06000010"
    assert find_local_authority("Hull City Council").name == "Kingston upon Hull"
    assert find_local_authority("E10000016").name == "Kent"
    assert find_local_authority("Telford and Wrekin Council").name == "Telford and Wrekin"  # '&' in the file
    assert find_local_authority("Northtown") is None


def test_a_mistyped_name_gets_the_closest_real_ones():
    assert closest_local_authorities("Lestershire")[0] == "Leicestershire"
    assert "Kingston upon Hull" in closest_local_authorities("Hull")


def test_the_164_districts_each_belong_to_one_of_the_21_counties():
    ds = districts()
    assert len(ds) == len({d.ons_code for d in ds}) == 164
    counties = Counter(d.county.name for d in ds)  # every county code resolves
    assert len(counties) == 21 and counties["Kent"] == 12 and counties["Oxfordshire"] == 5
    assert all(d.county.kind == "county" and d.ons_code.startswith("E07") for d in ds)
    for d in ds:
        Area(code="d", name=d.name, ons_code=d.ons_code)
    assert find_district("canterbury").county.name == "Kent"
