"""Security headers: a strict Content-Security-Policy on public pages (nothing inline), a
looser one for the Wagtail admin, a Permissions-Policy everywhere, and a report-only mode."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from wagtail.embeds.models import Embed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CSP = "Content-Security-Policy"
CSP_RO = "Content-Security-Policy-Report-Only"


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_public_policy(response):
    policy = directives(response[CSP])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response[CSP]
    assert "'unsafe-eval'" not in response[CSP]


def assert_permissions_policy(response):
    features = dict(
        feature.strip().split("=", 1) for feature in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()", feature


@pytest.mark.parametrize(
    "path", ["/en/", "/de/", "/en/search/?q=bus", "/en/no-such-page/", "/sitemap.xml"]
)
def test_public_responses_have_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_public_policy(response)
    assert_permissions_policy(response)
    assert CSP_RO not in response


def test_the_api_has_the_strict_policy(client):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert_public_policy(response)
    assert_permissions_policy(response)


def test_the_admin_has_its_own_policy(client, django_user_model):
    response = client.get("/admin/login/")
    policy = directives(response[CSP])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response[CSP]
    assert_permissions_policy(response)

    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    response = client.get("/admin/pages/")
    assert "'unsafe-inline'" in directives(response[CSP])["script-src"]
    # A signed-in editor on the public site gets the public policy all the same.
    assert_public_policy(client.get("/en/"))


def test_report_only_switches_the_header_name(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    for path in ("/en/", "/admin/login/"):
        response = client.get(path)
        assert CSP not in response
        assert "default-src 'self'" in response[CSP_RO]
    assert "'unsafe-inline'" not in client.get("/en/")[CSP_RO]
    assert "'unsafe-inline'" in client.get("/admin/login/")[CSP_RO]


@pytest.mark.parametrize("value,expected", [("true", "report-only"), ("false", "enforced")])
def test_csp_report_only_comes_from_the_environment(value, expected):
    result = run_django_settings(CSP_REPORT_ONLY=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == expected


def run_django_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CSP_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="procura.settings.dev")
    code = (
        "import django; django.setup(); from django.conf import settings;"
        " print('report-only' if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY"
        " and not settings.CONTENT_SECURITY_POLICY else 'enforced')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
]


def test_public_templates_have_no_inline_code():
    """What the strict policy would block; the browser tests catch what is rendered."""
    found = []
    public = [
        *(ROOT / "templates").rglob("*.html"),
        ROOT / "security" / "templates" / "security" / "lockout.html",
        *(ROOT / "security" / "templates" / "security" / "includes").rglob("*.html"),
    ]
    for template in sorted(public):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
    assert not found


def test_responsive_embeds_keep_their_shape_without_a_style_attribute():
    embed = Embed(
        url="https://www.youtube.com/watch?v=x",
        html='<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        width=640,
        height=360,
    )
    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
    assert "style=" not in html
    assert 'viewBox="0 0 640 360"' in html
    assert "youtube-nocookie.com/embed/x" in html
