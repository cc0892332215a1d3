"""Backups of the site's database and media in one archive, and their restore
(`manage.py backup`, `manage.py restore`; docs/operations.md, "Backups").

An archive is a .tar.gz holding:

- `database.sql` (PostgreSQL: pg_dump's plain SQL, without owners or privileges, so that it
  restores as any role) or `database.sqlite3` (SQLite: a copy made with SQLite's online
  backup, consistent while the site runs);
- `media/…`: every file of MEDIA_ROOT (images, their renditions, documents);
- `manifest.json`: the database's vendor, the rows of every table as the dump holds them,
  and the size and SHA-256 of the dump and of every media file.

A restore goes into an empty database (no tables) and an empty MEDIA_ROOT, all or nothing:
the archive is checked against its manifest first, the database is loaded in one
transaction that also checks every table's rows against the manifest, and only then are
the media files, already unpacked and checked in a folder of the restore's own inside MEDIA_ROOT,
moved into place.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.sql", "sqlite": "database.sqlite3"}
NAME_PATTERN = re.compile(r"^procura-(\d{8})-(\d{6})\.tar\.gz$")
# A table's data in pg_dump's plain format: `COPY public.name (columns) FROM stdin;`, then a
# line for each row (newlines within values are escaped), then `\.`.
COPY_LINE = re.compile(r"^COPY (\S+) \(.*\) FROM stdin;$")
TABLE_NAME = re.compile(r'^(\w+|"[^"\']+")\.(\w+|"[^"\']+")$')
# The folder a restore unpacks into, inside MEDIA_ROOT: not the site's media (the site serves
# only `original_images/` and `images/`), left out of a backup and of the emptiness check.
RESTORING = ".restore-"


class BackupError(Exception):
    """Why a backup or a restore could not be made; nothing was changed, unless it says so."""


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root):
    """{relative path: (size, SHA-256)} of every file under `root`, but in a restore's folder."""
    root = Path(root)
    if not root.is_dir():
        return {}
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.relative_to(root).parts[0].startswith(RESTORING):
            files[path.relative_to(root).as_posix()] = (path.stat().st_size, sha256(path))
    return files


# --- The database, per vendor -----------------------------------------------------------


def _vendor():
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _postgresql_command(program, settings_dict=None):
    # Django's own translation of the database settings into libpq's arguments and
    # environment (PGPASSWORD, PGSSLMODE…), as `manage.py dbshell` uses them.
    args, env = connection.client.settings_to_cmd_args_env(
        settings_dict or connection.settings_dict, []
    )
    if shutil.which(program) is None:
        raise BackupError(f"{program} is needed (apt-get install postgresql-client).")
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _dump_postgresql(target):
    command, env = _postgresql_command("pg_dump")
    # The database name is the last argument; options go before it.
    command[-1:-1] = ["--format=plain", "--no-owner", "--no-privileges", f"--file={target}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return _copy_row_counts(target)


def _copy_row_counts(dump):
    counts, table = {}, None
    with open(dump, encoding="utf-8") as handle:
        for line in handle:
            if table is None:
                match = COPY_LINE.match(line.rstrip("\n"))
                if match:
                    table = match.group(1)
                    counts[table] = 0
            elif line == "\\.\n":
                table = None
            else:
                counts[table] += 1
    return counts


def _sqlite_tables(database):
    names = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    counts = {}
    for (name,) in names:
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = database.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]  # noqa: S608 (a name from the schema, quoted)
    return counts


def _dump_sqlite(target):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # SQLite's online backup: a consistent copy, even of an in-memory database.
        connection.connection.backup(copy)
        return _sqlite_tables(copy)
    finally:
        copy.close()


def database_is_empty():
    return not connection.introspection.table_names(include_views=True)


# --- Backup -----------------------------------------------------------------------------


def create_backup(folder, now=None):
    """Write an archive of the database and MEDIA_ROOT into `folder`; return its path."""
    vendor = _vendor()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.datetime.now(datetime.UTC)
    archive = folder / f"procura-{now:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} exists already.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="procura-backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        # The database first: a file uploaded meanwhile is in the media, not yet in the
        # database, which does no harm; the other way round, a row would lack its file.
        tables = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        media = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(timespec="seconds"),
            "database": {
                "vendor": vendor,
                "file": dump.name,
                "size": dump.stat().st_size,
                "sha256": sha256(dump),
                "tables": tables,
            },
            "media": {
                name: {"size": size, "sha256": digest} for name, (size, digest) in media.items()
            },
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = archive.with_name(archive.name + ".partial")
        # Password hashes and unpublished drafts: for the operator's eyes only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
                tar.add(dump, arcname=dump.name)
                for name in media:
                    tar.add(media_root / name, arcname=f"media/{name}")
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive, manifest


def prune(folder, keep_daily, keep_weekly):
    """Delete the archives in `folder` that neither the newest `keep_daily` days nor the
    newest `keep_weekly` ISO weeks keep (each keeps its newest archive); return them."""
    archives = sorted(
        (path for path in Path(folder).glob("procura-*.tar.gz") if NAME_PATTERN.match(path.name)),
        reverse=True,
    )
    kept, days, weeks = set(), [], []
    for path in archives:
        day = datetime.datetime.strptime(NAME_PATTERN.match(path.name).group(1), "%Y%m%d").date()
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                kept.add(path)
        week = day.isocalendar()[:2]
        if week not in weeks:
            weeks.append(week)
            if len(weeks) <= keep_weekly:
                kept.add(path)
    removed = [path for path in archives if path not in kept]
    for path in removed:
        path.unlink()
    return removed


# --- Restore ----------------------------------------------------------------------------


