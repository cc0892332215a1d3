"""Workarounds for bugs of a dependency's release: each checks, when the site starts, that
it faces the release it was written for, and otherwise stays off with a warning.

A workaround left on after upstream changed could patch code that no longer has the bug, or
no longer exists. Each has a test that calls upstream's own code and fails once upstream
fixes the bug, so that the workaround is removed rather than kept by habit:

- home/languages/scheduled_aliases.py (Wagtail, wagtail#11344): tests/home/test_scheduling.py;
- translations/drafts.py (wagtail-localize #655): tests/translations/test_workflow.py;
- translations/restrictions.py (wagtail-localize): tests/translations/test_restriction_sync.py;
- translations/ingest.py (wagtail-localize): tests/translations/test_exchange.py.
"""

import logging
from importlib.metadata import version

logger = logging.getLogger(__name__)


def written_for(package, release, workaround):
    """True where the installed `package` is of `release` (a prefix such as "1.14."); else
    log that `workaround` (its module) stays off, and give False."""
    installed = version(package)
    if installed.startswith(release):
        return True
    logger.warning(
        "%s %s: %s was written for %sx and stays off; check whether it is still needed",
        package,
        installed,
        workaround,
        release,
    )
    return False
