"""Case API for file submissions, their quality reports and the CPS assessment.

- ``submissions/``: the case's files (the CPS sees only submitted ones); ``POST`` starts a draft.
- ``submissions/{id}/submit/``, ``override/``, ``withdraw/``: the file's life. Submitting checks the
  file now and refuses (400, ``non_field_errors``) while anything blocks, unless a supervisor has
  overridden it; a submitted file never changes.
- ``submissions/{id}/quality-reports/`` and ``.../latest/``: the findings of the quality rules
  (``latest`` brings a draft's report up to date first). Findings about sensitive material are left
  out for anyone who may not see it (``withheld_findings`` says how many).
- ``submissions/{id}/assessment/`` and its failures' ``response/`` and ``decision/``.

Order of answers: outside scope → 404 (the same body as a missing record); not allowed → 403;
invalid input → 400; then the service decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.common import acting_user, audit_viewed, ensure_allowed, validated, visible_case
from casework.api.serializers import ChoiceLabelField, UserRefOutput
from config.api_docs import ERROR_RESPONSES

from ..choices import (
    AnticipatedPlea,
    DisputeOutcome,
    FailureResponse,
    FileStage,
    Schedule,
    Sensitivity,
    SubmissionStatus,
)
from ..models import AssessmentFailure, CpsAssessment, FileSubmission, QualityReport
from ..quality.engine import current_report, latest_report, report_findings
from ..quality.rules import FAILURE_CODES
from ..selectors import can_see_sensitive
from ..services import assessment as assessment_service
from ..services import submissions as service

ASSESSMENT_NOT_FOUND = "This file has not been assessed."


def _submission(request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> FileSubmission:
    case = visible_case(request, case_id)
    return service.submission_get_visible_to(user=acting_user(request), case=case, public_id=submission_id)


def _sees_sensitive(request: Request, submission: FileSubmission) -> bool:
    return can_see_sensitive(acting_user(request), submission.case)


# -- output shapes -------------------------------------------------------------------------------


class ReportSummaryOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    ruleset_version = serializers.CharField()
    blocking_count = serializers.IntegerField()
    advisory_count = serializers.IntegerField()
    on_submission = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "QualityReportSummary"


class LinkOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField(help_text="What the finding is about: suspect, witness, document, offence, …")
    target = serializers.CharField(help_text="Its public id, or the document kind or schedule that is missing.")

    class Meta:
        ref_name = "QualityFindingLink"


class FindingOutput(serializers.Serializer):  # type: ignore[type-arg]
    rule_id = serializers.CharField()
    fq_code = serializers.CharField(help_text="File-quality failure code FQ01–FQ20, or blank.")
    reference = serializers.CharField(help_text="The National File Standard / DG6 reference.")
    severity = serializers.ChoiceField(choices=["blocking", "advisory"])
    title = serializers.CharField()
    explanation = serializers.CharField()
    fix = serializers.CharField()
    link = LinkOutput()
    sensitive = serializers.BooleanField()

    class Meta:
        ref_name = "QualityFinding"


class ReportOutput(ReportSummaryOutput):
    inputs_digest = serializers.CharField()
    findings = serializers.SerializerMethodField()
    withheld_findings = serializers.SerializerMethodField(
        help_text="Findings about sensitive material left out because you may not see it."
    )

    class Meta:
        ref_name = "QualityReport"

    def _visible(self, report: QualityReport) -> tuple[list[Any], int]:
        findings = report_findings(report)
        shown = [f for f in findings if self.context.get("sees_sensitive") or not f.sensitive]
        return shown, len(findings) - len(shown)

    @extend_schema_field(FindingOutput(many=True))
    def get_findings(self, report: QualityReport) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self._visible(report)[0]]

    @extend_schema_field(OpenApiTypes.INT)
    def get_withheld_findings(self, report: QualityReport) -> int:
        return self._visible(report)[1]


class OverrideOutput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(source="override_reason")
    by = UserRefOutput(source="override_by")
    at = serializers.DateTimeField(source="override_at")

    class Meta:
        ref_name = "QualityOverride"


class SubmissionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    stage = serializers.CharField()
    stage_label = ChoiceLabelField(FileStage, source="stage")
    anticipated_plea = serializers.CharField()
    anticipated_plea_label = ChoiceLabelField(AnticipatedPlea, source="anticipated_plea")
    status = serializers.CharField()
    status_label = ChoiceLabelField(SubmissionStatus, source="status")
    created_by = UserRefOutput()
    created_at = serializers.DateTimeField()
    submitted_by = UserRefOutput(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    override = serializers.SerializerMethodField()
    latest_report = serializers.SerializerMethodField()

    class Meta:
        ref_name = "FileSubmission"

    @extend_schema_field(OverrideOutput(allow_null=True))
    def get_override(self, submission: FileSubmission) -> dict[str, Any] | None:
        return dict(OverrideOutput(submission).data) if submission.override_at else None

    @extend_schema_field(ReportSummaryOutput(allow_null=True))
    def get_latest_report(self, submission: FileSubmission) -> dict[str, Any] | None:
        report = latest_report(submission)
        return dict(ReportSummaryOutput(report).data) if report else None


class ItemOutput(serializers.Serializer):  # type: ignore[type-arg]
    document = serializers.UUIDField(source="version.document.public_id")
    title = serializers.CharField(source="version.document.title")
    kind = serializers.CharField(source="version.document.kind")
    version = serializers.IntegerField(source="version.number")
    version_id = serializers.UUIDField(source="version.public_id")
    sha256 = serializers.CharField(source="version.sha256")

    class Meta:
        ref_name = "SubmissionItem"


class SubmissionDetailOutput(SubmissionOutput):
    items = serializers.SerializerMethodField(help_text="Exactly the document versions that were sent.")
    snapshot = serializers.SerializerMethodField(help_text="The case data that was sent (empty while a draft).")

    class Meta:
        ref_name = "FileSubmissionDetail"

    @extend_schema_field(ItemOutput(many=True))
    def get_items(self, submission: FileSubmission) -> list[dict[str, Any]]:
        items = service.items_of(submission)
        if not self.context.get("sees_sensitive"):
            items = items.exclude(version__document__sensitivity=Sensitivity.SENSITIVE)
        return [dict(ItemOutput(item).data) for item in items]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_snapshot(self, submission: FileSubmission) -> dict[str, Any]:
        snapshot = dict(submission.snapshot or {})
        if snapshot and not self.context.get("sees_sensitive"):
            snapshot["documents"] = [d for d in snapshot.get("documents", []) if not d.get("sensitive")]
            snapshot["unused_items"] = [
                u for u in snapshot.get("unused_items", []) if u.get("schedule") != Schedule.MG6D
            ]
        return snapshot


class FailureOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField()
    code_label = serializers.SerializerMethodField()
    note = serializers.CharField()
    response = serializers.CharField(help_text="Blank until the police respond: accepted or disputed.")
    response_note = serializers.CharField()
    responded_by = UserRefOutput(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    dispute_outcome = serializers.CharField(help_text="Blank until decided: upheld or overturned.")
    dispute_note = serializers.CharField()
    decided_by = UserRefOutput(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "AssessmentFailure"

    @extend_schema_field(OpenApiTypes.STR)
    def get_code_label(self, failure: AssessmentFailure) -> str:
        return FAILURE_CODES.get(failure.code, "")


class AssessmentOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id")
    met_standard = serializers.BooleanField()
    notes = serializers.CharField()
    assessed_by = UserRefOutput()
    assessed_at = serializers.DateTimeField()
    failures = FailureOutput(many=True, source="failures.all")

    class Meta:
        ref_name = "CpsAssessment"


def _detail(request: Request, submission: FileSubmission) -> dict[str, Any]:
    context = {"sees_sensitive": _sees_sensitive(request, submission)}
    return dict(SubmissionDetailOutput(submission, context=context).data)


# -- submissions ---------------------------------------------------------------------------------


class SubmissionListApi(APIView):
    """The case's files for the CPS (the CPS sees submitted files only); ``POST`` starts a draft."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        stage = serializers.ChoiceField(choices=FileStage.values)
        anticipated_plea = serializers.ChoiceField(choices=AnticipatedPlea.values)

        class Meta:
            ref_name = "FileSubmissionStart"

    @extend_schema(
        responses={200: SubmissionOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_submissions_list"
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        audit_viewed(request, case, "submissions")
        submissions = service.submission_list_visible_to(user=acting_user(request), case=case)
        return Response(SubmissionOutput(submissions, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: SubmissionDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_create",
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = visible_case(request, case_id)
        ensure_allowed(request, "files.build_submission", case)
        data = validated(self.InputSerializer, request.data)
        submission = service.submission_start(
            case=case, stage=data["stage"], anticipated_plea=data["anticipated_plea"], by=acting_user(request)
        )
        return Response(_detail(request, submission), status=status.HTTP_201_CREATED)


class SubmissionDetailApi(APIView):
    """One file: for a submitted file, exactly the document versions and the case data sent."""

    @extend_schema(
        responses={200: SubmissionDetailOutput, **ERROR_RESPONSES}, operation_id="cases_submissions_retrieve"
    )
    def get(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        audit_viewed(request, submission.case, "submission", submission)
        return Response(_detail(request, submission))


class SubmissionSubmitApi(APIView):
    """Submit a draft: refused (400) while a finding blocks, unless a supervisor has overridden it."""

    @extend_schema(
        request=None,
        responses={200: SubmissionDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_submit",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        ensure_allowed(request, "files.build_submission", submission.case)
        submission = service.submission_submit(submission=submission, by=acting_user(request))
        return Response(_detail(request, submission))


class SubmissionOverrideApi(APIView):
    """A police supervisor lets a draft be submitted with its current blocking findings."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.CharField(allow_blank=True, max_length=2000)

        class Meta:
            ref_name = "QualityOverrideInput"

    @extend_schema(
        request=InputSerializer,
        responses={200: SubmissionDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_override",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        ensure_allowed(request, "files.override_quality", submission.case)
        data = validated(self.InputSerializer, request.data)
        submission = service.submission_override(submission=submission, reason=data["reason"], by=acting_user(request))
        return Response(_detail(request, submission))


class SubmissionWithdrawApi(APIView):
    """Withdraw a draft (a submitted file cannot be withdrawn)."""

    @extend_schema(
        request=None,
        responses={200: SubmissionDetailOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_withdraw",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        ensure_allowed(request, "files.build_submission", submission.case)
        submission = service.submission_withdraw(submission=submission, by=acting_user(request))
        return Response(_detail(request, submission))


# -- quality reports -----------------------------------------------------------------------------


class QualityReportListApi(APIView):
    """Every quality report of the file, newest first."""

    @extend_schema(
        responses={200: ReportOutput(many=True), **ERROR_RESPONSES}, operation_id="cases_submissions_reports_list"
    )
    def get(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        audit_viewed(request, submission.case, "quality_reports", submission)
        context = {"sees_sensitive": _sees_sensitive(request, submission)}
        return Response(ReportOutput(service.reports_of(submission), many=True, context=context).data)


class QualityReportLatestApi(APIView):
    """The file's current report: a draft's is brought up to date first; a submitted file's is the
    report made on submission."""

    @extend_schema(responses={200: ReportOutput, **ERROR_RESPONSES}, operation_id="cases_submissions_reports_latest")
    def get(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        report = current_report(submission)
        if report is None:
            raise Http404
        audit_viewed(request, submission.case, "quality_report", submission)
        context = {"sees_sensitive": _sees_sensitive(request, submission)}
        return Response(ReportOutput(report, context=context).data)


# -- assessment ----------------------------------------------------------------------------------


class FailureInput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.ChoiceField(choices=list(FAILURE_CODES))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    class Meta:
        ref_name = "AssessmentFailureInput"


class AssessmentApi(APIView):
    """The CPS assessment of a submitted file (404 until there is one); ``POST`` records it."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        met_standard = serializers.BooleanField(allow_null=True)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
        failures = FailureInput(many=True, required=False, default=list)

        class Meta:
            ref_name = "CpsAssessmentInput"

    @extend_schema(
        responses={200: AssessmentOutput, **ERROR_RESPONSES}, operation_id="cases_submissions_assessment_retrieve"
    )
    def get(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        assessment = assessment_service.assessment_of(submission)
        if assessment is None:
            raise Http404(ASSESSMENT_NOT_FOUND)
        audit_viewed(request, submission.case, "assessment", assessment)
        return Response(AssessmentOutput(assessment).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: AssessmentOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_assessment_create",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID) -> Response:
        submission = _submission(request, case_id, submission_id)
        ensure_allowed(request, "files.assess_file", submission.case)
        data = validated(self.InputSerializer, request.data)
        assessment = assessment_service.assessment_record(
            submission=submission,
            met_standard=data["met_standard"],
            notes=data["notes"],
            failures=[assessment_service.FailureDetails(f["code"], f.get("note", "")) for f in data["failures"]],
            by=acting_user(request),
        )
        fresh = assessment_service.assessment_of(submission)
        assert isinstance(fresh, CpsAssessment)
        assert fresh.pk == assessment.pk
        return Response(AssessmentOutput(fresh).data, status=status.HTTP_201_CREATED)


def _failure(
    request: Request, case_id: uuid.UUID, submission_id: uuid.UUID, failure_id: uuid.UUID
) -> AssessmentFailure:
    submission = _submission(request, case_id, submission_id)
    return assessment_service.failure_get(submission=submission, public_id=failure_id)


class FailureResponseApi(APIView):
    """The police accept a failure, or dispute it with a reason (once)."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        response = serializers.ChoiceField(choices=[FailureResponse.ACCEPTED.value, FailureResponse.DISPUTED.value])
        note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

        class Meta:
            ref_name = "AssessmentFailureResponse"

    @extend_schema(
        request=InputSerializer,
        responses={200: FailureOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_failures_respond",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID, failure_id: uuid.UUID) -> Response:
        failure = _failure(request, case_id, submission_id, failure_id)
        ensure_allowed(request, "files.respond_to_failure", failure.assessment.submission.case)
        data = validated(self.InputSerializer, request.data)
        failure = assessment_service.failure_respond(
            failure=failure, response=data["response"], note=data["note"], by=acting_user(request)
        )
        return Response(FailureOutput(failure).data)


class DisputeDecisionApi(APIView):
    """A CPS legal manager upholds or overturns a disputed failure, with a note."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        outcome = serializers.ChoiceField(choices=[DisputeOutcome.UPHELD.value, DisputeOutcome.OVERTURNED.value])
        note = serializers.CharField(allow_blank=True, max_length=5000)

        class Meta:
            ref_name = "AssessmentDisputeDecision"

    @extend_schema(
        request=InputSerializer,
        responses={200: FailureOutput, **ERROR_RESPONSES},
        operation_id="cases_submissions_failures_decide",
    )
    def post(self, request: Request, case_id: uuid.UUID, submission_id: uuid.UUID, failure_id: uuid.UUID) -> Response:
        failure = _failure(request, case_id, submission_id, failure_id)
        ensure_allowed(request, "files.decide_dispute", failure.assessment.submission.case)
        data = validated(self.InputSerializer, request.data)
        failure = assessment_service.dispute_decide(
            failure=failure, outcome=data["outcome"], note=data["note"], by=acting_user(request)
        )
        return Response(FailureOutput(failure).data)
