"""The admin's lists of translatable snippets (topics, approaches, menus, footers) open in the
user's language.

Wagtail's snippet list of a translatable model has a language filter whose default is "All":
every language's rows in one list, the default language's mixed with the others' over several
pages. Here the list starts with the language the admin speaks to the user (their preferred
language in their account, else their browser's), where it is a content language, else the
default language; for a user who works in some languages only (a translator, as the
`procura_user_locales` hook says), one of theirs. The filter still offers every language and
"All".
"""

from django.conf import settings
from django.utils import translation
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.models import Locale
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from home.models import TagName


def admin_locale(user):
    """The Locale of the language the admin is shown in, else the default one; for a user
    who works in other languages only, the first of theirs."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    locale = Locale.objects.filter(language_code=code).first() or Locale.get_default()
    for user_locales in hooks.get_hooks("procura_user_locales"):
        own = user_locales(user)
        if own and locale.pk not in own:
            locale = Locale.objects.filter(pk__in=own).order_by("language_code").first()
    return locale


class OwnLanguageIndexView(IndexView):
    def own_language_chosen(self):
        """True when no language was asked for: the list shows the user's."""
        return self.i18n_enabled and "locale" not in self.request.GET

    def get_locale(self):
        if self.own_language_chosen():
            return admin_locale(self.request.user)
        return super().get_locale()

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if self.own_language_chosen():
            data = kwargs["data"].copy()
            data["locale"] = self.locale.language_code
            kwargs["data"] = data
        return kwargs


class OwnLanguageSnippetViewSet(SnippetViewSet):
    """A snippet's admin views, its list opening in the user's language."""

    index_view_class = OwnLanguageIndexView


def user_language_codes(user):
    """The codes of the languages a user works in (as the `procura_user_locales` hook says),
    or None for every language (an editor, or where no hook says)."""
    ids = None
    for user_locales in hooks.get_hooks("procura_user_locales"):
        own = set(user_locales(user))
        ids = own if ids is None else ids & own
    if ids is None:
        return None
    codes = set(Locale.objects.filter(pk__in=ids).values_list("language_code", flat=True))
    return None if codes >= {code for code, _name in settings.LANGUAGES} else codes


class TagNameForm(WagtailAdminModelForm):
    """A tag's name in one of the user's languages: a translator names tags in theirs only
    (translations/middleware.py refuses the names of other languages)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = user_language_codes(self.for_user) if self.for_user else None
        if codes is not None and "language" in self.fields:
            field = self.fields["language"]
            field.choices = [(value, label) for value, label in field.choices if value in codes]


class TagNameViewSet(SnippetViewSet):
    """Names of the free tags in each language (home.TagName), for editors in every language
    and translators in theirs: a tag is one key shared by every language version of a page,
    shown by its name in the visitor's language where one is given here, else by its own."""

    icon = "tag"
    list_display = ["name", "tag", "language"]
    list_filter = ["language"]
    search_fields = ["name", "tag__name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [FieldPanel("tag"), FieldPanel("language"), FieldPanel("name")],
        base_form_class=TagNameForm,
    )

    def get_queryset(self, request):
        names = TagName.objects.select_related("tag")
        codes = user_language_codes(request.user)
        return names if codes is None else names.filter(language__in=codes)
