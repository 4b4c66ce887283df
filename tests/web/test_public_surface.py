"""The public surface, tested as an outsider meets it: a partner's figures go through the real
workflow (partner enters, partner approver submits, business unit approves and publishes),
then the public page, the API and the site CSV are read over HTTP and must agree cell for
cell, show no count from 1 to 5, let nobody work a hidden count out, and show nothing that
is not published."""

from __future__ import annotations

import pytest

from tests.web.public_fixtures import (
    CLEAN_TEXT,
    IND,
    act,
    csv_cells,
    describe,
    enter,
    exits,
    public_text,
    publish_figures,
    recoverable,
    shown_for,
    status_of,
    take_to,
)
from tests.web.worker_helpers import run_worker

pytestmark = pytest.mark.django_db

# Three areas and a total, no sex breakdown: Luton's 3 must be hidden, and then one more
# cell, or 20 - 10 - 7 gives it away.
BY_AREA = {"": 20, "area=luton": 3, "area=bedford": 10, "area=central-bedfordshire": 7}
# The case in issue 9: Luton 13 = female 3 + male 10 + not known 0.
LUTON_13 = {"area=luton": 13, "area=luton;sex=female": 3, "area=luton;sex=male": 10, "area=luton;sex=not-known": 0}


def _assert_protected(shown: dict, entered: dict, spec) -> None:
    """Every exit shows each entered bfrs cell of the partnership's own areas (another area's
    figures belong to that area's partnership), as entered or as 'c'; 1-5 never; nothing
    recoverable."""
    own = set(spec.partnership.areas)
    covers_others = bool(set(spec.partner("bfrs").areas) - own)  # then a figure with no area is not ours
    entered = {k: v for k, v in entered.items()
               if all(part.split("=")[1] in own for part in k.split(";") if part.startswith("area="))
               and ("area=" in k or not covers_others)}
    for exit_name, cells in shown.items():
        mine = {k: v for (p, i, k), v in cells.items() if p == "bfrs" and i == IND}
        assert set(mine) == set(entered), f"{exit_name} shows bfrs cells {sorted(mine)}, entered {sorted(entered)}"
        for key, value in entered.items():
            assert mine[key] in ("c", float(value)), f"{exit_name}: {key or 'total'} entered {value}, shown {mine[key]}"
            if 1 <= value <= 5:
                assert mine[key] == "c", f"{exit_name} shows a count of {value} ({key}): {describe(cells, 'bfrs')}"
        leaks = recoverable(cells, spec)
        assert not leaks, f"{exit_name} lets a hidden count be worked out: " + "; ".join(
            f"{k[2]} {why}" for k, why in leaks.items()) + f" (shown: {describe(cells, 'bfrs')})"


def _assert_same_everywhere(shown: dict) -> None:
    (first, cells), *rest = shown.items()
    assert cells, f"the {first} shows no figures at all"
    for name, other in rest:
        missing, extra = sorted(set(cells) - set(other)), sorted(set(other) - set(cells))
        assert not missing and not extra, f"{name} vs {first}: missing {missing[:5]}, extra {extra[:5]}"
        differ = {k: (cells[k], other[k]) for k in cells if cells[k] != other[k]}
        assert not differ, f"{name} and {first} disagree ({first}, {name}): {dict(list(differ.items())[:5])}"


@pytest.mark.parametrize("shown,leaks", [
    ({"area=luton": 13, "area=luton;sex=female": "c", "area=luton;sex=male": 10, "area=luton;sex=not-known": 0},
     ["area=luton;sex=female"]),
    ({"area=luton": 13, "area=luton;sex=female": "c", "area=luton;sex=male": "c", "area=luton;sex=not-known": 0}, []),
    ({"area=luton": 13, "area=luton;sex=female": "c", "area=luton;sex=male": None, "area=luton;sex=not-known": 0}, []),
    ({"area=luton": 13, "area=luton;sex=female": "c", "area=luton;sex=male": 13, "area=luton;sex=not-known": "c"},
     ["area=luton;sex=female", "area=luton;sex=not-known"]),
    ({"": 20, "area=luton": "c", "area=bedford": 10, "area=central-bedfordshire": "c",
      "area=luton;sex=female": "c", "area=luton;sex=male": "c", "area=luton;sex=not-known": 0},
     []),
    ({"": 20, "area=luton": "c", "area=bedford": 10, "area=central-bedfordshire": 7,
      "area=luton;sex=female": "c", "area=luton;sex=male": "c", "area=luton;sex=not-known": 0}, ["area=luton"]),
])
def test_the_recovery_check_itself(spec, shown, leaks):
    """The guard the tests below rely on finds exactly the cells an outsider can work out."""
    cells = {("bfrs", IND, k): v for k, v in shown.items()}
    assert sorted(k[2] for k in recoverable(cells, spec)) == leaks


def test_a_small_count_and_one_more_cell_are_hidden_on_every_exit(client, web):
    publish_figures(client, web, BY_AREA)
    _assert_protected(exits(client, web.spec), BY_AREA, web.spec)


