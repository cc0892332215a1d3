"""Batching the per-save background work of Wagtail during bulk operations (imports, the
language trees' synchronisation).

Every save of a page or snippet queues two tasks: the admin search index update (modelsearch)
and the reference index update (Wagtail's usage counts). An import saves each object several
times (create, revision, publish, fallback pages in 23 languages), so the same work is done over
and over. Inside `batched_background_updates()` the saved objects are collected instead, and each
object's work is done once after the import: the admin search entries in bulk per model, with
the call modelsearch's own rebuild command makes, and the references with Wagtail's own.

A bulk command runs that work itself, at the end, rather than queuing it for the task worker
(`home/queueing.py`).
"""

import logging
import threading
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch import index as modelsearch_index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from home.queueing import now_or_queued, run_queued_work_now
from home.switches import ThreadSwitch

logger = logging.getLogger(__name__)

_lock = threading.Lock()


# On inside the outermost batch: a batch nested in it leaves its work to that one.
_batching = ThreadSwitch()


@contextmanager
def batched_background_updates():
    """Collect the objects saved inside; afterwards, do each one's work once.

    Meant for management commands (one thread): while active, saves anywhere in the
    process skip their admin search update until the block ends. A batch inside another
    (the language trees synchronised during an import) adds to the outer one.
    """
    if _batching:
        yield
        return
    saved = {}
    searched = [
        m for m in modelsearch_index.get_indexed_models() if getattr(m, "search_auto_update", True)
    ]

    def record(sender, instance, raw=False, **kwargs):
        if not raw and instance.pk is not None:
            saved[(instance._meta.app_label, instance._meta.model_name, str(instance.pk))] = type(
                instance
            )

    with _lock:
        for model in searched:
            post_save.disconnect(search_on_save, sender=model)
        post_save.connect(record, weak=False, dispatch_uid="procura-batched-updates")
    completed = False
    with run_queued_work_now.on(), _batching.on():
        try:
            with disable_reference_index_auto_update():
                yield
            completed = True
        finally:
            with _lock:
                post_save.disconnect(dispatch_uid="procura-batched-updates")
                for model in searched:
                    post_save.connect(search_on_save, sender=model)
        if completed:
            _run_once_each(saved, set(searched))


def _run_once_each(saved, searched):
    """Each saved object that still exists: its references, and its admin search entry,
    written in bulk per model as modelsearch's own rebuild command writes them."""
    by_model = {}
    for (_app_label, _model_name, pk), model in saved.items():
        by_model.setdefault(model, set()).add(pk)
    indexed = {}
    for model, pks in by_model.items():
        instances = model._default_manager.filter(pk__in=pks)
        if issubclass(model, Page):
            instances = instances.specific()
        for instance in instances:
            if model in ReferenceIndex.tracked_models:
                # Wagtail's own task: it indexes a child object (an inline row) as its parent.
                now_or_queued(update_reference_index_task).enqueue(
                    model._meta.app_label, model._meta.model_name, str(instance.pk)
                )
            if model in searched:
                item = instance.get_indexed_instance()
                if item is not None:
                    indexed.setdefault(type(item), []).append(item)
    for model, items in indexed.items():
        present = set(
            model.get_indexed_objects()
            .filter(pk__in=[i.pk for i in items])
            .values_list("pk", flat=True)
        )
        _add_to_search_backends(model, [i for i in items if i.pk in present])


def _add_to_search_backends(model, items):
    """As modelsearch's `insert_or_update_object`, for many objects of one model."""
    if not items:
        return
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(model, items)
        except Exception:
            logger.exception(
                "Adding %d %s to the %r search backend failed", len(items), model.__name__, name
            )
            if not backend.catch_indexing_errors:
                raise
