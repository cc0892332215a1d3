"""Import content from a JSON file; see docs/import-format.md.

All or nothing: on any error the command names the file, the record and the field, writes
nothing and exits with status 1. A re-run updates the records by their keys, except those an
editor or a translator changed since the last import: those are reported as conflicts and
left as they are, unless `--force KEY …` or `--force-all` says to overwrite them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer.importing import ImportFileError, import_content, read_file

OUTCOMES = ("created", "updated", "unchanged", "conflict", "skipped")


class Command(BaseCommand):
    help = "Import case studies, Manual chapters, news, events and taxonomies from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The JSON file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated, left unchanged or in conflict; "
            "write nothing.",
        )
        parser.add_argument(
            "--force",
            nargs="+",
            default=[],
            metavar="KEY",
            help='Overwrite these records ("key" or "section:key") even where the CMS '
            "changed them since the last import (logged in the audit log).",
        )
        parser.add_argument(
            "--force-all",
            action="store_true",
            help="Overwrite every record the CMS changed since the last import.",
        )

    def handle(self, *args, file, dry_run, force, force_all, **options):
        try:
            data = read_file(file)
            result = import_content(
                data,
                force=True if force_all else set(force),
                dry_run=dry_run,
                base_dir=file.parent,
            )
        except ImportFileError as err:
            raise CommandError(f"{file}: {err}. Nothing was imported.") from None
        self.report(result)
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run of {file}: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}."))

    def report(self, result):
        for section, languages in result.counts.items():
            for language, counts in sorted(languages.items()):
                summary = ", ".join(f"{counts[what]} {what}" for what in OUTCOMES if counts[what])
                self.stdout.write(f"{section} ({language}): {summary}")
        for note in result.notes:
            self.stdout.write(note)
        if result.conflicts:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.conflicts)} record(s) changed in the CMS since the last "
                    "import were left as they are (--force KEY … or --force-all overwrites):"
                )
            )
            for conflict in result.conflicts:
                self.stdout.write(f"  {conflict}")
