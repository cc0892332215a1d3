"""Uploaded images served by the app itself, when SERVE_MEDIA is on (the default).

For a site on one machine, or app servers sharing one MEDIA_ROOT volume: the edge cache
(Varnish, a CDN) keeps each file for MEDIA_CACHE_SECONDS, so the app serves a file about once
per edge. A file never changes under its name: Wagtail gives a replaced image a new file
name, and its renditions new names with it. Larger sites turn SERVE_MEDIA off and let a web
server or CDN serve MEDIA_URL (docs/operations.md, "Media files").

Documents are not served here: their files are in MEDIA_ROOT too, but a document in a private
collection must be reached only through Wagtail's /documents/ view, which checks its privacy.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views import static

# Wagtail's folders of original images and of their renditions (sizes, crops, formats).
IMAGE_FOLDERS = ("original_images/", "images/")


def serve(request, path):
    # Judged as Django's view will read it: images/../documents/x is documents/x.
    if not posixpath.normpath(path).lstrip("/").startswith(IMAGE_FOLDERS):
        raise Http404("Not an image")
    # Django's static view: no path outside MEDIA_ROOT, Last-Modified and a 304 on
    # If-Modified-Since, the file streamed.
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS)
    return response
