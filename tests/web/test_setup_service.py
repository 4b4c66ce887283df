"""The business unit's spec edits as services: recorded changes, a spec per year, bad input.

Each refused edit must store nothing: the newest spec version and the change records stay
as they were."""

from __future__ import annotations

import pytest

from masa.spec.changes import diff, revert

pytestmark = pytest.mark.django_db

# --- the diff itself (plain Python) ---------------------------------------------------------

DOC = {"partnership": {"code": "p", "name": "P", "areas": ["a"]}, "periods": {"current": "2024-25"},
       "vocabulary": [], "areas": [{"code": "a", "name": "A"}],
       "indicators": [{"code": "x", "name": "Old label"}, {"code": "y", "name": "Y"}]}


def test_diff_names_each_entity_added_changed_and_retired():
    new = {**DOC, "areas": [{"code": "a", "name": "A"}, {"code": "b", "name": "B"}],
           "indicators": [{"code": "x", "name": "New label"}, {"code": "y", "name": "Y", "retired_from": "2025-26"}]}
    got = {(c.kind, c.code, c.change) for c in diff(DOC, new)}
    assert got == {("area", "b", "added"), ("indicator", "x", "changed"), ("indicator", "y", "retired")}
    gone = {**DOC, "areas": []}
    [c] = diff(DOC, gone)
    assert (c.kind, c.code, c.change, c.after) == ("area", "a", "retired", None)


def test_revert_undoes_changes_newest_first():
    mid = {**DOC, "indicators": [{"code": "x", "name": "Second"}, {"code": "y", "name": "Y"}]}
    new = {**mid, "indicators": [{"code": "x", "name": "Third"}], "areas": [{"code": "a", "name": "A"},
                                                                            {"code": "b", "name": "B"}]}
    changes = diff(DOC, mid) + diff(mid, new)
    assert revert(new, changes) == DOC
    assert revert(new, diff(mid, new)) == mid


# --- through the store ----------------------------------------------------------------------

def _changes():
    from masa.web.core.models import SpecChange

    return list(SpecChange.objects.order_by("id").values_list("kind", "code", "change", "effective_from", "who"))


def _state():
    from masa.web.core.models import SpecChange, SpecVersion

    return SpecVersion.objects.count(), SpecChange.objects.count(), SpecVersion.objects.first().sha256


def test_an_edit_is_recorded_with_who_and_the_year_it_applies_from(web):
    from masa.web.administration import service
    from masa.web.auditlog.models import AuditEntry

    bu = web.users["bu"]
    first = _changes()
    assert first and all(c[3] == "" for c in first)  # the first version applies to every year
    service.save_area("luton", bu, {"code": "northtown", "name": "Northtown"}, effective_from="2025-26")
    new = _changes()[len(first):]
    assert ("area", "northtown", "added", "2025-26", "bu@example.org") in new
    assert ("partnership", "luton", "changed", "2025-26", "bu@example.org") in new  # its list of areas
    entry = AuditEntry.objects.filter(action="spec.stored").order_by("-seq").first()
    assert entry.actor == "bu@example.org" and "area northtown added" in entry.data["changes"]


def test_each_year_keeps_its_own_definitions(web):
    """Renamed and retired from 2025-26: the 2024-25 spec keeps the old label and no retirement."""
    from masa.web import store
    from masa.web.administration import service

    bu = web.users["bu"]
    old = web.spec.indicator("csc_referrals")
    data = {"name": "Referrals to children's social care (new definition)", "unit": old.unit,
            "breakdowns": list(old.breakdowns), "direction": old.direction, "description": ""}
    service.save_indicator("luton", bu, data, original="csc_referrals", effective_from="2025-26")
    service.retire_indicator("luton", bu, "gp_practice_visits", "2025-26")

    now = store.spec_for("luton", "2025-26")
    then = store.spec_for("luton", "2024-25")
    assert now.indicator("csc_referrals").name.endswith("(new definition)")
    assert then.indicator("csc_referrals").name == old.name
    assert now.indicator("gp_practice_visits").retired_from == "2025-26"
    assert not now.indicator("gp_practice_visits").live_in("2025-26")
    assert then.indicator("gp_practice_visits").retired_from is None
    assert store.spec_for("luton", "2024-25 Q3") == then
    assert store.spec_for("luton") == now


