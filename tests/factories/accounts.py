"""Typed factories for organisations and users."""

from __future__ import annotations

import secrets

import factory
from factory.django import DjangoModelFactory

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, Unit, User

# Generated per run: no password is written in the repository.
TEST_PASSWORD = secrets.token_urlsafe(18)


class CpsAreaFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "code")

    kind = OrganisationKind.CPS_AREA
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.LazyAttribute(lambda o: f"CPS {o.code.replace('-', ' ').title()}")


class ForceFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "code")

    kind = OrganisationKind.POLICE_FORCE
    code = factory.Sequence(lambda n: f"{70 + n % 20:02d}")
    name = factory.LazyAttribute(lambda o: f"Force {o.code} Police")
    served_by = factory.SubFactory(CpsAreaFactory)


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        django_get_or_create = ("organisation", "code")

    organisation = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}")
    name = factory.LazyAttribute(lambda o: f"Unit {o.code}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda o: o.username.title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@casebridge.invalid")
    organisation = factory.SubFactory(ForceFactory)
    roles = factory.LazyFunction(lambda: [Role.POLICE_INVESTIGATOR])

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save()
