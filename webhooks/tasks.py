from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from notifications.delivery import DATABASE_AWAY
from notifications.tasks import DATABASE_RETRY_LONGEST_SECONDS

from .delivery import TryAgain, delivery_deliver
from .services import webhooks_redispatch

# A send is bounded by the connect and read timeouts; the limit leaves room for the bookkeeping.
DELIVER_TIME_LIMIT_SECONDS = 60


@shared_task(
    name="webhooks.deliver",
    bind=True,
    max_retries=None,
    acks_late=True,
    time_limit=DELIVER_TIME_LIMIT_SECONDS,
    soft_time_limit=DELIVER_TIME_LIMIT_SECONDS - 10,
)
def deliver(self: Task, delivery_id: int) -> str:
    try:
        return delivery_deliver(delivery_id=delivery_id)
    except TryAgain as again:
        # The row already carries its next attempt time; this retry only makes it prompt.
        raise self.retry(countdown=again.delay + 1) from again
    except DATABASE_AWAY as error:
        countdown = min(2**self.request.retries, DATABASE_RETRY_LONGEST_SECONDS)
        raise self.retry(countdown=countdown, exc=error) from error


@shared_task(name="webhooks.redispatch", time_limit=60, soft_time_limit=50)
def redispatch() -> int:
    return webhooks_redispatch()
