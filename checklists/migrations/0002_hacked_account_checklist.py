"""The hacked-account checklist, on a desk already seeded; a new desk gets it from `seed`.

The data is checklists/reference_data.py's, read as plain values; an existing template of
that name is left as the administrators shaped it.
"""

from django.db import migrations

from checklists.reference_data import HACKED, HACKED_DESCRIPTION, HACKED_ITEMS, HACKED_LINKS, HACKED_PROBLEM


def add_hacked_checklist(apps, schema_editor):
    ProblemType = apps.get_model("tickets", "ProblemType")
    Platform = apps.get_model("tickets", "Platform")
    ChecklistTemplate = apps.get_model("checklists", "ChecklistTemplate")
    TemplateItem = apps.get_model("checklists", "TemplateItem")
    TemplateLink = apps.get_model("checklists", "TemplateLink")
    problem = ProblemType.objects.filter(slug=HACKED_PROBLEM).first()
    if problem is None or ChecklistTemplate.objects.filter(name=HACKED).exists():
        return
    template = ChecklistTemplate.objects.create(name=HACKED, description=HACKED_DESCRIPTION)
    template.problem_types.set([problem])
    for position, (text, how, required, needs, secures) in enumerate(HACKED_ITEMS, start=1):
        TemplateItem.objects.create(
            template=template,
            position=position * 10,
            text=text,
            help_text=how,
            required=required,
            needs=str(needs),
            secures=secures,
        )
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    for position, (label, url, slug) in enumerate(HACKED_LINKS, start=1):
        if not slug or slug in platforms:
            TemplateLink.objects.create(
                template=template, position=position, label=label, url=url, platform=platforms.get(slug)
            )


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_checklists")]

    operations = [migrations.RunPython(add_hacked_checklist, migrations.RunPython.noop)]
