"""The review journey as people use it: open queries at the top with a reply box, a reply
that confirms, the version comparison as readable text, checks that always answer, and
messages that name fields as the form shows them, each once."""

from __future__ import annotations

import html
import re

import pytest


def _as(client, web, who):
    client.force_login(web.users[who])
    return client


def _no_findings(monkeypatch):
    from masa.web.site import editing

    monkeypatch.setattr(editing, "findings_for_row", lambda spec, row, ret=None, **_: [])


def _query(client, web, text="Which groups of children did you hear from?", section="voice"):
    _as(client, web, "bu")
    r = client.post(f"/returns/{web.submitted.pk}/action/", {"action": "query", "reason": text, "section": section},
                    follow=True)
    assert r.status_code == 200
    return r


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_an_open_query_sits_at_the_top_of_the_return_with_a_reply_box(client, web, monkeypatch):
    _no_findings(monkeypatch)
    _query(client, web)
    page = _as(client, web, "contributor").get(f"/returns/{web.submitted.pk}/").content.decode()
    top = page.index('id="queries-title"')
    # above the form and every section, not below Save
    assert top < page.index('id="return-form"') < page.index('id="section-voice"')
    assert "Open query (1)" in _text(page)
    block = page[top:page.index("</section>", top)]
    assert "Which groups of children did you hear from?" in block
    assert "Feedback and how it was used" in block  # the section it is about, by its title
    assert 'name="query"' in block and "Send reply" in block


def test_the_contributor_sees_the_query_beside_the_section_it_is_about(client, web, monkeypatch):
    _no_findings(monkeypatch)
    _query(client, web)
    page = _as(client, web, "contributor").get(f"/returns/{web.submitted.pk}/").content.decode()
    start = page.index('id="section-voice"')
    section = page[start:page.index("</section>", start)]
    assert "Which groups of children did you hear from?" in section
    assert "Reply at the top of the page" in section
    other = page[page.index('id="section-case-studies"'):]
    assert "Which groups of children" not in other[:other.index("</section>")]


def test_replying_confirms_records_once_and_closes_the_query(client, web, monkeypatch):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.workflow import queries
    from masa.web.workflow.models import Message

    _no_findings(monkeypatch)
    _query(client, web)
    calls = []
    real = queries.reply
    monkeypatch.setattr(queries, "reply", lambda *a, **k: calls.append(a) or real(*a, **k))  # nt's hook point
    query = Message.objects.get(ret=web.submitted, kind="query")
    r = _as(client, web, "contributor").post(f"/returns/{web.submitted.pk}/messages/",
                                             {"query": query.pk, "text": "Care leavers and young carers."}, follow=True)
    page = r.content.decode()
    assert "Your reply was sent to the business unit" in page
    assert len(calls) == 1
    reply = Message.objects.get(ret=web.submitted, kind="reply")
    assert (reply.section, reply.text) == ("voice", "Care leavers and young carers.")
    assert AuditEntry.objects.filter(action="message.reply").count() == 1
    assert 'id="queries-title"' not in page  # answered: no longer open at the top
    start = page.index('id="section-voice"')
    assert "Care leavers and young carers." in page[start:page.index("</section>", start)]


def test_an_empty_reply_is_refused_with_a_clear_message_and_nothing_stored(client, web, monkeypatch):
    from masa.web.workflow.models import Message

    _no_findings(monkeypatch)
    _query(client, web)
    query = Message.objects.get(ret=web.submitted, kind="query")
    r = _as(client, web, "contributor").post(f"/returns/{web.submitted.pk}/messages/", {"query": query.pk, "text": "  "},
                                             follow=True)
    assert "Enter your reply before sending it" in r.content.decode()
    assert not Message.objects.filter(kind="reply").exists()
    assert 'id="queries-title"' in r.content.decode()  # still open


def test_a_query_needs_a_reason(client, web):
    from masa.web.core.models import Return

    r = _query(client, web, text="   ")
    assert "Enter the question you want the partner to answer" in r.content.decode()
    assert Return.objects.get(pk=web.submitted.pk).status == "submitted"


