"""The Celery app the scoring fault tests start their workers with: the project's app, two knobs.

FAULT_VISIBILITY_TIMEOUT: seconds after which Redis hands a message whose worker died before
acknowledging it (acks_late) to another worker. Kombu's default is an hour; the tests use a few
seconds so that they can watch the redelivery happen.
FAULT_BATCH_SIZE: agreements per transaction of a whole-year recompute, so that a small world
has several batches and a worker can be stopped between two of them.
"""

import os

from celery.signals import task_prerun

from config.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": float(os.environ.get("FAULT_VISIBILITY_TIMEOUT", "3600")),
    # Sweep for abandoned messages every second (the default is every 100 s).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


@task_prerun.connect
def _batch_size(**kwargs) -> None:
    size = os.environ.get("FAULT_BATCH_SIZE")
    if size:
        from agreements.services import scoring

        scoring.BATCH_SIZE = int(size)


__all__ = ["app"]
