"""Security headers of every response: Content-Security-Policy and Permissions-Policy.

Public pages get CONTENT_SECURITY_POLICY (django-csp's setting): scripts, styles and
everything else only from the site itself, no inline code, so the HTML a cache keeps stays
valid (no per-request nonces). The Wagtail admin has inline scripts and styles of its own,
and gets ADMIN_CONTENT_SECURITY_POLICY instead, under its prefix (the Wagtail URLs at
/admin/, and its page previews). With CSP_REPORT_ONLY=true both are sent as
Content-Security-Policy-Report-Only instead (base.py chooses the setting).
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        configured = (
            settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            if report_only
            else (settings.CONTENT_SECURITY_POLICY)
        )
        if parts.config is None and configured and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response


def permissions_policy(features):
    """`camera=(), geolocation=(self)` from {"camera": [], "geolocation": ["self"]}."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())