def test_a_change_for_this_year_is_undone_for_last_year(web):
    from masa.web import store
    from masa.web.administration import service

    service.save_area("luton", web.users["bu"], {"code": "northtown", "name": "Northtown"})  # default: current
    assert "northtown" in {a.code for a in store.spec_for("luton", "2024-25").areas}
    assert "northtown" not in {a.code for a in store.spec_for("luton", "2023-24").areas}


def test_masa_load_records_its_changes_too(web, tmp_path):
    import shutil

    from masa.web import store
    from tests.web.conftest import EXAMPLE

    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    p = folder / "spec" / "partnership.yaml"
    p.write_text(p.read_text().replace("name: Bedford Borough", "name: Bedford Borough (renamed)"))
    before = len(_changes())
    store.load_folder(folder)
    assert ("area", "bedford", "changed", "2024-25", "") in _changes()[before:]


# --- bad input: a specific message, nothing stored ------------------------------------------

def _refused(fn, *args, **kwargs) -> dict:
    from masa.web.administration.service import Refused

    state = _state()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert _state() == state, "a refused edit stored something"
    return exc.value.errors


def test_duplicate_codes_are_refused(web):
    from masa.web.administration import service

    bu = web.users["bu"]
    assert _refused(service.save_area, "luton", bu, {"code": "bedford", "name": "Another"}) == {
        "code": "Code: an area 'bedford' already exists; choose another code"}
    errs = _refused(service.save_partner, "luton", bu, {"code": "police", "name": "X", "short_name": "X",
                                                        "type": "other", "areas": ["luton"]})
    assert errs["code"].startswith("Code: a partner 'police' already exists")
    errs = _refused(service.save_indicator, "luton", bu, {"code": "csc_referrals", "name": "X", "unit": "count"})
    assert errs["code"].startswith("Code: an indicator 'csc_referrals' already exists")
    sections = [{"code": "a", "title": "A", "kind": "narrative"}, {"code": "a", "title": "B", "kind": "narrative"}]
    errs = _refused(service.save_template, "luton", bu, {"code": "t", "name": "T"}, sections)
    assert errs == {"sections": "Section 2: code 'a' is used by another section"}


def test_an_area_the_spec_does_not_know_is_refused_but_a_neighbour_is_not(web):
    from masa.web.administration import service

    errs = _refused(service.save_partner, "luton", web.users["bu"], {
        "code": "newp", "name": "New partner", "short_name": "NP", "type": "charity", "areas": ["luton", "kent"]})
    assert errs == {"areas": "Areas covered: 'kent' is not one of the areas this spec knows "
                             "(luton, bedford, central-bedfordshire); add the area first"}
    # police, NHS trusts and charities also serve the neighbouring partnerships
    spec = service.save_partner("luton", web.users["bu"], {
        "code": "newp", "name": "New partner", "short_name": "NP", "type": "charity", "areas": ["luton", "bedford"]})
    assert spec.partner("newp").areas == ["luton", "bedford"]


def test_empty_names_are_refused(web):
    from masa.web.administration import service

    bu = web.users["bu"]
    assert _refused(service.save_area, "luton", bu, {"code": "x", "name": "  "}) == {"name": "Enter name"}
    errs = _refused(service.save_partner, "luton", bu, {"code": "x", "name": "", "short_name": "",
                                                        "type": "other", "areas": ["luton"]})
    assert errs == {"name": "Enter name", "short_name": "Enter short name"}
    errs = _refused(service.save_template, "luton", bu, {"code": "t", "name": "T"},
                    [{"code": "a", "title": " ", "kind": "narrative"}])
    assert errs == {"sections": "Section 1: enter its title"}


