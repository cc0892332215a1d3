"""Every page type has a factory, and each factory builds a valid, publishable page."""

import inspect

import wagtail_factories
from wagtail.models import Page, get_page_models

from tests import factories


def page_factories():
    found = {}
    for _name, obj in inspect.getmembers(factories, inspect.isclass):
        if issubclass(obj, wagtail_factories.PageFactory) and obj._meta.model is not None:
            found[obj._meta.model] = obj
    return found


def project_page_models():
    return [
        m
        for m in get_page_models()
        if m is not Page and m._meta.app_label in {"home", "casestudies", "manual", "news"}
    ]


def test_every_page_type_has_a_factory():
    missing = [m.__name__ for m in project_page_models() if m not in page_factories()]
    assert not missing, f"page types without a factory in tests/factories.py: {missing}"