def test_a_query_about_a_section_the_return_does_not_have_is_refused(client, web):
    from masa.web.core.models import Return

    r = _query(client, web, section="nonexistent")
    assert "This return has no section &#x27;nonexistent&#x27; to ask about" in r.content.decode()
    assert Return.objects.get(pk=web.submitted.pk).status == "submitted"


def test_the_business_unit_sees_open_queries_without_a_reply_box(client, web, monkeypatch):
    _no_findings(monkeypatch)
    page = _query(client, web).content.decode()
    assert "Query sent" in page
    block = page[page.index('id="queries-title"'):]
    block = block[:block.index("</section>")]
    assert "Waiting for the partner" in block and "Send reply" not in block


def test_another_partner_cannot_reply_to_a_query(client, web, monkeypatch):
    from masa.web.workflow.models import Message

    _query(client, web)
    query = Message.objects.get(ret=web.submitted, kind="query")
    r = _as(client, web, "other").post(f"/returns/{web.submitted.pk}/messages/", {"query": query.pk, "text": "x"})
    assert r.status_code == 404 and not Message.objects.filter(kind="reply").exists()


# --- the version comparison ------------------------------------------------------------

def _two_versions(web):
    """Version 1 as loaded (texts end in a newline, as YAML blocks do); version 2 as the form
    saves it (no trailing newline), with one sentence and one figure really changed."""
    from masa.web import store

    row = web.draft
    old = store.return_from_row(row)
    old = old.model_copy(update={"sections": [s.model_copy(update={"text": s.text.rstrip() + "\n"})
                                              for s in old.sections]})
    store.snapshot(row, old)
    sections = []
    for s in old.sections:
        text = s.text.strip()
        if s.section == "achievements" and not sections:
            text = text.replace("We ", "Together we ", 1) if "We " in text else text + " Together we did more."
        sections.append(s.model_copy(update={"text": text}))
    values = [v.model_copy(update={"value": 25.0}) if (v.indicator, v.by, v.period or old.period) ==
              ("child_safeguarding_referrals", {"area": "luton"}, old.period) else v for v in old.values]
    store.snapshot(row, old.model_copy(update={"sections": sections, "values": values}))
    return row


def test_the_history_shows_each_changed_section_as_readable_text_and_figures_old_to_new(client, web):
    row = _two_versions(web)
    a, b = sorted(row.versions.values_list("number", flat=True))[-2:]
    page = _as(client, web, "contributor").get(f"/returns/{row.pk}/history/?a={a}&b={b}").content.decode()
    text = _text(page)
    assert "\\n" not in page and '"sections"' not in page  # no raw JSON
    diff = page[page.index('id="changes-title"'):]
    assert "<h3" in diff and "Achievements and impact" in diff
    assert re.search(r"<ins>.*?Together.*?</ins>", diff, re.S)
    assert "start of added text" in diff  # said in words, not by colour alone
    assert re.search(r"Child safeguarding referrals made: Luton\s*</th>\s*<td[^>]*>21 → 25", diff)
    # whitespace the form does not keep is no change: only one section differs
    assert diff.count('class="masa-textdiff"') == 1
    assert "Not changed:" in text and "Training" in text.split("Not changed:")[1]


def test_versions_differing_only_in_whitespace_show_no_differences(client, web):
    from masa.web import store

    row = web.draft
    ret = store.return_from_row(row)
    store.snapshot(row, ret.model_copy(update={"sections": [s.model_copy(update={"text": s.text.strip() + "\n\n"})
                                                            for s in ret.sections]}))
    store.snapshot(row, ret.model_copy(update={"sections": [s.model_copy(update={"text": s.text.strip().replace(
        "\n", "  \r\n")}) for s in ret.sections]}))
    a, b = sorted(row.versions.values_list("number", flat=True))[-2:]
    page = _as(client, web, "contributor").get(f"/returns/{row.pk}/history/?a={a}&b={b}").content.decode()
    assert "No differences" in page and "masa-textdiff" not in page.split('id="changes-title"')[1]


