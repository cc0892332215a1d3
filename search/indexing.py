"""Keeping the search index in step with the site.

The index holds the pages an anonymous visitor may see now (home/visibility.py), no others.
Whatever may change that re-indexes the pages concerned, and those no longer visible leave
the index: publishing, scheduling or unpublishing a page (all its language versions, as a
fallback page or a translation follows its original), a view restriction added, changed or
removed (its page's language versions and everything under them), a move (the subtree), a
deletion. Work is collected during a request and, once its transaction commits, handed in one
batch to a background task (`update_index`; django-tasks). An update that fails (the engine
cannot be reached) is kept as a `PendingIndexUpdate` and retried by the scheduled worker
(`manage.py retry_index_updates`): an editor's publish never fails for it, and no update is
lost. `manage.py rebuild_search_index` rebuilds everything.

The database's own index (IndexEntry rows, and the database engine's structures) is written
in one transaction; where Elasticsearch is configured, its documents follow once those rows
are there (search/engines/__init__.py, `index_engines`).

Search knows pages only through `BasePage.indexed_content()` (home/models/base.py).
"""

import logging
import os
import threading
from collections import Counter
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from home.languages.i18n import fallback_page_ids
from home.queueing import now_or_queued
from home.visibility import visible
from search.analysis import analyzer
from search.engines import index_engines
from search.models import IndexEntry, IndexFilter, PendingIndexUpdate, Vocabulary

logger = logging.getLogger(__name__)

_pending = threading.local()


def is_indexable(page):
    """Whether a page that visitors may see has a place in the index (a type of ours)."""
    return hasattr(page, "indexed_content") and page.depth > 1


def content_type_label(page):
    return f"{page._meta.app_label}.{page._meta.model_name}"


class EntryBuilder:
    """Builds IndexEntry rows; analysis of shared text is done once per language."""

    def __init__(self):
        self.analysed = {}

    def analyse(self, language, text):
        # Fallback pages share their original's text: analysed once per language. Bounded, as a
        # rebuild sees every page.
        key = (language, text)
        if key not in self.analysed:
            if len(self.analysed) > 20_000:
                self.analysed.clear()
            self.analysed[key] = " ".join(analyzer(language).terms(text))
        return self.analysed[key]

    def build(self, page, languages, fallbacks=()):
        """(IndexEntry, {filter name: [values]}) for a specific page; `fallbacks`: the ids of
        pages that show their original's text (home.languages.i18n.fallback_page_ids)."""
        content = page.indexed_content()
        locale = languages[page.locale_id]
        language = locale
        if page.alias_of_id:
            language = languages.get(getattr(page, "_source_locale_id", None), locale)
        elif page.pk in fallbacks:
            language = settings.LANGUAGE_CODE
        entry = IndexEntry(
            page_id=page.pk,
            locale=locale,
            language=language,
            is_fallback=language != locale,
            content_type=content_type_label(page),
            title=content.title,
            summary=content.summary or "",
            body=content.body or "",
            date=content.date,
            title_terms=self.analyse(language, content.title),
            summary_terms=self.analyse(language, content.summary or ""),
            body_terms=self.analyse(language, content.body or ""),
            title_words=" " + " ".join(analyzer(language).folded_words(content.title)) + " ",
        )
        filters = {
            name: [str(v).replace("\n", " ")[:100] for v in values if v not in (None, "")]
            for name, values in content.filters.items()
        }
        filters["type"] = [entry.content_type]
        return entry, filters


def _languages():
    from wagtail.models import Locale

    return dict(Locale.objects.values_list("pk", "language_code"))


def _specific_pages(page_ids):
    """Indexable, specific pages of these ids that visitors may see, with what
    `indexed_content` reads."""
    pages = list(visible(Page.objects.filter(pk__in=page_ids)).specific())
    by_class = {}
    for page in pages:
        by_class.setdefault(type(page), []).append(page)
    for model, group in by_class.items():
        prefetch_related_objects(group, *getattr(model, "search_prefetch", ()))
    alias_sources = {p.alias_of_id for p in pages if p.alias_of_id}
    if alias_sources:
        source_locales = dict(
            Page.objects.filter(pk__in=alias_sources).values_list("pk", "locale_id")
        )
        for page in pages:
            if page.alias_of_id:
                page._source_locale_id = source_locales.get(page.alias_of_id)
    return [p for p in pages if is_indexable(p)]


