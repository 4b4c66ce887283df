"""`masa serve` beyond this machine refuses a missing or short secret key, in one line,
before it touches the database or starts a server."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


def _serve(monkeypatch, key, host="0.0.0.0"):
    from masa.cli import app

    if key is None:
        monkeypatch.delenv("MASA_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("MASA_SECRET_KEY", key)
    for var in ("MASA_INSECURE_HTTP", "MASA_WARM_UP"):  # serve sets these; restore them afterwards
        monkeypatch.delenv(var, raising=False)
    started = []
    monkeypatch.setattr("masa.web.setup", lambda **k: started.append("setup"))
    monkeypatch.setattr("os.execv", lambda *a: started.append("execv"))
    monkeypatch.setattr("masa.cli.web_cmd.start_beside", lambda pid: started.append("worker"))
    return CliRunner().invoke(app, ["serve", "--host", host]), started


@pytest.mark.parametrize("length", [1, 32, 49])
def test_a_short_secret_key_is_refused_beyond_loopback(monkeypatch, length):
    result, started = _serve(monkeypatch, "k" * length)
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert f"needs a MASA_SECRET_KEY of at least 50 characters (it has {length})" in out
    assert started == []


def test_a_50_character_key_is_accepted(monkeypatch):
    result, started = _serve(monkeypatch, "k" * 50)
    assert result.exit_code == 0, result.output
    assert started == ["setup", "worker", "execv"]  # the background worker beside the server


def test_loopback_still_runs_with_a_short_key(monkeypatch):
    result, started = _serve(monkeypatch, "short", host="127.0.0.1")
    assert result.exit_code == 0, result.output
    assert started == ["setup", "worker", "execv"]  # the background worker beside the server
