from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from .delivery import TryAgain, notification_deliver
from .services import notifications_redispatch


@shared_task(
    name="notifications.deliver",
    bind=True,
    max_retries=None,
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
)
def deliver(self: Task, notification_id: int) -> str:
    try:
        return notification_deliver(notification_id=notification_id)
    except TryAgain as again:
        # The row already carries its next attempt time; this retry only makes it prompt.
        raise self.retry(countdown=again.delay + 1) from again


@shared_task(name="notifications.redispatch", time_limit=60, soft_time_limit=50)
def redispatch() -> int:
    return notifications_redispatch()
