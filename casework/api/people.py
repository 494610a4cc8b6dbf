"""Case API for the people on a case: suspects (and their custody and bail history), victims (and
the Victims' Code updates given to them) and witnesses.

``PATCH`` changes only the fields given: the view starts from the record as it is and the service
checks the whole result, as it does for the page's form.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_docs import ERROR_RESPONSES

from ..choices import (
    Authority,
    ContactPreference,
    CustodyEventKind,
    EnhancedRights,
    SpecialMeasure,
    VictimPersonalStatement,
    VictimUpdateReason,
    WitnessType,
    WitnessVulnerability,
)
from ..models import CustodyEvent, Suspect, Victim, Witness
from ..services import (
    CustodyDetails,
    SuspectDetails,
    VictimDetails,
    WitnessDetails,
    custody_event_record,
    suspect_add,
    suspect_update,
    victim_add,
    victim_update,
    victim_update_record,
    witness_add,
    witness_update,
)
from ..services.custody import OFFENCE_NOT_SUSPECTS
from .common import (
    References,
    acting_user,
    audit_viewed,
    ensure_allowed,
    validated,
    visible_case,
    visible_child,
    without,
)
from .serializers import CustodyEventOutput, SuspectOutput, VictimOutput, VictimUpdateOutput, WitnessOutput


class PersonInput(serializers.Serializer):  # type: ignore[type-arg]
    first_names = serializers.CharField(max_length=200, allow_blank=True)
    last_name = serializers.CharField(max_length=200, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


# -- suspects ------------------------------------------------------------------------------------


class SuspectInput(PersonInput):
    pnc_id = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="Like 2019/0012345Z (or 19/12345Z)."
    )
    asn = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text="Arrest/summons number, like 26/10AA/01/123456X."
    )
    custody_record_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    interpreter_language = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Blank if no interpreter is needed."
    )
    vulnerabilities = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    needs_appropriate_adult = serializers.BooleanField(required=False)

    class Meta:
        ref_name = "Suspect"


def _suspect_details(suspect: Suspect) -> SuspectDetails:
    return SuspectDetails(
        first_names=suspect.first_names,
        last_name=suspect.last_name,
        date_of_birth=suspect.date_of_birth,
        pnc_id=suspect.pnc_id,
        asn=suspect.asn,
        custody_record_number=suspect.custody_record_number,
        interpreter_language=suspect.interpreter_language,
        vulnerabilities=suspect.vulnerabilities,
        needs_appropriate_adult=suspect.needs_appropriate_adult,
    )


class SuspectListApi(APIView):
    """The suspects on a case, each with their custody and bail history; ``POST`` adds one."""

    @extend_schema(responses={200: SuspectOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_suspects_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The suspects on the case, each with their custody and bail history."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "suspects")
        events = CustodyEvent.objects.select_related("court", "offence").order_by("occurred_at", "id")
        suspects = case.suspects.order_by("created_at", "id").prefetch_related(Prefetch("custody_events", events))
        return Response(SuspectOutput(suspects, many=True).data)

    @extend_schema(
        request=SuspectInput,
        responses={201: SuspectOutput, **ERROR_RESPONSES},
        operation_id="cases_suspects_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Add a suspect. A PNC ID or ASN is checked (check character) and stored in its full form."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_case", case)
        data = validated(SuspectInput, request.data)
        suspect = suspect_add(case=case, details=SuspectDetails(**data), by=acting_user(request))
        return Response(SuspectOutput(suspect).data, status=status.HTTP_201_CREATED)


class SuspectDetailApi(APIView):
    @extend_schema(responses={200: SuspectOutput, **ERROR_RESPONSES}, operation_id="cases_suspects_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, suspect_id: uuid.UUID) -> Response:
        """One suspect with their custody and bail history."""
        suspect = visible_child(request, case_id, Suspect, suspect_id)
        audit_viewed(request, suspect.case, "suspect", suspect)
        return Response(SuspectOutput(suspect).data)

    @extend_schema(
        request=SuspectInput(partial=True),
        responses={200: SuspectOutput, **ERROR_RESPONSES},
        operation_id="cases_suspects_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, suspect_id: uuid.UUID) -> Response:
        """Change the suspect's details given; those left out stay as they are."""
        suspect = visible_child(request, case_id, Suspect, suspect_id)
        ensure_allowed(request, "casework.change_case", suspect.case)
        data = validated(SuspectInput, request.data, partial=True)
        details = replace(_suspect_details(suspect), **data)
        suspect = suspect_update(suspect=suspect, details=details, by=acting_user(request))
        return Response(SuspectOutput(suspect).data)


