"""People and roles: what a role gives in the admin, role groups, signing in by email."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from accounts.models import Department, User
from accounts.roles import AGENT_PERMISSIONS, MANAGER_PERMISSIONS, ROLE_GROUPS
from accounts.services import role_groups_sync, user_create, user_set_role

from ..conftest import PASSWORD, Cast

Role = User.Role


def group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser", "groups"),
    [
        (Role.EMPLOYEE, False, False, set()),
        (Role.AGENT, True, False, {"Agents"}),
        (Role.MANAGER, True, False, {"Managers"}),
        (Role.ADMIN, True, True, set()),
    ],
)
def test_user_create_gives_the_access_that_goes_with_the_role(
    reference: None, role: str, is_staff: bool, is_superuser: bool, groups: set[str]
) -> None:
    user = user_create(email="  Pat.Person@Example.COM", full_name="Pat Person", password=PASSWORD, role=role)

    user.refresh_from_db()
    assert user.email == "pat.person@example.com"
    assert (user.role, user.is_staff, user.is_superuser, user.is_active) == (
        role,
        is_staff,
        is_superuser,
        True,
    )
    assert group_names(user) == groups
    assert user.check_password(PASSWORD)


def test_user_create_keeps_the_department(reference: None) -> None:
    finance = Department.objects.get(name="Finance")

    user = user_create(email="fay@example.com", full_name="Fay", password=None, department=finance)

    assert user.department == finance
    assert user.role == Role.EMPLOYEE
    assert not user.has_usable_password()


def test_user_create_without_an_email_is_refused(reference: None) -> None:
    with pytest.raises(ValueError, match="needs an email address"):
        user_create(email="", full_name="Nobody", password=PASSWORD)
    assert not User.objects.filter(full_name="Nobody").exists()


@pytest.mark.parametrize(
    ("start", "role", "is_staff", "is_superuser", "groups"),
    [
        (Role.AGENT, Role.EMPLOYEE, False, False, set()),
        (Role.EMPLOYEE, Role.AGENT, True, False, {"Agents"}),
        (Role.AGENT, Role.MANAGER, True, False, {"Managers"}),
        (Role.MANAGER, Role.ADMIN, True, True, set()),
        (Role.ADMIN, Role.AGENT, True, False, {"Agents"}),
        (Role.ADMIN, Role.EMPLOYEE, False, False, set()),
    ],
)
def test_user_set_role_replaces_the_access_of_the_old_role(
    reference: None, start: str, role: str, is_staff: bool, is_superuser: bool, groups: set[str]
) -> None:
    user = user_create(email="sam@example.com", full_name="Sam", password=PASSWORD, role=start)

    user_set_role(user=user, role=role)

    user = User.objects.get(pk=user.pk)
    assert (user.role, user.is_staff, user.is_superuser) == (role, is_staff, is_superuser)
    assert group_names(user) == groups


def test_user_set_role_keeps_groups_that_are_not_role_groups(reference: None) -> None:
    user = user_create(email="sam@example.com", full_name="Sam", password=PASSWORD, role=Role.AGENT)
    reporters = Group.objects.create(name="Report readers")
    user.groups.add(reporters)

    user_set_role(user=user, role=Role.MANAGER)

    assert group_names(user) == {"Managers", "Report readers"}


def test_setting_the_same_role_twice_is_harmless(reference: None) -> None:
    user = user_create(email="sam@example.com", full_name="Sam", password=PASSWORD, role=Role.AGENT)

    user_set_role(user=user, role=Role.AGENT)

    assert group_names(user) == {"Agents"}
    assert user.groups.count() == 1


def test_role_permissions_reach_the_user(cast: Cast) -> None:
    assert cast.it_agent.has_perm("tickets.view_ticket")
    assert not cast.it_agent.has_perm("tickets.change_ticket")
    assert not cast.it_agent.has_perm("tickets.view_routingrule")
    assert cast.manager.has_perm("tickets.view_routingrule")
    assert cast.manager.has_perm("tickets.change_queue")
    assert not cast.manager.has_perm("tickets.change_routingrule")
    assert not cast.employee.has_perm("tickets.view_ticket")
    assert cast.admin.has_perm("tickets.change_routingrule")


# ---- role groups ------------------------------------------------------------------------------


def test_every_role_permission_exists(db: None) -> None:
    for _, codenames in ROLE_GROUPS.values():
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), (
                dotted
            )


def test_role_groups_get_exactly_their_permissions(db: None) -> None:
    role_groups_sync()

    assert permissions_of("Agents") == set(AGENT_PERMISSIONS)
    assert permissions_of("Managers") == set(MANAGER_PERMISSIONS)


def test_role_groups_sync_is_idempotent_and_undoes_hand_edits(db: None) -> None:
    role_groups_sync()
    groups_before = set(Group.objects.values_list("pk", "name"))
    agents = Group.objects.get(name="Agents")
    agents.permissions.add(
        Permission.objects.get(content_type__app_label="tickets", codename="delete_ticket")
    )
    agents.permissions.remove(
        Permission.objects.get(content_type__app_label="tickets", codename="view_ticket")
    )

    role_groups_sync()
    role_groups_sync()

    assert set(Group.objects.values_list("pk", "name")) == groups_before
    assert permissions_of("Agents") == set(AGENT_PERMISSIONS)
    assert permissions_of("Managers") == set(MANAGER_PERMISSIONS)


def test_role_groups_sync_keeps_members(cast: Cast) -> None:
    role_groups_sync()

    assert set(Group.objects.get(name="Agents").user_set.all()) == {
        cast.it_agent,
        cast.marketing_agent,
        cast.comms_agent,
    }
    assert set(Group.objects.get(name="Managers").user_set.all()) == {cast.manager}


# ---- signing in by email ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["erin.employee@example.com", "ERIN.EMPLOYEE@EXAMPLE.COM", "Erin.Employee@Example.com"]
)
def test_email_login_ignores_case(cast: Cast, typed: str) -> None:
    assert authenticate(username=typed, password=PASSWORD) == cast.employee


def test_a_wrong_password_or_unknown_email_signs_nobody_in(cast: Cast) -> None:
    assert authenticate(username="ERIN.EMPLOYEE@EXAMPLE.COM", password="wrong") is None
    assert authenticate(username="nobody@example.com", password=PASSWORD) is None


def test_an_inactive_user_cannot_sign_in(cast: Cast) -> None:
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])

    assert authenticate(username=cast.employee.email, password=PASSWORD) is None


def test_two_users_differing_only_by_email_case_are_refused_by_the_database(db: None) -> None:
    User.objects.create(email="dana@example.com", full_name="Dana")

    with pytest.raises(IntegrityError), transaction.atomic():
        # Straight to the database: create_user would lower-case the address first.
        User.objects.create(email="Dana@Example.com", full_name="Dana Again")

    assert User.objects.filter(email__iexact="dana@example.com").count() == 1


def test_user_create_refuses_an_address_already_taken_in_another_case(reference: None) -> None:
    user_create(email="dana@example.com", full_name="Dana", password=PASSWORD)

    with pytest.raises(IntegrityError), transaction.atomic():
        user_create(email="DANA@example.com", full_name="Dana Again", password=PASSWORD)

    assert User.objects.count() == 1
