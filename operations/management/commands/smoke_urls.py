"""Print the public addresses a smoke test should find answering 200: every visible page in a few
languages, plus the non-page views apps register through the `procura_smoke_urls` hook."""

from django.core.management.base import BaseCommand
from wagtail import hooks
from wagtail.models import Page

from home.visibility import visible

LANGUAGES = ("en", "de", "fr", "mt")


class Command(BaseCommand):
    help = "List public URLs (paths) for the CI smoke test."

    def handle(self, *args, **options):
        paths = []
        pages = visible(
            Page.objects.filter(depth__gt=1, locale__language_code__in=LANGUAGES)
        ).order_by("path")
        for page in pages:
            url = page.get_url()
            if url:
                paths.append(url)
        for provider in hooks.get_hooks("procura_smoke_urls"):
            paths.extend(provider())
        self.stdout.write("\n".join(dict.fromkeys(paths)))
