"""A refused save (HTTP 4xx) never reads as saved: the return page and the autosave status
line say that nothing was saved, and why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need

pytestmark = pytest.mark.django_db
AUTOSAVE_JS = Path(__file__).resolve().parents[2] / "src" / "masa" / "web" / "site" / "static" / "masa" / "autosave.js"


def test_a_refused_save_with_a_query_says_nothing_was_saved(client, web, form_data):
    from masa.web.core.models import DataValue

    client.force_login(web.users["contributor"])
    before = sorted(DataValue.objects.filter(partner__code="bfrs").values_list("pk", "value"))
    data = form_data(web.draft, **{"fig|child_safeguarding_referrals|area=luton": "twenty one",
                                   "fig|referral_share|age-group=child": "8"})  # shares now add up to 101%
    r = client.post(f"/returns/{web.draft.pk}/", data)
    html = " ".join(r.content.decode().split())
    assert r.status_code == 400
    assert "Saved, but please check" not in html
    assert "Nothing was saved: fix the problem listed above, then save again." in html
    assert "Also check: " in html and "add up to 100" in html  # the query is still shown
    assert sorted(DataValue.objects.filter(partner__code="bfrs").values_list("pk", "value")) == before


def _refusals(client, web, form_data) -> list[tuple[int, object]]:
    """Real autosave answers for refused saves: (status, JSON body or None)."""
    out = []
    client.force_login(web.users["contributor"])
    bad = form_data(web.draft, **{"fig|child_safeguarding_referrals|area=luton": "x"})
    out.append(client.post(f"/returns/{web.draft.pk}/autosave/", bad))  # 400: a bad figure
    out.append(client.post(f"/returns/{web.submitted.pk}/autosave/", form_data(web.submitted)))  # 403: submitted
    stale = form_data(web.draft, **{"sec-training-0-text": "Mine.", "base_parts": ""})
    client.post(f"/returns/{web.draft.pk}/autosave/", form_data(web.draft, **{"sec-training-0-text": "Theirs."}))
    out.append(client.post(f"/returns/{web.draft.pk}/autosave/", stale))  # 409: someone else saved
    assert [r.status_code for r in out] == [400, 403, 409]
    assert all(r.json()["saved"] is False for r in out)
    return [(r.status_code, r.json()) for r in out] + [(403, None), (413, {"detail": [{"msg": "too large"}]})]


def test_the_autosave_status_line_never_reads_as_saved_for_a_refusal(client, web, form_data):
    need(shutil.which("node") is not None, "node not found")
    cases = _refusals(client, web, form_data)
    harness = ("global.window = {}; global.document = {getElementById: () => null};"
               f"require({json.dumps(str(AUTOSAVE_JS))});"
               f"const cases = {json.dumps(cases)};"
               "console.log(JSON.stringify(cases.map(([s, j]) => window.masaSaveMessage(false, s, j, '10:00:00'))));"
               "console.log(JSON.stringify(window.masaSaveMessage(true, 200, {saved: true, message: 'Draft saved'}, "
               "'10:00:00')));")
    run = subprocess.run(["node", "-e", harness], check=False, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    refused, saved = (json.loads(line) for line in run.stdout.splitlines())
    assert saved == "Draft saved at 10:00:00"
    for (status, _), message in zip(cases, refused):
        assert message.startswith("Not saved"), (status, message)
        assert "Saved" not in message and "saved at" not in message
    assert "not open for editing" in refused[1]  # the reason is given
    assert "HTTP 403" in refused[3] and "too large" in refused[4]


def test_a_figure_held_by_another_return_is_refused_and_nothing_is_saved(client, web, form_data):
    """ELFT's 2024-25 return holds last year's referrals: a 2023-24 draft cannot change them,
    and neither the page nor autosave may read as saved (or as someone else's edit)."""
    from masa.returns import Return
    from masa.web.core.models import DataValue
    from masa.web.core.models import Return as Row
    from masa.web.demo import ensure_user
    from masa.web.store import save_returns, spec_for
    from tests.web.conftest import PASSWORD

    save_returns(spec_for("luton"), [Return(partner="elft", period="2023-24", template="appendix-b", status="draft")])
    row = Row.objects.select_related("partner", "period", "template").get(partner__code="elft", period__code="2023-24")
    client.force_login(ensure_user("elft.contributor@example.org", "contributor", "elft", PASSWORD))
    data = form_data(row, **{"fig|csc_referrals|": "999", "sec-achievements-0-text": "Referrals were reviewed."})
    r = client.post(f"/returns/{row.pk}/", data)
    html = " ".join(r.content.decode().split())
    assert r.status_code == 409
    assert ("Nothing was saved: csc_referrals for 2023-24 (total) is 420 in the elft 2024-25 appendix-b return "
            "(submitted); change it there, not here") in html
    assert "Your return was saved" not in html
    r = client.post(f"/returns/{row.pk}/autosave/", data)
    assert r.status_code == 409 and r.json()["saved"] is False
    assert r.json()["message"].startswith("Not saved: csc_referrals for 2023-24 (total) is 420 in the elft")
    assert DataValue.objects.get(partner__code="elft", indicator__code="csc_referrals", period__code="2023-24",
                                 by_key="").value == 420
    assert not Row.objects.get(pk=row.pk).sections.exists()
