from __future__ import annotations

from celery import shared_task
from celery.app.task import Task

from .delivery import DATABASE_AWAY, TryAgain, notification_deliver
from .services import notifications_redispatch

# Marking a row sent may wait out a database restart (delivery.MARK_SENT_PATIENCE_SECONDS)
# after a send that EMAIL_TIMEOUT bounds: the limits leave room for both.
DELIVER_TIME_LIMIT_SECONDS = 120
# A task that could not reach the database tries again soon, then less and less often.
DATABASE_RETRY_LONGEST_SECONDS = 60


@shared_task(
    name="notifications.deliver",
    bind=True,
    max_retries=None,
    acks_late=True,
    time_limit=DELIVER_TIME_LIMIT_SECONDS,
    soft_time_limit=DELIVER_TIME_LIMIT_SECONDS - 10,
)
def deliver(self: Task, notification_id: int) -> str:
    try:
        return notification_deliver(notification_id=notification_id)
    except TryAgain as again:
        # The row already carries its next attempt time; this retry only makes it prompt.
        raise self.retry(countdown=again.delay + 1) from again
    except DATABASE_AWAY as error:
        # Before its claim nothing was sent, and the retry sends it once the database is back;
        # a row claimed already finds no taker here and is given out again after its lease.
        countdown = min(2**self.request.retries, DATABASE_RETRY_LONGEST_SECONDS)
        raise self.retry(countdown=countdown, exc=error) from error


@shared_task(name="notifications.redispatch", time_limit=60, soft_time_limit=50)
def redispatch() -> int:
    return notifications_redispatch()
