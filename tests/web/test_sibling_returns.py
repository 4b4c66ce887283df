"""A partner's Appendix C answer is published beside its Appendix B table: in the web, its checks
read the table too, so a sentence stating a figure the table hides as "c" is found on the page
and blocks approval, as the command-line report check always did."""

from __future__ import annotations

import pytest

from masa.returns import CaseStudy

pytestmark = pytest.mark.django_db

CODE = "privacy.suppressed-figure"
LEAK = "Of the 21 children we referred in Luton, 7 were boys."


def _rows(partner: str = "bfrs"):
    from masa.web.core.models import Return as Row

    rows = Row.objects.filter(partner__code=partner, period__code="2024-25").select_related("partner", "period", "template")
    return {r.template.code: r for r in rows}


def _plant(web, voice: str = LEAK):
    """bfrs's table: 3 girls, 7 boys, 11 not recorded (the 7 is hidden so the 3 cannot be
    worked out); its Appendix C voice answer says how many were boys."""
    from masa.web import store

    rows = _rows()
    table = store.return_from_row(rows["appendix-b"])
    counts = {"female": 3.0, "male": 7.0, "not-known": 11.0}
    table = table.model_copy(update={"values": [
        v.model_copy(update={"value": counts.get(v.by.get("sex"), v.value)}) if v.period in (None, "2024-25") else v
        for v in table.values]})
    answer = store.return_from_row(rows["appendix-c"]).model_copy(update={
        "voice": voice, "case_studies": [CaseStudy(title="A young fire setter", areas=["luton"],
                                                   text="Our youth officer worked with a young person over six weeks.")]})
    store.save_returns(web.spec, [table, answer])
    return _rows()


def _codes(found):
    return [(f.code, f.quote) for f in found if f.code == CODE]


def test_the_answer_page_and_the_table_page_both_show_the_figure_the_table_hides(web):
    from masa.web.workflow.checks_seam import findings_for_row

    rows = _plant(web)
    on_answer = findings_for_row(web.spec, rows["appendix-c"])
    assert _codes(on_answer) == [(CODE, "7 were")]
    [f] = [f for f in on_answer if f.code == CODE]
    assert f.severity == "error" and "'c'" in f.message
    # the table's page says which sentence of the other return states its hidden figure
    assert _codes(findings_for_row(web.spec, rows["appendix-b"])) == [(CODE, "7 were")]


def test_approving_the_answer_is_refused_and_nothing_moves(web):
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    rows = _plant(web)
    answer = rows["appendix-c"]
    move(answer, "submit", web.users["contributor"]) if answer.status == "draft" else None
    before = Row.objects.get(pk=answer.pk)
    with pytest.raises(TransitionError) as refused:
        move(before, "approve", web.users["bu"])
    assert "7 were" in str(refused.value) or "gives 7" in str(refused.value), refused.value
    after = Row.objects.get(pk=answer.pk)
    assert (after.status, after.lock_version) == (before.status, before.lock_version)


def test_the_same_answer_without_the_figure_is_approved(web):
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import move

    rows = _plant(web, voice="Most of the children we referred in Luton were boys; we give no count, as it is small.")
    answer = rows["appendix-c"]
    if answer.status == "draft":
        move(answer, "submit", web.users["contributor"])
    move(Row.objects.get(pk=answer.pk), "approve", web.users["bu"])
    assert Row.objects.get(pk=answer.pk).status == "approved"


def test_a_file_claiming_approval_is_held_when_its_answer_states_the_tables_hidden_figure(web, tmp_path):
    """``masa load``: the folder's own Appendix B is read beside its Appendix C."""
    from masa.web import store
    from masa.web.workflow.checks_seam import companions_in, unearned_approval

    rows = _plant(web)
    table, answer = (store.return_from_row(rows[t]) for t in ("appendix-b", "appendix-c"))
    answer = answer.model_copy(update={"status": "approved"})
    why = unearned_approval(web.spec, answer, companions_in([table, answer], answer))
    assert "error" in why and "7" in why, why
    # read from the table's side (its own text stating no count), the sentence is named in
    # the answer's return
    table = table.model_copy(update={"status": "approved", "sections": [
        s.model_copy(update={"text": "We referred 21 children in Luton this year."}) for s in table.sections]})
    held = unearned_approval(web.spec, table, companions_in([table, answer], table))
    assert held.endswith("(in the bfrs 2024-25 appendix-c return)"), held
    assert unearned_approval(web.spec, answer, []) == ""  # alone, the answer states nothing hidden