def index_pages(page_ids, builder=None, vocabulary=None, fresh=False):
    """(Re)index these pages; pages visitors may no longer see, or not indexable, leave it.

    `vocabulary`, a Counter, collects words instead of writing them, and `fresh` says the
    pages have no entries yet (both for a rebuild).
    """
    page_ids = set(page_ids)
    if not page_ids:
        return 0
    builder = builder or EntryBuilder()
    languages = _languages()
    pages = _specific_pages(page_ids)
    engine, *others = index_engines()
    with transaction.atomic():
        stale = (
            []
            if fresh
            else list(IndexEntry.objects.filter(page_id__in=page_ids).values_list("pk", flat=True))
        )
        if stale:
            engine.delete(stale)
            IndexEntry.objects.filter(pk__in=stale).delete()
        fallbacks = fallback_page_ids(pages)
        built = [builder.build(page, languages, fallbacks) for page in pages]
        entries = IndexEntry.objects.bulk_create([entry for entry, _f in built])
        filters = [
            IndexFilter(entry=entry, locale=entry.locale, name=name, value=value)
            for entry, (_e, by_name) in zip(entries, built, strict=True)
            for name, values in by_name.items()
            for value in dict.fromkeys(values)
        ]
        IndexFilter.objects.bulk_create(filters)
        engine.index(entries)
        counts = vocabulary_counts(entries)
        if vocabulary is None:
            save_vocabulary(counts)
        else:
            vocabulary.update(counts)
    for other in others:
        other.replace(page_ids, entries, fresh=fresh)
    return len(entries)


def remove_pages(page_ids):
    engine, *others = index_engines()
    entries = list(IndexEntry.objects.filter(page_id__in=page_ids).values_list("pk", flat=True))
    if entries:
        engine.delete(entries)
        IndexEntry.objects.filter(pk__in=entries).delete()
    for other in others:
        other.replace(page_ids, [])


def vocabulary_counts(entries):
    """(language, word) → count of the words of titles and summaries, for suggestions."""
    counts = Counter()
    for entry in entries:
        if entry.is_fallback:
            continue
        words = analyzer(entry.language).folded_words(f"{entry.title} {entry.summary}")
        counts.update((entry.language, w) for w in words if 3 <= len(w) <= 60 and not w.isdigit())
    return counts


def save_vocabulary(counts):
    if not counts:
        return
    existing = set(
        Vocabulary.objects.filter(
            language__in={lang for lang, _w in counts}, word__in={w for _l, w in counts}
        ).values_list("language", "word")
    )
    Vocabulary.objects.bulk_create(
        [
            Vocabulary(language=lang, word=word, frequency=n)
            for (lang, word), n in counts.items()
            if (lang, word) not in existing
        ],
        ignore_conflicts=True,
    )
    for (lang, word), n in counts.items():
        if (lang, word) in existing:
            Vocabulary.objects.filter(language=lang, word=word).update(frequency=F("frequency") + n)


# --- Batching per transaction ------------------------------------------------------------


def _queue():
    if not hasattr(_pending, "index"):
        _pending.index, _pending.remove = set(), set()
    return _pending


@task()
def update_index(index=(), remove=()):
    """Index and remove these pages (ids); what fails is kept for the worker's retry."""
    return apply_updates(set(index), set(remove))


def _flush():
    """Hand the queued work to a task; the first commit callback of a transaction takes all
    of it. Never raises: what cannot be done now is kept for the worker to retry."""
    queue = _queue()
    to_index, to_remove = queue.index - queue.remove, set(queue.remove)
    queue.index, queue.remove = set(), set()
    if not (to_index or to_remove):
        return
    try:
        now_or_queued(update_index).enqueue(index=sorted(to_index), remove=sorted(to_remove))
    except Exception as error:
        # The task backend itself failed: keep the work for the worker.
        logger.exception("Search index update could not be queued")
        keep_pending(to_index, to_remove, error)


def apply_updates(to_index=(), to_remove=()):
    """Remove and index these pages now; what fails is kept as pending updates (logged).
    True when all is done."""
    done = True
    for page_ids, work, removing in (
        (to_remove, remove_pages, True),
        (to_index, index_pages, False),
    ):
        if not page_ids:
            continue
        try:
            work(page_ids)
        except Exception as error:
            logger.warning(
                "Search index update of %d page(s) failed, kept for a retry: %s",
                len(page_ids),
                error,
            )
            keep_pending(() if removing else page_ids, page_ids if removing else (), error)
            done = False
    return done


