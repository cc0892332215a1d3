"""WSGI entry point; serves with production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.production")

application = get_wsgi_application()

# Each language's number and date formats (CLDR) read before the first request, not in it.
from home.languages.formats import preload  # noqa: E402 (needs the settings loaded above)

preload()
