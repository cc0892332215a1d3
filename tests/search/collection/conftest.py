"""The tests that search the judged collection (tests/search/conftest.py): it is built once
for the package (per xdist worker) rather than once per module, and rolled back after it."""

import pytest
from django.db import transaction

from tests.search.conftest import build_collection


@pytest.fixture(scope="package")
def collection(django_db_setup, django_db_blocker):
    """Every test of this package sees the collection, whether it asks for it or not; each
    test's own transaction nests inside the package's (as a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_collection()
        transaction.set_rollback(True)
