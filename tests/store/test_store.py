"""Storage: loading is idempotent and all-or-nothing; submitted versions are frozen; what
goes in comes back out as the same returns."""

from __future__ import annotations

import shutil

import pytest

from masa.returns import load_dataset
from masa.spec import SpecError

pytestmark = pytest.mark.django_db(transaction=True)


def _counts():
    from masa.web.core import models as m

    return {name: getattr(m, name).objects.count()
            for name in ("Return", "DataValue", "SectionAnswer", "Audit", "AuditAction", "Highlight",
                         "ReturnVersion", "SpecVersion", "Attachment", "CaseStudy")}


def test_loading_twice_changes_nothing(example_dir):
    from masa.web.core.models import Return
    from masa.web.store import load_folder

    first = load_folder(example_dir)
    assert first.created and first.spec_changed
    before = _counts()
    stamps = dict(Return.objects.values_list("pk", "updated_at"))
    second = load_folder(example_dir)
    assert not second.changed
    assert len(second.unchanged) == len(first.created)
    assert _counts() == before
    assert dict(Return.objects.values_list("pk", "updated_at")) == stamps


def test_a_failure_mid_load_leaves_the_database_as_it_was(example_dir, tmp_path, monkeypatch):
    from masa.web import store

    folder = tmp_path / "example"
    shutil.copytree(example_dir, folder)
    store.load_folder(folder)
    before = _counts()
    # Change every return so each one is rewritten, then fail while writing the second.
    for path in (folder / "returns").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("status: submitted", "status: approved"),
                        encoding="utf-8")
    real, calls = store.snapshot, []

    def failing(row, ret):  # each changed, non-draft return is frozen as a version
        calls.append(ret.partner)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(row, ret)

    monkeypatch.setattr(store, "snapshot", failing)
    with pytest.raises(RuntimeError):
        store.load_folder(folder)
    assert _counts() == before
    from masa.web.core.models import Return
    assert not Return.objects.filter(status="approved").exists()


def test_an_invalid_return_stores_nothing(example_dir, tmp_path):
    from masa.web import store

    folder = tmp_path / "example"
    shutil.copytree(example_dir, folder)
    victim = sorted((folder / "returns").rglob("*.yaml"))[-1]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nvalues:\n  - {indicator: no_such_thing, value: 1}\n"
                      if "\nvalues:" not in victim.read_text(encoding="utf-8") else
                      victim.read_text(encoding="utf-8").replace("\nvalues:\n", "\nvalues:\n  - {indicator: no_such_thing, value: 1}\n", 1),
                      encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        store.load_folder(folder)
    assert victim.name in str(exc.value) and "no_such_thing" in str(exc.value)
    assert _counts()["Return"] == 0


def test_stored_returns_come_back_as_loaded(example_dir):
    from masa.web.store import dataset_for, load_folder

    from masa.returns.scope import scope_dataset
    from masa.web.core.models import DataValue

    load_folder(example_dir)
    # Luton's view of what was loaded: the police's Bedford figures are stored, but not Luton's.
    original = scope_dataset(load_dataset(example_dir))
    assert DataValue.objects.filter(partner__code="police", area__code="bedford").exists()
    period = original.spec.periods.current
    stored = dataset_for("luton", period)
    want = {r.key(): r for r in original.returns if r.period == period}
    got = {r.key(): r for r in stored.returns}
    assert set(got) == set(want)
    for key, ret in want.items():
        back = got[key]
        for field in ("status", "sections", "audits", "highlights", "challenges", "next_year", "voice",
                      "case_studies", "attachments"):
            assert getattr(back, field) == getattr(ret, field), (key, field)
        as_loaded = {v.key(ret.partner, ret.period): (v.value, v.provenance.kind) for v in ret.values}
        as_stored = {v.key(back.partner, back.period): (v.value, v.provenance.kind) for v in back.values}
        assert as_stored == as_loaded, key


def test_a_save_rewrites_only_the_parts_that_changed(example_dir):
    """Editing one figure must not recreate the return's sections (an autosave stays cheap)."""
    from masa.web.core.models import Return as Row
    from masa.web.store import load_folder, return_from_row, save_returns, spec_for

    load_folder(example_dir)
    row = Row.objects.get(partner__code="elft", period__code="2024-25", template__code="appendix-b")
    sections_before = list(row.sections.values_list("pk", flat=True))
    ret = return_from_row(row)
    edited = ret.values[0].model_copy(update={"value": (ret.values[0].value or 0) + 1})
    save_returns(spec_for("luton"), [ret.model_copy(update={"values": [edited, *ret.values[1:]]})])
    row.refresh_from_db()
    assert list(row.sections.values_list("pk", flat=True)) == sections_before
    back = return_from_row(row)
    assert back.values[0].value == edited.value and back.sections == ret.sections


def test_submitted_versions_cannot_be_changed_or_deleted(example_dir):
    from masa.web.core.models import ImmutableError, ReturnVersion
    from masa.web.store import load_folder

    load_folder(example_dir)
    version = ReturnVersion.objects.first()
    assert version is not None, "submitted returns are frozen as versions"
    version.status = "approved"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()


def test_unknown_partnership_or_period_lists_the_valid_ones(example_dir):
    from masa.web.store import UnknownChoice, dataset_for, load_folder

    load_folder(example_dir)
    with pytest.raises(UnknownChoice, match="valid partnerships: luton"):
        dataset_for("lutonn", "2024-25")
    with pytest.raises(UnknownChoice, match="2023-24, 2024-25, 2025-26"):
        dataset_for("luton", "2019-20")


def test_a_figure_held_by_another_return_is_never_taken_over(example_dir):
    """ELFT's 2024-25 return holds last year's 420 referrals; a 2023-24 draft cannot rewrite it."""
    from masa.returns import DataValue, Return
    from masa.web.core.models import DataValue as Row
    from masa.web.store import FigureOwned, load_folder, save_returns, spec_for

    load_folder(example_dir)
    spec = spec_for("luton")
    held = Row.objects.get(partner__code="elft", indicator__code="csc_referrals", period__code="2023-24", by_key="")
    owner = held.ret_id
    draft = Return(partner="elft", period="2023-24", template="appendix-b",
                   values=[DataValue(indicator="csc_referrals", value=999)])
    with pytest.raises(FigureOwned, match="is 420 in the elft 2024-25 appendix-b return"):
        save_returns(spec, [draft])
    held.refresh_from_db()
    assert (held.value, held.ret_id) == (420, owner)

    same = draft.model_copy(update={"values": [DataValue(indicator="csc_referrals", value=420)]})
    save_returns(spec, [same])  # agreeing with the stored figure is fine; it stays where it is
    held.refresh_from_db()
    assert (held.value, held.ret_id) == (420, owner)
