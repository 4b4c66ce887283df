"""Language checks: the edges the registered examples do not show."""

from __future__ import annotations

import pytest

from masa.checks import check_texts, language

TITLE = "Appendix B: Example Safeguarding Children Partnership Yearly Report 2024-25\n\n"


def _found(text: str, code: str) -> list[str]:
    return [f.quote for f in check_texts([("r.txt", TITLE + text)], None, codes=[code]).findings]


@pytest.mark.parametrize("num, vowel", [("8", True), ("11", True), ("18", True), ("80", True), ("86.5", True),
                                        ("800", True), ("8,000", True), ("11,500", True), ("18000", True),
                                        ("1", False), ("110", False), ("139", False), ("1,800", False),
                                        ("12", False), ("100", False)])
def test_how_a_number_is_said(num, vowel):
    assert language._vowel_sound(num) is vowel


def test_a_before_a_vowel_sound_number_is_found_too():
    assert _found("Attendance rose by a 80% margin.", "language.grammar") == ["a 80"]
    assert _found("We supported a 18-year-old and an 11-year-old.", "language.grammar") == ["a 18"]


def test_one_as_the_subject_of_a_verb_is_not_a_plural_slip():
    assert _found("A list restarting at 1 starts a new list; option 1 means that we wait. Option 1 does not "
                  "apply.", "language.grammar") == []
    assert _found("Every children's centre and each young people's forum took part.", "language.grammar") == []


def test_a_code_or_slug_is_not_a_confusion():
    assert _found("Stored under by: {service: specialist-childrens}.", "language.confusion") == []


def test_a_count_of_one_with_a_label_before_it_is_not_a_plural_slip():
    text = "Staff attended Level 1 Sessions and Key Stage 1 Pupils joined. Table 1 Referrals are below."
    assert _found(text, "language.grammar") == []


def test_a_slip_repeated_in_one_file_is_one_finding_with_the_other_places():
    run = check_texts([("r.txt", TITLE + "Childrens Services met.\n\nQ2 Childrens report.\n\nQ3 Childrens report.\n")],
                      None, codes=["language.confusion"])
    assert len(run.findings) == 1
    assert len(run.findings[0].related) == 2
    assert "2 more times" in run.findings[0].message


def test_capitalised_and_upper_case_slips_are_checked_and_the_fix_keeps_the_case():
    run = check_texts([("r.txt", TITLE + "POOR PRACTISE was challenged.\n\nThere response was quick.\n")],
                      None, codes=["language.confusion"])
    messages = [f.message for f in run.findings]
    assert any("write 'PRACTICE'" in m for m in messages)
    assert any("write 'Their'" in m for m in messages)


def test_without_harper_masa_own_grammar_rules_still_run(monkeypatch):
    monkeypatch.setattr(language, "linter", lambda: None)
    assert _found("We should of acted. We delivered 1 Sessions.", "language.grammar") == ["Sessions"]


def test_harper_reads_only_sentences_holding_a_trigger_word():
    assert language.TRIGGERS.search("We should of acted sooner.")
    assert language.TRIGGERS.search("The the panel met.")
    assert not language.TRIGGERS.search("The panel met monthly and agreed a plan.")


def test_numbering_restarts_for_the_body_after_the_contents():
    text = ("Contents\n1. Foreword 3\n2. Our arrangements 4\n3. Learning 6\n\n1. Foreword\n\nText.\n\n"
            "2. Our arrangements\n\nText.\n\n4. Training\n\nText.\n")
    assert _found(text, "structure.numbering-gap") == ["4"]


def test_generic_service_names_are_not_name_variants():
    text = ("Children's Services and Childrens Services met. Adult Social Care and Adults Social Care joined. "
            "Thames Valley Police and Thames Valley Police agreed.")
    assert _found(text, "partner.body-name-variants") == []


@pytest.mark.parametrize("text", [
    "There needs to be more joint training.",
    "The board wants to effect the change quickly and to effect real change.",
    "This principle means that children are heard.",
    "The designated nurse was lead on neglect.",
    "Conditions were more adverse than last year; the effects were not adverse.",
    "We will further advise schools in the spring.",
])
def test_right_uses_next_to_the_curated_words_are_left_alone(text):
    assert _found(text, "language.confusion") == []


@pytest.mark.parametrize("text, quote", [
    ("Managers were risk adverse.", "adverse"),
    ("Staff are not adverse to change.", "adverse"),
    ("The pilot has lead to fewer repeat referrals.", "lead"),
    ("Staff sought advise from the designated nurse.", "advise"),
])
def test_curated_slips_are_found(text, quote):
    assert _found(text, "language.confusion") == [quote]


def test_a_name_after_a_capitalised_opening_word_is_the_same_name():
    text = ("Lancashire Police led the audit. In Lancashire Police the audit was shared. "
            "During the year Lancashire Police trained staff. With Lancashire Police we met.")
    assert _found(text, "partner.body-name-variants") == []


def test_table_rows_with_a_number_column_are_not_headings():
    text = "Rank\tArea\tCases\n1\tLuton\t20\t3\n2\tBedford\t18\t2\n4\tMilton Keynes\t11\t1\n"
    assert _found(text, "structure.numbering-gap") == []


def test_harper_runs_british_with_only_the_measured_families_on():
    harper = pytest.importorskip("harper")
    lin = language.linter()
    assert lin.dialect == harper.Dialect.BRITISH
    on = {rule for rule, enabled in lin.get_lint_config().items() if enabled}
    assert on == set(language.FAMILY_OF)
    assert not on & {"AnA", "SpellCheck", "ItsContraction", "DoToDueTo", "ToTwoToo", "LongSentences"}


def test_a_contents_list_flattened_onto_one_line_is_read_too():
    text = ("Contents 1 Chair's introduction ........ 3 2 Our arrangements ........ 6 3 Learning ....... 11 "
            "5 Training ....... 15 6 Next year ...... 18\n")
    assert _found(text, "structure.numbering-gap") == ["5"]
    whole = text.replace(" 5 Training", " 4 Training").replace(" 6 Next", " 5 Next")
    assert _found(whole, "structure.numbering-gap") == []
