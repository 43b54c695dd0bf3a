"""Celery tasks of the governance app: thin wrappers that call one service."""

from celery import shared_task

from governance import services


@shared_task(name="governance.send_milestone_reminders", time_limit=120, soft_time_limit=100)
def send_milestone_reminders() -> int:
    # Idempotent: the service claims each milestone before mailing, so redelivery sends nothing twice.
    return services.milestone_reminders_send()