def keep_pending(to_index, to_remove, error):
    """Record failed updates (the latest wish for a page wins), for `retry_pending`."""
    message = f"{type(error).__name__}: {error}"[:1000]
    wishes = dict.fromkeys(to_index, False) | dict.fromkeys(to_remove, True)
    try:
        for page_id, remove in sorted(wishes.items()):
            PendingIndexUpdate.objects.update_or_create(
                page_id=page_id, defaults={"remove": remove, "last_error": message}
            )
    except Exception:
        logger.exception("Failed search index updates could not be recorded: %s", sorted(wishes))


def retry_pending(batch_size=500):
    """Retry the pending updates, oldest first; those done are cleared. (done, left)"""
    done = 0
    while True:
        started = timezone.now()
        rows = list(
            PendingIndexUpdate.objects.order_by("created_at", "pk").values_list(
                "pk", "page_id", "remove"
            )[:batch_size]
        )
        if not rows:
            break
        to_index = {page_id for _pk, page_id, remove in rows if not remove}
        to_remove = {page_id for _pk, page_id, remove in rows if remove}
        pks = [pk for pk, _page_id, _remove in rows]
        succeeded = apply_updates(to_index, to_remove)
        # What failed again was recorded anew (since `started`): it stays, counted.
        cleared, _by_model = PendingIndexUpdate.objects.filter(
            pk__in=pks, updated_at__lt=started
        ).delete()
        PendingIndexUpdate.objects.filter(pk__in=pks, updated_at__gte=started).update(
            attempts=F("attempts") + 1
        )
        done += cleared
        if not succeeded or len(rows) < batch_size or cleared < len(rows):
            break
    return done, PendingIndexUpdate.objects.count()


def _schedule():
    # One callback per signal: if the transaction rolls back, its callbacks are dropped with
    # it, and the next committed transaction's callback takes whatever is queued.
    transaction.on_commit(_flush)


def schedule_index(page_ids):
    queue = _queue()
    queue.index.update(page_ids)
    queue.remove.difference_update(page_ids)
    _schedule()


def schedule_remove(page_ids):
    queue = _queue()
    queue.remove.update(page_ids)
    queue.index.difference_update(page_ids)
    _schedule()


# --- Rebuild ------------------------------------------------------------------------------


def rebuild(batch_size=500, progress=None, workers=None):
    """Empty the index and index every page visitors may see again, in batches.

    On PostgreSQL, outside a transaction, the batches are shared among `workers` processes
    (default: one per CPU): analysis is Python and the index writes are database work, and
    each process gets its own database connection, so both run on every core. Elsewhere, or
    inside a transaction (whose rows other connections cannot see), one process does it all.
    """
    engines = index_engines()
    for engine in engines:
        engine.clear()
    IndexFilter.objects.all().delete()
    IndexEntry.objects.all().delete()
    Vocabulary.objects.all().delete()
    ids = list(
        visible(Page.objects.filter(depth__gt=1)).order_by("path").values_list("pk", flat=True)
    )
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    workers = rebuild_workers(workers, len(batches))
    vocabulary = Counter()
    done = pages_seen = 0
    for engine in engines:
        engine.begin_rebuild()
    try:
        for count, seen, words in _run_batches(batches, workers):
            done += count
            pages_seen += seen
            vocabulary.update(words)
            if progress:
                progress(pages_seen, len(ids), done)
    finally:
        for engine in engines:
            engine.end_rebuild()
    save_vocabulary(vocabulary)
    return done


def rebuild_workers(requested, batches):
    """How many processes a rebuild of this many batches uses here and now."""
    from django.db import connection

    if requested is None:
        requested = os.cpu_count() or 1
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    return max(1, min(requested, batches)) if parallel else 1


def _run_batches(batches, workers):
    """(entries, pages, vocabulary) of each batch, in the order they finish."""
    if workers == 1:
        yield from map(_index_batch, batches)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    # Forked workers must not share this process's database connections: close them, and
    # each worker opens its own (this process reconnects when it next needs to).
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_index_batch, batches)


@cache
def _process_builder():
    """One builder (and its cache of analysed words) per process."""
    return EntryBuilder()


def _index_batch(page_ids):
    """Index one batch of a rebuild."""
    words = Counter()
    count = index_pages(page_ids, _process_builder(), words, fresh=True)
    return count, len(page_ids), words
