"""ASGI entry point; serves with production settings unless told otherwise."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.production")

application = get_asgi_application()

# Each language's number and date formats (CLDR) read before the first request, not in it.
from home.languages.formats import preload  # noqa: E402 (needs the settings loaded above)

preload()
