"""Workarounds switch themselves off on a release they were not written for (home/upstream.py)."""

import logging

from wagtail_localize.models import TranslationSource

from home import upstream
from translations import drafts


def test_the_installed_release_is_the_one_written_for(caplog):
    with caplog.at_level(logging.WARNING, logger="home.upstream"):
        assert upstream.written_for("wagtail-localize", drafts.WRITTEN_FOR, "drafts")
    assert caplog.records == []


def test_another_release_keeps_the_workaround_off_with_a_warning(caplog, monkeypatch):
    installed = TranslationSource.create_or_update_translation
    monkeypatch.setattr(TranslationSource, "create_or_update_translation", installed.upstream)
    monkeypatch.setattr(drafts, "WRITTEN_FOR", "0.1.")
    with caplog.at_level(logging.WARNING, logger="home.upstream"):
        drafts.keep_drafts_off_live_content()
    assert TranslationSource.create_or_update_translation is installed.upstream
    assert "translations/drafts.py (#655) was written for 0.1.x and stays off" in caplog.text
