"""The admin's "Login lockouts" (Settings menu, superusers only): the failed attempts axes
has on record, and a button that lifts a lock by deleting its records, as `axes_reset` does."""

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import PageViewRestriction

from security.throttling import PAGE_PREFIX


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def _names(usernames):
    """{user name as recorded: what was locked, for a reader}: the account's user name, or
    the page whose password was tried."""
    ids = {
        name: name.removeprefix(PAGE_PREFIX)
        for name in usernames
        if name and name.startswith(PAGE_PREFIX)
    }
    restrictions = PageViewRestriction.objects.filter(
        pk__in=[i for i in ids.values() if i.isdigit()]
    ).select_related("page")
    titles = {str(r.pk): r.page.title for r in restrictions}
    return {
        name: (
            _("Page password: %(title)s") % {"title": titles[ids[name]]}
            if ids.get(name) in titles
            else name or ""
        )
        for name in usernames
    }


def index(request):
    _superuser_only(request)
    # One row per user name (or page) and address; axes keeps one record per browser.
    groups = list(
        AccessAttempt.objects.values("username", "ip_address")
        .annotate(id=Min("pk"), failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("-last")[:500]
    )
    names = _names({group["username"] for group in groups})
    cool_off = get_cool_off(request)
    now = timezone.now()
    for group in groups:
        limit = get_failure_limit(request, {"username": group["username"]})
        until = group["last"] + cool_off if cool_off else None
        locked = group["failures"] >= limit and (until is None or until > now)
        group["name"] = names[group["username"]]
        group["locked"] = locked
    return TemplateResponse(request, "security/admin/lockouts.html", {"groups": groups})


@require_POST
def unlock(request, pk):
    _superuser_only(request)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    name = _names({attempt.username})[attempt.username]
    AccessAttempt.objects.filter(username=attempt.username, ip_address=attempt.ip_address).delete()
    messages.success(
        request,
        _("Unlocked: %(name)s from %(address)s.") % {"name": name, "address": attempt.ip_address},
    )
    return redirect("security:lockouts")
