"""The query log: pruned past its retention by the scheduled worker; its report and CSV for
editors and administrators, not translators."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from operations.management.commands import run_worker
from search.models import QueryLog

pytestmark = pytest.mark.django_db


def log_days(*ages):
    today = timezone.localdate()
    for age in ages:
        QueryLog.objects.create(
            locale="en", query=f"query {age}", day=today - datetime.timedelta(days=age), searches=1
        )


def ages_kept():
    today = timezone.localdate()
    return sorted((today - day).days for day in QueryLog.objects.values_list("day", flat=True))


def test_pruning_keeps_the_days_of_the_setting(settings):
    settings.SEARCH_QUERY_LOG_DAYS = 180
    log_days(0, 1, 179, 180, 181, 1000)
    call_command("prune_query_log")
    assert ages_kept() == [0, 1, 179]


def test_pruning_with_days_given(settings):
    log_days(0, 1, 2, 3)
    call_command("prune_query_log", "--days", "2")
    assert ages_kept() == [0, 1]
    with pytest.raises(CommandError):
        call_command("prune_query_log", "--days", "0")


def test_the_default_retention_is_180_days():
    from procura.settings import base

    assert base.SEARCH_QUERY_LOG_DAYS == 180


def test_the_scheduled_worker_prunes_once_a_day(settings, monkeypatch):
    settings.SEARCH_QUERY_LOG_DAYS = 30
    monkeypatch.setitem(run_worker._pruned_on, "prune_query_log", None)
    log_days(0, 40)
    call_command("run_worker", "--once")
    assert ages_kept() == [0]
    log_days(50)  # the same day: not pruned again until tomorrow
    call_command("run_worker", "--once")
    assert ages_kept() == [0, 50]
    monkeypatch.setitem(
        run_worker._pruned_on, "prune_query_log", timezone.localdate() - datetime.timedelta(1)
    )
    call_command("run_worker", "--once")
    assert ages_kept() == [0]


# --- Who sees the report ---------------------------------------------------------------------


def make_user(username, *groups, superuser=False):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", is_superuser=superuser
    )
    user.groups.set([Group.objects.get(name=name) for name in groups])
    return user


def reports_menu(client):
    """The report's address, where the admin's menu shows it."""
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    return reverse("popular_searches") in body


@pytest.mark.parametrize(
    ("username", "groups", "superuser", "allowed"),
    [
        ("ada", (), True, True),
        ("elena", ("Editors",), False, True),
        ("greta", ("Translators (de)",), False, False),
        ("pierre", ("Translators (fr)",), False, False),
    ],
)
def test_the_report_is_for_editors_and_administrators(client, username, groups, superuser, allowed):
    log_days(0)
    client.force_login(make_user(username, *groups, superuser=superuser))
    report = client.get(reverse("popular_searches"))
    csv = client.get(reverse("popular_searches"), {"export": "csv"})
    assert reports_menu(client) is allowed
    if allowed:
        assert report.status_code == 200 and "query 0" in report.content.decode()
        assert csv.status_code == 200 and b"query 0" in b"".join(csv.streaming_content)
    else:
        # Wagtail's answer to a missing permission: back to the dashboard, with a message.
        assert report.status_code in (302, 403)
        assert csv.status_code in (302, 403)
        assert not csv.streaming and b"query 0" not in csv.content
