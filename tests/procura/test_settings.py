"""Settings: nothing needed for a first run; production refuses to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(settings_module, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("procura.settings.production", ALLOWED_HOSTS="procuraplus.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("procura.settings.production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_its_secrets():
    result = run_django(
        "procura.settings.production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="procuraplus.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]


def test_dev_needs_no_environment_at_all():
    result = run_django("procura.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_database_url_switches_to_postgresql():
    result = run_django(
        "procura.settings.dev", DATABASE_URL="postgres://postgres@127.0.0.1:5432/procura"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_booleans_are_parsed_not_compared_as_strings():
    result = run_django("procura.settings.dev", DEBUG="false")
    assert result.stdout.split()[1] == "False"
    result = run_django("procura.settings.dev", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
