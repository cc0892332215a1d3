"""Helpers for tests: data shared by a module's tests, and driving the Wagtail admin."""

import pytest
from django.db import transaction
from django.db.models import BooleanField
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield


def module_data(build):
    """Decorator: a module-scoped fixture, named as `build`, of the data `build()` makes, for
    tests that only read it or change it inside their own transaction.

    `build()` runs once per test module (per xdist worker) inside a transaction that is rolled
    back after the module; each test's own transaction nests inside it as a savepoint, so
    what a test changes is undone before the next one. Building the language trees or
    importing content once per module instead of once per test is what keeps the suite fast.
    Return primary keys rather than model instances when tests may change the instances: a
    rolled-back savepoint leaves a changed Python object changed. The data stays until the
    module ends, so the module's later tests see it whether they ask for it or not: use it
    where no test of the module needs the site without it.
    """

    return _shared_data(build, "module")


def class_data(build):
    """As `module_data`, for the tests of one class: the data is gone after the class, so
    the module's other tests start without it."""
    return _shared_data(build, "class")


def _shared_data(build, scope):
    @pytest.fixture(scope=scope, name=build.__name__)
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    fixture.__doc__ = build.__doc__
    return fixture


def edit_form_data(client, page, **streams):
    """POST data for a page's edit form, as the admin would send it.

    Wagtail renders StreamFields client-side, so their data cannot be read from the HTML;
    they are given here (`streams`, as (block type, value) pairs), empty when not given.
    """
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for field in page._meta.get_fields():
        if isinstance(field, StreamField) and field.name not in streams:
            streams[field.name] = []
    data = {key: data.getlist(key) if len(data.getlist(key)) > 1 else data[key] for key in data}
    # Checkboxes come back from the HTML without their checked state; take it from the page.
    for field in page._meta.fields:
        if isinstance(field, BooleanField) and field.name in data:
            if getattr(page, field.name):
                data[field.name] = "on"
            else:
                del data[field.name]
    for name, blocks in streams.items():
        data.update(nested_form_data({name: streamfield(blocks)}))
    data["action-publish"] = ""
    return data


def translate_page(page, language_code, publish=True, **fields):
    """A real translation of `page` (replacing its fallback page if there is one), with fields."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id:
        existing.specific.delete()
        existing = None
    translated = (
        existing.specific if existing else page.copy_for_translation(locale, copy_parents=True)
    )
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    if publish:
        translated.save_revision().publish()
    return translated


def banned(bans, response):
    """Whether one of the ban patterns `bans` reaches `response` (by its X-Cache-Tags), as
    Varnish matches them."""
    import re

    from home.cache import TAGS_HEADER

    tags = response[TAGS_HEADER]
    return any(re.search(ban.replace("[[:space:]]", r"\s"), tags) for ban in bans)
