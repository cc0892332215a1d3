"""The public read API (Wagtail's API v2): pages as anonymous visitors may see them, images
and documents, every query parameter checked before it reaches a query."""

import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site

from home.languages.i18n import locale_for
from home.params import printable
from home.taxonomy import localized_tags
from home.visibility import visible

# Ids and offsets fit a 32-bit integer column (Wagtail's ids are); beyond it, SQLite and
# PostgreSQL raise instead of finding nothing.
MAX_INTEGER = 2**31 - 1
# As long as a query of the site's own search may be.
MAX_SEARCH_LENGTH = 200
# Wagtail parses `fields` recursively: deep nesting would exhaust Python's stack.
MAX_FIELDS_NESTING = 5
WHOLE_NUMBER = re.compile(r"[0-9]+")


def _whole_number(name, value, also=()):
    if value in also:
        return
    # Its length first: Python reads no more than 4,300 digits as a number.
    too_long = len(value) > len(str(MAX_INTEGER))
    if not WHOLE_NUMBER.fullmatch(value) or too_long or int(value) > MAX_INTEGER:
        raise BadRequestError(f"{name} must be a whole number from 0 to {MAX_INTEGER}")


class CheckedParametersMixin:
    """Checks the query parameters of one of Wagtail's API viewsets first, so that a bad value
    is a 400 with a message (Wagtail's BadRequestError) rather than a database error: null
    characters (PostgreSQL refuses them, SQLite's full-text search stops at them), integers
    out of range, unknown operators and locales, field filters that are not values of
    their field."""

    integer_parameters = ("offset", "limit", "id")
    # Page ids that also accept "root" (Wagtail's tree filters).
    page_parameters = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        params = request.GET
        for name, values in params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "")
                raise BadRequestError(f"null characters are not allowed in {shown}")
        for name in self.integer_parameters:
            if name in params:
                _whole_number(name, params[name])
        for name in self.page_parameters:
            if name in params:
                _whole_number(name, params[name], also=("root",))
        search = params.get("search", "")
        if len(search) > MAX_SEARCH_LENGTH:
            raise BadRequestError(f"search must be at most {MAX_SEARCH_LENGTH} characters long")
        if search and not printable(search):
            # Only spaces or control characters: no word to search for (the database
            # backends fail on a query of no terms).
            raise BadRequestError("search must contain a word")
        depth = deepest = 0
        for char in params.get("fields", ""):
            depth += {"(": 1, ")": -1}.get(char, 0)
            deepest = max(deepest, depth)
        if deepest > MAX_FIELDS_NESTING:
            raise BadRequestError(f"fields may be nested at most {MAX_FIELDS_NESTING} deep")
        operator = params.get("search_operator")
        if operator is not None and operator.lower() not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        fields = set(self.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in self.request.GET.items():
            # Parameters of their own (locale, id) are not field filters.
            if name in fields and name not in self.known_query_parameters | {"id"}:
                self._check_field_value(queryset.model, name, value)

    @staticmethod
    def _check_field_value(model, name, value):
        """A field filter's value must be a value of the field (Wagtail's FieldsFilter
        converts booleans and integers only, and filters by anything else as given)."""
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        if isinstance(field, models.ForeignKey):
            field = field.target_field
        if not isinstance(field, models.Field) or isinstance(
            field, (models.BooleanField, models.CharField, models.TextField)
        ):
            return  # tags and text filter by any text; Wagtail checks booleans
        try:
            field.run_validators(field.to_python(value))
        except ValidationError as err:
            raise BadRequestError(
                f"'{value}' is not a valid value for {name} ({' '.join(err.messages)})"
            ) from err


class TagNamesField(Field):
    """The names of a page's tags in the page's language, in the order of its `tag_slugs`
    (a tag not named in that language by its own name). No query while the names of the
    language are remembered (home/taxonomy.py), beyond the page's `tag_slugs` own."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        language = _language_codes().get(page.locale_id)
        return [name for _slug, name in localized_tags(_page_tags(page), language)]


def _page_tags(page):
    return [item.tag for item in page.tagged_items.all()]


def _language_codes():
    """{locale id: language code} of the site's languages, from the remembered locales."""
    found = (locale_for(code) for code, _name in settings.LANGUAGES)
    return {locale.pk: locale.language_code for locale in found if locale is not None}


class PublicPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, listing and serving only what the site itself would show an
    anonymous visitor (home/visibility.py): the stock endpoint serves the fallback pages of
    restricted pages and those of scheduled or expired ones.

    A page type with free tags (`tag_slugs`) also offers `tag_names`: their names in the
    page's language, as its own pages show them."""

    page_parameters = ("child_of", "descendant_of", "ancestor_of", "translation_of")

    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        names = [field.name for field in fields]
        if "tag_slugs" in names and "tag_names" not in names:
            at = names.index("tag_slugs") + 1
            fields.insert(at, APIField("tag_names", serializer=TagNamesField(read_only=True)))
        return fields

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The stock endpoint answers an unknown language or site with a 404, as if the
        # listing itself were missing.
        code = request.GET.get("locale")
        if code is not None and locale_for(code) is None:
            raise BadRequestError(f"locale '{code}' is not a language of this site")
        site = request.GET.get("site")
        if site:
            hostname, _colon, port = site.partition(":")
            sites = Site.objects.filter(hostname=hostname)
            if port:
                _whole_number("the port of site", port)
                sites = sites.filter(port=int(port))
            if not sites.exists():
                raise BadRequestError(f"site '{site}' is not a site of this server")

    def get_queryset(self):
        queryset = super().get_queryset()
        # A page type's tags, where asked for: their slugs and names read with the pages, not
        # page by page.
        fields = self.request.GET.get("fields", "")
        asked = self.action == "detail_view" or "tag" in fields or "*" in fields
        if asked and any(f.name == "tagged_items" for f in queryset.model._meta.get_fields()):
            queryset = queryset.prefetch_related("tagged_items__tag")
        return queryset

    def get_base_queryset(self):
        # Built once per request (a view instance serves one): Wagtail asks for it again for
        # the serializer's context and the parent filters, and each build ORs the trees of
        # every language together. Each caller gets a copy of its own.
        if "_base_queryset" not in self.__dict__:
            # As a condition on ids: the API's `?search=` accepts only fields the search
            # index knows as filters, and the primary key is one.
            shown = visible(Page.objects.all()).values("pk")
            self._base_queryset = super().get_base_queryset().filter(pk__in=shown)
        return self._base_queryset.all()


class PublicImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint with its query parameters checked."""


class PublicDocumentsAPIViewSet(CheckedParametersMixin, DocumentsAPIViewSet):
    """Wagtail's documents endpoint with its query parameters checked."""
