from __future__ import annotations

from celery import shared_task

from .sweeps import access_sweep as sweep


@shared_task(name="social.access_sweep", time_limit=280, soft_time_limit=270)
def access_sweep() -> int:
    return sweep()