def _read_archive(archive, work):
    """Unpack `archive` into `work` and check it against its manifest; return the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            tar.extractall(work, filter="data")
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(f"{archive} cannot be read: {error}") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable {MANIFEST}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{archive} is of format {found}, not {FORMAT}.")
    if not _manifest_is_whole(manifest):
        raise BackupError(f"{archive}: its {MANIFEST} lacks what a backup of this site records.")
    database = manifest["database"]
    dump = (work / database["file"]).resolve()
    if not dump.is_relative_to(work.resolve()):
        raise BackupError(f"{archive}: the manifest names a dump outside the archive.")
    if not dump.is_file() or sha256(dump) != database["sha256"]:
        raise BackupError(f"{archive}: the database dump does not match the manifest.")
    if (work / "media").exists() and not (work / "media").is_dir():
        raise BackupError(f"{archive}: media is not a folder.")
    found = media_files(work / "media")
    expected = {name: (entry["size"], entry["sha256"]) for name, entry in manifest["media"].items()}
    if found != expected:
        wrong = sorted(set(found.items()) ^ set(expected.items()))
        raise BackupError(
            f"{archive}: {len(wrong)} media files do not match the manifest, e.g. {wrong[0][0]}."
        )
    return manifest


def _manifest_is_whole(manifest):
    """The manifest has what `create_backup` records, of the types it records them in."""
    database, media = manifest.get("database"), manifest.get("media")
    if not isinstance(database, dict) or not isinstance(media, dict):
        return False
    if not all(isinstance(database.get(key), str) for key in ("file", "sha256", "vendor")):
        return False
    tables = database.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(n, int) for n in tables.values()):
        return False
    return all(
        isinstance(entry, dict)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        for entry in media.values()
    )


def _restore_postgresql(work, manifest, replace):
    prologue = work / "prologue.sql"
    # Replacing: the schema goes, in the same transaction as the load that follows.
    prologue.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" if replace else "")
    checks = work / "checks.sql"
    lines = ["DO $checks$ BEGIN"]
    for table, rows in manifest["database"]["tables"].items():
        if not TABLE_NAME.match(table):
            raise BackupError(f"The manifest names an unexpected table: {table!r}.")
        # The name as pg_dump wrote it, checked above.
        count = f"SELECT count(*) FROM {table}"  # noqa: S608
        lines.append(
            f"  IF ({count}) <> {int(rows)} THEN"
            f" RAISE EXCEPTION 'table {table}: not the {int(rows)} rows of the archive'; END IF;"
        )
    lines.append("END $checks$;")
    checks.write_text("\n".join(lines) + "\n")
    command, env = _postgresql_command("psql")
    command[-1:-1] = [
        "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
        f"--file={prologue}", f"--file={work / manifest['database']['file']}",
        f"--file={checks}",
    ]  # fmt: skip
    connection.close()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"The database was left as it was; psql said: {result.stderr.strip()}")


def _restore_sqlite(work, manifest):
    source = sqlite3.connect(work / manifest["database"]["file"])
    try:
        try:
            tables = _sqlite_tables(source)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database dump is not a SQLite database: {error}") from None
        if tables != manifest["database"]["tables"]:
            raise BackupError("The database dump's rows do not match the manifest.")
        connection.close()
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            # One step of SQLite's backup: the target is replaced whole, or not at all.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def restore_backup(archive, force=False):
    """Restore `archive` into this site's database and MEDIA_ROOT (see the module's doc)."""
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    database_empty = database_is_empty()
    media_empty = not media_files(media_root)
    if not force and not (database_empty and media_empty):
        full = [
            name
            for name, empty in (("the database", database_empty), ("MEDIA_ROOT", media_empty))
            if not empty
        ]
        verb = "are" if len(full) > 1 else "is"
        raise BackupError(
            f"Refusing to restore: {' and '.join(full)} {verb} not empty. Restore into an empty"
            " database (and an empty MEDIA_ROOT), or replace what is there with --force."
        )
    media_root.mkdir(parents=True, exist_ok=True)
    # Unpacked inside MEDIA_ROOT (a folder readable by this user only): on its file system,
    # often a volume of its own, so that the files move into place by renaming.
    work = Path(tempfile.mkdtemp(prefix=RESTORING, dir=media_root))
    try:
        manifest = _read_archive(Path(archive), work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive is of a {manifest['database']['vendor']} database; this site"
                f" uses {vendor}."
            )
        if vendor == "postgresql":
            _restore_postgresql(work, manifest, replace=not database_empty)
        else:
            _restore_sqlite(work, manifest)
        # The database is restored: the media follow.
        _put_media_in_place(work / "media", media_root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _put_media_in_place(incoming, media_root, work):
    """Replace what MEDIA_ROOT holds by what `incoming` holds, by renaming each entry: the
    former into `work` (deleted with it), then the latter into MEDIA_ROOT. MEDIA_ROOT itself
    stays, as it must where it is a mount point. If a rename fails, the renames made are
    undone: MEDIA_ROOT holds what it held, none of it deleted."""
    incoming.mkdir(exist_ok=True)
    replaced = work / "replaced"
    replaced.mkdir(exist_ok=True)
    done = []  # (where an entry is now, where it was)
    try:
        for entry in sorted(media_root.iterdir()):
            if entry != work:
                entry.rename(replaced / entry.name)
                done.append((replaced / entry.name, entry))
        for entry in sorted(incoming.iterdir()):
            entry.rename(media_root / entry.name)
            done.append((media_root / entry.name, entry))
    except OSError as error:
        for now, was in reversed(done):
            now.rename(was)
        raise BackupError(
            f"The database was restored, but its media files could not be put in place:"
            f" {error}. MEDIA_ROOT holds what it held; restore again with --force."
        ) from error
