"""Every API route under /api/v1/. Unknown routes under /api/ answer with the JSON error shape."""

from django.urls import path, re_path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import MeApi, OrganisationListApi
from accounts.api_notifications import NotificationListApi, NotificationReadAllApi, NotificationReadApi
from alerts import api as alerts_api
from casework.api.cases import CaseDetailApi, CaseListApi, CaseStatusApi, CaseTimelineApi
from casework.api.deadlines import DeadlineListApi
from casework.api.offence_codes import OffenceCodeDetailApi, OffenceCodeSearchApi
from casework.api.people import (
    CustodyEventListApi,
    SuspectDetailApi,
    SuspectListApi,
    VictimDetailApi,
    VictimListApi,
    VictimUpdateListApi,
    WitnessDetailApi,
    WitnessListApi,
)
from casework.api.records import HearingDetailApi, HearingListApi, OffenceDetailApi, OffenceListApi
from charging.api import decisions as charging_decisions_api
from charging.api import overview as charging_overview_api
from charging.api import requests as charging_requests_api
from config.api_errors import not_found_response
from files.api import case_summary as case_summary_api
from files.api import exhibits as exhibits_api
from files.api import submissions as submissions_api
from files.api import unused as unused_api
from files.api.documents import (
    DocumentDetailApi,
    DocumentListApi,
    DocumentVersionDownloadApi,
    DocumentVersionListApi,
)
from metrics import api as metrics_api


class NotFoundApi(APIView):
    schema = None

    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return not_found_response()

    post = put = patch = delete = get


urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("organisations/", OrganisationListApi.as_view(), name="organisation-list"),
    path("cases/", CaseListApi.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/status/", CaseStatusApi.as_view(), name="case-status"),
    path("cases/<uuid:case_id>/timeline/", CaseTimelineApi.as_view(), name="case-timeline"),
    path("cases/<uuid:case_id>/suspects/", SuspectListApi.as_view(), name="case-suspect-list"),
    path("cases/<uuid:case_id>/suspects/<uuid:suspect_id>/", SuspectDetailApi.as_view(), name="case-suspect-detail"),
    path(
        "cases/<uuid:case_id>/suspects/<uuid:suspect_id>/custody-events/",
        CustodyEventListApi.as_view(),
        name="case-custody-event-list",
    ),
    path("cases/<uuid:case_id>/victims/", VictimListApi.as_view(), name="case-victim-list"),
    path("cases/<uuid:case_id>/victims/<uuid:victim_id>/", VictimDetailApi.as_view(), name="case-victim-detail"),
    path(
        "cases/<uuid:case_id>/victims/<uuid:victim_id>/updates/",
        VictimUpdateListApi.as_view(),
        name="case-victim-update-list",
    ),
    path("cases/<uuid:case_id>/witnesses/", WitnessListApi.as_view(), name="case-witness-list"),
    path("cases/<uuid:case_id>/witnesses/<uuid:witness_id>/", WitnessDetailApi.as_view(), name="case-witness-detail"),
    path("cases/<uuid:case_id>/offences/", OffenceListApi.as_view(), name="case-offence-list"),
    path("cases/<uuid:case_id>/offences/<uuid:offence_id>/", OffenceDetailApi.as_view(), name="case-offence-detail"),
    path("cases/<uuid:case_id>/deadlines/", DeadlineListApi.as_view(), name="case-deadline-list"),
    path("cases/<uuid:case_id>/hearings/", HearingListApi.as_view(), name="case-hearing-list"),
    path("cases/<uuid:case_id>/hearings/<uuid:hearing_id>/", HearingDetailApi.as_view(), name="case-hearing-detail"),
    path("offence-codes/", OffenceCodeSearchApi.as_view(), name="offence-code-list"),
    path("offence-codes/<str:code>/", OffenceCodeDetailApi.as_view(), name="offence-code-detail"),
    path("cases/<uuid:case_id>/documents/", DocumentListApi.as_view(), name="case-document-list"),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/", DocumentDetailApi.as_view(), name="case-document-detail"
    ),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/versions/",
        DocumentVersionListApi.as_view(),
        name="case-document-version-list",
    ),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/versions/<int:number>/download/",
        DocumentVersionDownloadApi.as_view(),
        name="case-document-version-download",
    ),
    path("cases/<uuid:case_id>/exhibits/", exhibits_api.ExhibitListApi.as_view(), name="case-exhibit-list"),
    path(
        "cases/<uuid:case_id>/exhibits/<uuid:exhibit_id>/",
        exhibits_api.ExhibitDetailApi.as_view(),
        name="case-exhibit-detail",
    ),
    path(
        "cases/<uuid:case_id>/exhibits/<uuid:exhibit_id>/movements/",
        exhibits_api.ExhibitMovementListApi.as_view(),
        name="case-exhibit-movement-list",
    ),
    path("cases/<uuid:case_id>/unused-items/", unused_api.UnusedItemListApi.as_view(), name="case-unused-item-list"),
    path(
        "cases/<uuid:case_id>/unused-items/<uuid:item_id>/",
        unused_api.UnusedItemDetailApi.as_view(),
        name="case-unused-item-detail",
    ),
    path(
        "cases/<uuid:case_id>/unused-items/<uuid:item_id>/decision/",
        unused_api.UnusedItemDecisionApi.as_view(),
        name="case-unused-item-decision",
    ),
    path("cases/<uuid:case_id>/case-summary/", case_summary_api.CaseSummaryApi.as_view(), name="case-summary"),
    path(
        "cases/<uuid:case_id>/case-summary/certify/",
        case_summary_api.CaseSummaryCertifyApi.as_view(),
        name="case-summary-certify",
    ),
    path(
        "cases/<uuid:case_id>/case-summary/points-to-prove/",
        case_summary_api.PointToProveListApi.as_view(),
        name="case-point-to-prove-list",
    ),
    path(
        "cases/<uuid:case_id>/case-summary/points-to-prove/<uuid:point_id>/",
        case_summary_api.PointToProveDetailApi.as_view(),
        name="case-point-to-prove-detail",
    ),
    # File submissions, quality reports and the CPS assessment (files.api.submissions)
    path("cases/<uuid:case_id>/submissions/", submissions_api.SubmissionListApi.as_view(), name="case-submission-list"),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/",
        submissions_api.SubmissionDetailApi.as_view(),
        name="case-submission-detail",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/submit/",
        submissions_api.SubmissionSubmitApi.as_view(),
        name="case-submission-submit",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/override/",
        submissions_api.SubmissionOverrideApi.as_view(),
        name="case-submission-override",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/withdraw/",
        submissions_api.SubmissionWithdrawApi.as_view(),
        name="case-submission-withdraw",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/quality-reports/",
        submissions_api.QualityReportListApi.as_view(),
        name="case-submission-report-list",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/quality-reports/latest/",
        submissions_api.QualityReportLatestApi.as_view(),
        name="case-submission-report-latest",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/assessment/",
        submissions_api.AssessmentApi.as_view(),
        name="case-submission-assessment",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/assessment/failures/<uuid:failure_id>/response/",
        submissions_api.FailureResponseApi.as_view(),
        name="case-submission-failure-response",
    ),
    path(
        "cases/<uuid:case_id>/submissions/<uuid:submission_id>/assessment/failures/<uuid:failure_id>/decision/",
        submissions_api.DisputeDecisionApi.as_view(),
        name="case-submission-failure-decision",
    ),
    # Charging: the MG3 to a decision (charging.api)
    path("charging-queue/", charging_overview_api.QueueApi.as_view(), name="charging-queue"),
    path("notifications/", NotificationListApi.as_view(), name="notification-list"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("notifications/<uuid:notification_id>/read/", NotificationReadApi.as_view(), name="notification-read"),
    path(
        "charging-requests/<uuid:request_id>/",
        charging_overview_api.RequestByIdApi.as_view(),
        name="charging-request-by-id",
    ),
    path(
        "cases/<uuid:case_id>/charging-routing/",
        charging_overview_api.RoutingApi.as_view(),
        name="case-charging-routing",
    ),
    path(
        "cases/<uuid:case_id>/police-charges/",
        charging_overview_api.PoliceChargeListApi.as_view(),
        name="case-police-charge-list",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/",
        charging_requests_api.RequestListApi.as_view(),
        name="case-charging-request-list",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/",
        charging_requests_api.RequestDetailApi.as_view(),
        name="case-charging-request-detail",
    ),
    *[
        path(
            f"cases/<uuid:case_id>/charging-requests/<uuid:request_id>/{action}/",
            view.as_view(),
            name=f"case-charging-request-{action}",
        )
        for action, view in [
            ("submit", charging_requests_api.RequestSubmitApi),
            ("withdraw", charging_requests_api.RequestWithdrawApi),
            ("approve", charging_requests_api.RequestApproveApi),
            ("return-to-officer", charging_requests_api.RequestReturnToOfficerApi),
            ("accept", charging_requests_api.RequestAcceptApi),
            ("return-not-to-standard", charging_requests_api.RequestReturnNotToStandardApi),
            ("take-back", charging_requests_api.RequestTakeBackApi),
            ("allocate", charging_requests_api.RequestAllocateApi),
            ("resubmit", charging_decisions_api.RequestResubmitApi),
            ("reopen", charging_decisions_api.RequestReopenApi),
        ]
    ],
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/decisions/",
        charging_decisions_api.DecisionListApi.as_view(),
        name="case-charging-decision-list",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/decisions/<uuid:decision_id>/",
        charging_decisions_api.DecisionDetailApi.as_view(),
        name="case-charging-decision-detail",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/decisions/<uuid:decision_id>/correct/",
        charging_decisions_api.DecisionCorrectApi.as_view(),
        name="case-charging-decision-correct",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/action-items/",
        charging_decisions_api.ActionItemListApi.as_view(),
        name="case-charging-action-item-list",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/action-items/<uuid:item_id>/answer/",
        charging_decisions_api.ActionItemAnswerApi.as_view(),
        name="case-charging-action-item-answer",
    ),
    path(
        "cases/<uuid:case_id>/charging-requests/<uuid:request_id>/resubmissions/",
        charging_decisions_api.ResubmissionListApi.as_view(),
        name="case-charging-resubmission-list",
    ),
    # Delay alerts: the caller's own (alerts.api)
    path("alerts/", alerts_api.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<uuid:alert_id>/", alerts_api.AlertDetailApi.as_view(), name="alert-detail"),
    path("alerts/<uuid:alert_id>/acknowledge/", alerts_api.AlertAcknowledgeApi.as_view(), name="alert-acknowledge"),
    path("alerts/<uuid:alert_id>/dismiss/", alerts_api.AlertDismissApi.as_view(), name="alert-dismiss"),
    # Joint performance metrics: definitions and values from the daily snapshots (metrics.api)
    path("metrics/definitions/", metrics_api.MetricDefinitionListApi.as_view(), name="metric-definition-list"),
    path("metrics/<str:metric_id>/", metrics_api.MetricSeriesApi.as_view(), name="metric-series"),
    re_path(r"^.*$", NotFoundApi.as_view(), name="not-found"),
]
