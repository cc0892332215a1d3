"""`manage.py backup`: the database and MEDIA_ROOT in one archive (operations/backups.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, create_backup, prune


class Command(BaseCommand):
    help = (
        "Write the database and the media files into one archive (procura-DATE-TIME.tar.gz)"
        " in BACKUP_DIR; with --keep-daily/--keep-weekly, delete the older archives there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            help=f"where to write the archive (default: BACKUP_DIR, {settings.BACKUP_DIR})",
        )
        parser.add_argument(
            "--keep-daily",
            type=int,
            help="afterwards, keep the newest archive of each of the last N days",
        )
        parser.add_argument(
            "--keep-weekly",
            type=int,
            help="… and of each of the last N ISO weeks (with --keep-daily)",
        )

    def handle(self, *args, **options):
        folder = options["output_dir"] or settings.BACKUP_DIR
        try:
            archive, manifest = create_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"{archive}: {len(manifest['database']['tables'])} tables, {rows} rows,"
            f" {len(manifest['media'])} media files, {archive.stat().st_size} bytes"
        )
        if options["keep_daily"] is not None or options["keep_weekly"] is not None:
            removed = prune(folder, options["keep_daily"] or 0, options["keep_weekly"] or 0)
            for path in removed:
                self.stdout.write(f"Deleted {path}")
