from __future__ import annotations

from celery import shared_task

from .services.sla import sla_sweep as sweep
from .services.work import tickets_close_resolved


@shared_task(name="tickets.sla_sweep", time_limit=55, soft_time_limit=50)
def sla_sweep() -> int:
    return sweep()


@shared_task(name="tickets.close_resolved", time_limit=120, soft_time_limit=110)
def close_resolved() -> int:
    return tickets_close_resolved()