def test_the_web_cycle_publishes_the_same_cells_on_page_api_and_csv(client, web):
    publish_figures(client, web, {**BY_AREA, "referral_share|age-group=child": 8, "referral_share|age-group=adult": 92})
    shown = exits(client, web.spec)
    _assert_same_everywhere(shown)
    for name, cells in shown.items():
        assert cells[("bfrs", "referral_share", "age-group=child")] == 8.0, f"{name} lost a percentage"
        assert any(p == "police" for p, _, _ in cells), f"{name} lost the already published police return"


def test_luton_13_female_3_cannot_be_worked_out_from_the_public_site(client, web):
    """Issue 9's case: shown as '13 · c · 10 · 0', female = 13 - 10 - 0 = 3."""
    publish_figures(client, web, LUTON_13)
    shown = exits(client, web.spec)
    _assert_same_everywhere(shown)
    _assert_protected(shown, LUTON_13, web.spec)


@pytest.mark.parametrize("stop_at", ["submitted", "approved"])
def test_returns_not_yet_published_stay_off_every_public_exit(client, web, stop_at):
    marker = "Synthetic marker text for an unpublished return, sentence 7731."
    enter(client, web, web.draft, {"": 4321, "area=luton": 4321}, **{"sec-achievements-0-text": marker})
    take_to(client, web, web.draft, stop_at)
    shown = exits(client, web.spec)
    for name, cells in shown.items():
        assert cells, f"the {name} lost the published police return"
        leaked = sorted(k for k in cells if k[0] == "bfrs" and k[1] == IND)
        assert not leaked, f"the {name} shows figures of a return that is {stop_at}: {leaked}"
    assert marker not in public_text(client), f"a {stop_at} return's text is public"


def test_publishing_needs_approval_and_approval_needs_no_error_findings(client, web):
    # bfrs Appendix B, submitted and clean: publishing before approval is refused
    enter(client, web, web.draft, {"": 4321, "area=luton": 4321}, **{"sec-achievements-0-text": CLEAN_TEXT})
    take_to(client, web, web.draft, "submitted")
    act(client, web, web.draft, "bu", "publish")
    assert status_of(web.draft) == "submitted", "a submitted return was published without approval"
    assert not any(shown_for(client, web.spec, "bfrs").values()), "a submitted return's figures are public"
    # the same return approved, then published: the route itself works
    act(client, web, web.draft, "bu", "approve")
    act(client, web, web.draft, "bu", "publish")
    assert status_of(web.draft) == "published"
    assert all(shown_for(client, web.spec, "bfrs").values()), "an approved and published return is not public"
    # bfrs Appendix C, submitted with initials in its text (a privacy error): neither
    # approval nor publishing gets past the finding, and its text never reaches the public
    for action in ("publish", "approve", "publish"):
        act(client, web, web.submitted, "bu", action)
        assert status_of(web.submitted) == "submitted", f"{action} went past an error finding"
    text = public_text(client).lower()
    assert "young fire setter" not in text and "with kd" not in text, "an unapproved return's text is public"


def test_the_report_csv_shows_the_same_cells_as_the_public_exits(client, web, monkeypatch, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    """The business unit's report build, downloaded from the public site, agrees with the site."""

    settings.MEDIA_ROOT = str(tmp_path)
    publish_figures(client, web, BY_AREA)
    client.force_login(web.users["bu"])
    with django_capture_on_commit_callbacks(execute=True):
        build_page = client.post("/bu/build/", {"period": "2024-25"})["Location"]
    run_worker(monkeypatch)  # masa worker
    status = client.get(build_page + "status.json").json()
    assert status["state"] == "done", status
    name = next(f for f in status["files"] if f.endswith(".csv"))
    shown = exits(client, web.spec)
    r = client.get(f"/published/2024-25/files/{name}")
    assert r.status_code == 200, f"the report's CSV {name} is not public once every return in it is published"
    shown["report CSV"] = csv_cells(client, web.spec, url=f"/published/2024-25/files/{name}")
    _assert_same_everywhere(shown)


def test_an_all_areas_total_is_not_the_partnerships_figure_so_it_neither_blocks_nor_leaks(client, web):
    """All of the fire service's areas 10, yet Luton's girls alone 12. The all-areas total is
    not Luton's figure (the service also covers Bedford Borough and Central Bedfordshire), so
    Luton's view holds Luton's cells only: they can be protected and are published, and the
    total reaches no public exit of Luton's. (Before several partnerships shared returns, the
    total made the table unprotectable and publishing was refused; that refusal is kept by
    tests/report/test_publishing_boundary.py::test_a_table_that_cannot_be_published_safely_stops_with_the_indicator_named.)"""
    from tests.web.public_fixtures import act, status_of

    row = publish_figures(client, web, {"": 10, "area=luton;sex=female": 12}, target="approved")
    act(client, web, row, "bu", "publish")
    assert status_of(row) == "published"
    for name, cells in shown_for(client, web.spec, "bfrs").items():
        assert cells == ["area=luton;sex=female"], (name, cells)
