"""Users hold roles that fit their organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.choices import Role
from accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_a_police_user_cannot_hold_a_cps_role(force_a: Organisation) -> None:
    user = User(username="x", organisation=force_a, roles=[Role.CPS_LAWYER])
    with pytest.raises(ValidationError) as error:
        user.clean()
    assert "CPS lawyer cannot be held in Northumbria Police" in str(error.value)


def test_a_unit_must_belong_to_the_users_organisation(force_a: Organisation, unit_b1: object) -> None:
    user = User(username="x", organisation=force_a, unit=unit_b1, roles=[Role.POLICE_INVESTIGATOR])
    with pytest.raises(ValidationError, match="unit must belong"):
        user.clean()


def test_roles_other_than_administrator_need_an_organisation(db: None) -> None:
    with pytest.raises(ValidationError, match="organisation"):
        User(username="x", roles=[Role.POLICE_MANAGER]).clean()
    User(username="y", roles=[Role.SYSTEM_ADMINISTRATOR]).clean()


def test_a_person_may_hold_several_roles(force_a: Organisation) -> None:
    user = User(username="x", organisation=force_a, roles=[Role.POLICE_INVESTIGATOR, Role.DISCLOSURE_OFFICER])
    user.clean()
    assert user.is_police
    assert not user.is_cps
    assert not user.is_manager
