"""Where each page and snippet stands in each language: missing, out of date or current;
and what in the original the translation was not made from.

A translation (the page or snippet in the target language) is
- missing: there is none, it is a fallback page (it shows the original's text), or it was
  never published;
- out of date: a string of the original that it uses has changed since it was made, that is
  (1) the original was published after wagtail-localize took its text for translation (its
  `TranslationSource`) and its strings now differ from those taken, or (2) the source was
  updated after the translation was last published, and one of the source's strings has no
  translation into the language yet, or one made since that publication (so visitors do not
  see it);
- current otherwise. Republishing the original without changing its text, or syncing such a
  republication, leaves translations current.

The number of queries does not depend on the number of pages or languages: targets, sources,
translations and their progress are read in bulk, and an original's strings are compared
with its source's only when it was published after the source was taken (the outcome is
kept in Django's cache for that publication and that source).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from home.languages.i18n import default_locale, fallback_page_ids

CURRENT, OUT_OF_DATE, MISSING = "current", "out_of_date", "missing"
STATES = (MISSING, OUT_OF_DATE, CURRENT)
REMEMBERED_SECONDS = 60 * 60 * 24 * 7  # a comparison's outcome never changes; room for new ones


@dataclass
class Entry:
    kind: str  # "page" or "snippet"
    title: str
    type_label: str
    section: str
    state: str
    source: object  # the original (Page or snippet)
    target_id: int | None  # the object in the target language, if any
    target_is_fallback: bool
    translation: Translation | None
    source_published_at: object
    translation_published_at: object
    in_review: bool = False
    untranslated: int = 0  # strings of the source without a translation into the language


def translatable_snippet_models():
    from wagtail.snippets.models import get_snippet_models

    return [
        m
        for m in get_snippet_models()
        if hasattr(m, "translation_key") and hasattr(m, "last_published_at")
    ]


def _state(original_published, source, target_published, fallback_page, translation, changed):
    """One translation's state (see the module's docstring).

    `source` is the original's TranslationSource (None if the translation was made without
    wagtail-localize), `translation` its Translation into the language read `with_progress`,
    `changed` whether the original's strings differ from the source's.
    """
    if target_published is None or fallback_page:
        return MISSING
    if source is None:
        # Translated outside wagtail-localize: only publications can be compared.
        late = original_published and original_published > target_published
        return OUT_OF_DATE if late else CURRENT
    if changed:
        return OUT_OF_DATE
    if source.last_updated_at > target_published:
        if translation is None:
            return OUT_OF_DATE
        newer = translation.latest_string_translation
        if translation.untranslated or (newer and newer > target_published):
            return OUT_OF_DATE
    return CURRENT


def with_progress(translations):
    """Translations annotated, in the same query, with what `Translation.get_progress` counts:
    `untranslated` (segments of the source without a translation into the language, errors
    not counted as translated) and `latest_string_translation` (when one of the source's
    strings was last translated into it)."""
    done = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=OuterRef(OuterRef("target_locale_id")),
        has_error=False,
    )
    missing = (
        StringSegment.objects.filter(source_id=OuterRef("source_id"))
        .filter(~Exists(done))
        .order_by()
        .values("source_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = (
        StringTranslation.objects.filter(
            locale_id=OuterRef("target_locale_id"),
            has_error=False,
            translation_of__segments__source_id=OuterRef("source_id"),
            translation_of__segments__context_id=F("context_id"),
        )
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return translations.annotate(
        untranslated=Coalesce(Subquery(missing, output_field=IntegerField()), Value(0)),
        latest_string_translation=Subquery(latest),
    )


def _strings_by_path(segments):
    found = defaultdict(list)
    for path, text in segments:
        found[path].append(text)
    return dict(found)


def _current_strings(instance):
    return _strings_by_path(
        (segment.path, segment.string.data)
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    )


def _originals_changed(originals, records):
    """The translation keys of those originals whose strings differ from their source's.

    Only originals published after their source was taken can differ; each is compared once
    per publication and source (Django's cache keeps the outcome)."""
    candidates = {}
    for original in originals:
        record = records.get(original.translation_key)
        published = original.last_published_at
        if record is not None and published and published > record.last_updated_at:
            taken_at, published_at = record.last_updated_at.timestamp(), published.timestamp()
            key = f"translations:changed:{record.pk}:{taken_at}:{published_at}"
            candidates[key] = (original, record)
    if not candidates:
        return set()
    known = cache.get_many(list(candidates))
    unknown = {key: pair for key, pair in candidates.items() if key not in known}
    if unknown:
        pages = [o.pk for o, _r in unknown.values() if isinstance(o, Page)]
        specific = {p.pk: p for p in Page.objects.filter(pk__in=pages).specific()}
        taken = defaultdict(list)
        for source_id, path, text in (
            StringSegment.objects.filter(source_id__in=[r.pk for _o, r in unknown.values()])
            .order_by("source_id", "order")
            .values_list("source_id", "context__path", "string__data")
        ):
            taken[source_id].append((path, text))
        outcome = {}
        for key, (original, record) in unknown.items():
            instance = (
                specific.get(original.pk, original) if isinstance(original, Page) else original
            )
            outcome[key] = _current_strings(instance) != _strings_by_path(taken[record.pk])
        cache.set_many(outcome, timeout=REMEMBERED_SECONDS)
        known.update(outcome)
    return {candidates[key][0].translation_key for key, changed in known.items() if changed}


def _translations(records, locales):
    """{(translation key, locale id): Translation with progress}."""
    found = with_progress(
        Translation.objects.filter(
            source__in=list(records.values()), target_locale__in=locales
        ).select_related("source")
    )
    return {(t.source.object_id, t.target_locale_id): t for t in found}


def translation_state(page, fallback=None):
    """(The original, the state) of one page in another language than the default (see the
    module's docstring), as the dashboard gives it: what the public notice on a translation
    says. (None, None) for an original, or a page whose original is not live. Three queries,
    more only when the original's strings must be compared anew; `fallback`, where the caller
    knows whether the page is a fallback page (home/languages/i18n.py), saves asking again.
    The default locale comes from the per-process memo: an original asks nothing."""
    default = default_locale()
    if page.locale_id == default.pk:
        return None, None
    original = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale=default)
        .select_related("locale")
        .first()
    )
    if original is None:
        return None, None
    record = TranslationSource.objects.filter(object_id=page.translation_key, locale=default)
    record = record.first()
    records = {page.translation_key: record} if record is not None else {}
    translation = None
    if record is not None:
        found = Translation.objects.filter(source=record, target_locale_id=page.locale_id)
        translation = with_progress(found).first()
    state = _state(
        original.last_published_at,
        record,
        page.last_published_at if page.live else None,
        page.pk in fallback_page_ids([page]) if fallback is None else fallback,
        translation,
        page.translation_key in _originals_changed([original], records),
    )
    return original, state


