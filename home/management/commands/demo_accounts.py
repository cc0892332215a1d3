"""Create the demo site's accounts and print how to sign in.

Passwords are generated once per checkout and kept in var/demo-accounts.json (never committed),
so `make run` prints the same credentials each time. Never run this on a production site.
"""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks


def _stored_passwords(path):
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


class Command(BaseCommand):
    help = "Create the demo admin (and other demo accounts) and print their credentials."

    def add_arguments(self, parser):
        parser.add_argument(
            "--passwords-file",
            type=Path,
            help="Where the passwords are kept (default: var/demo-accounts.json). Each site of "
            "its own, such as one per browser-test worker, needs its own file.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo accounts are only created with DEBUG on (dev settings).")
        path = options.get("passwords_file") or settings.VAR_DIR / "demo-accounts.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        passwords = _stored_passwords(path)

        accounts = [{"username": "admin", "superuser": True, "role": "administrator", "groups": []}]
        for provider in hooks.get_hooks("procura_demo_accounts"):
            accounts.extend(provider())

        User = get_user_model()
        for account in accounts:
            username = account["username"]
            password = passwords.setdefault(username, secrets.token_urlsafe(12))
            user, _created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@procuraplus.example"}
            )
            user.is_superuser = user.is_staff = bool(account.get("superuser"))
            user.first_name = account.get("first_name", user.first_name)
            user.last_name = account.get("last_name", user.last_name)
            user.set_password(password)
            user.save()
            if account.get("groups"):
                user.groups.set(account["groups"])
        path.write_text(json.dumps(passwords, indent=2), encoding="utf-8")

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Sign in at http://127.0.0.1:8000/admin/ with:"))
        for account in accounts:
            name = account["username"]
            self.stdout.write(f"  {account['role']:<28} {name:<16} password: {passwords[name]}")
        self.stdout.write("")
