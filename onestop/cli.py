"""The ``onestop`` console script: Django's management commands with OneStop's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    # `onestop load-demo` and `onestop load_demo` both work.
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "onestop"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
