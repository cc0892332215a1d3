"""The translation status dashboard, the "what changed" view and "submit for review".

The dashboard opens on an overview of every language (one row each: missing, out of date,
current) for those who work in several, and on their own language for a translator.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from home.languages.i18n import language_name_translated
from translations import forbidden, status
from translations.editor import nothing_to_submit, to_submit, translation_to_submit
from translations.middleware import require_target
from translations.permissions import can_translate_into, is_editor, locales_for_user


def _locale_choices(user):
    allowed = locales_for_user(user)
    return list(
        Locale.objects.filter(pk__in=allowed)
        .exclude(pk=Locale.get_default().pk)
        .order_by("language_code")
    )


def _chosen_locale(request, choices):
    """The language asked for, or where the user lands: None for the overview."""
    code = request.GET.get("locale")
    for locale in choices:
        if locale.language_code == code:
            return locale
    if code:
        asked = Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()
        raise forbidden.Refusal(forbidden.LANGUAGE, asked)
    return landing_locale(request.user, choices)


def landing_locale(user, choices):
    """A translator's own language (of several, the one of their interface if they translate
    into it); None, the overview, for editors and the rest."""
    if is_editor(user):
        return None
    if len(choices) == 1:
        return choices[0]
    interface = (get_language() or "").split("-")[0]
    return next((c for c in choices if c.language_code == interface), None)


def edit_url(entry, locale):
    """Where to translate an entry: the translation editor, or the form that starts one."""
    if entry.kind == "page":
        if entry.target_id and not (entry.target_is_fallback and entry.translation is None):
            return reverse("wagtailadmin_pages:edit", args=[entry.target_id])
        return (
            reverse("wagtail_localize:submit_page_translation", args=[entry.source.pk])
            + f"?select_locale={locale.language_code}"
        )
    meta = entry.source._meta
    if entry.target_id:
        return reverse(
            f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[entry.target_id]
        )
    return reverse(
        "wagtail_localize:submit_snippet_translation",
        args=[meta.app_label, meta.model_name, entry.source.pk],
    ) + (f"?select_locale={locale.language_code}")


def dashboard(request):
    choices = _locale_choices(request.user)
    if not choices:
        raise forbidden.Refusal(forbidden.NO_LANGUAGE)
    locale = _chosen_locale(request, choices)
    if locale is None:
        return overview(request, choices)
    type_filter = request.GET.get("type", "")
    state_filter = request.GET.get("state", "")
    section_filter = request.GET.get("section", "")

    content_type = None
    snippet_model = None
    if type_filter:
        try:
            content_type = ContentType.objects.get_by_natural_key(*type_filter.split(".", 1))
        except (ContentType.DoesNotExist, TypeError, ValueError):
            content_type = None
        model = content_type.model_class() if content_type else None
        if model is not None and not issubclass(model, Page):
            snippet_model, content_type = model, None
    default = Locale.get_default()
    home = Page.objects.filter(depth=2, locale=default).first()
    sections = list(home.get_children().live().order_by("path")) if home else []
    section = next((s for s in sections if str(s.pk) == section_filter), None)

    entries = []
    if snippet_model is None:
        entries += status.page_entries(locale, default, content_type, section)
    if content_type is None and section is None:
        entries += status.snippet_entries(locale, default, snippet_model)
    counts = {state: sum(1 for e in entries if e.state == state) for state in status.STATES}
    shown = [e for e in entries if not state_filter or e.state == state_filter]
    submittable = to_submit(
        [
            (e.translation, type(e.source), e.target_id, e.state)
            for e in shown
            if e.translation is not None and e.target_id and not e.in_review
        ]
    )
    rows = [
        {
            "entry": e,
            "edit_url": edit_url(e, locale),
            "to_submit": e.translation is not None and e.translation.pk in submittable,
        }
        for e in shown
    ]

    type_choices = [
        (f"{m._meta.app_label}.{m._meta.model_name}", m._meta.verbose_name_plural)
        for m in status.model_choices() + status.translatable_snippet_models()
    ]
    return TemplateResponse(
        request,
        "translations/dashboard.html",
        {
            "locale": locale,
            "locale_name": language_name_translated(locale.language_code),
            "locale_choices": [(c, language_name_translated(c.language_code)) for c in choices],
            "rows": rows,
            "counts": counts,
            "states": status.STATES,
            "state_filter": state_filter,
            "type_filter": type_filter,
            "type_choices": type_choices,
            "sections": sections,
            "section_filter": section_filter,
            "can_sync": is_editor(request.user),
            "several_languages": len(choices) > 1,
        },
    )


def overview(request, choices):
    """One row per language: how many pages and snippets are missing, out of date, current."""
    rows = [
        {
            "locale": locale,
            "name": language_name_translated(locale.language_code),
            "counts": counts,
            "cells": [(state, counts[state]) for state in status.STATES],
        }
        for locale, counts in status.overview(choices)
    ]
    return TemplateResponse(request, "translations/overview.html", {"rows": rows})


def translation_changes(request, translation_id):
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"), pk=translation_id
    )
    if not can_translate_into(request.user, translation.target_locale):
        raise forbidden.Refusal(forbidden.TRANSLATION, translation.target_locale_id)
    try:
        source = translation.source.get_source_instance()
    except Exception as err:  # the original was deleted
        raise Http404 from err
    return TemplateResponse(
        request,
        "translations/changes.html",
        {
            "translation": translation,
            "source": source,
            "changes": status.changes(translation),
            "locale_name": language_name_translated(translation.target_locale.language_code),
        },
    )


@require_POST
def submit_for_review(request, translation_id):
    """Save the translation as a draft and start the "Translation review" workflow on it."""
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"), pk=translation_id
    )
    if not can_translate_into(request.user, translation.target_locale):
        raise forbidden.Refusal(forbidden.TRANSLATION, translation.target_locale_id)
    require_target(translation_id)
    target = translation.get_target_instance()
    if isinstance(target, Page):
        target = target.specific
        if not target.permissions_for_user(request.user).can_submit_for_moderation():
            raise PermissionDenied
    workflow = target.get_workflow() if hasattr(target, "get_workflow") else None
    if workflow is None:
        messages.error(request, _("No review workflow applies to this translation."))
    elif target.workflow_in_progress:
        messages.warning(request, _("“%(title)s” is already awaiting review.") % {"title": target})
    elif not translation_to_submit(translation, target):
        messages.info(request, nothing_to_submit(target))
    else:
        translation.save_target(user=request.user, publish=False)
        target.refresh_from_db()
        workflow.start(target, request.user)
        messages.success(request, _("“%(title)s” was submitted for review.") % {"title": target})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("translations:dashboard")
    return redirect(next_url)
