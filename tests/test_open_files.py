"""The worker's open-file limit is raised at start, since every provider server, stream client and
database connection holds a descriptor."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_with_low_limit(code: str, **env: str) -> tuple[list[str], int]:
    """Run `code` in a new interpreter whose soft limit starts low; its output's words, and the hard limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = 256 if hard == resource.RLIM_INFINITY else min(256, hard)
    started = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                             env={**os.environ, **env},
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard)))
    # An unlimited hard limit is left alone: there is no number to raise the soft one to.
    return started.stdout.split(), low if hard == resource.RLIM_INFINITY else hard


def test_a_low_soft_limit_is_raised_to_the_hard_limit():
    words, expected = run_with_low_limit(
        "import resource; from gateway.open_files import raise_open_file_limit; "
        "print(raise_open_file_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    assert words == [str(expected), str(expected)]


def test_the_gunicorn_entry_point_raises_it(tmp_path):
    words, expected = run_with_low_limit(
        "import resource, wsgi; print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])",
        DATABASE_URL=f"sqlite:///{tmp_path}/gateway.sqlite3", SECRET_KEY="test", BACKGROUND_JOBS="false",
        LOG_LEVEL="ERROR")
    assert words[-1:] == [str(expected)]
