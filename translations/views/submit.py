"""wagtail-localize's "Translate" views, offering only the user's own languages."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from wagtail.admin import messages
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

    def form_valid(self, form):
        """Upstream's, all or nothing: a translation whose slug is taken in its language (a
        topic made there by hand with the same slug) is refused with Django's message, not a
        database error."""
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            model = type(self.object)
            for constraint in model._meta.constraints:
                fields = getattr(constraint, "fields", ())
                if "locale" in fields:
                    error = self.object.unique_error_message(model, fields)
                    messages.error(self.request, " ".join(error.messages))
                    return self.render_to_response({**self.get_context_data(), "form": form})
            raise
