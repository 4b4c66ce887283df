"""A return's text against this year's stored figure (figure.sentence-mismatch): the narrative
is read the way the importer reads it, so 'compliance was 21%' is compared with the stored 25."""

from __future__ import annotations

from masa.checks import check_dataset
from masa.returns import Dataset, DataValue, Provenance, Return, SectionAnswer


def _ret(text: str, value: float, sentence: str = "") -> Return:
    return Return(partner="elft", period="2024-25", template="appendix-b",
                  values=[DataValue(indicator="training_compliance", value=value, by={"training-course": "l3-children"},
                                    provenance=Provenance(sentence=sentence))],
                  sections=[SectionAnswer(section="training", text=text)])


def _found(spec, ret):
    return check_dataset(Dataset(spec=spec, returns=[ret]), "2024-25", codes=["figure.sentence-mismatch"])


TEXT = "Level 3 safeguarding children training compliance was 21% at the end of the year."


def test_prose_that_contradicts_this_years_stored_figure_is_found(spec):
    found = _found(spec, _ret(TEXT, 25))
    assert [f.quote for f in found] == ["21%"]
    assert "stored in this return is 25" in found[0].message
    assert found[0].location.return_key == "elft/2024-25/appendix-b"


def test_prose_that_agrees_or_names_another_year_is_not_flagged(spec):
    assert _found(spec, _ret(TEXT, 21)) == []
    last_year = "In 2023-24 level 3 safeguarding children training compliance was 21%."
    assert _found(spec, _ret(last_year, 25)) == []


def test_a_figure_imported_from_that_sentence_is_reported_once(spec):
    """The stored value's own sentence is the older comparison's job; no second finding."""
    found = _found(spec, _ret(TEXT, 25, sentence=TEXT))
    assert len(found) == 1 and "source sentence gives" in found[0].message
