"""Settings for a developer's machine: `make run` and `manage.py` use these by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", True)
# A fixed key is fine here: dev settings never serve the public.
SECRET_KEY = env.str("SECRET_KEY", "dev-only-insecure-key-3b1a40fb-not-for-production")

# Static files straight from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

env.seal()
