"""Helpers shared by the case services: permission checks, field errors, the search text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User

from ..choices import CaseFlag, EnhancedRights
from ..hooks import CASE_CHANGED_HOOKS as CASE_CHANGED_HOOKS
from ..hooks import is_being_created as is_being_created
from ..hooks import notify_case_changed as notify_case_changed
from ..hooks import notify_case_created as notify_case_created
from ..models import Case

NOT_ALLOWED = "You are not allowed to do this on this case."
DATE_IN_FUTURE = "{label} must be today or in the past"


def require_perm(user: User, perm: str, case: Case | None = None) -> None:
    # rules.has_perm, not user.has_perm: Django answers yes to every question for a superuser, and
    # a system administrator must not get case powers through the back door.
    if not (user.is_active and rules.has_perm(perm, user, case)):
        raise PermissionDenied(NOT_ALLOWED)


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def not_in_future(errors: dict[str, str], field: str, label: str, value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = DATE_IN_FUTURE.format(label=label)


def lock_case(case: Case) -> Case:
    """Re-read the case row with a lock, so concurrent edits of one case queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


def derived_flags(case: Case) -> set[str]:
    """Flags the facts already say: a suspect under 18 makes it a youth case, a victim with enhanced
    rights as vulnerable or intimidated a vulnerable-victim case. They cannot be unticked by hand."""
    flags: set[str] = set()
    if any(suspect.is_youth for suspect in case.suspects.all()):
        flags.add(CaseFlag.YOUTH)
    if case.victims.filter(enhanced_rights__contains=[EnhancedRights.VULNERABLE_OR_INTIMIDATED]).exists():
        flags.add(CaseFlag.VULNERABLE_VICTIM)
    return flags


def sync_derived_flags(case: Case) -> None:
    missing = derived_flags(case) - set(case.flags)
    if missing:
        case.flags = sorted({*case.flags, *missing})
        case.save(update_fields=["flags", "updated_at"])


# Each returns more text the case can be found by, from what is on the case (the files app: its documents'
# titles and extracted text; a case being created has none, see ``search_columns``). Registered in
# AppConfig.ready(), like the hooks above. What a provider returns becomes findable by everyone who can see the
# case, so it must leave out whatever some of them may not see (sensitive MG6D material).
SEARCH_TEXT_PROVIDERS: list[Callable[[Case], str]] = []


def search_columns(
    case: Case,
    *,
    names: Iterable[str] = (),
    offences: Iterable[str] = (),
    pncs: Iterable[str] = (),
    provided: Iterable[str] | None = None,
) -> tuple[str, str]:
    """(``search_text``, ``search_names``) of the case, from its people's names, its offences, its suspects' PNC
    ids and the providers' text. Without ``provided`` (a case being created, which has no material for a
    provider to describe), each provider's part is empty, as it would give for such a case; the text keeps
    its place so that it is the same text ``refresh_search`` would write (``casework.synthetic.rows`` writes
    it too)."""
    names = list(names)
    extra = list(provided) if provided is not None else ["" for _provider in SEARCH_TEXT_PROVIDERS]
    text = " ".join([case.urn, case.urn_display, case.summary, *names, *offences, *pncs, *extra])
    return text, " ".join(names).lower()


def refresh_search(case: Case) -> None:
    """Rebuild the case's denormalised search text from its URN, summary, people and offences, and
    whatever the SEARCH_TEXT_PROVIDERS add."""
    suspects = list(case.suspects.all())
    names = [
        f"{p.first_names} {p.last_name}"
        for related in (suspects, case.victims.all(), case.witnesses.all())
        for p in related
    ]
    offences = [f"{o.offence_code.code} {o.offence_code.title}" for o in case.offences.select_related("offence_code")]
    text, lowered = search_columns(
        case,
        names=names,
        offences=offences,
        pncs=[s.pnc_id for s in suspects if s.pnc_id],
        provided=[provider(case) for provider in SEARCH_TEXT_PROVIDERS],
    )
    Case.objects.filter(pk=case.pk).update(search_text=text, search_names=lowered)
    notify_case_changed(case)
