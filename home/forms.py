"""Admin forms shared by the page types."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from home.terms import terms_in_language, translatable_taxonomies


class TaxonomyPageForm(WagtailAdminPageForm):
    """Offers a page's translatable terms (topics, procurement approaches) in the page's own
    language only, its current ones ticked in that language.

    A term not yet translated into the page's language stays offered while the page links it,
    so that saving the page does not drop it.
    """

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        locale_id = self.instance.locale_id or getattr(parent_page, "locale_id", None)
        if locale_id is None:
            return
        for relation in translatable_taxonomies(type(self.instance)):
            field = self.fields.get(relation.name)
            if not isinstance(field, forms.ModelMultipleChoiceField):
                continue
            linked = terms_in_language(getattr(self.instance, relation.name).all(), locale_id)
            untranslated = [term.pk for term in linked if term.locale_id != locale_id]
            field.queryset = field.queryset.filter(Q(locale_id=locale_id) | Q(pk__in=untranslated))
            self.initial[relation.name] = [term.pk for term in linked]


class HeroImagePageForm(TaxonomyPageForm):
    """A page with a hero image describes it before it is published, unless the image is
    marked decorative; a draft (saved by the editor or autosaved while they type) may not
    yet. Wagtail marks a draft save with `is_deferred_validation`."""

    def clean(self):
        cleaned_data = super().clean()
        if (
            not self.is_deferred_validation
            and cleaned_data.get("hero_image")
            and not cleaned_data.get("hero_image_decorative")
            and not (cleaned_data.get("hero_image_alt") or "").strip()
        ):
            self.add_error(
                "hero_image_alt",
                _("Describe the image for people who cannot see it, or mark it as decorative."),
            )
        return cleaned_data
