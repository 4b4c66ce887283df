"""`masa load` merges the file's spec changes into the database's, never undoing web work
(masa.spec.changes.merge, plain Python)."""

from masa.spec.changes import merge

BASE = {"partnership": {"code": "p", "name": "P"}, "periods": {"current": "2024-25"},
        "areas": [{"code": "a", "name": "A"}, {"code": "b", "name": "B"}],
        "indicators": [{"code": "x", "name": "X"}, {"code": "y", "name": "Y"}]}


def _with(doc, **parts):
    return {**doc, **parts}


def test_file_changes_apply_where_the_database_did_not_change():
    file = _with(BASE, areas=[{"code": "a", "name": "A renamed"}, {"code": "c", "name": "C"}])
    doc, kept = merge(BASE, file, BASE)
    assert doc["areas"] == [{"code": "a", "name": "A renamed"}, {"code": "c", "name": "C"}]  # b gone, c added
    assert kept == []


def test_web_changes_survive_an_unchanged_file():
    db = _with(BASE, periods={"current": "2025-26"}, indicators=[{"code": "x", "name": "X (web)"},
                                                                {"code": "y", "name": "Y"},
                                                                {"code": "z", "name": "Z added in the web"}])
    doc, kept = merge(BASE, BASE, db)
    assert doc == db and kept == []


def test_both_changed_keeps_the_database_and_says_so():
    db = _with(BASE, indicators=[{"code": "x", "name": "X (web)"}, {"code": "y", "name": "Y"}])
    file = _with(BASE, indicators=[{"code": "x", "name": "X (file)"}, {"code": "y", "name": "Y (file)"}])
    doc, kept = merge(BASE, file, db)
    assert doc["indicators"] == [{"code": "x", "name": "X (web)"}, {"code": "y", "name": "Y (file)"}]
    assert [k.line for k in kept] == [
        "indicator x: changed in the database since the last load, and differently in the file; "
        "the file's version was not applied"]


def test_without_a_base_every_difference_is_kept_and_additions_apply():
    db = _with(BASE, periods={"current": "2025-26"})
    file = _with(BASE, areas=BASE["areas"] + [{"code": "c", "name": "C"}])
    doc, kept = merge(None, file, db)
    assert doc["periods"] == {"current": "2025-26"}
    assert [a["code"] for a in doc["areas"]] == ["a", "b", "c"]
    assert [(k.kind, k.code) for k in kept] == [("periods", "periods")]


def test_first_load_takes_the_file():
    assert merge(None, BASE, None) == (BASE, [])
