"""The Celery application.

Without CELERY_BROKER_URL the settings switch Celery to eager mode, so a fresh checkout needs no
broker; with one, tasks go to Redis and a worker on any machine runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("kham_rabrong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
