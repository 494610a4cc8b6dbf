"""Demo cases for the charging journey — ``manage.py seed_demo_cases`` after ``seed_demo``. Idempotent.

Two Northumbria cases, built through the services as the demo users would build them in the browser:
one whose charging request (MG3) is waiting for CPS triage in CPS North East, and one whose request came
back from the lawyer with an action plan for the police to answer. So a demo shows the CPS queue and the
police side of an action plan straight away. Run only on a demo: it writes with the demo users' names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import services as cs
from casework.models import Case, OffenceCode
from charging import services as s
from charging.choices import ChargingCategory, DecisionOutcome

# Assault occasioning actual bodily harm (either way, DG6 "GBH/wounding or ABH": the CPS decides).
DEMO_CODE = "OF61131"


class Command(BaseCommand):
    help = "Create two demo cases with charging requests (needs seed_demo first). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=self._usernames())}
        missing = sorted(set(self._usernames()) - set(users))
        if missing:
            raise CommandError(f"Run manage.py seed_demo first (missing users: {', '.join(missing)}).")
        code = (
            OffenceCode.objects.filter(code=DEMO_CODE).first()
            or OffenceCode.objects.filter(dg6_group="gbh_abh", is_active=True).order_by("code").first()
        )
        if code is None:
            raise CommandError("No ABH/GBH offence code in the reference data: run manage.py load_reference_data.")
        officer = users["officer.north"]
        unit = officer.unit
        if unit is None:
            raise CommandError("officer.north has no unit.")
        year = timezone.localdate().strftime("%y")
        made = 0
        for number, with_plan in (("90001", False), ("90002", True)):
            urn = f"10/{unit.code}/{number}/{year}"
            if Case.objects.filter(urn=urn.replace("/", "")).exists():
                continue
            with transaction.atomic():
                self._case(urn, code.code, users, with_plan)
            made += 1
        self.stdout.write(f"{made} demo charging case(s) created.")

    @staticmethod
    def _usernames() -> list[str]:
        return ["officer.north", "supervisor.north", "paralegal.north", "lawyer.north"]

    def _case(self, urn: str, code: str, users: dict[str, User], with_plan: bool) -> None:
        officer, supervisor = users["officer.north"], users["supervisor.north"]
        details = cs.CaseDetails(
            summary="Assault outside a takeaway: the victim's cheekbone was fractured.",
            officer_in_case=officer,
            supervisor=supervisor,
            reported_on=timezone.localdate() - timedelta(days=10),
        )
        case = cs.case_create(urn=urn, details=details, by=officer)
        suspect = cs.suspect_add(
            case=case, details=cs.SuspectDetails("Jordan", "Reed", date_of_birth=date(1994, 3, 2)), by=officer
        )
        cs.victim_add(
            case=case, details=cs.VictimDetails("Casey", "Morgan", date_of_birth=date(1990, 7, 14)), by=officer
        )
        offence = cs.offence_add(
            case=case,
            details=cs.OffenceDetails(
                suspect=suspect, code=code, committed_on=timezone.localdate() - timedelta(days=10), location="High St"
            ),
            by=officer,
        )
        mg3 = s.Mg3Details(
            category=ChargingCategory.GREEN,
            suspect_status="Released on pre-charge bail to return in 28 days",
            bail_status="Pre-charge bail, condition not to contact the victim",
            offence_summary="The suspect punched the victim twice outside a takeaway, fracturing her cheekbone.",
            proposed_charges="Assault occasioning actual bodily harm",
            defence_account="Self-defence: says the victim pushed him first.",
            lines_of_inquiry_done="Takeaway CCTV seized and viewed; two witnesses statemented.",
            lines_not_pursued="Door-to-door beyond the high street: no premises with cameras.",
            outstanding_evidence=[
                {"what": "Medical statement", "target_date": str(timezone.localdate() + timedelta(days=14))}
            ],
            victim_witness_needs="Victim is anxious about giving evidence: consider screens.",
        )
        request = s.request_create(case=case, details=mg3, by=officer)
        request = s.request_submit(request=request, by=officer)
        request = s.request_approve(request=request, by=supervisor)
        if not with_plan:
            return
        request = s.request_accept(request=request, by=users["paralegal.north"])
        request = s.request_allocate(request=request, by=users["lawyer.north"])
        s.decision_record(
            request=request,
            by=users["lawyer.north"],
            outcome=DecisionOutcome.ACTION_PLAN,
            reasons="The injury must be proved by medical evidence before I can apply the Full Code Test.",
            action_items=[
                s.ActionItemDetails(
                    action="Obtain a statement from the treating doctor describing the fracture",
                    reason="Proves the actual bodily harm element of the offence",
                    due_on=timezone.localdate() + timedelta(days=14),
                    offence=offence,
                    point_to_prove="Actual bodily harm",
                ),
                s.ActionItemDetails(
                    action="Check the suspect's account against the second CCTV angle",
                    reason="Answers the self-defence account given in interview",
                    due_on=timezone.localdate() + timedelta(days=7),
                    offence=offence,
                ),
            ],
        )
