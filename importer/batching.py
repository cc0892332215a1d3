"""Batching the per-save background work of Wagtail during bulk operations (imports).

Every save of a page or snippet queues two tasks: the admin search index update (modelsearch)
and the reference index update (Wagtail's usage counts). An import saves each object several
times (create, revision, publish, fallback pages in 23 languages), so the same work is done over
and over. Inside `batched_background_updates()` those tasks are collected instead, and each
object's tasks run once after the work is done. The tasks themselves are the libraries' own.

A bulk command runs that work itself, at the end, rather than queuing it for the task worker
(`home/queueing.py`).
"""

import threading
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_save
from modelsearch import index as modelsearch_index
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from home.queueing import now_or_queued, run_queued_work_now

_lock = threading.Lock()


@contextmanager
def batched_background_updates():
    """Collect the objects saved inside; afterwards, run each one's tasks once.

    Meant for management commands (one thread): while active, saves anywhere in the
    process skip their admin search update until the block ends.
    """
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
    with run_queued_work_now.on():
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
    for (app_label, model_name, pk), model in saved.items():
        if not apps.get_model(app_label, model_name)._default_manager.filter(pk=pk).exists():
            continue
        if model in searched:
            now_or_queued(insert_or_update_object_task).enqueue(app_label, model_name, pk)
        if model in ReferenceIndex.tracked_models:
            now_or_queued(update_reference_index_task).enqueue(app_label, model_name, pk)
