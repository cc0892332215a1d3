"""The migrated SQLite file the tests start from, kept in var/test-databases/ between runs.

Applying every migration is the slowest step of a test run's set-up (most of it Django
rendering the model states of Wagtail's migrations; docs/benchmarks.md), and every run on
SQLite starts from the same result. So the file is made once and named by a digest of what
makes it: the migration files of every installed app, the settings modules and the versions
of Python, Django and SQLite. A change to any of them gives a new name, hence a fresh
`migrate`; older files are removed then.

`python -m tests.database` makes the file ahead of a run (`.ci/run` does, after the `make
run` path) and prints its path.
"""

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "var" / "test-databases"


def digest_inputs():
    """{key: path} of the files a fresh `migrate` reads: every installed app's migrations and
    the settings modules (Django must be set up)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files = {
        key: Path(sys.modules[migration.__module__].__file__)
        for key, migration in loader.disk_migrations.items()
    }
    settings = (ROOT / "procura" / "settings").glob("*.py")
    return files | {("settings", path.name): path for path in settings}


def migration_digest(inputs=None):
    """A digest of everything a fresh `migrate` depends on."""
    import django

    digest = hashlib.sha256()
    digest.update(f"{sys.version} {django.__version__} {sqlite3.sqlite_version}".encode())
    inputs = digest_inputs() if inputs is None else inputs
    for key in sorted(inputs):
        digest.update(repr(key).encode())
        digest.update(inputs[key].read_bytes())
    return digest.hexdigest()[:16]


def migrated_template():
    """The path of a SQLite file every migration was applied to: made when missing, under a
    lock, so parallel workers and runs wait for one `migrate` rather than each running it."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    template = FOLDER / f"migrated-{migration_digest()}.sqlite3"
    with (FOLDER / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            partial = FOLDER / f"migrating-{os.getpid()}.sqlite3"
            partial.unlink(missing_ok=True)
            env = {
                k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "ELASTICSEARCH_URL"}
            }
            env.update(
                DJANGO_SETTINGS_MODULE="procura.settings.dev", DATABASE_URL=f"sqlite:///{partial}"
            )
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=600,
            )
            partial.rename(template)
            for older in FOLDER.glob("migrated-*.sqlite3"):
                if older != template:
                    older.unlink()
    return template


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.test")
    os.environ.pop("DATABASE_URL", None)  # the file is SQLite's, whatever the run's database

    import django

    django.setup()
    print(migrated_template())
