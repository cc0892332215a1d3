"""The public read API (Wagtail's API v2): pages as anonymous visitors may see them."""

from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from home.visibility import visible


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, listing and serving only what the site itself would show an
    anonymous visitor (home/visibility.py): the stock endpoint serves the stand-ins of
    restricted pages and those of scheduled or expired ones."""

    def get_base_queryset(self):
        # As a condition on ids: the API's `?search=` accepts only fields the search index
        # knows as filters, and the primary key is one.
        shown = visible(Page.objects.all()).values("pk")
        return super().get_base_queryset().filter(pk__in=shown)
