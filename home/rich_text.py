"""Links to pages in rich text, as visitors see them: to the linked page's version in their
language where they may see one, else to the page itself, as Wagtail links them; a link to a
page no visitor may see (home/visibility.py) keeps its text and goes nowhere (`<a>` without
an address, as Wagtail renders a link to a deleted page)."""

from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler

from home.languages.i18n import active_locale
from home.routing import visible_addresses


class VisiblePageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        ids = [_page_id(attrs) for attrs in attrs_list]
        addresses = visible_addresses({pk for pk in ids if pk is not None}, active_locale())
        return [f'<a href="{escape(addresses[pk])}">' if pk in addresses else "<a>" for pk in ids]


def _page_id(attrs):
    try:
        return int(attrs.get("id"))
    except (TypeError, ValueError):
        return None
