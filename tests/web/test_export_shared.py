"""Two partnerships sharing partners: one partnership's export and load never carry or rewrite the
other's Section 11 moderation (breaker br2: Bedford Borough's folder rewrote Luton's verdict)."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)


def _section11(folder) -> dict[str, str]:
    base = folder / "assurance" / "section11"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(base.glob("*.yaml"))} if base.exists() else {}


def test_a_partnership_exports_and_loads_only_its_own_moderation(tmp_path):
    from masa.web.exporting import export_partnership
    from masa.web.store import load_folder

    load_folder(EXAMPLE)
    load_folder(EXAMPLE.parent / "bedford-borough-2024-25")
    export_partnership("luton", tmp_path / "luton-before")
    luton_before = _section11(tmp_path / "luton-before")
    assert "partnership: luton" in luton_before["2024-25.yaml"]

    export_partnership("bedford-borough", tmp_path / "bedford")
    bedford = _section11(tmp_path / "bedford")
    assert bedford, "the shared partners' assessments are part of Bedford Borough's export"
    assert all("partnership: luton" not in text and "bu@example.org" not in text for text in bedford.values())

    # a Bedford Borough folder that tries to set Luton's verdict on a shared partner
    path = tmp_path / "bedford" / "assurance" / "section11" / "2024-25.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["assessments"][0]["answers"][0]["moderation"] = [
        {"partnership": "luton", "verdict": "challenge", "by": "someone@example.org", "reason": "Set from another folder."}]
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    load_folder(tmp_path / "bedford")

    export_partnership("luton", tmp_path / "luton-after")
    assert _section11(tmp_path / "luton-after") == luton_before


def test_a_partnerships_folder_cannot_rewrite_another_partnerships_part_of_a_shared_return(tmp_path):
    from masa.web.exporting import export_partnership
    from masa.web.store import load_folder

    load_folder(EXAMPLE)
    load_folder(EXAMPLE.parent / "bedford-borough-2024-25")
    export_partnership("luton", tmp_path / "luton-before")
    export_partnership("bedford-borough", tmp_path / "bedford")
    path = tmp_path / "bedford" / "returns" / "2024-25" / "appendix-b" / "bfrs.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    luton_only = [s for s in doc["sections"] if s.get("areas") == ["luton"]]
    assert luton_only, "the example's fire service return has a part for Luton only"
    luton_only[0]["text"] = "Rewritten from Bedford Borough's folder."
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    summary = load_folder(tmp_path / "bedford")
    assert any("bfrs" in k and "other partnerships' areas" in k and "luton" in k for k in summary.kept), summary.kept
    export_partnership("luton", tmp_path / "luton-after")
    after = (tmp_path / "luton-after" / "returns" / "2024-25" / "appendix-b" / "bfrs.yaml").read_text(encoding="utf-8")
    assert "Rewritten from Bedford Borough's folder." not in after
    assert after == (tmp_path / "luton-before" / "returns" / "2024-25" / "appendix-b" / "bfrs.yaml").read_text(
        encoding="utf-8")
