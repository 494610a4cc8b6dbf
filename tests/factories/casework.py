"""Typed factories for the case record and the reference rows it points at (courts, offence codes).

Factories write rows directly, bypassing the services: use them to arrange a test, and the
services (or the pages) for the behaviour under test."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.choices import CourtKind
from accounts.models import Court
from casework.choices import (
    ContactPreference,
    CustodyEventKind,
    HearingType,
    ModeOfTrial,
    VictimUpdateReason,
)
from casework.models import (
    Case,
    CustodyEvent,
    Hearing,
    OffenceAllegation,
    OffenceCode,
    Suspect,
    Victim,
    VictimUpdate,
    Witness,
    WitnessUnavailability,
)

from .accounts import ForceFactory, UserFactory


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    force = factory.SubFactory(ForceFactory)
    cps_area = factory.LazyAttribute(lambda o: o.force.served_by)
    urn = factory.Sequence(lambda n: f"10AA{n:07d}26")


class CourtFactory(DjangoModelFactory[Court]):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n:05d}")
    name = factory.Sequence(lambda n: f"Testtown Magistrates' Court {n}")
    kind = CourtKind.MAGISTRATES


class OffenceCodeFactory(DjangoModelFactory[OffenceCode]):
    class Meta:
        model = OffenceCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TS{n:05d}")
    title = factory.Sequence(lambda n: f"Test offence {n}")
    category = "CS"
    mode_of_trial = ModeOfTrial.EITHER_WAY


class SuspectFactory(DjangoModelFactory[Suspect]):
    class Meta:
        model = Suspect

    case = factory.SubFactory(CaseFactory)
    first_names = "Sam"
    last_name = factory.Sequence(lambda n: f"Suspect{n}")
    date_of_birth = date(1990, 5, 17)


class OffenceFactory(DjangoModelFactory[OffenceAllegation]):
    class Meta:
        model = OffenceAllegation

    suspect = factory.SubFactory(SuspectFactory)
    case = factory.LazyAttribute(lambda o: o.suspect.case)
    offence_code = factory.SubFactory(OffenceCodeFactory)
    committed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class CustodyEventFactory(DjangoModelFactory[CustodyEvent]):
    class Meta:
        model = CustodyEvent

    suspect = factory.SubFactory(SuspectFactory)
    kind = CustodyEventKind.RELEASED_UNDER_INVESTIGATION
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=20))
    recorded_by = factory.SubFactory(UserFactory)


class VictimFactory(DjangoModelFactory[Victim]):
    class Meta:
        model = Victim

    case = factory.SubFactory(CaseFactory)
    first_names = "Vic"
    last_name = factory.Sequence(lambda n: f"Victim{n}")


class VictimUpdateFactory(DjangoModelFactory[VictimUpdate]):
    class Meta:
        model = VictimUpdate

    victim = factory.SubFactory(VictimFactory)
    reason = VictimUpdateReason.ARREST
    event_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    given_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=9))
    method = ContactPreference.PHONE
    given_by = factory.SubFactory(UserFactory)


class WitnessFactory(DjangoModelFactory[Witness]):
    class Meta:
        model = Witness

    case = factory.SubFactory(CaseFactory)
    first_names = "Wendy"
    last_name = factory.Sequence(lambda n: f"Witness{n}")


class WitnessUnavailabilityFactory(DjangoModelFactory[WitnessUnavailability]):
    class Meta:
        model = WitnessUnavailability

    witness = factory.SubFactory(WitnessFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=67))


class HearingFactory(DjangoModelFactory[Hearing]):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    court = factory.SubFactory(CourtFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    hearing_type = HearingType.FIRST_HEARING
