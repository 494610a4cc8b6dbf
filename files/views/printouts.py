"""Enter once, print many: the MG forms generated from what the case already records.

- MG5 case summary, with the points to prove for each offence and the evidence that proves each;
- MG9 witness list, from the case's witnesses and victims, for the CPS and the Witness Care Unit;
- MG12 exhibit list;
- MG6C and MG6D unused material schedules (the MG6D only for those who may see sensitive material).

Each is a GOV.UK page with a header (URN, defendants, offences) and the form's protective marking
above and below; the print stylesheet hides the navigation and buttons. Printing is a viewing of
the case and is audited as one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.models import User
from casework.choices import EnhancedRights, SpecialMeasure, WitnessVulnerability
from casework.models import Case, OffenceAllegation, Suspect, Victim, Witness
from casework.rules import is_police_of_force
from casework.selectors import CASE_NOT_FOUND
from casework.views._common import current_user, labels

from ..choices import Schedule
from ..selectors import can_see_sensitive, unused_items_for
from ..services import case_summary as mg5_service
from ..services import exhibits as exhibit_service
from .case_summary import offences_with_points
from .exhibits import audit_viewed, material_url, visible_case

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"

# Government Security Classifications marking of each printout: the one place it is decided.
# The MG5 and the MG6 series carry personal and case-sensitive detail (MG6D most of all).
PROTECTIVE_MARKINGS: dict[str, str] = {
    "mg5": OFFICIAL_SENSITIVE,
    "mg6c": OFFICIAL_SENSITIVE,
    "mg6d": OFFICIAL_SENSITIVE,
    "mg9": OFFICIAL,
    "mg12": OFFICIAL,
}
FORM_TITLES: dict[str, str] = {
    "mg5": "MG5 Case summary",
    "mg6c": "MG6C Schedule of relevant non-sensitive unused material",
    "mg6d": "MG6D Schedule of relevant sensitive unused material",
    "mg9": "MG9 Witness list",
    "mg12": "MG12 Exhibit list",
}
CONTACT_DETAILS_WITHHELD = "Held by the police"


def _printout(request: HttpRequest, case: Case, form: str, template: str, **extra: Any) -> HttpResponse:
    user = current_user(request)
    audit_viewed(user, case, f"{form.upper()} printout")
    suspects = list(Suspect.objects.filter(case=case).order_by("created_at", "id"))
    offences = list(
        OffenceAllegation.objects.filter(case=case)
        .select_related("offence_code", "suspect")
        .order_by("created_at", "id")
    )
    context = {
        "case": case,
        "form_key": form,
        "form_title": FORM_TITLES[form],
        "marking": PROTECTIVE_MARKINGS[form],
        "defendants": suspects,
        "offences": offences,
        "back_url": material_url(case),
        **extra,
    }
    return render(request, template, context)


@login_required
def print_mg5(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = visible_case(request, case_id)
    return _printout(
        request,
        case,
        "mg5",
        "files/print/mg5.html",
        mg5=mg5_service.case_summary_of(case),
        offences_with_points=offences_with_points(case),
        back_url=reverse("files:case-summary", args=[case.public_id]),
    )


def mg9_rows(case: Case, viewer: User) -> list[dict[str, Any]]:
    """The MG9 goes to the CPS and Witness Care: it gives each person's contact preference, but a
    victim's contact details only to police of the owning force."""
    show_contact = bool(is_police_of_force(viewer, case))
    rows: list[dict[str, Any]] = []
    victim: Victim
    for victim in Victim.objects.filter(case=case).order_by("created_at", "id"):
        vulnerable = EnhancedRights.VULNERABLE_OR_INTIMIDATED in victim.enhanced_rights
        contact = victim.contact_details or "Not recorded"
        rows.append(
            {
                "name": victim.full_name,
                "kind": "Victim",
                "is_victim": True,
                "is_key": False,
                "vulnerable_or_intimidated": vulnerable,
                "v_and_i": "Yes (enhanced rights)" if vulnerable else "No",
                "special_measures": [],
                "dates_to_avoid": [],
                "no_dates_to_avoid": False,
                "contact_preference": victim.get_contact_preference_display(),
                "contact_details": contact if show_contact else CONTACT_DETAILS_WITHHELD,
                "personal_statement": victim.get_personal_statement_display(),
            }
        )
    witness: Witness
    for witness in Witness.objects.filter(case=case).prefetch_related("dates_to_avoid").order_by("created_at", "id"):
        vulnerable = witness.vulnerability != WitnessVulnerability.NONE
        rows.append(
            {
                "name": witness.full_name,
                "kind": witness.get_witness_type_display(),
                "is_victim": False,
                "is_key": witness.is_key,
                "vulnerable_or_intimidated": vulnerable,
                "v_and_i": witness.get_vulnerability_display() if vulnerable else "No",
                "special_measures": labels(witness.special_measures, SpecialMeasure),
                "dates_to_avoid": list(witness.dates_to_avoid.all()),
                "no_dates_to_avoid": witness.no_dates_to_avoid,
                "contact_preference": "",
                "contact_details": "",
                "personal_statement": "",
                "willing_to_attend": witness.willing_to_attend,
            }
        )
    return rows


@login_required
def print_mg9(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = visible_case(request, case_id)
    return _printout(request, case, "mg9", "files/print/mg9.html", rows=mg9_rows(case, current_user(request)))


@login_required
def print_mg12(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = visible_case(request, case_id)
    exhibits = exhibit_service.exhibit_list_for(user=current_user(request), case=case)
    return _printout(
        request,
        case,
        "mg12",
        "files/print/mg12.html",
        exhibits=list(exhibits),
        back_url=reverse("files:exhibit-list", args=[case.public_id]),
    )


def _schedule(request: HttpRequest, case_id: uuid.UUID, schedule: Schedule) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    if schedule == Schedule.MG6D and not can_see_sensitive(user, case):
        raise Http404(CASE_NOT_FOUND)
    items = unused_items_for(user=user, case=case).filter(schedule=schedule).order_by("item_number")
    return _printout(
        request,
        case,
        str(schedule.value),
        "files/print/schedule.html",
        items=list(items),
        sensitive=schedule == Schedule.MG6D,
        back_url=reverse("files:unused-list", args=[case.public_id]),
    )


@login_required
def print_mg6c(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _schedule(request, case_id, Schedule.MG6C)


@login_required
def print_mg6d(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _schedule(request, case_id, Schedule.MG6D)
