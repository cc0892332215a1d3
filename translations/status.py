"""Where each page and snippet stands in each language: translated and current, out of date,
or missing; and what changed in the original since the translation was made.

Timestamps used (per original and language):
- S: when the original was last published;
- U: when wagtail-localize last took the original's text for translation (its source);
- T: when the translation was last published.
A translation is out of date when S > U (the original changed since its text was taken) or
U > T (new text was taken but the translation not published since).
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from home.i18n import pages_standing_in

CURRENT, OUT_OF_DATE, MISSING = "current", "out_of_date", "missing"
STATES = (MISSING, OUT_OF_DATE, CURRENT)


@dataclass
class Entry:
    kind: str  # "page" or "snippet"
    title: str
    type_label: str
    section: str
    state: str
    source: object  # the original (Page or snippet)
    target_id: int | None  # the object in the target language, if any
    target_is_stand_in: bool
    translation: Translation | None
    source_published_at: object
    translation_published_at: object
    in_review: bool = False


def translatable_snippet_models():
    from wagtail.snippets.models import get_snippet_models

    return [
        m
        for m in get_snippet_models()
        if hasattr(m, "translation_key") and hasattr(m, "last_published_at")
    ]


def _state(source_published, source_updated, target_published, target_exists, stand_in):
    if not target_exists or stand_in or target_published is None:
        return MISSING
    if source_updated is None:
        # Translated outside wagtail-localize (no source record): compare publications.
        return OUT_OF_DATE if source_published and source_published > target_published else CURRENT
    if source_published and source_published > source_updated:
        return OUT_OF_DATE
    if source_updated > target_published:
        return OUT_OF_DATE
    return CURRENT


def page_entries(locale, default=None, content_type=None, section=None):
    """Every live original page (default language) and its state in `locale`."""
    default = default or Locale.get_default()
    sources = Page.objects.live().filter(locale=default, depth__gt=1).order_by("path")
    if content_type:
        sources = sources.filter(content_type=content_type)
    if section:
        sources = sources.filter(path__startswith=section.path)
    sources = list(sources.select_related("content_type"))
    keys = [p.translation_key for p in sources]
    target_pages = list(
        Page.objects.filter(locale=locale, translation_key__in=keys).only(
            "id",
            "translation_key",
            "alias_of_id",
            "live",
            "last_published_at",
            "live_revision_id",
            "locale_id",
        )
    )
    standing = pages_standing_in(target_pages)
    targets = {
        p.translation_key: {"id": p.pk, "live": p.live, "last_published_at": p.last_published_at}
        for p in target_pages
    }
    sources_by_key = {
        s.object_id: s for s in TranslationSource.objects.filter(object_id__in=keys, locale=default)
    }
    translations = {
        t.source.object_id: t
        for t in Translation.objects.filter(
            source__in=sources_by_key.values(), target_locale=locale
        ).select_related("source")
    }
    in_review = set(
        Page.objects.filter(
            locale=locale, translation_key__in=keys, _workflow_states__status="in_progress"
        ).values_list("translation_key", flat=True)
    )
    sections = {p.path: p.title for p in sources if p.depth == 3}
    entries = []
    for page in sources:
        target = targets.get(page.translation_key)
        source_record = sources_by_key.get(page.translation_key)
        stand_in = bool(target and target["id"] in standing)
        published = target["last_published_at"] if target and target["live"] else None
        entries.append(
            Entry(
                kind="page",
                title=page.title,
                type_label=str(page.content_type.model_class()._meta.verbose_name),
                section=sections.get(page.path[: 3 * Page.steplen], "") if page.depth > 2 else "",
                state=_state(
                    page.last_published_at,
                    source_record.last_updated_at if source_record else None,
                    published,
                    target is not None,
                    stand_in,
                ),
                source=page,
                target_id=target["id"] if target else None,
                target_is_stand_in=stand_in,
                translation=translations.get(page.translation_key),
                source_published_at=page.last_published_at,
                translation_published_at=published,
                in_review=page.translation_key in in_review,
            )
        )
    return entries


def snippet_entries(locale, default=None, model=None):
    default = default or Locale.get_default()
    entries = []
    for snippet_model in translatable_snippet_models():
        if model is not None and snippet_model is not model:
            continue
        sources = list(snippet_model.objects.filter(locale=default, live=True))
        keys = [s.translation_key for s in sources]
        targets = {
            row["translation_key"]: row
            for row in snippet_model.objects.filter(locale=locale, translation_key__in=keys).values(
                "pk", "translation_key", "live", "last_published_at"
            )
        }
        content_type = ContentType.objects.get_for_model(snippet_model)
        sources_by_key = {
            s.object_id: s
            for s in TranslationSource.objects.filter(
                object_id__in=keys, locale=default, specific_content_type=content_type
            )
        }
        translations = {
            t.source.object_id: t
            for t in Translation.objects.filter(
                source__in=sources_by_key.values(), target_locale=locale
            ).select_related("source")
        }
        for snippet in sources:
            target = targets.get(snippet.translation_key)
            record = sources_by_key.get(snippet.translation_key)
            published = target["last_published_at"] if target and target["live"] else None
            entries.append(
                Entry(
                    kind="snippet",
                    title=str(snippet),
                    type_label=str(snippet_model._meta.verbose_name),
                    section="",
                    state=_state(
                        snippet.last_published_at,
                        record.last_updated_at if record else None,
                        published,
                        target is not None,
                        False,
                    ),
                    source=snippet,
                    target_id=target["pk"] if target else None,
                    target_is_stand_in=False,
                    translation=translations.get(snippet.translation_key),
                    source_published_at=snippet.last_published_at,
                    translation_published_at=published,
                )
            )
    return entries


def changes(translation):
    """What the original says now that the translation was not made from.

    [(place, text now, text then or None)] comparing the original's current strings with
    those wagtail-localize took when the translation was last synchronised.
    """
    source = translation.source
    instance = source.get_source_instance()
    if hasattr(instance, "get_latest_revision_as_object") and getattr(instance, "live", True):
        instance = instance.specific if isinstance(instance, Page) else instance
    now = {}
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            now.setdefault(segment.path, []).append(segment.string.render_text())
    then = {}
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        then.setdefault(segment.context.path, []).append(segment.string.data)
    then_text = {path: [_plain(t) for t in texts] for path, texts in then.items()}
    found = []
    for path, texts in now.items():
        old = then_text.get(path, [])
        for position, text in enumerate(texts):
            before = old[position] if position < len(old) else None
            if before != text:
                found.append((_place(path), text, before))
    return found


def _plain(html):
    from django.utils.html import strip_tags

    return strip_tags(html)


def _place(path):
    field = path.split(".", 1)[0]
    return field.replace("_", " ")


def model_choices():
    pages = sorted(
        {
            m
            for m in apps.get_models()
            if issubclass(m, Page)
            and m is not Page
            and m._meta.app_label in {"home", "casestudies", "manual", "news"}
        },
        key=lambda m: str(m._meta.verbose_name),
    )
    return pages