def test_a_business_unit_reads_no_other_partnerships_part_of_the_sibling(web, monkeypatch):
    """bfrs serves Luton and Bedford Borough; its Appendix B has a part for Bedford only. On
    bfrs's Appendix C page, Luton's business unit sees findings about the Appendix B read in
    Luton's scope: no quote of the Bedford part. The partner's own people read it whole."""
    from django.test import Client

    from masa.web.workflow import checks_seam
    from tests.web.test_scoped_reading import SECRET, make_shared

    _, bu = make_shared(web)

    def quoting(spec, ret, quarters=(), siblings=()):  # quotes every part of every sibling it is given
        return [checks_seam.Finding("error", f"Sibling part {i} quoted for the test", "", s.text, CODE)
                for r in siblings for i, s in enumerate(r.sections)]

    monkeypatch.setattr(checks_seam, "_findings", quoting)
    monkeypatch.setattr(checks_seam, "_CACHE", type(checks_seam._CACHE)())
    answer = _rows()["appendix-c"]

    def page(user, url):
        c = Client()
        c.force_login(user)
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return r.content.decode()

    luton = page(bu["luton"], f"/luton/returns/{answer.pk}/")
    assert "Sibling part 0 quoted for the test" in luton  # the sibling was read, in Luton's scope
    assert SECRET not in luton, "Luton's business unit was shown a quote of a part for Bedford Borough only"
    assert SECRET in page(web.users["contributor"], f"/luton/returns/{answer.pk}/?check=1")


def test_a_finding_about_the_other_return_names_that_return_on_the_page(web, client):
    """On the Appendix C page, the table's own sentence is placed in the Appendix B return, in
    that template's words, not as if it were a part of the page being read."""
    from masa.web.site import wording

    rows = _plant(web)
    answer, table = web.spec.template("appendix-c"), web.spec.template("appendix-b")
    said = wording.where("bfrs/2024-25/appendix-b sections[0] achievements", answer, spec=web.spec)
    assert said == f"Appendix B ({table.name}) return: {wording.where('sections[0] achievements', table)}"
    assert wording.where("bfrs/2024-25/appendix-c voice", answer, spec=web.spec) == wording.where("voice", answer)
    client.force_login(web.users["bu"])
    page = client.get(f"/luton/returns/{rows['appendix-b'].pk}/?check=1").content.decode()
    assert f"Appendix C ({answer.name}) return" in page, "the table's page does not say where the sentence is"


def test_the_refusal_gives_the_returns_own_finding_first_and_names_its_section(web):
    """Both returns state the hidden figure: refusing the answer's approval quotes the answer's
    own sentence, placed by its section's title, not the table's or a code such as 'voice'."""
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    from masa.web import store

    rows = _plant(web)
    table = store.return_from_row(rows["appendix-b"])
    store.save_returns(web.spec, [table.model_copy(update={"sections": [
        table.sections[0].model_copy(update={"text": "We referred 21 children in Luton, 7 of them boys."}),
        *table.sections[1:]]})])
    answer = rows["appendix-c"]
    if answer.status == "draft":
        move(answer, "submit", web.users["contributor"])
    with pytest.raises(TransitionError) as refused:
        move(Row.objects.get(pk=answer.pk), "approve", web.users["bu"])
    voice = next(s.title for s in web.spec.template("appendix-c").sections if s.kind == "voice")
    assert str(refused.value).endswith(f"(in {voice})"), refused.value


def test_a_year_made_from_quarters_is_hidden_and_approval_reads_the_quarters(web):
    """Breaker br3 (L2): bfrs gives Luton 1 referral a quarter and no yearly figure; the report
    shows the year's 4 as 'c'. An answer saying so showed the error on its page, but the
    approval gate read no quarters and let it through."""
    from masa.web import store
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move
    from tests.web.test_quarterly_returns import quarter_return
    from tests.returns.quarters_helpers import quarter_spec

    spec = quarter_spec(web.spec)
    store.store_spec(spec)
    store.save_returns(spec, [quarter_return(n, 1) for n in (1, 2, 3, 4)])
    answer = store.return_from_row(_rows()["appendix-c"]).model_copy(update={
        "voice": "Crews made 4 referrals to children's social care in Luton this year.", "case_studies": []})
    store.save_returns(spec, [answer])
    row = _rows()["appendix-c"]
    if row.status == "draft":
        move(row, "submit", web.users["contributor"])
    with pytest.raises(TransitionError) as refused:
        move(Row.objects.get(pk=row.pk), "approve", web.users["bu"])
    assert "gives 4" in str(refused.value) and "'c'" in str(refused.value), refused.value


