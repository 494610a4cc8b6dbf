from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from casework.models import Case

from .accounts import ForceFactory


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    force = factory.SubFactory(ForceFactory)
    cps_area = factory.LazyAttribute(lambda o: o.force.served_by)
    urn = factory.Sequence(lambda n: f"10AA{n:07d}26")
