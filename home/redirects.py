"""Wagtail's redirects (`wagtail.contrib.redirects`), never to a page visitors may not see."""

from urllib.parse import urlparse

from wagtail.contrib.redirects import middleware
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from home.visibility import visible


class RedirectMiddleware(middleware.RedirectMiddleware):
    """Wagtail's, but a redirect to a page no visitor may see now (home/visibility.py) answers
    as if it were not there, with the 404, rather than give away the page's address. Wagtail
    makes a redirect itself when a page is moved or renamed, and the page may be made
    private, unpublished or scheduled after."""

    def process_response(self, request, response):
        if response.status_code == 404 and _leads_to_a_hidden_page(request):
            return response
        return super().process_response(request, response)


def _leads_to_a_hidden_page(request):
    """Whether the redirect Wagtail's middleware would follow (the address with its query
    string, else without) goes to a page no visitor may see."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    found = middleware.get_redirect(request, path)
    if found is None:
        found = middleware.get_redirect(request, urlparse(path).path)
    page_id = getattr(found, "redirect_page_id", None)
    return page_id is not None and not visible(Page.objects.filter(pk=page_id)).exists()