class CustodyEventInput(serializers.Serializer):  # type: ignore[type-arg]
    """One step of custody or bail; which fields are needed depends on ``kind`` (PACE and the bail
    law that applies on the arrest date), and the service says which are missing."""

    kind = serializers.ChoiceField(choices=CustodyEventKind.choices)
    occurred_at = serializers.DateTimeField()
    relevant_time = serializers.DateTimeField(required=False, allow_null=True, help_text="PACE relevant time.")
    arrested_on = serializers.DateField(required=False, allow_null=True)
    bail_start_date = serializers.DateField(required=False, allow_null=True)
    period_ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="Last day of bail (a release on bail, or an extension)."
    )
    period_ends_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When a warrant of further detention runs to."
    )
    authority = serializers.ChoiceField(choices=Authority.choices, required=False, allow_blank=True)
    authorised_by = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Name and rank, or the court."
    )
    court = serializers.CharField(required=False, allow_null=True, max_length=20, help_text="Court code.")
    offence = serializers.UUIDField(
        required=False, allow_null=True, help_text="Public id of the suspect's offence remanded on."
    )
    first_remand_date = serializers.DateField(required=False, allow_null=True)
    conditions = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        ref_name = "CustodyEvent"


class CustodyEventListApi(APIView):
    """A suspect's custody and bail history, oldest first; ``POST`` records the next step."""

    @extend_schema(
        responses={200: CustodyEventOutput(many=True), **ERROR_RESPONSES},
        operation_id="cases_suspects_custody_events_list",
    )
    def get(self, request: Request, case_id: uuid.UUID, suspect_id: uuid.UUID) -> Response:
        """The suspect's custody and bail history, oldest first."""
        suspect = visible_child(request, case_id, Suspect, suspect_id)
        audit_viewed(request, suspect.case, "custody_events", suspect)
        events = suspect.custody_events.select_related("court", "offence").order_by("occurred_at", "id")
        return Response(CustodyEventOutput(events, many=True).data)

    @extend_schema(
        request=CustodyEventInput,
        responses={201: CustodyEventOutput, **ERROR_RESPONSES},
        operation_id="cases_suspects_custody_events_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, suspect_id: uuid.UUID) -> Response:
        """Record the next step in custody or on bail; the bail regime and period end are derived."""
        suspect = visible_child(request, case_id, Suspect, suspect_id)
        ensure_allowed(request, "casework.change_case", suspect.case)
        data = validated(CustodyEventInput, request.data)
        refs = References()
        court = refs.court("court", data.get("court"))
        offence = refs.offence("offence", suspect.case, data.get("offence"), unknown=OFFENCE_NOT_SUSPECTS)
        refs.check()
        details = CustodyDetails(**without(data, "court", "offence"), court=court, offence=offence)
        event = custody_event_record(suspect=suspect, details=details, by=acting_user(request))
        return Response(CustodyEventOutput(event).data, status=status.HTTP_201_CREATED)


# -- victims -------------------------------------------------------------------------------------


class VictimInput(PersonInput):
    is_organisation = serializers.BooleanField(
        required=False, help_text="A business or organisation, through a named contact."
    )
    enhanced_rights = serializers.ListField(
        child=serializers.ChoiceField(choices=EnhancedRights.choices), required=False
    )
    contact_preference = serializers.ChoiceField(choices=ContactPreference.choices, required=False)
    contact_details = serializers.CharField(required=False, allow_blank=True, max_length=300)
    personal_statement = serializers.ChoiceField(choices=VictimPersonalStatement.choices, required=False)
    personal_statement_on = serializers.DateField(required=False, allow_null=True)
    first_statement_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        ref_name = "Victim"


def _victim_details(victim: Victim) -> VictimDetails:
    return VictimDetails(
        first_names=victim.first_names,
        last_name=victim.last_name,
        date_of_birth=victim.date_of_birth,
        is_organisation=victim.is_organisation,
        enhanced_rights=list(victim.enhanced_rights),
        contact_preference=victim.contact_preference,
        contact_details=victim.contact_details,
        personal_statement=victim.personal_statement,
        personal_statement_on=victim.personal_statement_on,
        first_statement_on=victim.first_statement_on,
    )


class VictimListApi(APIView):
    """The victims on a case, each with the updates given to them; ``POST`` adds one."""

    @extend_schema(responses={200: VictimOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_victims_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The victims on the case, each with the Victims' Code updates given."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "victims")
        victims = case.victims.prefetch_related("updates__given_by").order_by("created_at", "id")
        return Response(VictimOutput(victims, many=True).data)

    @extend_schema(
        request=VictimInput,
        responses={201: VictimOutput, **ERROR_RESPONSES},
        operation_id="cases_victims_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Add a victim."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_case", case)
        data = validated(VictimInput, request.data)
        victim = victim_add(case=case, details=VictimDetails(**data), by=acting_user(request))
        return Response(VictimOutput(victim).data, status=status.HTTP_201_CREATED)


class VictimDetailApi(APIView):
    @extend_schema(responses={200: VictimOutput, **ERROR_RESPONSES}, operation_id="cases_victims_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, victim_id: uuid.UUID) -> Response:
        """One victim with the Victims' Code updates given."""
        victim = visible_child(request, case_id, Victim, victim_id)
        audit_viewed(request, victim.case, "victim", victim)
        return Response(VictimOutput(victim).data)

    @extend_schema(
        request=VictimInput(partial=True),
        responses={200: VictimOutput, **ERROR_RESPONSES},
        operation_id="cases_victims_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, victim_id: uuid.UUID) -> Response:
        """Change the victim's details given; those left out stay as they are."""
        victim = visible_child(request, case_id, Victim, victim_id)
        ensure_allowed(request, "casework.change_case", victim.case)
        data = validated(VictimInput, request.data, partial=True)
        victim = victim_update(victim=victim, details=replace(_victim_details(victim), **data), by=acting_user(request))
        return Response(VictimOutput(victim).data)


class VictimUpdateListApi(APIView):
    """The Victims' Code updates (Right 6) given to a victim; ``POST`` records one given."""

    class VictimUpdateInput(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.ChoiceField(choices=VictimUpdateReason.choices)
        event_on = serializers.DateField(help_text="When the event the update is about happened.")
        given_on = serializers.DateField()
        # Plain values, not value-label pairs: the same choice set as ``contact_preference`` under
        # another field name would otherwise need a settings override to name it in the schema.
        method = serializers.ChoiceField(choices=ContactPreference.values)
        summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)

        class Meta:
            ref_name = "VictimUpdate"

    @extend_schema(
        responses={200: VictimUpdateOutput(many=True), **ERROR_RESPONSES},
        operation_id="cases_victims_updates_list",
    )
    def get(self, request: Request, case_id: uuid.UUID, victim_id: uuid.UUID) -> Response:
        """The Victims' Code updates given to the victim, in the order given."""
        victim = visible_child(request, case_id, Victim, victim_id)
        audit_viewed(request, victim.case, "victim_updates", victim)
        updates = victim.updates.select_related("given_by").order_by("given_on", "id")
        return Response(VictimUpdateOutput(updates, many=True).data)

    @extend_schema(
        request=VictimUpdateInput,
        responses={201: VictimUpdateOutput, **ERROR_RESPONSES},
        operation_id="cases_victims_updates_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, victim_id: uuid.UUID) -> Response:
        """Record a Victims' Code update given to the victim (Right 6)."""
        victim = visible_child(request, case_id, Victim, victim_id)
        ensure_allowed(request, "casework.record_victim_update", victim.case)
        data = validated(self.VictimUpdateInput, request.data)
        update = victim_update_record(
            victim=victim,
            reason=data["reason"],
            event_on=data["event_on"],
            given_on=data["given_on"],
            method=data["method"],
            summary=data.get("summary", ""),
            by=acting_user(request),
        )
        return Response(VictimUpdateOutput(update).data, status=status.HTTP_201_CREATED)


# -- witnesses -----------------------------------------------------------------------------------


class DateRangeInput(serializers.Serializer):  # type: ignore[type-arg]
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class Meta:
        ref_name = "DateRange"


class WitnessInput(PersonInput):
    witness_type = serializers.ChoiceField(choices=WitnessType.choices, required=False)
    is_key = serializers.BooleanField(required=False)
    vulnerability = serializers.ChoiceField(choices=WitnessVulnerability.choices, required=False)
    special_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialMeasure.choices), required=False
    )
    willing_to_attend = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    dates_to_avoid = DateRangeInput(
        many=True, required=False, help_text="Dates the witness cannot attend court (MG10); replaces the list."
    )
    no_dates_to_avoid = serializers.BooleanField(
        required=False,
        help_text="The witness has said there are no dates to avoid; refused while they have dates to avoid.",
    )

    class Meta:
        ref_name = "Witness"


def _witness_details(witness: Witness) -> WitnessDetails:
    return WitnessDetails(
        first_names=witness.first_names,
        last_name=witness.last_name,
        date_of_birth=witness.date_of_birth,
        witness_type=witness.witness_type,
        is_key=witness.is_key,
        vulnerability=witness.vulnerability,
        special_measures=list(witness.special_measures),
        willing_to_attend=witness.willing_to_attend,
        notes=witness.notes,
        dates_to_avoid=[(d.starts_on, d.ends_on, d.reason) for d in witness.dates_to_avoid.all()],
        no_dates_to_avoid=witness.no_dates_to_avoid,
    )


def _witness_changes(data: dict[str, Any]) -> dict[str, Any]:
    changes = without(data, "dates_to_avoid")
    if "dates_to_avoid" in data:
        # ``get``: a partial (PATCH) input leaves out defaults, the reason's included.
        changes["dates_to_avoid"] = [
            (r["starts_on"], r["ends_on"], r.get("reason", "")) for r in data["dates_to_avoid"]
        ]
    return changes


class WitnessListApi(APIView):
    """The witnesses on a case, each with their dates to avoid; ``POST`` adds one."""

    @extend_schema(responses={200: WitnessOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_witnesses_list")
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        """The witnesses on the case, each with their dates to avoid."""
        case = visible_case(request, case_id)
        audit_viewed(request, case, "witnesses")
        witnesses = case.witnesses.prefetch_related("dates_to_avoid").order_by("created_at", "id")
        return Response(WitnessOutput(witnesses, many=True).data)

    @extend_schema(
        request=WitnessInput,
        responses={201: WitnessOutput, **ERROR_RESPONSES},
        operation_id="cases_witnesses_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        """Add a witness, with any dates to avoid."""
        case = visible_case(request, case_id)
        ensure_allowed(request, "casework.change_case", case)
        data = validated(WitnessInput, request.data)
        details = replace(WitnessDetails(first_names="", last_name=""), **_witness_changes(data))
        witness = witness_add(case=case, details=details, by=acting_user(request))
        return Response(WitnessOutput(witness).data, status=status.HTTP_201_CREATED)


class WitnessDetailApi(APIView):
    @extend_schema(responses={200: WitnessOutput, **ERROR_RESPONSES}, operation_id="cases_witnesses_retrieve")
    def get(self, request: Request, case_id: uuid.UUID, witness_id: uuid.UUID) -> Response:
        """One witness with their dates to avoid."""
        witness = visible_child(request, case_id, Witness, witness_id)
        audit_viewed(request, witness.case, "witness", witness)
        return Response(WitnessOutput(witness).data)

    @extend_schema(
        request=WitnessInput(partial=True),
        responses={200: WitnessOutput, **ERROR_RESPONSES},
        operation_id="cases_witnesses_update",
    )
    def patch(self, request: Request, case_id: uuid.UUID, witness_id: uuid.UUID) -> Response:
        """Change the witness's details given; `dates_to_avoid`, when given, replaces the list."""
        witness = visible_child(request, case_id, Witness, witness_id)
        ensure_allowed(request, "casework.change_case", witness.case)
        data = validated(WitnessInput, request.data, partial=True)
        details = replace(_witness_details(witness), **_witness_changes(data))
        witness = witness_update(witness=witness, details=details, by=acting_user(request))
        return Response(WitnessOutput(witness).data)
