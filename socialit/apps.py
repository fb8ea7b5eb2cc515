from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "socialit.admin_site.DeskAdminSite"
