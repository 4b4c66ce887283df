"""`masa load` of the original folder after work in the web: the file applies its own changes
and never undoes the web's (a year opened, a partner renamed)."""

from __future__ import annotations

import shutil

import pytest

from tests.web.conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def _folder(tmp_path):
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _rename_nspcc(web, name: str):
    from masa.web.administration import service

    p = service.current("luton").partner("nspcc")
    service.save_partner("luton", web.users["bu"], {
        "code": p.code, "name": name, "short_name": p.short_name, "aliases": p.aliases, "type": p.type,
        "areas": p.areas}, original="nspcc")


def test_reloading_the_folder_keeps_an_opened_year_and_a_web_rename(web, tmp_path):
    from masa.web import store
    from masa.web.site.opening import open_year

    folder = _folder(tmp_path)
    store.load_folder(folder)  # the file state the next load compares with
    open_year(store.spec_for("luton"), "2025-26", web.users["bu"])
    _rename_nspcc(web, "NSPCC (renamed in the web)")

    summary = store.load_folder(folder)
    spec = store.spec_for("luton")
    assert spec.periods.current == "2025-26"
    assert spec.partner("nspcc").name == "NSPCC (renamed in the web)"
    assert summary.spec_kept == [] and not summary.spec_changed


def test_the_files_own_changes_still_apply_and_a_clash_is_named(web, tmp_path):
    from masa.web import store

    folder = _folder(tmp_path)
    store.load_folder(folder)
    _rename_nspcc(web, "NSPCC (web)")
    partners = folder / "spec" / "partners.yaml"
    long = "name: National Society for the Prevention of Cruelty to Children"
    assert long in partners.read_text()
    partners.write_text(partners.read_text().replace(long, "name: NSPCC (file)"))
    partnership = folder / "spec" / "partnership.yaml"
    partnership.write_text(partnership.read_text().replace("name: Bedford Borough", "name: Bedford Borough (file)"))

    summary = store.load_folder(folder)
    spec = store.spec_for("luton")
    assert spec.area("bedford").name == "Bedford Borough (file)"  # the file's change applied
    assert spec.partner("nspcc").name == "NSPCC (web)"  # the web's kept
    assert summary.spec_kept == ["partner nspcc: changed in the database since the last load, and differently "
                                 "in the file; the file's version was not applied"]


def test_a_second_partnership_that_names_a_shared_partner_differently_is_refused(web, tmp_path):
    """Partners are keyed by code across the database: a second partnership's "police" is the
    first one's row, so a spec that says it is another force is refused, naming the field and
    both values, and nothing of it is stored."""
    from masa.spec import SpecError
    from masa.spec.starter import starter_spec
    from masa.spec.writer import write_spec
    from masa.web import store
    from masa.web.core.models import Partner, Partnership, SpecVersion

    folder = tmp_path / "other"
    write_spec(starter_spec("Another Partnership", ["Kent"], "2024-25"), folder / "spec")
    (folder / "returns").mkdir()
    before = (SpecVersion.objects.count(), Partner.objects.get(code="police").name)
    with pytest.raises(SpecError) as exc:
        store.load_folder(folder)
    text = str(exc.value)
    assert "partner 'police' has name 'Police force' here but 'Bedfordshire Police' in partnership 'luton'" in text
    assert (SpecVersion.objects.count(), Partner.objects.get(code="police").name) == before
    assert list(Partnership.objects.values_list("code", flat=True)) == ["luton"]


def test_the_command_line_says_why_a_second_partnership_was_not_loaded(web, tmp_path):
    from typer.testing import CliRunner

    from masa.cli import app
    from masa.spec.starter import starter_spec
    from masa.spec.writer import write_spec

    folder = tmp_path / "other"
    write_spec(starter_spec("Another Partnership", ["Kent"], "2024-25"), folder / "spec")
    (folder / "returns").mkdir()
    r = CliRunner().invoke(app, ["load", str(folder)])
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "partner 'police' has name 'Police force' here but 'Bedfordshire Police'" in out
    assert "Traceback" not in out
