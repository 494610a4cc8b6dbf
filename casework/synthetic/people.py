"""The people of a synthetic case (suspects, victims, witnesses) and the offences alleged against the suspects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from casework.choices import (
    CaseFlag,
    ContactPreference,
    EnhancedRights,
    SpecialMeasure,
    VictimPersonalStatement,
    WitnessType,
    WitnessVulnerability,
)
from casework.identifiers import pnc_check_letter

from . import distributions as dist
from . import offences
from .context import dmy
from .organisations import Code
from .records import (
    OffenceRec,
    SuspectRec,
    VictimRec,
    WitnessRec,
)

if TYPE_CHECKING:
    pass
from .story import StoryBase


class PeopleSteps(StoryBase):
    """Who is involved and what is alleged."""

    def _name(self, female: bool) -> tuple[str, str]:
        d = self.d
        first = d.choice(dist.FIRST_NAMES_F if female else dist.FIRST_NAMES_M)
        return first, d.choice(dist.LAST_NAMES)

    def _dob(self, low: float, high: float) -> date:
        years = self.d.uniform(low, high)
        return self.case.reported_on - timedelta(days=int(years * 365.25))

    def people(self) -> None:
        d, p = self.d, self.profile
        created = self.case.created_at
        count = d.pairs(dist.SUSPECTS)
        domestic = CaseFlag.DOMESTIC_ABUSE in self.flags
        victim_female = d.chance(0.75 if domestic or p.name in ("sexual", "rape") else 0.45)
        for n in range(count):
            female = d.chance(0.15 if domestic else 0.2)
            first, last = self._name(female)
            youth = p.name in ("shop_theft", "theft", "violence", "weapon", "damage", "robbery") and d.chance(0.09)
            dob = self._dob(12, 17.9) if youth else self._dob(18, 68)
            suspect = SuspectRec(
                pk=self.ids("suspect"),
                public_id=d.uuid(),
                first_names=first,
                last_name=last,
                date_of_birth=dob,
                created_at=created + timedelta(minutes=2 + n),
                female=female,
            )
            if d.chance(0.7):
                year = d.randint(max(dob.year + 12, 1990), self.case.reported_on.year)
                serial = d.randint(1, 9_999_999)
                suspect.pnc_id = f"{year}/{serial:07d}{pnc_check_letter(str(year), str(serial))}"
            if d.chance(0.06):
                suspect.interpreter_language = d.choice(dist.LANGUAGES)
            if youth or d.chance(0.04):
                suspect.needs_appropriate_adult = True
                suspect.vulnerabilities = "Youth: appropriate adult required" if youth else "Learning disability"
            if youth:
                self.flags.add(CaseFlag.YOUTH)
            self.suspects.append(suspect)
        minute = 10
        if p.victim == "organisation":
            shop = d.choice(dist.SHOPS)
            first, last = self._name(d.chance(0.5))
            victim = VictimRec(
                pk=self.ids("victim"),
                public_id=d.uuid(),
                first_names=f"{shop} (contact: {first}",
                last_name=f"{last})",
                date_of_birth=None,
                created_at=created + timedelta(minutes=minute),
                is_organisation=True,
                contact_preference=ContactPreference.EMAIL,
                contact_details=f"security@{shop.lower().replace(' ', '').replace(chr(39), '')}.example",
                personal_statement=VictimPersonalStatement.OFFERED_DECLINED,
                statement_answered_at=created + timedelta(minutes=minute),
            )
            self.victims.append(victim)
        elif p.victim == "person":
            for n in range(2 if d.chance(0.08) else 1):
                female = victim_female if n == 0 else d.chance(0.5)
                first, last = self._name(female)
                child = p.name in ("sexual", "violence") and d.chance(0.08)
                rights: list[str] = []
                if domestic or p.name in ("sexual", "rape", "homicide", "serious_violence"):
                    rights.append(
                        EnhancedRights.SERIOUS_CRIME if not domestic else EnhancedRights.VULNERABLE_OR_INTIMIDATED
                    )
                elif d.chance(0.08):
                    rights.append(EnhancedRights.PERSISTENTLY_TARGETED)
                if p.name == "homicide":
                    rights = [EnhancedRights.BEREAVED]
                victim = VictimRec(
                    pk=self.ids("victim"),
                    public_id=d.uuid(),
                    first_names=first,
                    last_name=last,
                    date_of_birth=self._dob(8, 15.9) if child else self._dob(18, 80),
                    created_at=created + timedelta(minutes=minute + n),
                    enhanced_rights=rights,
                    contact_preference=d.choice(
                        (ContactPreference.PHONE, ContactPreference.PHONE, ContactPreference.EMAIL)
                    ),
                    contact_details=f"07{d.randint(100, 999)} {d.randint(100000, 999999)}",
                )
                if EnhancedRights.VULNERABLE_OR_INTIMIDATED in rights:
                    self.flags.add(CaseFlag.VULNERABLE_VICTIM)
                if domestic and victim_female:
                    self.flags.add(CaseFlag.VAWG)
                self.victims.append(victim)
        # Witnesses: each victim who is a person gives evidence; police officers who attended; civilians.
        minute = 20
        for victim in self.victims:
            if victim.is_organisation:
                first, last = self._name(d.chance(0.5))
                witness = self._witness(first, last, WitnessType.EYEWITNESS, True, minute, None)
                witness.notes = "Store security officer"
            else:
                vulnerable = bool(victim.enhanced_rights) and d.chance(0.6)
                witness = self._witness(
                    victim.first_names,
                    victim.last_name,
                    WitnessType.EYEWITNESS,
                    True,
                    minute,
                    victim.date_of_birth,
                    vulnerability=(
                        WitnessVulnerability.VULNERABLE
                        if victim.date_of_birth and self._age(victim.date_of_birth) < 18
                        else WitnessVulnerability.INTIMIDATED
                    )
                    if vulnerable
                    else WitnessVulnerability.NONE,
                )
                witness.notes = "Victim"
            victim.witness = witness
            minute += 1
        police = self.ref.people[self.oic]
        officer_witness = self._witness(
            police.first_name, police.last_name, WitnessType.POLICE, not self.victims, minute, None
        )
        officer_witness.notes = "Attending officer"
        low, high = p.witnesses
        for _n in range(d.randint(low, high)):
            first, last = self._name(d.chance(0.5))
            kind = d.choice((WitnessType.EYEWITNESS, WitnessType.EYEWITNESS, WitnessType.PROFESSIONAL))
            self._witness(first, last, kind, d.chance(0.35), minute + 5, self._dob(18, 75))
        if p.name in ("injury", "serious_violence", "homicide", "sexual", "rape"):
            first, last = self._name(d.chance(0.5))
            expert = self._witness(first, last, WitnessType.PROFESSIONAL, False, minute + 9, None)
            expert.notes = "Treating clinician"

    def _age(self, born: date) -> int:
        day = self.case.reported_on
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def _witness(
        self,
        first: str,
        last: str,
        kind: str,
        key: bool,
        minute: int,
        dob: date | None,
        vulnerability: str = WitnessVulnerability.NONE,
    ) -> WitnessRec:
        d = self.d
        witness = WitnessRec(
            pk=self.ids("witness"),
            public_id=d.uuid(),
            first_names=first,
            last_name=last,
            date_of_birth=dob,
            created_at=self.case.created_at + timedelta(minutes=minute, seconds=len(self.witnesses)),
            witness_type=kind,
            is_key=key,
            vulnerability=vulnerability,
            willing_to_attend=d.chance(0.93),
        )
        if vulnerability != WitnessVulnerability.NONE:
            witness.special_measures = [
                SpecialMeasure.SCREENS,
                SpecialMeasure.LIVE_LINK if d.chance(0.5) else SpecialMeasure.VIDEO_EVIDENCE_IN_CHIEF,
            ]
        self.witnesses.append(witness)
        return witness

    def charge_offences(self) -> None:
        d, p = self.d, self.profile
        reported = self.case.reported_on
        if p.continuing:
            until = reported - timedelta(days=d.randint(0, 3))
            committed = until - timedelta(days=d.randint(14, 180))
        else:
            lag = 0 if d.chance(0.7) else (d.randint(1, 7) if d.chance(0.67) else d.randint(8, 60))
            committed, until = reported - timedelta(days=lag), None
        place = d.choice(dist.PLACES)
        street = f"{d.randint(1, 240)} {d.choice(dist.STREETS)}"
        self.location = f"{street}, {place}"
        second_pool = offences.SECOND_OFFENCES.get(p.name, ())
        for n, suspect in enumerate(self.suspects):
            codes = [self.code]
            if second_pool and d.chance(offences.SECOND_OFFENCE_SHARE):
                codes.append(self.ref.codes[d.choice(second_pool)])
            for m, code in enumerate(codes):
                offence = OffenceRec(
                    pk=self.ids("offence"),
                    public_id=d.uuid(),
                    suspect_id=suspect.pk,
                    offence_code=code,
                    committed_on=committed,
                    committed_until=until if m == 0 else None,
                    created_at=self.case.created_at + timedelta(minutes=30 + n * 2 + m),
                    location=self.location,
                    particulars=_particulars(code, suspect, committed, until if m == 0 else None, place),
                )
                self.offences.append(offence)
        victim = next((v for v in self.victims if not v.is_organisation), None)
        about = f"{self.code.title.lower()} {place}"
        if victim is not None:
            about += f"; the victim, {victim.first_names} {victim.last_name}, reported it"
        self.case.summary = f"Allegation of {about}."[:1000]


def _particulars(code: Code, suspect: SuspectRec, committed: date, until: date | None, place: str) -> str:
    when = f"between {dmy(committed)} and {dmy(until)}" if until else f"on {dmy(committed)}"
    return f"{suspect.first_names} {suspect.last_name.upper()}, {when}, {place}: {code.title}."
