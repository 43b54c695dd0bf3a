"""`make run`: DEBUG on, SQLite and eager Celery unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings.base import *  # noqa: F403
