"""Start Django for a benchmark script run as `python -m benchmarks.<name>`."""

import os


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smarthp.settings")
    import django

    django.setup()
