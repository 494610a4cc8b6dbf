from __future__ import annotations

import pytest

from accounts.choices import CourtKind
from accounts.models import Court
from casework.choices import ModeOfTrial
from casework.models import OffenceCode


@pytest.fixture
def offence_codes(db: None) -> dict[str, OffenceCode]:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("CJ88116", "Assault by beating", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("TH68001", "Theft from a shop", "CE", ModeOfTrial.EITHER_WAY, ""),
        ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
        ("PH97003", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
        ("0101AP001", "Application for an extension", "B7", ModeOfTrial.NOT_CRIMINAL, ""),
    ]
    return {
        code: OffenceCode.objects.create(code=code, title=title, category=cat, mode_of_trial=mode, dg6_group=group)
        for code, title, cat, mode, group in rows
    }


@pytest.fixture
def magistrates_court(db: None) -> Court:
    return Court.objects.create(code="B10AA00", name="Newcastle Magistrates' Court", kind=CourtKind.MAGISTRATES)


@pytest.fixture
def crown_court(db: None) -> Court:
    return Court.objects.create(code="C10AA00", name="Newcastle Crown Court", kind=CourtKind.CROWN)
