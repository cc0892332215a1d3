"""`manage.py restore ARCHIVE`: a backup into an empty database and MEDIA_ROOT
(operations/backups.py)."""

from django.core.management.base import BaseCommand, CommandError

from home.cache import purge_everything
from operations.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into an empty database and MEDIA_ROOT, all or"
        " nothing; --force replaces what is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a procura-DATE-TIME.tar.gz of `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database's tables and MEDIA_ROOT's files if there are any",
        )

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        # What visitors were shown of the site before (the cache, the edge) is not this one.
        from django.core.cache import cache

        cache.clear()
        purge_everything()
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"Restored {options['archive']} (made {manifest['created']}):"
            f" {len(manifest['database']['tables'])} tables, {rows} rows,"
            f" {len(manifest['media'])} media files."
        )