def test_an_indicator_with_figures_is_not_removed_nor_retired_over_its_figures(web):
    from masa.web.administration import service
    from masa.web.core.models import DataValue

    bu = web.users["bu"]
    n = DataValue.objects.filter(indicator__code="csc_referrals").count()
    assert n > 0
    errs = _refused(service.remove_indicator, "luton", bu, "csc_referrals")
    assert f"it has {n} figures stored (" in errs["__all__"] and "2024-25" in errs["__all__"]
    assert "Retire it from a later year instead" in errs["__all__"]
    errs = _refused(service.retire_indicator, "luton", bu, "csc_referrals", "2024-25")
    assert errs["retired_from"].startswith("Retire from: csc_referrals has ")
    assert "from 2024-25 on; retiring it then would lose them" in errs["retired_from"]
    assert DataValue.objects.filter(indicator__code="csc_referrals").count() == n
    service.retire_indicator("luton", bu, "csc_referrals", "2025-26")  # later: allowed, figures kept
    assert DataValue.objects.filter(indicator__code="csc_referrals").count() == n


def test_an_indicator_without_figures_can_be_removed(web):
    from masa.web import store
    from masa.web.administration import service

    bu = web.users["bu"]
    service.save_indicator("luton", bu, {"code": "new_one", "name": "New one", "unit": "count"})
    service.remove_indicator("luton", bu, "new_one")
    assert "new_one" not in {i.code for i in store.spec_for("luton").indicators}
    assert ("indicator", "new_one", "retired", "2024-25", "bu@example.org") in _changes()


def test_users_invite_disable_and_reset_two_factor_are_audited(web):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from masa.web.administration import users
    from masa.web.administration.service import Refused
    from masa.web.auditlog.models import AuditEntry

    bu = web.users["bu"]
    with pytest.raises(Refused) as exc:
        users.invite(bu, "new@example.org", "contributor", None)
    assert exc.value.errors == {"partner": "Partner: a partner contributor belongs to a partner; choose one"}
    with pytest.raises(Refused) as exc:
        users.invite(bu, "BU@example.org", "business_unit", None)
    assert exc.value.errors == {"email": "Email address: bu@example.org already has an account"}
    person, link = users.invite(bu, "new@example.org", "contributor", "bfrs")
    assert link.startswith("/welcome/") and not person.has_usable_password()
    users.set_active(bu, person, False)
    assert not get_user_model().objects.get(pk=person.pk).is_active
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    assert users.reset_two_factor(bu, person) == 1 and not TOTPDevice.objects.filter(user=person).exists()
    acts = list(AuditEntry.objects.filter(target="user:new@example.org", actor="bu@example.org")
                .order_by("seq").values_list("action", flat=True))
    assert acts == ["user.invited", "user.disabled", "user.two_factor_reset"]


def test_a_retired_indicator_leaves_later_returns_and_keeps_its_label_in_earlier_reports(web):
    """Retired from 2025-26 and renamed then: the 2025-26 figures grid no longer asks for it;
    the 2024-25 dataset (what the report reads) keeps its old label and its figures."""
    from masa.web import store
    from masa.web.administration import service
    from masa.web.site.returnform import figure_cells

    bu = web.users["bu"]
    code = "child_safeguarding_referrals"
    old = web.spec.indicator(code)
    service.save_indicator("luton", bu, {"name": "Renamed later", "unit": "count", "breakdowns": old.breakdowns,
                                         "direction": old.direction}, original=code, effective_from="2025-26")
    service.retire_indicator("luton", bu, code, "2025-26")
    spec = store.spec_for("luton")
    this_year = store.return_from_row(web.draft)
    history = [v for v in this_year.values if v.indicator == code]
    next_year = this_year.model_copy(update={"period": "2025-26", "values": []})
    assert not [c for c in figure_cells(spec, next_year, history) if c.indicator == code]
    assert [c for c in figure_cells(spec, this_year, []) if c.indicator == code]
    then = store.dataset_for("luton", "2024-25")
    assert then.spec.indicator(code).name == old.name and then.spec.indicator(code).retired_from is None
    assert any(v.indicator == code for r in then.returns for v in r.values)


