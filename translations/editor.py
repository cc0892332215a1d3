"""wagtail-localize's translation editor as translators use it: their work goes to review.

The editor (a React app given its actions by its view's props) ends in a footer whose main
action is the last one it offers: "Publish in …" for those who may publish, else "Convert to
alias page", which deletes the translation. For a user whose work an editor reviews (the
"Translation review" workflow, translations/roles.py) the project's
`wagtail_localize/admin/edit_translation.html` puts a footer of its own in its place: "Submit
for review" as the main action while there is anything to submit, and the preview. "Convert
to alias page" is offered to editors only, behind wagtail-localize's confirmation page; the
middleware refuses it to everyone else.

A translation has something to submit unless it is current (translations/status.py) and
nothing of it changed since its published revision was made: no string or override
translated since.
"""

import json

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail_localize.models import SegmentOverride, Translation

from translations import status
from translations.permissions import is_editor

CONVERT_TO_ALIAS = "localize-convert-to-alias"  # wagtail-localize's page action menu item


def is_reviewed(user, instance):
    """Whether this user's work on a page or snippet goes to review (a workflow applies to
    it) rather than being published by them."""
    workflow = instance.get_workflow() if hasattr(instance, "get_workflow") else None
    if workflow is None:
        return False
    if isinstance(instance, Page):
        return not instance.permissions_for_user(user).can_publish()
    return not ModelPermissionPolicy(type(instance)).user_has_permission(user, "publish")


def to_submit(items):
    """The ids of the translations that have something to submit for review.

    `items`: (translation read `status.with_progress`, target model, target id, state) for
    translations not in review. Missing and out-of-date ones have; a current one has when a
    string or override of it was translated after its published revision was made. A query
    per kind of target (pages, each snippet model) and one for overrides, however many items.
    """
    found = {t.pk for t, _model, _id, state in items if state != status.CURRENT}
    current = [(t, model, pk) for t, model, pk, state in items if state == status.CURRENT]
    if not current:
        return found
    made = {}  # (model, target id) -> when its published revision was made
    by_model = {}
    for _t, model, pk in current:
        by_model.setdefault(_kind(model), []).append(pk)
    for model, ids in by_model.items():
        for pk, revision_made, published in model._base_manager.filter(pk__in=ids).values_list(
            "pk", "live_revision__created_at", "last_published_at"
        ):
            made[(model, pk)] = revision_made or published
    overrides = _latest_overrides(current)
    for translation, model, pk in current:
        published = made.get((_kind(model), pk))
        latest = [
            translation.latest_string_translation,
            overrides.get((translation.source.object_id, translation.target_locale_id)),
        ]
        if published is None or any(when and when > published for when in latest):
            found.add(translation.pk)
    return found


def _kind(model):
    return Page if issubclass(model, Page) else model


def _latest_overrides(current):
    """{(translation key, locale id): when an override of it was last translated}."""
    rows = (
        SegmentOverride.objects.filter(
            locale_id__in={t.target_locale_id for t, _m, _pk in current},
            context__object_id__in={t.source.object_id for t, _m, _pk in current},
        )
        .order_by()
        .values("context__object_id", "locale_id")
        .annotate(latest=Max("updated_at"))
    )
    return {(row["context__object_id"], row["locale_id"]): row["latest"] for row in rows}


def translation_to_submit(translation, instance):
    """Whether one translation (its target `instance`) has something to submit: the
    dashboard's rule for one entry."""
    if isinstance(instance, Page):
        _original, state = status.translation_state(instance.specific)
    else:
        entries = status.snippet_entries(translation.target_locale, model=type(instance))
        state = next((e.state for e in entries if e.target_id == instance.pk), None)
    read = status.with_progress(Translation.objects.filter(pk=translation.pk))
    read = read.select_related("source").first()
    return read.pk in to_submit([(read, type(instance), instance.pk, state)])


def editor_context(request, translation, instance, props):
    """What the project's template of the translation editor needs: the editor's props
    (without "Convert to alias page" but for editors) and, for a user whose work is
    reviewed, the footer that replaces the editor's own."""
    data = json.loads(props)
    if not is_editor(request.user):
        data["links"]["convertToAliasUrl"] = None
    context = {"props": json.dumps(data), "reviewed": is_reviewed(request.user, instance)}
    if not context["reviewed"]:
        return context
    previews = data.get("previewModes") or []
    context["preview_url"] = previews[0]["url"] if previews else None
    context["submit_url"] = reverse("translations:submit_for_review", args=[translation.pk])
    if getattr(instance, "workflow_in_progress", False):
        context["status"] = _("“%(title)s” is already awaiting review.") % {"title": instance}
        context["submit"] = None
    elif translation_to_submit(translation, instance):
        context["submit"] = "shown"
    else:
        context["status"] = nothing_to_submit(instance)
        # Shown once the translator changes a string (translations/js/translation-editor.js).
        context["submit"] = "on_change"
    return context


def nothing_to_submit(instance):
    return _("Nothing to submit: “%(title)s” is published and up to date.") % {"title": instance}


def convert_to_alias_for_editors_only(menu_items, request, context):
    """wagtail-localize's "Convert to alias page" in the page editor (a translation no longer
    synced): for editors only, as the middleware has it."""
    if not is_editor(request.user):
        menu_items[:] = [item for item in menu_items if item.name != CONVERT_TO_ALIAS]
