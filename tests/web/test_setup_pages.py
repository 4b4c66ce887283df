"""The setup screens as a business-unit user sees them: errors on the form, nothing stored,
and the invited person's one-time password link."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _versions():
    from masa.web.core.models import SpecVersion

    return SpecVersion.objects.count()


def test_bad_partner_shows_each_problem_against_its_field_and_stores_nothing(client, web):
    client.force_login(web.users["bu"])
    before = _versions()
    r = client.post("/bu/setup/partners/add/", {"code": "police", "name": "", "short_name": "P", "type": "other",
                                                "areas": ["kent"], "applies_from": "2024-25"})
    page = r.content.decode()
    assert r.status_code == 400 and "There is a problem" in page
    assert '<a href="#id_code">Code: a partner &#x27;police&#x27; already exists; choose another code</a>' in page
    assert '<a href="#id_name">Enter name</a>' in page
    assert "Areas covered: kent is not one of the areas this spec knows; add the area first" in page
    assert _versions() == before


def test_too_long_and_badly_formed_entries_name_their_field_once(client, web):
    """S1: "Ensure this value has at most 64 characters" named no field. S2: a raw pydantic
    pattern message came above the proper one."""
    client.force_login(web.users["bu"])
    before = _versions()
    r = client.post("/bu/setup/templates/add/", {"code": "t" * 65, "name": "n" * 201, "frequency": "yearly",
                                                  "applies_from": "2024-25", "sec-TOTAL_FORMS": "0",
                                                  "sec-INITIAL_FORMS": "0"})
    page = r.content.decode()
    assert "Code: use at most 64 characters (you entered 65)" in page
    assert "Name: use at most 200 characters (you entered 201)" in page and "Ensure this value" not in page
    r = client.post("/bu/setup/users/invite/", {"email": "a" * 245 + "@example.org", "role": "scrutineer"})
    assert "Email address: use at most 254 characters (you entered 257)" in r.content.decode()
    r = client.post("/bu/setup/areas/add/", {"code": "Dar lington", "name": "Darlington", "applies_from": "2024-25"})
    page = r.content.decode()
    assert r.status_code == 400 and page.count("Code: use lower-case letters, digits, hyphens and underscores") == 2
    assert "should match pattern" not in page and "This entry" not in page  # summary + beside the field
    assert _versions() == before


def test_retiring_over_figures_is_refused_on_the_form_with_the_count(client, web):
    from masa.web.core.models import DataValue

    n = DataValue.objects.filter(indicator__code="csc_referrals").count()
    assert n == 2  # one for 2023-24, one for 2024-25
    client.force_login(web.users["bu"])
    r = client.post("/bu/setup/indicators/csc_referrals/retire/", {"retired_from": "2024-25"})
    page = r.content.decode()
    assert r.status_code == 400
    assert ("Retire from: csc_referrals has 1 figure stored (East London NHS Foundation Trust 2024-25: 1) "
            "from 2024-25 on") in page
    r = client.post("/bu/setup/indicators/csc_referrals/remove/", follow=True)
    assert f"it has {n} figures stored" in r.content.decode()


def test_a_template_section_made_required_is_saved_in_a_new_spec_version(client, web):
    from masa.web import store

    client.force_login(web.users["bu"])
    tpl = web.spec.template("appendix-c")
    k = next(i for i, s in enumerate(tpl.sections) if not s.required)
    data = {"name": tpl.name, "question": tpl.question, "frequency": tpl.frequency, "applies_from": "2024-25",
            "sec-TOTAL_FORMS": str(len(tpl.sections)), "sec-INITIAL_FORMS": str(len(tpl.sections))}
    for i, s in enumerate(tpl.sections):
        data.update({f"sec-{i}-code": s.code, f"sec-{i}-title": s.title, f"sec-{i}-kind": s.kind,
                     f"sec-{i}-prompt": s.prompt})
        if s.required or i == k:
            data[f"sec-{i}-required"] = "on"
    r = client.post("/bu/setup/templates/appendix-c/", data)
    assert r.status_code == 302
    assert store.spec_for("luton").template("appendix-c").sections[k].required
    assert not store.spec_for("luton", "2023-24").template("appendix-c").sections[k].required


def test_the_invited_person_sets_a_password_once(client, web):
    client.force_login(web.users["bu"])
    r = client.post("/bu/setup/users/invite/", {"email": "newbie@example.org", "role": "approver", "partner": "bfrs"})
    page = r.content.decode()
    link = page.split('id="one-time-link">')[1].split("<")[0].replace("http://testserver", "")
    client.logout()
    r = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert r.status_code == 400 and "This password is too short" in r.content.decode()
    pw = "a long enough sentence for a password"
    r = client.post(link, {"new_password1": pw, "new_password2": pw})
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert client.get(link).status_code == 404  # used once
    r = client.post("/login/", {"username": "newbie@example.org", "password": pw})
    assert r.status_code == 302 and r["Location"] == "/"


def _template_post(tpl, **extra) -> dict:
    n = len(tpl.sections)
    data = {"name": tpl.name, "frequency": tpl.frequency, "applies_from": "2024-25", "appendix": tpl.appendix,
            "sec-TOTAL_FORMS": str(n + 1), "sec-INITIAL_FORMS": str(n)}
    for i, s in enumerate(tpl.sections):
        data.update({f"sec-{i}-code": s.code, f"sec-{i}-title": s.title, f"sec-{i}-kind": s.kind})
        if s.required:
            data[f"sec-{i}-required"] = "on"
    return {**data, **extra}


def test_a_section_is_added_and_another_removed_with_codes_kept(client, web):
    from masa.web import store

    client.force_login(web.users["bu"])
    tpl = web.spec.template("appendix-c")
    n = len(tpl.sections)
    page = client.get("/bu/setup/templates/appendix-c/").content.decode()
    assert f'type="hidden" name="sec-0-code" value="{tpl.sections[0].code}"' in page
    data = _template_post(tpl, **{f"sec-{n}-title": "Learning from reviews", f"sec-{n}-kind": "narrative"})
    assert client.post("/bu/setup/templates/appendix-c/", data).status_code == 302
    tpl = store.spec_for("luton").template("appendix-c")
    assert [s.code for s in tpl.sections][-1] == "learning-from-reviews"
    data = _template_post(tpl, **{f"sec-{n}-DELETE": "on"})  # the new one: no answers yet
    assert client.post("/bu/setup/templates/appendix-c/", data).status_code == 302
    assert [s.code for s in store.spec_for("luton").template("appendix-c").sections] == [
        s.code for s in web.spec.template("appendix-c").sections]


def test_a_section_with_answers_keeps_its_place_code_and_kind(client, web):
    """D7, D15: removing it, changing its (hidden) code or its kind would hide stored answers."""
    from masa.web import store
    from masa.web.administration.service import section_answers

    client.force_login(web.users["bu"])
    tpl = web.spec.template("appendix-b")
    i, sec = next((i, s) for i, s in enumerate(tpl.sections) if s.kind == "narrative"
                  and section_answers("appendix-b", s.model_dump()))
    before = store.spec_for("luton").model_dump()
    url = "/bu/setup/templates/appendix-b/"
    for tamper, says in (({f"sec-{i}-DELETE": "on"}, "cannot be removed (or its code changed)"),
                         ({f"sec-{i}-code": "renamed"}, "cannot be removed (or its code changed)"),
                         ({f"sec-{i}-kind": "voice"}, "the kind of")):
        r = client.post(url, _template_post(tpl, **tamper))
        text = r.content.decode().replace("&#x27;", "'")
        assert r.status_code == 400 and says in text and sec.title in text, tamper
        assert "return" in text and "2024-25" in text  # how many returns and where
    assert store.spec_for("luton").model_dump() == before


def test_a_template_with_returns_keeps_its_frequency(client, web):
    """D14: its returns are for years; quarterly would strand every one of them."""
    from masa.web import store

    client.force_login(web.users["bu"])
    tpl = web.spec.template("appendix-b")
    r = client.post("/bu/setup/templates/appendix-b/", _template_post(tpl, frequency="quarterly"))
    assert r.status_code == 400 and "Frequency: cannot change from yearly to quarterly" in r.content.decode()
    assert store.spec_for("luton").template("appendix-b").frequency == "yearly"


def test_a_new_template_gets_the_next_appendix_letter(client, web):
    """S8: a web-made template printed "Appendix : …" with no letter."""
    from masa.web import store

    client.force_login(web.users["bu"])
    data = {"code": "yearly2", "name": "More", "frequency": "yearly", "applies_from": "2024-25",
            "sec-TOTAL_FORMS": "1", "sec-INITIAL_FORMS": "0", "sec-0-title": "Notes", "sec-0-kind": "narrative"}
    assert client.post("/bu/setup/templates/add/", data).status_code == 302
    letters = {t.appendix for t in web.spec.templates}
    new = store.spec_for("luton").template("yearly2").appendix
    assert new and new not in letters and new > max(letters)
    # a quarterly one takes the letter of the yearly figures appendix its figures join (B)
    data.update(code="quarterly", name="Quarterly figures", frequency="quarterly", **{"sec-0-kind": "figures"})
    assert client.post("/bu/setup/templates/add/", data).status_code == 302
    assert store.spec_for("luton").template("quarterly").appendix == "B"


def test_two_tabs_on_one_form_the_stale_save_is_refused(client, web):
    """D6: tab A renames the partner; tab B, opened before, must not silently undo it."""
    import re

    from masa.web import store

    client.force_login(web.users["bu"])
    url = "/bu/setup/partners/police/"
    page = client.get(url).content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', page).group(1)
    p = web.spec.partner("police")
    post = {"name": p.name, "short_name": p.short_name, "type": p.type, "areas": list(p.areas),
            "applies_from": "2024-25", "seen": seen}
    assert client.post(url, {**post, "name": "Renamed in tab A"}).status_code == 302
    r = client.post(url, {**post, "contacts": "Lead, lead@example.org, Sam"})
    assert r.status_code == 400
    assert "This partner was changed by someone else since you opened this page: reload to see it" in r.content.decode()
    now = store.spec_for("luton").partner("police")
    assert now.name == "Renamed in tab A" and not now.contacts
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    assert client.post(url, {**post, "name": "Renamed in tab A", "seen": seen,
                             "contacts": "Lead, lead@example.org, Sam"}).status_code == 302


def test_a_role_change_is_checked_and_audited(client, web):
    from masa.web.accounts.models import Membership
    from masa.web.auditlog.models import AuditEntry

    person = web.users["scrutineer"]
    client.force_login(web.users["bu"])
    url = f"/bu/setup/users/{person.pk}/action/"
    r = client.post(url, {"action": "role", "role": "approver", "partner": ""}, follow=True)
    assert "Partner: a partner approver belongs to a partner; choose one" in r.content.decode()
    assert Membership.objects.get(user=person).role == "scrutineer"
    r = client.post(url, {"action": "role", "role": "approver", "partner": "police"}, follow=True)
    assert "scrutineer@example.org is now a partner approver" in r.content.decode()
    m = Membership.objects.get(user=person)
    assert (m.role, m.partner.code) == ("approver", "police")
    assert AuditEntry.objects.filter(action="user.role_changed", actor="bu@example.org").exists()


def _indicator(**fields) -> dict:
    return {"name": "Missing children found within a day", "unit": "percent", "direction": "higher_is_better",
            "breakdowns": ["area"], "applies_from": "2024-25", **fields}


def test_a_yearly_percentage_from_quarters_is_checked_field_by_field(client, web):
    from masa.web import store

    client.force_login(web.users["bu"])
    before = _versions()
    r = client.post("/bu/setup/indicators/add/", _indicator(code="found_rate", unit="count", aggregation="ratio"))
    page = r.content.decode()
    assert r.status_code == 400
    assert ('<a href="#id_aggregation">Yearly figure from quarterly figures: working out a percentage is only for '
            "an indicator whose unit is percent; this one&#x27;s unit is count</a>") in page
    assert '<a href="#id_numerator">Percentage: counted in (numerator): choose the count indicator' in page
    assert '<a href="#id_denominator">Percentage: out of (denominator): choose the count indicator' in page
    assert 'id="id_aggregation-error"' in page  # the message sits beside the field too

    # a numerator with other breakdowns than the percentage: the spec's own check, on its field
    r = client.post("/bu/setup/indicators/add/", _indicator(code="found_rate", aggregation="ratio",
                                                            numerator="csc_referrals", denominator="missing_episodes"))
    page = r.content.decode()
    assert r.status_code == 400 and '<a href="#id_numerator">Percentage: counted in (numerator): the numerator of' in page
    assert "must have the same breakdowns" in page and _versions() == before
    r = client.post("/bu/setup/indicators/add/", _indicator(code="found_rate", numerator="missing_children"))
    assert r.status_code == 400 and "used only when the yearly figure is worked out as a percentage" in r.content.decode()

    r = client.post("/bu/setup/indicators/add/", _indicator(code="found_rate", aggregation="ratio",
                                                            numerator="missing_children", denominator="missing_episodes"))
    assert r.status_code == 302
    made = store.spec_for("luton").indicator("found_rate")
    assert (made.aggregation, made.numerator, made.denominator) == ("ratio", "missing_children", "missing_episodes")
    page = client.get("/bu/setup/indicators/found_rate/").content.decode()
    assert '<option value="ratio" selected>' in page and '<option value="missing_children" selected>' in page
    assert "missing_children ÷ missing_episodes" in client.get("/bu/setup/indicators/").content.decode()

    # the denominator may not stop being a sum: the refusal lands on its own form's field
    count = store.spec_for("luton").indicator("missing_episodes")
    r = client.post("/bu/setup/indicators/missing_episodes/", {
        "name": count.name, "unit": "count", "breakdowns": ["area"], "direction": count.direction,
        "aggregation": "none", "applies_from": "2024-25"})
    page = r.content.decode()
    assert r.status_code == 400
    assert ('<a href="#id_aggregation">Yearly figure from quarterly figures: the denominator of &#x27;found_rate&#x27;, '
            "&#x27;missing_episodes&#x27;, must have aggregation sum or end") in page


def test_a_priority_is_added_renamed_and_retired_and_returns_of_that_year_no_longer_offer_it(client, web):
    from masa.web import store

    client.force_login(web.users["bu"])
    r = client.post("/bu/setup/priorities/add/", {"code": "neglect", "name": "", "kind": "priority",
                                                  "applies_from": "2024-25"})
    page = r.content.decode()
    assert r.status_code == 400 and "Code: a priority &#x27;neglect&#x27; already exists" in page
    assert '<a href="#id_name">Enter name</a>' in page
    r = client.post("/bu/setup/priorities/add/", {"code": "online-harm", "name": "Online harm", "kind": "theme",
                                                  "aliases": "online safety\n\nharm online", "applies_from": "2024-25"})
    assert r.status_code == 302
    made = store.spec_for("luton").priority("online-harm")
    assert (made.kind, made.aliases) == ("theme", ["online safety", "harm online"])
    assert "Online harm" in client.get("/bu/setup/priorities/").content.decode()

    draft = f"/returns/{web.draft.pk}/"  # a 2024-25 return
    client.force_login(web.users["contributor"])
    assert "Online harm" in client.get(draft).content.decode()
    client.force_login(web.users["bu"])
    r = client.post("/bu/setup/priorities/online-harm/retire/", {"retired_from": "2030-31"})
    assert r.status_code == 400 and "Retire from: 2030-31 is not one of the choices" in r.content.decode()
    r = client.post("/bu/setup/priorities/online-harm/retire/", {"retired_from": "2024-25"})
    assert r.status_code == 302
    assert store.spec_for("luton").priority("online-harm").retired_from == "2024-25"
    assert "retired from 2024-25" in client.get("/bu/setup/priorities/").content.decode()
    client.force_login(web.users["contributor"])
    assert "Online harm" not in client.get(draft).content.decode()


def test_the_setup_home_sums_up_the_first_version_and_links_to_periods(client, web):
    """The starter spec was 40+ "added" rows on the first visit; now one line, then each edit."""
    import re

    from masa.web.administration import service

    client.force_login(web.users["bu"])
    service.save_area("luton", web.users["bu"], {"code": "northtown", "name": "Northtown"})
    page = client.get("/bu/setup/").content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">", page.split("Recent changes")[1])
    n = len(web.spec.areas)
    assert re.search(rf"set up with {n} areas, \d+ breakdowns, \d+ indicators, \d+ partners", page)
    assert "area northtown" in page
    assert len(rows) < 8  # header, the edit's two changes, the set-up line
    assert '<a class="govuk-link" href="/bu/periods/">Periods</a>' in page


def test_the_partner_list_shows_names_not_codes(client, web):
    client.force_login(web.users["bu"])
    page = client.get("/bu/setup/partners/").content.decode()
    for p in web.spec.partners:
        names = ", ".join(web.spec.area(a).name for a in p.areas)
        assert f'<td class="govuk-table__cell">{names}</td>' in page, p.code
        assert f'<td class="govuk-table__cell">{p.type}</td>' not in page, p.type
    assert '<td class="govuk-table__cell">Local authority</td>' in page


def test_the_indicator_form_says_who_reports_it(client, web):
    """A partner added in setup had an empty figures grid: no form field set Indicator.partner."""
    from masa.web import store

    client.force_login(web.users["bu"])
    r = client.post("/bu/setup/indicators/add/", {"code": "own", "name": "Own count", "unit": "count",
                                                  "direction": "none", "partner": "police", "applies_from": "2024-25"})
    assert r.status_code == 302 and store.spec_for("luton").indicator("own").partner == "police"
    page = client.get("/bu/setup/indicators/own/").content.decode()
    assert '<label class="govuk-label" for="id_partner">Reported by</label>' in page
    assert '<option value="police" selected>' in page


def test_two_tabs_on_one_template_the_stale_save_is_refused(client, web):
    """D6 on templates: tab A adds a section, tab B (opened before) renames the template."""
    import re

    from masa.web import store

    client.force_login(web.users["bu"])
    url = "/bu/setup/templates/appendix-c/"
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    tpl = web.spec.template("appendix-c")
    n = len(tpl.sections)
    tab_a = _template_post(tpl, seen=seen, **{f"sec-{n}-title": "Notes", f"sec-{n}-kind": "narrative"})
    assert client.post(url, tab_a).status_code == 302
    r = client.post(url, _template_post(tpl, seen=seen, name="Renamed in tab B"))
    assert r.status_code == 400 and "This template was changed by someone else" in r.content.decode()
    now = store.spec_for("luton").template("appendix-c")
    assert now.name == tpl.name and now.sections[-1].code == "notes"