def test_the_spec_models_own_checks_come_back_against_the_field(web):
    from masa.web.administration import service

    bu = web.users["bu"]
    errs = _refused(service.save_indicator, "luton", bu, {"code": "pc", "name": "Share", "unit": "percent",
                                                          "target_value": 120, "target_direction": "at_least"})
    assert errs == {"target_value": "Target: target 120.0 is outside 0-100 for a percent indicator"}
    errs = _refused(service.save_area, "luton", bu, {"code": "x", "name": "X", "ons_code": "W06000001"})
    assert errs == {"ons_code": "ONS code: a local authority's code looks like E06000032"}
    errs = _refused(service.save_area, "luton", bu, {"code": "Bad Code", "name": "X"})
    assert errs["code"].startswith("Code: use lower-case letters")


def test_an_indicator_with_figures_keeps_its_breakdowns(web):
    """D8: its figures are counted by area; dropping area made the export unloadable."""
    from masa.web.administration import service

    old = web.spec.indicator("csc_referrals")
    assert old.breakdowns
    data = {"name": old.name, "unit": old.unit, "breakdowns": [], "direction": old.direction}
    errs = _refused(service.save_indicator, "luton", web.users["bu"], data, original="csc_referrals")
    assert errs["breakdowns"].startswith("Breakdowns: cannot change from ")
    assert " figures stored (" in errs["breakdowns"] and "2024-25" in errs["breakdowns"]


def test_an_area_ons_code_and_name_and_a_partner_name_belong_to_one_entity(web):
    """S3, S4: imports match areas by ONS code and partners by name or other name."""
    from masa.web.administration import service

    bu = web.users["bu"]
    luton = web.spec.area("luton")
    errs = _refused(service.save_area, "luton", bu, {"code": "twin", "name": "Twin", "ons_code": luton.ons_code})
    assert errs == {"ons_code": f"ONS code: {luton.ons_code} is already the code of {luton.name}; each area has its own"}
    errs = _refused(service.save_area, "luton", bu, {"code": "york", "name": "York", "ons_code": "E06000001"})
    assert errs == {"ons_code": "ONS code: E06000001 is Hartlepool's code; York's is E06000014"}
    errs = _refused(service.save_area, "luton", bu, {"code": "nowhere", "name": "Nowhere", "ons_code": "E06000999"})
    assert errs["ons_code"].startswith("ONS code: E06000999 is not in England's list of local authorities")
    errs = _refused(service.save_area, "luton", bu, {"code": "twin", "name": luton.name.upper()})
    assert errs["name"].startswith(f"Name: {luton.name} is already an area (code luton)")
    police = web.spec.partner("police")
    errs = _refused(service.save_partner, "luton", bu, {"code": "newp", "name": police.name, "short_name": "NP",
                                                        "type": "other", "areas": ["luton"]})
    assert errs["name"] == (f"Name: {police.name!r} is already a name of {police.name}; imports match partners by "
                            "name, so each name belongs to one partner")
    errs = _refused(service.save_partner, "luton", bu, {"code": "newp", "name": "New", "short_name": "NP",
                                                        "type": "other", "areas": ["luton"],
                                                        "aliases": [police.name]})
    assert errs["aliases"].startswith("Other names: ")


def test_an_indicator_reported_by_one_partner(web):
    """A partner added in setup gets its own indicator (its figures grid was empty)."""
    from masa.web.administration import service

    bu = web.users["bu"]
    spec = service.save_indicator("luton", bu, {"code": "own", "name": "Own", "unit": "count", "partner": "police"})
    assert spec.indicator("own").partner == "police"
    errs = _refused(service.save_indicator, "luton", bu, {"code": "own2", "name": "Own", "unit": "count",
                                                          "partner": "nobody"})
    assert errs == {"partner": "Reported by: 'nobody' is not a partner of this partnership"}


