
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tickets', '0008_ticket_account_collaboration'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChecklistTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('description', models.TextField(blank=True, help_text='Shown above the items on the ticket.')),
                ('is_active', models.BooleanField(default=True)),
                ('problem_types', models.ManyToManyField(blank=True, help_text='Tickets filed with one of these problem types get this checklist.', related_name='+', to='tickets.problemtype')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Checklist',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('description', models.TextField(blank=True)),
                ('links', models.JSONField(blank=True, default=list)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('secured_at', models.DateTimeField(blank=True, null=True)),
                ('waived_at', models.DateTimeField(blank=True, null=True)),
                ('waive_reason', models.CharField(blank=True, max_length=300)),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklists', to='tickets.ticket')),
                ('waived_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='checklists.checklisttemplate')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Item',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.CharField(max_length=200)),
                ('help_text', models.TextField(blank=True)),
                ('required', models.BooleanField(default=True)),
                ('needs', models.CharField(blank=True, choices=[('', 'Nothing'), ('approved_statement', 'An approved holding statement')], default='', max_length=24)),
                ('secures', models.BooleanField(default=False)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('checklist', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='checklists.checklist')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('drafted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('approved_at', models.DateTimeField(blank=True, null=True)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('drafted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('ticket', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='statement', to='tickets.ticket')),
            ],
        ),
        migrations.CreateModel(
            name='TemplateItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.CharField(max_length=200)),
                ('help_text', models.TextField(blank=True, help_text='How to do it, in a sentence or two.', verbose_name='how')),
                ('required', models.BooleanField(default=True, help_text="The ticket can't be resolved while it is open.")),
                ('needs', models.CharField(blank=True, choices=[('', 'Nothing'), ('approved_statement', 'An approved holding statement')], default='', max_length=24, verbose_name='waits for')),
                ('secures', models.BooleanField(default=False, help_text='When every item marked so is done, the account counts as secured: the ticket shows how long it took.', verbose_name='account secured when done')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='checklists.checklisttemplate')),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TemplateLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=120)),
                ('url', models.URLField(max_length=300)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('platform', models.ForeignKey(blank=True, help_text='Leave empty to show it for every platform.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.platform')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='checklists.checklisttemplate')),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='checklist',
            index=models.Index(fields=['ticket', 'created_at'], name='checklist_by_ticket'),
        ),
        migrations.AddConstraint(
            model_name='checklist',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('waive_reason', ''), ('waived_at__isnull', True), ('waived_by__isnull', True)), models.Q(('waived_at__isnull', False), ('waived_by__isnull', False), models.Q(('waive_reason', ''), _negated=True)), _connector='OR'), name='checklist_waived_with_who_and_why'),
        ),
        migrations.AddConstraint(
            model_name='item',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('done_at__isnull', True), ('done_by__isnull', True)), models.Q(('done_at__isnull', False), ('done_by__isnull', False)), _connector='OR'), name='checklist_item_done_with_who'),
        ),
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.CheckConstraint(condition=models.Q(('approved_by', models.F('drafted_by')), _negated=True), name='statement_approved_by_another', violation_error_message='Someone other than the author approves the statement.'),
        ),
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('approved_at__isnull', True), ('approved_by__isnull', True)), models.Q(('approved_at__isnull', False), ('approved_by__isnull', False)), _connector='OR'), name='statement_approved_with_who'),
        ),
    ]
