"""The migrated databases the tests start from, kept between runs: a SQLite file in
var/test-databases/, and on PostgreSQL a database of the server the run uses.

Applying every migration is the slowest step of a test run's set-up (most of it Django
rendering the model states of Wagtail's migrations; docs/benchmarks.md), and every run starts
from the same result. So it is made once and named by a digest of what makes it: the
migration files of every installed app, the settings modules and the versions of Python,
Django and SQLite. A change to any of them gives a new name, hence a fresh `migrate`; older
ones are removed then. Each xdist worker's test database is a copy: of the file on SQLite,
made by PostgreSQL from the migrated database as its template (`CREATE DATABASE … TEMPLATE`).

`python -m tests.database` makes the SQLite file ahead of a run and prints its path; given a
file a fresh `manage.py migrate` (settings `procura.settings.dev`) has just made, it keeps a
copy of that instead of migrating once more (`.ci/run` passes the one the `make run` path
made). `tests/test_database.py` checks that the test database has every migration applied,
whichever way its file was made.
"""

import fcntl
import hashlib
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "var" / "test-databases"


def digest_inputs():
    """{key: path} of the files a fresh `migrate` reads: every installed app's migrations and
    the settings modules (Django must be set up).

    The migration files are found where Django's loader looks for them, without importing
    them: a migration of wagtail-localize reads the database as it is imported."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    files = {}
    for app in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app.label)
        try:
            spec = module_name and importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            spec = None
        if not spec or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for path in Path(folder).glob("*.py"):
                if not path.name.startswith(("_", "~")):
                    files[(app.label, path.stem)] = path
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


# Held while a migrated PostgreSQL database is looked for or made: one per server, whichever
# machine or run asks.
POSTGRESQL_LOCK = 8_151_001


def _migrate(database_url):
    """`manage.py migrate` on the database at `database_url`, as a process of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "ELASTICSEARCH_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="procura.settings.dev", DATABASE_URL=database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


def migrated_template(migrated=None):
    """The path of a SQLite file every migration was applied to: made when missing, under a
    lock, so parallel workers and runs wait for one `migrate` rather than each running it.
    `migrated`: a file a finished `migrate` left (no process holds it open), copied when the
    template is missing."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    template = FOLDER / f"migrated-{migration_digest()}.sqlite3"
    with (FOLDER / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            partial = FOLDER / f"migrating-{os.getpid()}.sqlite3"
            partial.unlink(missing_ok=True)
            if migrated:
                shutil.copyfile(migrated, partial)
            else:
                _migrate(f"sqlite:///{partial}")
            partial.rename(template)
            for older in FOLDER.glob("migrated-*.sqlite3"):
                if older != template:
                    older.unlink()
    return template


def migrated_postgresql_template(settings_dict):
    """The name of a database every migration was applied to, on the PostgreSQL server of
    `settings_dict` (Django's connection settings): made when missing, under an advisory
    lock of the server, for the test databases to be made from."""
    import psycopg
    from psycopg import sql

    name = f"procura_migrated_{migration_digest()}"
    server = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", [POSTGRESQL_LOCK])
        try:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone() is None:
                # Only the lock's holder migrates: what another left half made goes first.
                partial = "procura_migrating"
                _drop_databases(admin, "procura\\_migrating%")
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(partial)))
                _migrate(_postgresql_url(server, partial))
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(partial), sql.Identifier(name)
                    )
                )
                _drop_databases(admin, "procura\\_migrated\\_%", keep=name)
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [POSTGRESQL_LOCK])
    return name


def _drop_databases(admin, pattern, keep=""):
    """Drop the databases whose names are LIKE `pattern`, but `keep`."""
    from psycopg import sql

    found = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
        [pattern, keep],
    )
    for (database,) in found.fetchall():
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def _postgresql_url(server, database):
    from urllib.parse import quote

    user = quote(server["user"] or "", safe="")
    password = f":{quote(server['password'], safe='')}" if server["password"] else ""
    credentials = f"{user}{password}@" if user else ""
    host = server["host"] or ""
    port = f":{server['port']}" if server["port"] else ""
    return f"postgres://{credentials}{host}{port}/{database}"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.test")
    os.environ.pop("DATABASE_URL", None)  # the file is SQLite's, whatever the run's database

    import django

    django.setup()
    print(migrated_template(sys.argv[1] if len(sys.argv) > 1 else None))
