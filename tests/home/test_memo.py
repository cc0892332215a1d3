"""home/memo.py: answers remembered per process, forgotten in time, when full, or on a signal."""

import pytest
from wagtail.models import Locale, Page, Site

from home import memo as memo_module
from home.memo import Memo
from tests.factories import CaseStudyIndexPageFactory


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def memo():
    made = Memo("test", seconds=60, size=3)
    yield made
    Memo.every.remove(made)


def counting(calls, value):
    def compute():
        calls.append(value)
        return value

    return compute


def test_an_answer_is_worked_out_once_while_remembered(memo, clock):
    calls = []
    assert memo.get("a", counting(calls, 1)) == 1
    clock[0] += 59
    assert memo.get("a", counting(calls, 2)) == 1
    assert calls == [1]
    clock[0] += 2  # past its time: another process may have changed it
    assert memo.get("a", counting(calls, 3)) == 3
    assert calls == [1, 3]


def test_answers_that_are_none_are_remembered_too(memo, clock):
    calls = []
    assert memo.get("nothing", counting(calls, None)) is None
    assert memo.get("nothing", counting(calls, None)) is None
    assert calls == [None]


def test_a_full_memo_starts_afresh(memo, clock):
    for key in "abcdef":
        memo.get(key, lambda key=key: key)
        assert len(memo.entries) <= 3
    assert memo.get("f", lambda: "other") == "f"


@pytest.mark.django_db
def test_forgotten_when_a_model_it_depends_on_is_saved_or_deleted(memo, clock):
    memo.forget_on(Locale)
    memo.get("a", lambda: 1)
    Site.objects.first().save()  # another model: kept
    assert memo.entries == {"a": 1}
    locale = Locale.objects.create(language_code="xx-test")
    assert memo.entries == {}
    memo.get("a", lambda: 1)
    locale.delete()
    assert memo.entries == {}


@pytest.mark.django_db
def test_forgotten_only_for_the_instances_it_is_told_to_watch(memo, clock, home):
    index = CaseStudyIndexPageFactory(parent=home)
    memo.forget_on(when=lambda instance: isinstance(instance, Page) and instance.depth <= 2)
    memo.get("a", lambda: 1)
    Locale.objects.create(language_code="xx-test")
    index.save()  # a page deeper down: kept
    assert memo.entries == {"a": 1}
    home.save()
    assert memo.entries == {}


@pytest.fixture
def elsewhere():
    """The same memo in another process (another worker): sharing only Django's cache."""
    made = Memo("test", seconds=60, size=3, check_every=1.0)
    yield made
    Memo.every.remove(made)


@pytest.mark.django_db
def test_every_process_forgets_once_the_change_is_committed(
    memo, elsewhere, clock, django_capture_on_commit_callbacks
):
    memo.forget_on(Locale)
    elsewhere.get("a", lambda: "old")
    with django_capture_on_commit_callbacks() as callbacks:
        Locale.objects.create(language_code="xx-test")
        # Before the commit, only this process forgets: another process reads the
        # committed rows, which have not changed yet.
        assert memo.entries == {}
        clock[0] += 2
        assert elsewhere.get("a", lambda: "new") == "old"
    for callback in callbacks:  # the commit
        callback()
    assert elsewhere.get("a", lambda: "new") == "old"  # asked the cache less than 1 s ago
    clock[0] += 1
    assert elsewhere.get("a", lambda: "new") == "new"


@pytest.mark.django_db
def test_without_the_cache_a_memo_keeps_working_for_its_time(memo, clock, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(memo_module.cache, "get", unreachable)
    monkeypatch.setattr(memo_module.cache, "incr", unreachable)
    calls = []
    assert memo.get("a", counting(calls, 1)) == 1
    memo._forget_everywhere()
    assert memo.get("a", counting(calls, 2)) == 2
    assert calls == [1, 2]
    assert "The cache could not be told of a change" in caplog.text


def test_started_afresh_a_memo_compares_the_generation_at_its_first_answer(memo, clock):
    """A generation seen before the cache was emptied (as each test empties it) must not be
    compared a second later, in the middle of what follows: started afresh, the memo
    compares at once, and then keeps its answers while nothing changes."""
    from django.core.cache import cache

    calls = []
    memo.get("a", counting(calls, 1))
    memo.changes.bump()  # another process's change
    clock[0] += 2
    assert memo.get("a", counting(calls, 2)) == 2  # compared: the memo saw the change
    cache.clear()
    memo.start_afresh()
    assert memo.get("a", counting(calls, 3)) == 3
    clock[0] += 2  # a comparison is due: the cache still says what the memo saw
    assert memo.get("a", counting(calls, 4)) == 3
    assert calls == [1, 2, 3]