def page_entries(locale, default=None, content_type=None, section=None):
    """Every live original page (default language) and its state in `locale`."""
    return page_entries_by_locale([locale], default, content_type, section)[locale.pk]


def page_entries_by_locale(locales, default=None, content_type=None, section=None):
    """{locale id: entries} for several languages, with the same queries as for one."""
    default = default or Locale.get_default()
    sources = Page.objects.live().filter(locale=default, depth__gt=1).order_by("path")
    if content_type:
        sources = sources.filter(content_type=content_type)
    if section:
        sources = sources.filter(path__startswith=section.path)
    keys = sources.values("translation_key")
    sources = list(sources.select_related("content_type"))
    target_pages = list(
        Page.objects.filter(locale__in=locales, translation_key__in=keys).only(
            "id",
            "translation_key",
            "alias_of_id",
            "live",
            "last_published_at",
            "live_revision_id",
            "locale_id",
        )
    )
    fallbacks = fallback_page_ids(target_pages)
    targets = {(p.translation_key, p.locale_id): p for p in target_pages}
    records = {
        s.object_id: s for s in TranslationSource.objects.filter(object_id__in=keys, locale=default)
    }
    translations = _translations(records, locales)
    changed = _originals_changed(sources, records)
    in_review = set(
        Page.objects.filter(
            locale__in=locales, translation_key__in=keys, _workflow_states__status="in_progress"
        ).values_list("translation_key", "locale_id")
    )
    sections = {p.path: p.title for p in sources if p.depth == 3}
    by_locale = {}
    for locale in locales:
        entries = by_locale[locale.pk] = []
        for page in sources:
            key = (page.translation_key, locale.pk)
            target = targets.get(key)
            translation = translations.get(key)
            fallback_page = bool(target and target.pk in fallbacks)
            published = target.last_published_at if target and target.live else None
            entries.append(
                Entry(
                    kind="page",
                    title=page.title,
                    type_label=str(page.content_type.model_class()._meta.verbose_name),
                    section=sections.get(page.path[: 3 * Page.steplen], "")
                    if page.depth > 2
                    else "",
                    state=_state(
                        page.last_published_at,
                        records.get(page.translation_key),
                        published,
                        fallback_page,
                        translation,
                        page.translation_key in changed,
                    ),
                    source=page,
                    target_id=target.pk if target else None,
                    target_is_fallback=fallback_page,
                    translation=translation,
                    source_published_at=page.last_published_at,
                    translation_published_at=published,
                    in_review=key in in_review,
                    untranslated=translation.untranslated if translation else 0,
                )
            )
    return by_locale


