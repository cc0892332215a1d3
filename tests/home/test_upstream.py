"""Workarounds of upstream bugs face the code they were written for, and switch themselves off,
with a warning, where that code has changed (home/upstream.py)."""

import logging

import pytest
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import Page
from wagtail.signals import page_published
from wagtail_localize.models import TranslationSource
from wagtail_localize.segments.ingest import StreamFieldSegmentsWriter

from home import spreadsheets, upstream
from home.languages import scheduled_aliases
from translations import drafts, ingest, restriction_sync


class Replacement:
    """A workaround that replaces a method of an upstream class: `install` puts it in place."""

    def __init__(self, module, install, owner, attribute):
        self.module, self.install = module, install
        self.owner, self.attribute = owner, attribute

    def upstream_code(self):
        return getattr(self.owner, self.attribute).upstream

    def current(self):
        return getattr(self.owner, self.attribute)


WORKAROUNDS = {
    "drafts": Replacement(
        drafts,
        drafts.keep_drafts_off_live_content,
        TranslationSource,
        "create_or_update_translation",
    ),
    "ingest": Replacement(
        ingest,
        ingest.look_blocks_up_in_one_pass,
        StreamFieldSegmentsWriter,
        "get_stream_block_child_data",
    ),
    "restriction sync": Replacement(
        restriction_sync,
        restriction_sync.replace_upstream_sync,
        TranslationSource,
        "sync_view_restrictions",
    ),
    "spreadsheets": Replacement(
        spreadsheets,
        spreadsheets.protect_admin_exports,
        SpreadsheetExportMixin,
        "stream_csv",
    ),
}
SCHEDULED_ALIASES = "home.languages.scheduled_aliases"


@pytest.mark.parametrize("name", WORKAROUNDS)
def test_each_replacement_is_on_and_faces_the_code_it_was_written_for(name, caplog):
    workaround = WORKAROUNDS[name]
    code = workaround.upstream_code()
    assert workaround.current() is not code
    assert upstream.fingerprint(code) == workaround.module.UPSTREAM_DIGEST, (
        f"{code.__qualname__} has changed upstream: see home/upstream.py"
    )
    with caplog.at_level(logging.WARNING, logger="home.upstream"):
        assert upstream.written_for(code, workaround.module.UPSTREAM_DIGEST, name)
    assert caplog.records == []


@pytest.mark.parametrize("name", WORKAROUNDS)
def test_a_replacement_stays_off_where_upstreams_code_changed(name, caplog, monkeypatch):
    workaround = WORKAROUNDS[name]
    code = workaround.upstream_code()
    monkeypatch.setattr(workaround.owner, workaround.attribute, code)
    monkeypatch.setattr(workaround.module, "UPSTREAM_DIGEST", "0123456789abcdef")
    with caplog.at_level(logging.WARNING, logger="home.upstream"):
        workaround.install()
    assert workaround.current() is code
    message = caplog.text
    assert f"{code.__qualname__} is not the code" in message and "stays off" in message
    assert upstream.fingerprint(code) in message


def is_connected(receiver):
    return any(ref() is receiver for _key, ref, *_rest in page_published.receivers)


def test_the_scheduled_aliases_workaround_faces_wagtails_update_aliases():
    assert is_connected(scheduled_aliases.keep_alias_offline)
    assert upstream.fingerprint(Page.update_aliases) == scheduled_aliases.UPSTREAM_DIGEST


def test_the_scheduled_aliases_workaround_stays_off_where_wagtails_code_changed(
    caplog, monkeypatch
):
    page_published.disconnect(dispatch_uid=SCHEDULED_ALIASES)
    try:
        monkeypatch.setattr(scheduled_aliases, "UPSTREAM_DIGEST", "0123456789abcdef")
        with caplog.at_level(logging.WARNING, logger="home.upstream"):
            scheduled_aliases.connect()
        assert not is_connected(scheduled_aliases.keep_alias_offline)
        assert "update_aliases is not the code" in caplog.text
    finally:
        page_published.connect(scheduled_aliases.keep_alias_offline, dispatch_uid=SCHEDULED_ALIASES)
    assert is_connected(scheduled_aliases.keep_alias_offline)


def test_code_without_a_readable_source_has_no_digest():
    assert upstream.fingerprint(len) is None