def test_last_years_column_is_read_too(web):
    """Breaker br3 (L5): the report's comparison column shows last year's boys as 'c'; an answer
    this year saying how many boys were referred last year gives it away."""
    from masa.returns import DataValue, Return
    from masa.web import store
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    ind = "child_safeguarding_referrals"
    last = Return(partner="bfrs", period="2023-24", template="appendix-b", values=[
        DataValue(indicator=ind, by={"area": "luton", **({"sex": s} if s else {})}, value=v)
        for s, v in (("female", 4.0), ("male", 9.0), ("not-known", 0.0))])  # this year's return holds the total, 13
    store.save_returns(web.spec, [last])
    rows = _plant(web, voice="Last year we referred 9 boys in Luton; this year fewer.")
    answer = rows["appendix-c"]
    if answer.status == "draft":
        move(answer, "submit", web.users["contributor"])
    with pytest.raises(TransitionError) as refused:
        move(Row.objects.get(pk=answer.pk), "approve", web.users["bu"])
    assert "gives 9" in str(refused.value) and "2023-24" in str(refused.value), refused.value
    # the dashboard counts the same error as the page: it reads last year's returns too
    from masa.web.site.dashboard import completeness
    from masa.web.workflow.checks_seam import findings_for_row

    [line] = [x for x in completeness(web.spec, "2024-25") if x["row"] is not None and x["row"].pk == answer.pk]
    page = [f for f in findings_for_row(web.spec, Row.objects.get(pk=answer.pk)) if f.severity == "error"]
    assert line["errors"] == len(page) >= 1, (line["errors"], page)


def test_masa_load_of_an_answer_alone_reads_the_stored_table(web, tmp_path):
    """Breaker br3 (L3): a folder holding only the answer, marked approved, was read beside
    nothing; the stored table it sits beside hides the figure it states. The load holds it."""
    from masa.returns import Dataset
    from masa.web import store

    rows = _plant(web)
    store._stamp_as_loaded(rows["appendix-c"].pk)  # as if the answer had last come from a file
    answer = store.return_from_row(rows["appendix-c"]).model_copy(update={"status": "approved"})
    folder = tmp_path / "answer-only"
    folder.mkdir()
    summary = store.load_folder(folder, dataset=Dataset(spec=web.spec, returns=[answer]))
    assert any("gives 7" in h for h in summary.held), summary.held
    assert _rows()["appendix-c"].status == "submitted"


def test_a_shared_partners_answer_is_read_beside_the_table_the_public_sees(web):
    """Breaker br3 (L1): Luton published bfrs's table (girls 3, boys 7: both 'c'); after a
    Bedford Borough query the partner changed the figures and Luton approved the new version
    without publishing it. The answer's gate read only the approved table, while the public
    still sees the published one beside the answer."""
    from masa.web import store
    from masa.web.accounts.models import PartnershipRole
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    bu = web.users["bu"]
    rows = _plant(web, voice="We listen to every young person we work with.")
    table = store.return_from_row(rows["appendix-b"])  # its own text states no count
    store.save_returns(web.spec, [table.model_copy(update={"sections": [
        s.model_copy(update={"text": "We referred 21 children in Luton this year."}) if s.section == "achievements" else s
        for s in table.sections]})])

    def act(template, action, who, partnership=None, reason=""):
        move(Row.objects.get(pk=_rows()[template].pk), action, who, reason=reason, partnership=partnership)

    if rows["appendix-b"].status == "draft":
        act("appendix-b", "submit", web.users["contributor"])
    act("appendix-b", "approve", bu, "luton")
    act("appendix-b", "publish", bu, "luton")
    act("appendix-b", "query", bedford_bu, BEDFORD, reason="Check the figures")
    table = store.return_from_row(_rows()["appendix-b"])
    store.save_returns(web.spec, [table.model_copy(update={"values": [
        v.model_copy(update={"value": {"female": 8.0, "male": 7.0, "not-known": 6.0}.get(v.by.get("sex"), v.value)})
        if v.period in (None, "2024-25") else v for v in table.values]})])
    act("appendix-b", "resubmit", web.users["contributor"])
    act("appendix-b", "approve", bu, "luton")
    answer = store.return_from_row(_rows()["appendix-c"])
    store.save_returns(web.spec, [answer.model_copy(update={"voice": LEAK})])
    if _rows()["appendix-c"].status == "draft":
        act("appendix-c", "submit", web.users["contributor"])
    with pytest.raises(TransitionError) as refused:
        act("appendix-c", "approve", bu, "luton")
    assert "gives 7" in str(refused.value), refused.value


