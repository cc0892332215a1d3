"""Workarounds for bugs of a dependency: each checks, when the site starts, that the upstream
code it replaces or works around is the code it was written for, and otherwise stays off
with a warning.

The check is a digest of that function's source (`fingerprint`), not a release number: a new
release that leaves the function as it was keeps the workaround (the bug is still there), and
one that changes it (a fix, or new code the workaround does not know) switches it off, with
a warning that names the function and its new digest. Each workaround also has a test that
calls upstream's own code and fails once upstream fixes the bug, so that the workaround is
removed rather than kept by habit, and tests/home/test_upstream.py checks every digest:

- home/languages/scheduled_aliases.py (Wagtail, wagtail#11344): tests/home/test_scheduling.py;
- home/spreadsheets.py (Wagtail's CSV exports): tests/home/test_spreadsheets.py;
- search/sqlite_quotes.py (modelsearch, SQLite only): tests/search/test_sqlite_quotes.py;
- translations/drafts.py (wagtail-localize #655): tests/translations/test_workflow.py;
- translations/restriction_sync.py (wagtail-localize): tests/translations/test_restriction_sync.py;
- translations/ingest.py (wagtail-localize): tests/translations/test_exchange.py.

After an upgrade has switched one off: read upstream's change, run the workaround's test,
and either remove the workaround or, where the bug is still there, set its digest to the one
the warning gives.
"""

import hashlib
import inspect
import logging
import textwrap

logger = logging.getLogger(__name__)


def fingerprint(code):
    """A digest of the source of `code` (a function), or None where its source cannot be read."""
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(textwrap.dedent(source).encode()).hexdigest()[:16]


def written_for(code, digest, workaround):
    """True where upstream's `code` is the code `workaround` (its module) was written for: the
    digest of its source is `digest`; else log that the workaround stays off, and give False."""
    found = fingerprint(code)
    if found == digest:
        return True
    logger.warning(
        "%s.%s is not the code %s was written for (its digest is %s, not %s): the workaround "
        "stays off; check whether it is still needed",
        code.__module__,
        code.__qualname__,
        workaround,
        found,
        digest,
    )
    return False


def replace(owner, name, replacement, digest, workaround):
    """Put `replacement` in place of `owner.name`, keeping upstream's as `replacement.upstream`,
    where upstream's is the code `workaround` was written for (`written_for`); True where the
    replacement is in place."""
    original = getattr(owner, name)
    if original is replacement:
        return True
    if not written_for(original, digest, workaround):
        return False
    replacement.upstream = original
    setattr(owner, name, replacement)
    return True
