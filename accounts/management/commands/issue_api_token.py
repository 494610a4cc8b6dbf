"""Issue an API token for another system: ``manage.py issue_api_token USERNAME --name "…"``.

The key is printed once. Revoke tokens in the Django admin (API tokens → revoke).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print its key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="What the token is for.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user with username {username!r}.") from exc
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active; activate them before issuing a token.")
        token, key = api_token_issue(user=user, name=name)
        self.stderr.write(f"Token {token.prefix}… issued for {username}. Store the key now; it cannot be shown again.")
        self.stdout.write(key)
