"""`manage.py backup` and `manage.py restore` as an operator runs them, on the database kind of
this run: PostgreSQL when DATABASE_URL names one (databases procura_restore_* of the test's
own on that server, dropped afterwards), SQLite files otherwise. A site with content, images
and a document is backed up, then restored into fresh databases: every table's rows and every
media file's checksum must come back, and a refused or damaged restore must change nothing."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest

from operations.backups import prune, sha256
from tests.importer.test_importer import DATA
from tests.procura.test_production import IMAGE

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("DATABASE_URL", "")
POSTGRESQL = SERVER_URL.startswith(("postgres://", "postgresql://"))

pytestmark = pytest.mark.long_running

DOCUMENT = """
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
Document.objects.create(title="Tender", file=ContentFile(b"%PDF-1.4 tender", name="tender.pdf"))
"""


def server_url(database):
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


def postgresql(sql):
    import psycopg

    with psycopg.connect(server_url("postgres"), autocommit=True) as db:
        db.execute(sql)


class Sites:
    """Fresh databases (and media folders) for a source site and its restores."""

    def __init__(self, folder):
        self.folder = folder
        self.databases = []

    def new(self, name):
        media = self.folder / name / "media"
        media.parent.mkdir(parents=True)
        if POSTGRESQL:
            database = f"procura_restore_{name}_{uuid.uuid4().hex[:8]}"
            postgresql(f'CREATE DATABASE "{database}"')
            self.databases.append(database)
            url = server_url(database)
        else:
            url = f"sqlite:///{self.folder / name / 'site.sqlite3'}"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"ELASTICSEARCH_URL", "CACHE_URL", "FRONTEND_CACHE_URL", "EMAIL_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="procura.settings.dev",
            DEBUG="false",
            DATABASE_URL=url,
            MEDIA_ROOT=str(media),
        )
        return SimpleNamespace(url=url, media=media, env=env)

    def drop(self):
        for database in self.databases:
            postgresql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def manage(site, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def row_counts(site):
    """Every table's rows, read from the database itself."""
    if POSTGRESQL:
        import psycopg

        with psycopg.connect(site.url) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                ).fetchall()
            ]
            return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    path = urlsplit(site.url).path
    if not Path(path).exists():
        return {}
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def checksums(folder):
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    sites = Sites(tmp_path_factory.mktemp("backups"))
    try:
        yield sites
    finally:
        sites.drop()


@pytest.fixture(scope="module")
def source(sites, request):
    site = sites.new("src")
    content = sites.folder / "content.json"
    content.write_text(json.dumps(DATA), encoding="utf-8")
    if not POSTGRESQL:
        request.getfixturevalue("migrated_sqlite")(urlsplit(site.url).path)
    manage(site, "migrate", "--no-input", "-v0")
    manage(site, "setup_site")
    manage(site, "import_content", str(content))
    manage(site, "shell", "--no-imports", "-c", IMAGE + DOCUMENT)  # one start-up for both
    output = manage(site, "backup", "--output-dir", str(sites.folder / "archives")).stdout
    site.archive = Path(output.split(":")[0])
    site.counts = row_counts(site)
    site.media_checksums = checksums(site.media)
    return site


def test_a_backup_restores_every_row_and_media_file_into_an_empty_database(sites, source):
    assert source.archive.name.startswith("procura-") and source.archive.suffixes[-2:] == [
        ".tar",
        ".gz",
    ]
    assert oct(source.archive.stat().st_mode & 0o777) == "0o600"
    assert source.counts["wagtailcore_page"] > 24
    assert source.counts["wagtailimages_rendition"] >= 1
    assert source.counts["wagtaildocs_document"] == 1
    assert any(name.startswith("images/") for name in source.media_checksums)
    assert any(name.startswith("documents/") for name in source.media_checksums)

    target = sites.new("dst")
    result = manage(target, "restore", str(source.archive))
    assert "Restored" in result.stdout
    assert row_counts(target) == source.counts
    assert checksums(target.media) == source.media_checksums

    # The restored site serves its pages.
    status = manage(
        target,
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client\n"
        "print(Client().get('/en/case-studies/ghent-food/', HTTP_HOST='localhost').status_code)",
    ).stdout.strip()
    assert status.splitlines()[-1] == "200"


