"""Grammar by part of speech (masa.checks.grammar_pos): the tagger loads offline, every rule family
finds its own invented slip and leaves the correct sentence alone, and bad input gives no finding and
no crash. The families' registered examples also run in tests/checks/test_every_check.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from masa.checks import check_texts
from masa.checks import grammar_pos as gp
from masa.checks.text import Source as _Source


def Source(name: str, text: str) -> _Source:
    src = _Source(name, text)
    src.split()
    return src

TITLE = "Appendix B: Northtown Safeguarding Children Partnership Yearly Report 2024-25\n\n"

# one invented slip per rule, with the words the finding must quote, and its corrected sentence
CASES = [
    ("verb-form", "The delay had only be made worse by the move.", "had only be",
     "The delay had only been made worse by the move."),
    ("verb-form", "The group has meet every month.", "has meet", "The group has met every month."),
    ("verb-form", "The leads should reviews the plan.", "should reviews", "The leads should review the plan."),
    ("verb-form", "Managers must completed the audit.", "must completed", "Managers must complete the audit."),
    ("verb-form", "The gap would probably not been seen.", "would probably not been",
     "The gap would probably not have been seen."),
    ("number", "Each families was offered a visit.", "Each families", "Each family was offered a visit."),
    ("number", "Several school were visited by the team.", "Several school",
     "Several schools were visited by the team."),
    ("number", "One of the practitioner has retired.", "One of the practitioner",
     "One of the practitioners has retired."),
    ("agreement", "Our thanks go to everyone who support the work.", "everyone who support",
     "Our thanks go to everyone who supports the work."),
    ("agreement", "We rely on anyone that have a concern to speak up.", "anyone that have",
     "We rely on anyone that has a concern to speak up."),
    ("there", "Last year there had delays in reporting.", "there had delays",
     "Last year there had been delays in reporting."),
    ("attraction", "The quality of the plans were good.", "The quality of the plans were",
     "The quality of the plans was good."),
    ("attraction", "The impact of these changes have been felt across the area.", "The impact of these changes have",
     "The impact of these changes has been felt across the area."),
    ("attraction", "Concerns about the quality of practice has been raised.",
     "Concerns about the quality of practice has", "Concerns about the quality of practice have been raised."),
    ("attraction", "Feedback from practitioners were positive.", "Feedback from practitioners were",
     "Feedback from practitioners was positive."),
]

# sentences the attraction rule must leave alone: British usage that takes either number, and
# configurations where the noun before the verb is not the subject's head's attractor
ATTRACTION_PASSES = [
    "A number of referrals were late.",                       # 'a number of' takes a plural verb
    "The team of social workers have worked hard.",           # a collective head
    "The majority of cases were closed.",                     # a quantity head
    "A range of services are available to families.",
    "A total of 40 meetings were held.",
    "The police in the area have been supportive.",
    "The staff in schools have been trained.",
    "The rest of the actions were completed.",
    "Half of the schools were visited.",
    "The percentage of children on plans were low.",
    "Members of the public were invited.",                    # verb agrees with the head
    "One of the partners who were present agreed.",           # 'one of ... who'
    "Each of the partners has a lead.",
    "The chair and the members of the panel were present.",   # coordinated subject
    "The chair, with the partners, were present.",            # 'with': accepted notional agreement
    "The messages which are the output of the audits are shared.",  # a relative clause
    "Counting cases of neglect is hard.",                     # a gerund subject
    "The Review of Arrangements Were Published.",             # a heading
    "Neglect/acts of omission was the main concern.",         # alternatives: one category
    "If the number of cases were to rise, we would act.",     # subjunctive
]


def pos(text: str) -> list[tuple[str, str, str]]:
    """(family, quoted words, message) of the part-of-speech rules on a text (before language.grammar
    drops those its own rules already made: see the next test)."""
    src = Source("r.txt", text)
    return [(fam, src.text[a:b], msg) for a, b, fam, msg in gp.pos_findings(src)]


def test_every_family_is_covered():
    assert {fam for fam, *_ in CASES} == set(gp.FAMILIES)


@pytest.mark.parametrize(("family", "bad", "quote", "good"), CASES, ids=[c[2] for c in CASES])
def test_rule_finds_its_slip_and_passes_the_fix(family, bad, quote, good):
    found = pos(bad)
    assert [(fam, q) for fam, q, _ in found] == [(family, quote)], found
    assert pos(good) == []


def test_messages_say_what_to_write():
    msgs = {q: m for _, q, m in pos(" ".join(c[1] for c in CASES))}
    assert "('been')" in msgs["had only be"] and "('met')" in msgs["has meet"]
    assert "('supports')" in msgs["everyone who support"]
    m = msgs["The quality of the plans were"]
    assert "subject is 'quality'" in m and "write 'was'" in m and "'plans'" in m
    assert "write 'have'" in msgs["Concerns about the quality of practice has"]


@pytest.mark.parametrize("text", ATTRACTION_PASSES)
def test_attraction_leaves_either_number_and_other_configurations_alone(text):
    assert pos(text) == []


def test_attraction_is_reported_as_a_grammar_slip():
    run = check_texts([("r.txt", TITLE + "The timeliness of the health checks were reviewed by the panel.")], None,
                      codes=["language.grammar"])
    quotes = [f.quote for f in run.findings if "(part of speech, attraction)" in f.message]
    assert quotes == ["The timeliness of the health checks were"]


def test_only_attraction_candidates_are_parsed():
    src = Source("r.txt", "The group has meet every month. The quality of the plans were good. We met.")
    assert [(t, parse) for _, t, parse in gp.candidates(src)] == [
        ("The group has meet every month.", False), ("The quality of the plans were good.", True)]


def test_no_double_finding_where_masa_own_rules_already_speak():
    """'has meet' is also one of language.grammar's own patterns: the reader sees it once."""
    run = check_texts([("r.txt", TITLE + "The panel has meet four times this year.")], None, codes=["language.grammar"])
    assert len([f for f in run.findings if f.quote.startswith("has meet")]) == 1


