"""A decorator for this app's admin views: PermissionDenied answers 403.

Wagtail's admin turns PermissionDenied into a redirect to the dashboard; for anything in
another language than the user's this project answers 403, as the rest of the admin does
(translations/middleware.py).
"""

import functools

from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


def answers_403(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as err:
            return permission_denied(request, err)

    return wrapped