def test_restore_refuses_a_site_that_is_not_empty_unless_forced(sites, source):
    target = sites.new("full")
    manage(target, "restore", str(source.archive))
    manage(
        target,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('after-restore', 'a@example.org', 'x')",
    )
    (target.media / "original_images" / "later.png").write_bytes(b"later")
    changed = row_counts(target)
    assert changed != source.counts

    result = manage(target, "restore", str(source.archive), check=False)
    assert result.returncode != 0
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert row_counts(target) == changed
    assert (target.media / "original_images" / "later.png").exists()

    manage(target, "restore", "--force", str(source.archive))
    assert row_counts(target) == source.counts
    assert checksums(target.media) == source.media_checksums


def rewrite(archive, folder, change):
    """A copy of `archive` with `change(name, data)` applied to each member's bytes."""
    copy = folder / f"changed-{uuid.uuid4().hex[:6]}.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(copy, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return copy


def assert_untouched(site):
    assert row_counts(site) == {}
    assert checksums(site.media) == {}


def test_a_damaged_archive_changes_nothing(sites, source):
    damaged_image = rewrite(
        source.archive,
        sites.folder,
        lambda name, data: data + b"x" if name.startswith("media/images/") else data,
    )
    target = sites.new("damaged")
    result = manage(target, "restore", str(damaged_image), check=False)
    assert result.returncode != 0
    assert "do not match the manifest" in result.stderr
    assert_untouched(target)

    # A dump that loads but holds other rows than the manifest says: the load is undone.
    def one_row_more(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        tables = manifest["database"]["tables"]
        table = next(t for t in tables if t.endswith("wagtailcore_page"))
        tables[table] += 1
        return json.dumps(manifest).encode()

    wrong_counts = rewrite(source.archive, sites.folder, one_row_more)
    target = sites.new("counts")
    result = manage(target, "restore", str(wrong_counts), check=False)
    assert result.returncode != 0
    assert "wagtailcore_page" in result.stderr or "rows do not match" in result.stderr
    assert_untouched(target)


def test_pruning_keeps_the_newest_of_each_recent_day_and_week(tmp_path):
    names = [
        "procura-20261201-020000.tar.gz",  # Tuesday, ISO week 49
        "procura-20261202-020000.tar.gz",
        "procura-20261203-020000.tar.gz",
        "procura-20261203-140000.tar.gz",  # a second one that day: the newer is kept
        "procura-20261129-020000.tar.gz",  # Sunday, week 48
        "procura-20261128-020000.tar.gz",  # Saturday, week 48
        "procura-20261115-020000.tar.gz",  # Sunday, week 46
        "procura-20261101-020000.tar.gz",  # week 44
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not an archive")
    removed = prune(tmp_path, keep_daily=3, keep_weekly=3)
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == [
        "notes.txt",
        "procura-20261115-020000.tar.gz",
        "procura-20261129-020000.tar.gz",
        "procura-20261201-020000.tar.gz",
        "procura-20261202-020000.tar.gz",
        "procura-20261203-140000.tar.gz",
    ]
    assert len(removed) == 3


def test_make_lists_the_backup_targets():
    if not shutil.which("make"):
        pytest.skip("make is missing")
    output = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "make backup" in output and "make restore" in output


def archive_of(folder, manifest, files):
    """A .tar.gz in `folder` holding `files` ({name: bytes or None for a folder}) and, unless
    None, `manifest` as manifest.json."""
    path = Path(folder) / f"archive-{uuid.uuid4().hex}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        entries = dict(files)
        if manifest is not None:
            entries["manifest.json"] = json.dumps(manifest).encode()
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def whole_manifest(dump=b"not a database"):
    return {
        "format": 1,
        "database": {
            "vendor": "sqlite",
            "file": "database.sqlite3",
            "size": len(dump),
            "sha256": hashlib.sha256(dump).hexdigest(),
            "tables": {},
        },
        "media": {},
    }


def without(mapping, *path):
    """A copy of the manifest with the entry at `path` removed."""
    changed = json.loads(json.dumps(mapping))
    *parents, last = path
    target = changed
    for key in parents:
        target = target[key]
    del target[last]
    return changed


DUMP = {"database.sqlite3": b"not a database"}


@pytest.mark.parametrize(
    ("manifest", "files", "message"),
    [
        ([], DUMP, "is of format None"),
        ({"format": 1}, DUMP, "lacks what a backup of this site records"),
        (without(whole_manifest(), "database", "sha256"), DUMP, "lacks what a backup"),
        ({**whole_manifest(), "media": []}, DUMP, "lacks what a backup"),
        ({**whole_manifest(), "media": {"a.png": {"size": "1"}}}, DUMP, "lacks what a backup"),
        (
            {**whole_manifest(), "database": {**whole_manifest()["database"], "file": "../x"}},
            DUMP,
            "names a dump outside the archive",
        ),
        (whole_manifest(), {**DUMP, "media": b"a file, not a folder"}, "media is not a folder"),
        (whole_manifest(b"other"), DUMP, "the database dump does not match the manifest"),
    ],
)
def test_a_manifest_that_is_not_a_backups_is_refused_with_a_reason(
    tmp_path, manifest, files, message
):
    from operations.backups import BackupError, _read_archive

    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(BackupError, match=message):
        _read_archive(archive_of(tmp_path, manifest, files), work)


def test_an_archive_cut_short_or_a_dump_that_is_no_database_is_refused(tmp_path):
    from operations.backups import BackupError, _read_archive, _restore_sqlite

    whole = archive_of(tmp_path, whole_manifest(), DUMP)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(BackupError, match="cannot be read"):
        _read_archive(cut, work)

    # The manifest matches the dump, which is no SQLite database: refused before any change.
    work = tmp_path / "work-2"
    work.mkdir()
    manifest = _read_archive(whole, work)
    with pytest.raises(BackupError, match="not a SQLite database"):
        _restore_sqlite(work, manifest)


def test_the_media_move_in_entry_by_entry_and_a_failed_move_is_undone(tmp_path, monkeypatch):
    from operations.backups import RESTORING, BackupError, _put_media_in_place, media_files

    media_root = tmp_path / "media"
    (media_root / "original_images").mkdir(parents=True)
    (media_root / "original_images" / "old.png").write_bytes(b"old")
    (media_root / "documents").mkdir()
    (media_root / "documents" / "old.pdf").write_bytes(b"old document")
    before = media_files(media_root)
    work = Path(tempfile.mkdtemp(prefix=RESTORING, dir=media_root))
    incoming = work / "media"
    (incoming / "original_images").mkdir(parents=True)
    (incoming / "original_images" / "new.png").write_bytes(b"new")
    (incoming / "images").mkdir()
    (incoming / "images" / "new.width-400.png").write_bytes(b"rendition")
    # The restore's folder is not the site's media: not backed up, not counted as files.
    assert media_files(media_root) == before

    # The second entry cannot move in (a full disk, say): what had moved goes back.
    rename = Path.rename

    def failing(self, target):
        if self == incoming / "original_images":
            raise OSError(28, "No space left on device")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(BackupError, match="No space left on device. MEDIA_ROOT holds what it held"):
        _put_media_in_place(incoming, media_root, work)
    assert media_files(media_root) == before
    assert sorted(entry.name for entry in incoming.iterdir()) == ["images", "original_images"]

    # MEDIA_ROOT itself never moves (it may be a mount point): what it holds is replaced.
    def not_media_root(self, target):
        assert media_root not in (self, Path(target))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", not_media_root)
    _put_media_in_place(incoming, media_root, work)
    shutil.rmtree(work)
    assert media_files(media_root) == {
        "images/new.width-400.png": (9, hashlib.sha256(b"rendition").hexdigest()),
        "original_images/new.png": (3, hashlib.sha256(b"new").hexdigest()),
    }
