"""Output shapes of the case API, shared by every operation that returns a case or part of one.

Records are identified by their public UUID (``id``), never the database id. A choice is given as
its stable value plus its label (``status`` and ``status_label``); URNs and ASNs also in the form
people write them (``urn_display``, ``asn_display``). Dates and times are ISO 8601.

The nested shapes read only what ``casework.selectors.case_detail_visible_to`` prefetches, so the
case detail costs the same number of queries however many people and events the case has.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import (
    Authority,
    BailRegime,
    CaseFlag,
    CaseStatus,
    ContactPreference,
    CustodyEventKind,
    EnhancedRights,
    HearingOutcome,
    HearingType,
    ModeOfTrial,
    OffenceQualifier,
    OffenceStatus,
    SpecialMeasure,
    VictimPersonalStatement,
    VictimUpdateReason,
    WitnessType,
    WitnessVulnerability,
)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):  # type: ignore[type-arg]
    """The label of a stored choice (``"charged"`` → ``"Charged"``)."""

    def __init__(self, choices: type[models.Choices], **kwargs: Any) -> None:
        self.labels = {str(value): str(label) for value, label in choices.choices}
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return self.labels.get(str(value), str(value))


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class ChoiceLabelsField(ChoiceLabelField):
    """The labels of a list of stored choices, in the same order."""

    def to_representation(self, value: Any) -> list[str]:  # type: ignore[override]
        return [self.labels.get(str(item), str(item)) for item in value]


class UserRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="get_full_name")


class OrganisationRefOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()


class CourtOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


# -- the case ------------------------------------------------------------------------------------


class CaseOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    urn = serializers.CharField(help_text="Normalised, without separators.")
    urn_display = serializers.CharField(help_text="As people write it, e.g. 10/AA/12345/26.")
    status = serializers.CharField()
    status_label = ChoiceLabelField(CaseStatus, source="status")
    flags = serializers.ListField(child=serializers.CharField())
    flag_labels = ChoiceLabelsField(CaseFlag, source="flags")
    summary = serializers.CharField()
    force = OrganisationRefOutput()
    unit = OrganisationRefOutput(allow_null=True)
    cps_area = OrganisationRefOutput(allow_null=True)
    officer_in_case = UserRefOutput(allow_null=True)
    supervisor = UserRefOutput(allow_null=True)
    reported_on = serializers.DateField(allow_null=True)
    sent_to_cps_at = serializers.DateTimeField(allow_null=True)
    sent_to_cps_direct = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


# -- people and their records --------------------------------------------------------------------


class CustodyEventOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    kind_label = ChoiceLabelField(CustodyEventKind, source="kind")
    occurred_at = serializers.DateTimeField()
    relevant_time = serializers.DateTimeField(allow_null=True)
    arrested_on = serializers.DateField(allow_null=True)
    bail_regime = serializers.CharField()
    bail_regime_label = ChoiceLabelField(BailRegime, source="bail_regime")
    bail_start_date = serializers.DateField(allow_null=True)
    period_ends_at = serializers.DateTimeField(allow_null=True)
    authority = serializers.CharField()
    authority_label = ChoiceLabelField(Authority, source="authority")
    authorised_by = serializers.CharField()
    court = CourtOutput(allow_null=True)
    offence = serializers.UUIDField(source="offence.public_id", allow_null=True, default=None)
    first_remand_date = serializers.DateField(allow_null=True)
    conditions = serializers.CharField()
    notes = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class PersonOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    first_names = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SuspectOutput(PersonOutput):
    is_youth = serializers.BooleanField(help_text="Under 18 today, from the date of birth.")
    pnc_id = serializers.CharField()
    asn = serializers.CharField()
    asn_display = serializers.CharField()
    custody_record_number = serializers.CharField()
    interpreter_language = serializers.CharField()
    vulnerabilities = serializers.CharField()
    needs_appropriate_adult = serializers.BooleanField()
    custody_events = CustodyEventOutput(many=True)


class VictimUpdateOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    reason = serializers.CharField()
    reason_label = ChoiceLabelField(VictimUpdateReason, source="reason")
    event_on = serializers.DateField()
    given_on = serializers.DateField()
    method = serializers.CharField()
    method_label = ChoiceLabelField(ContactPreference, source="method")
    summary = serializers.CharField()
    given_by = UserRefOutput()
    recorded_at = serializers.DateTimeField()


class VictimOutput(PersonOutput):
    is_organisation = serializers.BooleanField()
    enhanced_rights = serializers.ListField(child=serializers.CharField())
    enhanced_rights_labels = ChoiceLabelsField(EnhancedRights, source="enhanced_rights")
    contact_preference = serializers.CharField()
    contact_preference_label = ChoiceLabelField(ContactPreference, source="contact_preference")
    contact_details = serializers.CharField()
    personal_statement = serializers.CharField()
    personal_statement_label = ChoiceLabelField(VictimPersonalStatement, source="personal_statement")
    personal_statement_on = serializers.DateField(allow_null=True)
    first_statement_on = serializers.DateField(allow_null=True)
    updates = VictimUpdateOutput(many=True)


class DateRangeOutput(serializers.Serializer):  # type: ignore[type-arg]
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField()


class WitnessOutput(PersonOutput):
    witness_type = serializers.CharField()
    witness_type_label = ChoiceLabelField(WitnessType, source="witness_type")
    is_key = serializers.BooleanField()
    vulnerability = serializers.CharField()
    vulnerability_label = ChoiceLabelField(WitnessVulnerability, source="vulnerability")
    special_measures = serializers.ListField(child=serializers.CharField())
    special_measures_labels = ChoiceLabelsField(SpecialMeasure, source="special_measures")
    willing_to_attend = serializers.BooleanField()
    notes = serializers.CharField()
    dates_to_avoid = DateRangeOutput(many=True)
    no_dates_to_avoid = serializers.BooleanField(help_text="The witness has said there are no dates to avoid.")


class OffenceOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    suspect = serializers.UUIDField(source="suspect.public_id")
    code = serializers.CharField(source="code_with_qualifier", help_text="The CJS code with any qualifier.")
    offence_code = serializers.CharField(source="offence_code.code")
    title = serializers.CharField(source="offence_code.title")
    mode_of_trial = serializers.CharField(source="offence_code.mode_of_trial")
    mode_of_trial_label = ChoiceLabelField(ModeOfTrial, source="offence_code.mode_of_trial")
    qualifier = serializers.CharField()
    qualifier_label = ChoiceLabelField(OffenceQualifier, source="qualifier")
    committed_on = serializers.DateField()
    committed_until = serializers.DateField(allow_null=True)
    location = serializers.CharField()
    particulars = serializers.CharField()
    status = serializers.CharField()
    status_label = ChoiceLabelField(OffenceStatus, source="status")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class HearingOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    court = CourtOutput()
    starts_at = serializers.DateTimeField()
    hearing_type = serializers.CharField()
    hearing_type_label = ChoiceLabelField(HearingType, source="hearing_type")
    outcome = serializers.CharField()
    outcome_label = ChoiceLabelField(HearingOutcome, source="outcome")
    outcome_notes = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CaseDetailOutput(CaseOutput):
    suspects = SuspectOutput(many=True, help_text="With each suspect's custody and bail history.")
    offences = OffenceOutput(many=True, help_text="Every offence on the case, each naming its suspect.")
    victims = VictimOutput(many=True, help_text="With the Victims' Code updates given to each.")
    witnesses = WitnessOutput(many=True, help_text="With each witness's dates to avoid.")
    hearings = HearingOutput(many=True)


class TimelineEventOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    occurred_at = serializers.DateTimeField()
    event_type = serializers.CharField()
    event_type_label = serializers.CharField(source="get_event_type_display")
    summary = serializers.CharField()
    actor_username = serializers.CharField(help_text="Blank for changes made by the system.")
    actor_organisation = OrganisationRefOutput(allow_null=True)
    object_type = serializers.CharField()
    object_id = serializers.CharField(help_text="Public id of the record the event is about.")
    details = serializers.JSONField(source="data", help_text="What changed, as the service recorded it.")
