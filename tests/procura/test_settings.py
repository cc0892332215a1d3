"""Settings: nothing needed for a first run; production refuses to start without secrets."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Reading the settings is what validates them (`env.seal()` in each settings module): a subprocess
# that only reads them is enough to see a refusal, and saves the whole site's imports.
# `test_production_starts_with_its_secrets` sets the whole site up.
READ_SETTINGS = "from django.conf import settings;"
SET_UP = "import django; django.setup(); from django.conf import settings;"


def run_django(settings_module, start=READ_SETTINGS, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "EMAIL_URL"}
        | {"WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"{start} print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("procura.settings.production", **without("SECRET_KEY"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("procura.settings.production", **without("ALLOWED_HOSTS"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


PRODUCTION = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "procuraplus.example",
    "EMAIL_URL": "submission://network:secret@mail.procuraplus.example",
    "WAGTAILADMIN_BASE_URL": "https://procuraplus.example/",
}


def without(name):
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_production_starts_with_its_secrets():
    result = run_django("procura.settings.production", start=SET_UP, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]


def mail_settings(settings_module, **env):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings as s;"
            " print(json.dumps({k: str(getattr(s, k, None)) for k in ("
            "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_HOST_USER',"
            " 'EMAIL_FILE_PATH', 'WAGTAILADMIN_BASE_URL', 'WAGTAILAPI_BASE_URL',"
            " 'SERVER_EMAIL')}))",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_mail_server():
    result = run_django("procura.settings.production", **without("EMAIL_URL"))
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
    for url in ("console://", "memory://", "dummy://", "nonsense"):
        result = run_django("procura.settings.production", **{**PRODUCTION, "EMAIL_URL": url})
        assert result.returncode != 0, url
        assert "EMAIL_URL" in result.stderr and "must deliver mail" in result.stderr, url


def test_production_refuses_to_start_without_its_public_address():
    result = run_django("procura.settings.production", **without("WAGTAILADMIN_BASE_URL"))
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL" in result.stderr
    result = run_django(
        "procura.settings.production", **{**PRODUCTION, "WAGTAILADMIN_BASE_URL": "procuraplus"}
    )
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL" in result.stderr


def test_production_mail_and_addresses_come_from_the_environment():
    mail = mail_settings("procura.settings.production", **PRODUCTION)
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"]) == ("mail.procuraplus.example", "587")
    assert (mail["EMAIL_USE_TLS"], mail["EMAIL_HOST_USER"]) == ("True", "network")
    assert mail["WAGTAILADMIN_BASE_URL"] == mail["WAGTAILAPI_BASE_URL"]
    assert mail["WAGTAILAPI_BASE_URL"] == "https://procuraplus.example"
    assert mail["SERVER_EMAIL"] == "Procura+ Network <network@procuraplus.example>"

    mail = mail_settings(
        "procura.settings.production",
        **{
            **PRODUCTION,
            "EMAIL_URL": "file:///srv/mail",
            "WAGTAILAPI_BASE_URL": "https://api.procuraplus.example",
            "SERVER_EMAIL": "errors@procuraplus.example",
        },
    )
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mail["EMAIL_FILE_PATH"] == "/srv/mail"
    assert mail["WAGTAILAPI_BASE_URL"] == "https://api.procuraplus.example"
    assert mail["SERVER_EMAIL"] == "errors@procuraplus.example"

    mail = mail_settings("procura.settings.dev")
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


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
