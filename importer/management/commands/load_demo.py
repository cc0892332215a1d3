"""Load the demo content into a site that has none: what `make run` does each time it starts.

A site with content keeps it, whatever editors and translators did to it since; the command
says so in one line. `make demo-reset` starts afresh.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Page

from importer.models import ImportRecord


def has_content():
    """Whether anything has been imported or made beyond the language home pages."""
    return ImportRecord.objects.exists() or Page.objects.filter(depth__gt=2).exists()


class Command(BaseCommand):
    help = "Load the demo content (demo/content.json) into an empty site; keep a site's content."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="demo/content.json")

    def handle(self, *args, file, **options):
        if has_content():
            self.stdout.write("Demo content already loaded; `make demo-reset` starts afresh.")
            return
        call_command("import_content", file, stdout=self.stdout, stderr=self.stderr)