@pytest.mark.pg_pass
def test_concurrent_saves_keep_every_area_on_postgresql(transactional_db, web):
    """D10: three business-unit users adding areas at once; each save must build on the last.
    Threads need real connections and row locks, so this runs in the PostgreSQL pass."""
    import threading

    from django.db import connection, connections

    from masa.web import store
    from masa.web.administration import service

    assert connection.vendor == "postgresql", "a pg_pass test ran on another database"
    bu, start, failures = web.users["bu"], threading.Barrier(3), []

    def add(tag: str) -> None:
        try:
            start.wait()
            for i in range(4):
                service.save_area("luton", bu, {"code": f"con-{tag}-{i}", "name": f"Concurrent {tag} {i}"})
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(t,)) for t in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    codes = {a.code for a in store.spec_for("luton").areas}
    assert {f"con-{t}-{i}" for t in "abc" for i in range(4)} <= codes


def test_a_partner_keeps_the_areas_its_figures_are_for(web):
    """S9: its stored figures are published by area."""
    from masa.web.administration import service
    from masa.web.core.models import DataValue

    row = DataValue.objects.filter(area__isnull=False).select_related("partner", "area").first()
    p = web.spec.partner(row.partner.code)
    others = [a for a in p.areas if a != row.area.code] or [a.code for a in web.spec.areas if a.code != row.area.code]
    data = {"name": p.name, "short_name": p.short_name, "type": p.type, "areas": others[:1],
            "aliases": list(p.aliases)}
    errs = _refused(service.save_partner, "luton", web.users["bu"], data, original=p.code)
    assert errs["areas"].startswith(f"Areas covered: figures are stored for the areas you took off ({row.area.name}: ")


def test_an_indicator_others_are_worked_out_from_is_not_retired_before_them(web):
    """S10: a slice and a share of safeguarding_referrals stayed live after it was retired."""
    from masa.web.administration import service

    dependants = [i.code for i in web.spec.indicators
                  if (i.slice_of and i.slice_of.indicator == "safeguarding_referrals")
                  or (i.share_of and i.share_of.indicator == "safeguarding_referrals")]
    assert dependants
    errs = _refused(service.retire_indicator, "luton", web.users["bu"], "safeguarding_referrals", "2025-26")
    assert errs["retired_from"].startswith(f"Retire from: {', '.join(dependants)} are worked out from "
                                           "safeguarding_referrals in 2025-26 and later")


def test_a_negative_target_for_a_count_is_refused(web):
    """S6: a count of -5 can never be met or missed."""
    from masa.web.administration import service

    errs = _refused(service.save_indicator, "luton", web.users["bu"], {
        "code": "neg", "name": "Neg", "unit": "count", "target_value": -5, "target_direction": "at_most"})
    assert errs == {"target_value": "Target: -5 is below 0, which a count cannot be"}


@pytest.mark.pg_pass
def test_a_year_opened_while_a_partner_is_saved_stays_open_on_postgresql(transactional_db, web):
    """D10: an opened year was undone by a partner form saved at the same moment."""
    import threading

    from django.db import connection, connections

    from masa.web import store
    from masa.web.administration import service
    from masa.web.site import opening

    assert connection.vendor == "postgresql", "a pg_pass test ran on another database"
    bu, start, failures = web.users["bu"], threading.Barrier(2), []
    page_spec = store.spec_for("luton")  # what both pages were drawn from
    p = page_spec.partner("police")

    def run(job) -> None:
        try:
            start.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))
        finally:
            connections.close_all()

    def rename():
        for i in range(3):
            service.save_partner("luton", bu, {"name": f"Police {i}", "short_name": p.short_name, "type": p.type,
                                               "areas": list(p.areas)}, original="police")

    threads = [threading.Thread(target=run, args=(job,)) for job in (
        lambda: opening.open_year(page_spec, "2025-26", bu), rename)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures
    spec = store.spec_for("luton")
    assert (spec.periods.current, spec.partner("police").name) == ("2025-26", "Police 2")
