"""The Celery app. Configuration lives in settings (the CELERY_* block)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smarthp.settings")

# smarthp is not an installed app, so autodiscovery would miss its diagnostic tasks.
app = Celery("smarthp", include=["smarthp.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