@pytest.mark.parametrize("text", ["", "   \n\n  ", "12 34 56\n\n| a | b |\n|---|---|", "...", "\u00a0\u2014"])
def test_bad_input_gives_no_finding_and_no_crash(text):
    assert gp.pos_findings(Source("empty.txt", text)) == []
    run = check_texts([("r.txt", text)], None, codes=["language.grammar"])
    assert not [f for f in run.findings if f.severity == "crashed"]


def test_missing_model_means_no_tagger_not_a_crash(monkeypatch):
    monkeypatch.setattr(gp, "MODEL", "no_such_model_package")
    gp.tagger.cache_clear()
    try:
        assert gp.tagger() is None
        assert gp.pos_findings(Source("r.txt", "The group has meet every month.")) == []
    finally:
        monkeypatch.undo()
        gp.tagger.cache_clear()


def test_model_loads_offline_from_the_installed_package():
    """No hub, no download: with every model-hub variable unset and sockets refused, the tagger loads
    from the installed package and tags a sentence."""
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from masa.checks import grammar_pos as gp\n"
        "nlp = gp.tagger()\n"
        "assert nlp is not None, 'model package not installed'\n"
        "print(' '.join(t.tag_ for t in nlp('The group has meet every month.')))\n"
        "print(sorted(nlp.pipe_names))\n"
    )
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGINGFACE", "TRANSFORMERS", "SPACY", "HTTP", "HTTPS", "http", "https"))}
    env["HF_HUB_OFFLINE"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         check=False)
    assert out.returncode == 0, out.stderr
    tags, pipes = out.stdout.splitlines()
    assert tags.split() == ["DT", "NN", "VBZ", "VB", "DT", "NN", "."]
    assert pipes == "['attribute_ruler', 'parser', 'tagger', 'tok2vec']"


def test_only_prefiltered_sentences_are_tagged():
    src = Source("r.txt", "The board met in May. It agreed the plan.\n\nThe group has meet every month.")
    assert [s for _, s, _ in gp.candidates(src)] == ["The group has meet every month."]


def test_a_text_no_rule_can_fire_on_never_loads_the_model():
    """spaCy's pipeline costs about 1.3 s and 90 MB to load: `masa check` on a report with no
    sentence the prefilter picks must not pay it (breaker br2)."""
    import subprocess
    import sys

    code = ("from masa.checks import check_texts; import masa.checks.grammar_pos as g; "
            "check_texts([('r.txt', 'Northshire Safeguarding Children Partnership\\n\\nWe met four times.\\n')], None); "
            "print(g.tagger.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