def test_a_save_that_only_drops_a_trailing_newline_is_not_audited_as_a_text_change(web):
    from masa.web import store
    from masa.web.site.saving import changes

    ret = store.return_from_row(web.draft)
    loaded = ret.model_copy(update={"sections": [s.model_copy(update={"text": s.text + "\n"}) for s in ret.sections]})
    assert changes(loaded, ret)["text"] == []


@pytest.mark.parametrize("old,new,marks", [
    ("One two three.", "One two four.", [("del", "three."), ("add", "four.")]),
    ("Same.\n", "Same.", []),
    ("a\r\nb  ", "a\nb", []),
])
def test_text_diff_marks_words_and_ignores_whitespace(old, new, marks):
    from masa.web.site.versions import text_diff

    lines = text_diff(old, new)
    assert [seg for line in lines if line for seg in line.segments if seg[0] != "same"] == marks


# --- the checks always answer ------------------------------------------------------------

def test_running_the_checks_with_nothing_found_says_so(client, web, monkeypatch):
    _no_findings(monkeypatch)
    page = _as(client, web, "contributor").get(f"/returns/{web.draft.pk}/?check=1").content.decode()
    assert "No problems found" in page and 'id="findings-title"' in page
    assert "Run the checks again" in page
    unchecked = client.get(f"/returns/{web.draft.pk}/").content.decode()
    assert "No problems found" not in unchecked and "Run the checks on this draft" in unchecked


# --- messages name the field, once --------------------------------------------------------

def test_a_bad_figure_is_named_by_its_label_and_reported_once(client, web, form_data):
    name = "fig|child_safeguarding_referrals|area=luton"
    r = _as(client, web, "contributor").post(f"/returns/{web.draft.pk}/", form_data(web.draft, **{name: "-5"}))
    assert r.status_code == 400
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', r.content.decode(), re.S).group(1)
    items = [_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    assert items[0] == "Child safeguarding referrals made: Luton – -5 is not a count (a whole number, 0 or more)"
    assert sum("is not a count" in i or "cannot be negative" in i for i in items) == 1  # the one problem, once
    page = r.content.decode()
    assert "value-not-negative" not in page and "child_safeguarding_referrals," not in page
    assert "values.1" not in page


def test_a_findings_location_reads_as_the_part_of_the_form(client, web, monkeypatch):
    from masa.web.site import editing
    from masa.web.workflow.checks_seam import Finding

    found = [Finding("query", "fig-link: the figure csc_referrals is not in the table",
                     "bfrs/2024-25/appendix-b sections[0] achievements / Referrals", "21 children")] * 2
    monkeypatch.setattr(editing, "findings_for_row", lambda spec, row, ret=None, **_: found)
    page = _as(client, web, "contributor").get(f"/returns/{web.draft.pk}/?check=1").content.decode()
    text = _text(page)
    assert "in Achievements and impact, part 1 (Referrals)" in text
    assert "bfrs/2024-25/appendix-b" not in page and "sections[0]" not in page
    assert "The figure Referrals to children's social care is not in the table" in text
    assert text.count("is not in the table") == 1  # said once


def test_a_very_long_query_is_kept_cut_to_the_stored_length_not_refused(client, web):
    from masa.web.core.models import Return
    from masa.web.workflow.models import Message

    _query(client, web, text="Why? " * 3000)
    assert Return.objects.get(pk=web.submitted.pk).status == "queried"
    assert len(Message.objects.get(ret=web.submitted, kind="query").text) <= 5000


def test_the_conflict_page_lists_only_real_differences_not_a_trailing_newline(client, web, form_data):
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from masa.web.core.models import SectionAnswer

    _as(client, web, "contributor")
    first = form_data(web.draft, **{"sec-training-0-text": "Mine: the training text as I wrote it."})
    stale = form_data(web.draft, **{"sec-training-0-text": "Theirs: a different training text."})
    assert client.post(f"/returns/{web.draft.pk}/", first).status_code == 302
    # as a loaded return keeps it: the stored achievements text ends in a newline
    SectionAnswer.objects.filter(ret=web.draft, section="achievements").update(text=Concat(F("text"), Value("\n")))
    r = client.post(f"/returns/{web.draft.pk}/", stale)
    assert r.status_code == 409
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', r.content.decode())
    assert rows and all("achievements" not in w for w in rows), rows
