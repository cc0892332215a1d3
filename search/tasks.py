"""Background tasks of the search app (django-tasks, as Wagtail's own)."""

from django_tasks import task

from search.indexing import apply_updates


@task()
def update_index(index=(), remove=()):
    """Index and remove these pages (ids); what fails is kept for the worker's retry."""
    return apply_updates(set(index), set(remove))
