"""`flask --app app simulator` and `python -m gateway.simulator` start the simulator of the chosen provider,
Evolution by default, with that simulator's own options passed through."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from gateway.simulator.testing import ROOT, free_port, launch


@pytest.fixture
def flask_command(runner, monkeypatch):
    """The command line `flask --app app simulator ARGS` would exec (the exec itself would replace pytest)."""
    def command(*args: str) -> list[str]:
        executed = []
        monkeypatch.setattr("gateway.cli.os.execv", lambda executable, argv: executed.append(argv))
        result = runner.invoke(args=["simulator", *args])
        assert result.exit_code == 0, result.output
        return executed[0]
    return command


def test_evolution_is_the_default_and_takes_its_own_options(flask_command):
    port = free_port()
    with launch(flask_command("--port", str(port), "--api-key", "k", "--global-events"), port, "k", "/") as running:
        first_line = Path(running.log_path).read_text().splitlines()[0]
    assert first_line.startswith(f"Evolution API simulator (a stand-in for an Evolution API server, not the real "
                                 f"thing) listening on http://127.0.0.1:{port}")
    assert "global events on" in first_line


def test_waha_takes_its_version(flask_command):
    port = free_port()
    command = flask_command("--provider", "waha", "--port", str(port), "--api-key", "k", "--waha-version", "2024.10.8")
    with launch(command, port, "k", "/ping") as running:
        answer = requests.get(f"{running.base_url}/api/server/version", timeout=5).json()
    assert answer["version"] == "2024.10.8"


@pytest.mark.parametrize("provider, prog", [(None, "python -m gateway.simulator.evolution"),
                                            ("waha", "python -m gateway.simulator.waha")])
def test_python_m_hands_over_to_the_providers_own_command_line(provider, prog):
    args = ["--provider", provider] if provider else []
    done = subprocess.run([sys.executable, "-m", "gateway.simulator", *args, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith(f"usage: {prog} ")


def test_an_unknown_provider_is_refused_with_the_choices():
    done = subprocess.run([sys.executable, "-m", "gateway.simulator", "--provider", "twilio"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "invalid choice: 'twilio'" in done.stderr
    assert "evolution" in done.stderr and "waha" in done.stderr
