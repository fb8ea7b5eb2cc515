from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guides.models import Guide
from guides.services import guide_render


class Command(BaseCommand):
    help = "Render every guide's text again under the current Markdown and link rules, and re-index it."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = total = 0
        for pk in Guide.objects.order_by("pk").values_list("pk", flat=True).iterator():
            total += 1
            changed += guide_render(guide=Guide(pk=pk))
        self.stdout.write(self.style.SUCCESS(f"Rendered {total} guides; {changed} changed."))
