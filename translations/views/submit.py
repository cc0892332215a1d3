"""wagtail-localize's "Translate" views, offering only the user's own languages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail_localize.views.submit_translations import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
)

from translations.middleware import check_requested_locales
from translations.permissions import locales_for_user


class OwnLanguagesMixin:
    def dispatch(self, request, *args, **kwargs):
        check_requested_locales(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        form = super().get_form()
        field = form.fields["locales"]
        field.queryset = field.queryset.filter(pk__in=locales_for_user(self.request.user))
        return form


class OwnLanguagesPageTranslationView(OwnLanguagesMixin, SubmitPageTranslationView):
    pass


class OwnLanguagesSnippetTranslationView(OwnLanguagesMixin, SubmitSnippetTranslationView):
    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, ValidationError):  # not a key of the snippet model ("abc")
            raise Http404 from None
