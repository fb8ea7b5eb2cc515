from __future__ import annotations

from celery import shared_task

from .services.sla import sla_sweep as sweep


@shared_task(name="tickets.sla_sweep", time_limit=55, soft_time_limit=50)
def sla_sweep() -> int:
    return sweep()
