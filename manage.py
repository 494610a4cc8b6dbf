#!/usr/bin/env python
"""Django's command-line utility for Casebridge."""

import os
import sys


def main() -> None:
    # makemigrations only compares models with migration files: it needs no secret and no real
    # database, so on a developer's machine without the environment it uses the test settings.
    # Every other command runs with the real (environment-only) settings.
    bare = not any(os.environ.get(k) for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE"))
    if bare and sys.argv[1:2] == ["makemigrations"]:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
