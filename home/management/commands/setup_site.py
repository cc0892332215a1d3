"""Bring a migrated database to a complete multilingual site; safe to run again at any time.

- a Locale for every configured language;
- every language's page tree kept in step with the default language's (wagtail-localize's
  locale synchronisation: an untranslated page exists as an alias of its source);
- whatever other apps add through the `procura_setup_site` hook (roles, workflows…).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks
from wagtail.models import Locale

from home.trees import ensure_locales, synchronize_locale_trees


class Command(BaseCommand):
    help = "Create locales, synchronise every language's page tree, set up roles and workflows."

    @transaction.atomic
    def handle(self, *args, **options):
        created = ensure_locales()
        self.stdout.write(f"Locales: {Locale.objects.count()} ({created} new)")
        synchronize_locale_trees()
        self.stdout.write("Page trees synchronised from " + Locale.get_default().language_code)
        for step in hooks.get_hooks("procura_setup_site"):
            step(self.stdout)
