"""Login throttling: wrong passwords lock a user name (or a page's password) for the
client's address, for the admin's sign-in and for pages with a password view restriction."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from tests.factories import CaseStudyIndexPageFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RIGHT = "the-right-password-4711"


@pytest.fixture(autouse=True)
def throttling_on(settings):
    # Off for the rest of the suite: Django's test client signs in without a request.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.com", RIGHT, is_staff=True, is_superuser=True
    )


def sign_in(client, password, username="editor", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def assert_lockout_page(response, language="en"):
    assert response.status_code == 429
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert int(response["Retry-After"]) == 15 * 60
    body = response.content.decode()
    if language == "en":
        assert "Too many failed attempts" in body
        assert "Try again in 15 min." in body
    return body


def test_the_fifth_wrong_password_locks_and_the_right_one_is_refused_after(client, editor):
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    body = assert_lockout_page(sign_in(client, "wrong"))
    assert "w-" in body or "wagtail" in body.lower()  # the admin's look, not the site's

    response = sign_in(client, RIGHT)
    assert_lockout_page(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_lock_is_per_user_name_and_address(client, editor):
    get_user_model().objects.create_user("other", "o@example.com", RIGHT, is_staff=True)
    for _ in range(5):
        sign_in(client, "wrong")
    # The same account from another address, and another account from the same one.
    assert sign_in(client, RIGHT, REMOTE_ADDR="192.0.2.7").status_code == 302
    client.logout()
    assert sign_in(client, RIGHT, username="other").status_code == 302


def test_a_right_password_resets_the_count(client, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200


def test_the_lock_ends_after_its_time(client, editor, settings):
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, RIGHT).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2000)
    )
    assert sign_in(client, RIGHT).status_code == 302


def test_behind_proxies_the_client_address_comes_from_x_forwarded_for(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed_and_real = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.20"}
    for _ in range(5):
        sign_in(client, "wrong", **spoofed_and_real)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.20"
    # Another client behind the same proxy is not locked; the locked one stays locked
    # whatever it writes into the header itself.
    assert sign_in(client, RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.21").status_code == 302
    client.logout()
    locked = {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.20"}
    assert sign_in(client, RIGHT, **locked).status_code == 429


# --- Pages with a password -------------------------------------------------------------


@pytest.fixture
def protected(home):
    page = CaseStudyIndexPageFactory(parent=home, title="Members only")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=RIGHT
    )
    return page, restriction


def password_url(restriction, page, language="en"):
    return f"/{language}/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"


def try_password(client, protected, password, language="en"):
    page, restriction = protected
    return client.post(
        password_url(restriction, page, language),
        {"password": password, "return_url": page.url},
    )


def test_the_page_form_posts_to_the_throttled_view(client, protected):
    page, restriction = protected
    body = client.get(page.url).content.decode()
    assert f'action="{password_url(restriction, page)}"' in body


def test_wrong_page_passwords_lock_the_page_for_the_address(client, protected):
    page, restriction = protected
    for _ in range(4):
        assert try_password(client, protected, "wrong").status_code == 200
    assert_lockout_page(try_password(client, protected, "wrong"))
    assert_lockout_page(try_password(client, protected, RIGHT))
    assert client.get(page.url).status_code == 200
    assert "Members only" not in client.get(page.url).content.decode()
    # The lock is the restriction's: another page id in the address changes nothing.
    other = client.post(
        password_url(restriction, page.get_parent()), {"password": RIGHT, "return_url": "/"}
    )
    assert other.status_code == 429
    # Another address may still try.
    response = client.post(
        password_url(restriction, page),
        {"password": RIGHT, "return_url": page.url},
        REMOTE_ADDR="192.0.2.8",
    )
    assert response.status_code == 302


def test_the_page_lockout_is_in_the_site_look_and_language(client, protected):
    for _ in range(5):
        response = try_password(client, protected, "wrong", language="de")
    body = assert_lockout_page(response, language="de")
    assert '<html lang="de"' in body
    assert "Zu viele fehlgeschlagene Versuche" in body
    assert "Versuchen Sie es in 15 Min. erneut." in body


def test_a_right_page_password_opens_the_page_and_resets_the_count(client, protected):
    page, _restriction = protected
    for _ in range(4):
        try_password(client, protected, "wrong")
    response = try_password(client, protected, RIGHT)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert "Members only" in client.get(page.url).content.decode()


# --- Unlocking -------------------------------------------------------------------------


def test_a_superuser_unlocks_in_the_admin(client, editor, protected):
    for _ in range(5):
        sign_in(client, "wrong")
        try_password(client, protected, "wrong")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    body = client.get("/admin/lockouts/").content.decode()
    assert "editor" in body
    assert "Page password: Members only" in body
    assert body.count('w-status--primary">Locked<') == 2

    attempt = AccessAttempt.objects.get(username="editor")
    response = client.post(f"/admin/lockouts/{attempt.pk}/unlock/", follow=True)
    assert "Unlocked: editor from 127.0.0.1." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert AccessAttempt.objects.filter(username__startswith="page:").exists()

    client.logout()
    assert sign_in(client, RIGHT).status_code == 302


def test_only_superusers_see_the_lockouts(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")
    moderator = get_user_model().objects.create_user("mod", "m@example.com", "x", is_staff=True)
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    attempt = AccessAttempt.objects.get()
    assert client.get("/admin/lockouts/").status_code in (302, 403)
    assert client.post(f"/admin/lockouts/{attempt.pk}/unlock/").status_code in (302, 403)
    assert AccessAttempt.objects.exists()
    settings_menu = client.get("/admin/").content.decode()
    assert "/admin/lockouts/" not in settings_menu


def test_axes_reset_lifts_every_lock(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")
    call_command("axes_reset", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(client, RIGHT).status_code == 302
