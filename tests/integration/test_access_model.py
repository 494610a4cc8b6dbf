"""Which cases each person may see: the one access model behind every page and endpoint."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework.models import Case
from casework.selectors import case_get_visible_to, case_list_visible_to
from tests.factories.casework import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a1(force_a: Organisation, unit_a1: Unit) -> Case:
    return CaseFactory(force=force_a, unit=unit_a1)


@pytest.fixture
def case_a2(force_a: Organisation, unit_a2: Unit) -> Case:
    return CaseFactory(force=force_a, unit=unit_a2)


@pytest.fixture
def case_b(force_b: Organisation, unit_b1: Unit) -> Case:
    return CaseFactory(force=force_b, unit=unit_b1)


def visible(user: User) -> set[str]:
    return set(case_list_visible_to(user=user).values_list("urn", flat=True))


def test_police_see_their_own_force_only(
    officer_a: User, officer_b: User, case_a1: Case, case_a2: Case, case_b: Case
) -> None:
    assert visible(officer_a) == {case_a1.urn, case_a2.urn}
    assert visible(officer_b) == {case_b.urn}


def test_force_configured_to_narrow_by_unit_limits_officers_but_not_supervisors(
    officer_a: User, supervisor_a: User, disclosure_a: User, manager_police_a: User, case_a1: Case, case_a2: Case
) -> None:
    Organisation.objects.filter(pk=officer_a.organisation_id).update(restrict_police_to_unit=True)
    for user in (officer_a, supervisor_a, disclosure_a, manager_police_a):
        user.refresh_from_db()
    assert visible(officer_a) == {case_a1.urn}
    assert visible(supervisor_a) == {case_a1.urn, case_a2.urn}
    assert visible(disclosure_a) == {case_a1.urn, case_a2.urn}
    assert visible(manager_police_a) == {case_a1.urn, case_a2.urn}


def test_cps_see_nothing_until_the_case_is_sent_to_their_area(
    lawyer_north: User, lawyer_south: User, manager_cps_north: User, case_a1: Case
) -> None:
    assert visible(lawyer_north) == set()
    Case.objects.filter(pk=case_a1.pk).update(sent_to_cps_at=timezone.now())
    assert visible(lawyer_north) == {case_a1.urn}
    assert visible(manager_cps_north) == {case_a1.urn}
    assert visible(lawyer_south) == set()


def test_cps_direct_sees_custody_referrals_sent_to_it_only(lawyer_cpsd: User, case_a1: Case, case_b: Case) -> None:
    Case.objects.filter(pk=case_a1.pk).update(sent_to_cps_at=timezone.now())
    assert visible(lawyer_cpsd) == set()
    Case.objects.filter(pk=case_b.pk).update(sent_to_cps_at=timezone.now(), sent_to_cps_direct=True)
    assert visible(lawyer_cpsd) == {case_b.urn}


def test_system_administrators_see_no_case_material(admin_user: User, case_a1: Case) -> None:
    assert visible(admin_user) == set()


def test_a_user_without_a_role_sees_nothing(force_a: Organisation, case_a1: Case) -> None:
    from tests.factories.accounts import UserFactory

    assert visible(UserFactory(username="no_role", organisation=force_a, roles=[])) == set()


def test_an_inactive_user_sees_nothing(officer_a: User, case_a1: Case) -> None:
    officer_a.is_active = False
    assert visible(officer_a) == set()


def test_outside_scope_and_missing_give_the_same_404(officer_b: User, case_a1: Case) -> None:
    import uuid

    with pytest.raises(Http404) as outside:
        case_get_visible_to(user=officer_b, public_id=case_a1.public_id)
    with pytest.raises(Http404) as missing:
        case_get_visible_to(user=officer_b, public_id=uuid.uuid4())
    assert str(outside.value) == str(missing.value)
