"""Import content from a JSON file; see docs/import-format.md.

All or nothing: on any error the command names the record and field, writes nothing and
exits with status 1. A re-run updates the records by their keys.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home.importing import ImportFileError, import_content


class Command(BaseCommand):
    help = "Import case studies, Manual chapters, news, events and taxonomies from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The JSON file to import.")

    def handle(self, *args, file, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except UnicodeDecodeError as err:
            raise CommandError(f"{file}: not UTF-8 text ({err.reason})") from None
        except json.JSONDecodeError as err:
            raise CommandError(
                f"{file}: not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
            ) from None
        try:
            result = import_content(data)
        except ImportFileError as err:
            raise CommandError(f"{file}: {err}. Nothing was imported.") from None
        for section, counts in result.counts.items():
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
            self.stdout.write(f"{section}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Imported {file}."))
