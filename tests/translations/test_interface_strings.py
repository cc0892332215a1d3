"""Interface strings: a complete, valid catalogue for every EU language, in step with the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Every app of this project (a folder beside manage.py), the project package and templates.
PROJECT_APPS = [app.name for app in apps.get_app_configs() if Path(app.path).parent == ROOT]
SOURCES = [*PROJECT_APPS, "procura", "templates", "manage.py"]


def catalogue(code):
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete_and_valid(code):
    path = catalogue(code)
    assert path.exists(), f"{path} is missing"
    po = polib.pofile(str(path))
    assert po.metadata.get("Language") == code
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{code}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{code}: fuzzy: {fuzzy[:10]}"
    assert not po.metadata_is_fuzzy
    if shutil.which("msgfmt"):
        result = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extract the strings from the code as makemessages does; each must be in the catalogue."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "de",
            "--no-location",
            "--settings",
            "procura.settings.test",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(tmp_path / catalogue("de").relative_to(ROOT)))
    }
    for code in LANGUAGES:
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue(code)))}
        missing = sorted(extracted - known, key=str)
        assert not missing, (
            f"{code}: strings in the code but not in locale/{code}: {missing[:10]} "
            "(run makemessages and translate them)"
        )
