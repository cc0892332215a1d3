"""Bring a migrated database to a complete multilingual site; safe to run again at any time.

- a Locale for every configured language;
- every language's page tree kept in step with the default language's (wagtail-localize's
  locale synchronisation: an untranslated page exists as an alias of its source);
- whatever other apps add through the `procura_setup_site` hook (roles, workflows…);
- with --hostname and --port, the default Site's address: what Wagtail puts in full URLs (the
  API's `html_url`, the sitemap, links in e-mails), so `make run` and `make serve` set theirs.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks
from wagtail.models import Locale, Site

from home.languages.trees import ensure_locales, synchronize_locale_trees


class Command(BaseCommand):
    help = "Create locales, synchronise every language's page tree, set up roles and workflows."

    def add_arguments(self, parser):
        parser.add_argument("--hostname", help="the default Site's host name, e.g. 127.0.0.1")
        parser.add_argument("--port", type=int, help="the default Site's port (443: https://)")

    @transaction.atomic
    def handle(self, *args, **options):
        created = ensure_locales()
        self.stdout.write(f"Locales: {Locale.objects.count()} ({created} new)")
        synchronize_locale_trees()
        self.stdout.write("Page trees synchronised from " + Locale.get_default().language_code)
        for step in hooks.get_hooks("procura_setup_site"):
            step(self.stdout)
        if options["hostname"] or options["port"]:
            site = Site.objects.get(is_default_site=True)
            site.hostname = options["hostname"] or site.hostname
            site.port = options["port"] or site.port
            site.save(update_fields=["hostname", "port"])
            self.stdout.write(f"Default site: {site.root_url}")
