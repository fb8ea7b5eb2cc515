from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Department, User
from .roles import ROLE_GROUPS


def role_groups_sync() -> None:
    """Create the role groups and give them exactly their permissions."""
    for name, codenames in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    """Give a user a role and the admin access that comes with it."""
    user.role = role
    user.is_staff = role != User.Role.EMPLOYEE
    user.is_superuser = role == User.Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    role_group_names = [name for name, _ in ROLE_GROUPS.values()]
    user.groups.remove(*Group.objects.filter(name__in=role_group_names))
    if role in ROLE_GROUPS:
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role][0])
        user.groups.add(group)
    return user


def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    role: str = User.Role.EMPLOYEE,
    department: Department | None = None,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, department=department
        )
        user_set_role(user=user, role=role)
    return user
