"""Login throttling: django-axes counts failed sign-ins, and failed page passwords.

Wagtail admin sign-ins go through Django's `authenticate()`, where axes' backend refuses a
locked-out user and axes' signal handler counts each failure. The password form of a page with a
password view restriction does not sign anyone in, so `authenticate_with_password` below wraps
Wagtail's view: it asks axes whether the client is locked out before the password is checked,
and reports a wrong password to axes' handler (as its signal receiver does for a failed
sign-in; no Django signal is sent, as nobody signs in) under the pseudo user name
`page:<restriction id>`. Both kinds of lock are counted per user name (or page) and client
address, are listed in the admin's "Login lockouts" view, and are lifted by `axes_reset`.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_lockout_response
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail import views as wagtail_views

PAGE_PREFIX = "page:"


def client_ip(request):
    """The visitor's address: the last `TRUSTED_PROXY_COUNT` hops of X-Forwarded-For are
    the site's own proxies (load balancer, Varnish); the one before them is the client.
    Anything further left was written by the client and is not trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # REMOTE_ADDR is the nearest proxy; it appended the address it saw last.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out client gets (AXES_LOCKOUT_CALLABLE): why, and for how long;
    in the admin's look for admin sign-ins, in the site's for page passwords. Never stored
    by a cache, so the lock's page is not shown to anyone else."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    in_admin = request.path.startswith(reverse("wagtailadmin_home"))
    response = render(
        request,
        "security/lockout_admin.html" if in_admin else "security/lockout.html",
        {"minutes": math.ceil(seconds / 60) if seconds else None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    add_never_cache_headers(response)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def page_credentials(restriction_id):
    return get_credentials(f"{PAGE_PREFIX}{restriction_id}")


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page-password form, throttled per restriction and client address.

    The lock belongs to the restriction (one password), not to the page in the address: the
    same restriction covers a page and the pages below it, and its form takes any page id."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    credentials = page_credentials(page_view_restriction_id)
    if not AxesProxyHandler.is_allowed(request, credentials):
        # Locked: the password is not even looked at. The attempt counts, and restarts the
        # lock's time, as an admin sign-in during a lock does.
        AxesProxyHandler.user_login_failed(__name__, credentials, request)
        return get_lockout_response(request, None, credentials)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code == 302:  # the password was right: on to the page
        AxesProxyHandler.reset_attempts(
            ip_address=request.axes_ip_address, username=credentials["username"]
        )
        return response
    AxesProxyHandler.user_login_failed(__name__, credentials, request)
    if request.axes_locked_out:
        return get_lockout_response(request, response, credentials)
    return response