def test_a_part_for_all_areas_is_read_against_each_partnerships_tables(web):
    """Breaker br3 (L4): bfrs serves Luton and Bedford Borough. Its Bedford figures hide 7 boys
    (and 3 girls); its Luton ones show every cell. An answer for all its areas says how many of
    the Bedford referrals were boys: Luton's report would publish that beside Bedford
    Borough's 'c', so Luton's approval is refused too."""
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    row = _shared_with_bedford(web, "Of the children we referred in Bedford, 7 were boys.")
    with pytest.raises(TransitionError) as refused:
        move(Row.objects.get(pk=row.pk), "approve", web.users["bu"], partnership="luton")
    assert "across the partnerships this partner serves" in str(refused.value), refused.value
    _names_bedford_but_not_its_counts(str(refused.value))


@pytest.mark.parametrize("voice", [
    "Across Luton and Bedford we referred 14 boys this year.",  # breaker br4's P1: Luton prints its 7
    "Of the 42 children we referred across Luton and Bedford, 14 were boys.",
])
def test_a_sum_across_a_shared_partners_areas_is_read_as_one_table(web, voice):
    """Luton prints bfrs's 8 girls, 7 boys, 6 not known; Bedford Borough hides its 3 girls and 7
    boys. A sum across both areas, less Luton's printed 7, gives Bedford's boys away."""
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    row = _shared_with_bedford(web, voice)
    with pytest.raises(TransitionError) as refused:
        move(Row.objects.get(pk=row.pk), "approve", web.users["bu"], partnership="luton")
    assert "across the partnerships this partner serves" in str(refused.value), refused.value
    _names_bedford_but_not_its_counts(str(refused.value))


def _names_bedford_but_not_its_counts(message: str) -> None:
    """Luton's business unit is told which partnership's tables the sentence undoes, never the
    counts Bedford Borough's tables hide (3 girls, 7 boys)."""
    from tests.web.multi_fixtures import BEDFORD_NAME

    assert BEDFORD_NAME in message, message
    assert "Female" not in message and "Male" not in message and "3 (" not in message and "7 (" not in message, message


def test_a_sum_across_areas_that_gives_nothing_away_is_approved(web):
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import move

    row = _shared_with_bedford(web, "Across Luton and Bedford we referred 42 children this year.")
    move(Row.objects.get(pk=row.pk), "approve", web.users["bu"], partnership="luton")
    assert Row.objects.get(pk=row.pk).status in ("approved", "submitted")


def _shared_with_bedford(web, voice):
    """bfrs serving Luton (8 / 7 / 6 of 21, all printed) and Bedford Borough (3 / 7 / 11 of 21:
    girls and boys hidden); its answer, for all its areas, says ``voice``; submitted."""
    from masa.web import store
    from masa.web.accounts.models import PartnershipRole
    from masa.web.workflow.transitions import move
    from tests.web.multi_fixtures import add_bedford

    add_bedford(web)
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    rows = _rows()
    table = store.return_from_row(rows["appendix-b"])
    values = []
    for v in table.values:
        if v.indicator == "child_safeguarding_referrals" and v.period in (None, "2024-25"):
            sex = v.by.get("sex")
            values.append(v.model_copy(update={"value": {"female": 8.0, "male": 7.0, "not-known": 6.0}.get(sex, 21.0)}))
            values.append(v.model_copy(update={"by": {**v.by, "area": "bedford"},
                                               "value": {"female": 3.0, "male": 7.0, "not-known": 11.0}.get(sex, 21.0)}))
        else:
            values.append(v)
    store.save_returns(web.spec, [table.model_copy(update={"values": values, "sections": [
        s.model_copy(update={"text": "We referred children in Luton and Bedford this year."}) for s in table.sections]})])
    answer = store.return_from_row(rows["appendix-c"]).model_copy(update={
        "voice": voice, "voice_areas": [],
        "case_studies": [CaseStudy(title="A young fire setter", areas=[], text="Our youth officer worked with a young person.")]})
    store.save_returns(web.spec, [answer])
    row = _rows()["appendix-c"]
    if row.status == "draft":
        move(row, "submit", web.users["contributor"])
    return row
