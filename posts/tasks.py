from __future__ import annotations

from celery import shared_task

from .sweeps import reviews_expire


@shared_task(name="posts.expire", time_limit=55, soft_time_limit=50)
def expire() -> int:
    return reviews_expire()