def snippet_entries(locale, default=None, model=None):
    return snippet_entries_by_locale([locale], default, model)[locale.pk]


def snippet_entries_by_locale(locales, default=None, model=None):
    default = default or Locale.get_default()
    by_locale = {locale.pk: [] for locale in locales}
    for snippet_model in translatable_snippet_models():
        if model is not None and snippet_model is not model:
            continue
        originals = snippet_model.objects.filter(locale=default, live=True)
        keys = originals.values("translation_key")
        sources = list(originals)
        targets = {
            (row["translation_key"], row["locale_id"]): row
            for row in snippet_model.objects.filter(
                locale__in=locales, translation_key__in=keys
            ).values("pk", "translation_key", "locale_id", "live", "last_published_at")
        }
        content_type = ContentType.objects.get_for_model(snippet_model)
        records = {
            s.object_id: s
            for s in TranslationSource.objects.filter(
                object_id__in=keys, locale=default, specific_content_type=content_type
            )
        }
        translations = _translations(records, locales)
        changed = _originals_changed(sources, records)
        for locale in locales:
            for snippet in sources:
                key = (snippet.translation_key, locale.pk)
                target = targets.get(key)
                translation = translations.get(key)
                published = target["last_published_at"] if target and target["live"] else None
                by_locale[locale.pk].append(
                    Entry(
                        kind="snippet",
                        title=str(snippet),
                        type_label=str(snippet_model._meta.verbose_name),
                        section="",
                        state=_state(
                            snippet.last_published_at,
                            records.get(snippet.translation_key),
                            published,
                            False,
                            translation,
                            snippet.translation_key in changed,
                        ),
                        source=snippet,
                        target_id=target["pk"] if target else None,
                        target_is_fallback=False,
                        translation=translation,
                        source_published_at=snippet.last_published_at,
                        translation_published_at=published,
                        untranslated=translation.untranslated if translation else 0,
                    )
                )
    return by_locale


def overview(locales, default=None):
    """[(locale, {state: count})] of pages and snippets, one row per language."""
    pages = page_entries_by_locale(locales, default)
    snippets = snippet_entries_by_locale(locales, default)
    rows = []
    for locale in locales:
        counts = dict.fromkeys(STATES, 0)
        for entry in pages[locale.pk] + snippets[locale.pk]:
            counts[entry.state] += 1
        rows.append((locale, counts))
    return rows


def changes(translation):
    """What the original says that the translation was not made from.

    [(place, text now, text before or None)]: the original's strings that differ from those
    wagtail-localize took for translation (not synced yet), then the strings taken that have
    no translation into the language yet (synced; "before" is the original's earlier text at
    that place, when it was translated).
    """
    source = translation.source
    instance = source.get_source_instance()
    if isinstance(instance, Page):
        instance = instance.specific
    now = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            now[segment.path].append((segment.string.data, segment.string.render_text()))
    taken = (
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
        .annotate_translation(translation.target_locale)
    )
    then = defaultdict(list)
    untranslated = []
    for segment in taken:
        then[segment.context.path].append(segment.string.data)
        if segment.translation is None:
            untranslated.append(segment)
    found = []
    for path, texts in now.items():
        old = then.get(path, [])
        for position, (data, text) in enumerate(texts):
            before = old[position] if position < len(old) else None
            if before != data:
                found.append((_place(path), text, strip_tags(before) if before else None))
    shown = {(place, text) for place, text, _before in found}
    earlier = _earlier_texts(untranslated, translation.target_locale)
    for segment in untranslated:
        text = strip_tags(segment.string.data)
        if (_place(segment.context.path), text) not in shown:
            before = earlier.get(segment.context_id)
            found.append(
                (_place(segment.context.path), text, strip_tags(before) if before else None)
            )
    return found


def _earlier_texts(segments, locale):
    """{context id: the original's earlier text there}, from translations into `locale` of a
    string no longer at that place."""
    strings = {s.context_id: s.string_id for s in segments}
    earlier = {}
    for context_id, string_id, data in (
        StringTranslation.objects.filter(locale=locale, context_id__in=strings)
        .order_by("updated_at")
        .values_list("context_id", "translation_of_id", "translation_of__data")
    ):
        if string_id != strings[context_id]:
            earlier[context_id] = data
    return earlier


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
