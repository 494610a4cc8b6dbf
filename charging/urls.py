"""Charging pages, mounted at the site root: one case's pages under ``/cases/<uuid:case_id>/charging/``
(every such view takes ``case_id``) and the CPS queue at ``/charging/queue/``. URL names:
``charging:<thing>-<action>``. The police side is ``views.police``; the CPS side (queue, triage, allocation,
the lawyer's workspace, decisions) is ``views.cps``."""

from django.urls import path

from .views import cps, police

app_name = "charging"

case = "cases/<uuid:case_id>/charging/"
req = f"{case}<uuid:request_id>/"

urlpatterns = [
    # The CPS charging queue of the user's Area (or CPS Direct).
    path("charging/queue/", cps.queue, name="queue"),
    # The case's Charging tab: DG6 routing, its requests, decisions, action plans and answers.
    path(case, police.case_charging, name="case-charging"),
    # Police: the MG3 and its way to the CPS
    path(f"{case}new/", police.request_create, name="request-create"),
    path(req, police.request_detail, name="request-detail"),
    path(f"{req}change/", police.request_edit, name="request-edit"),
    path(f"{req}submit/", police.request_submit, name="request-submit"),
    path(f"{req}take-back/", police.request_take_back, name="request-take-back"),
    path(f"{req}review/", police.request_review, name="request-review"),
    path(f"{req}withdraw/", police.request_withdraw, name="request-withdraw"),
    path(f"{req}actions/<uuid:item_id>/answer/", police.action_answer, name="action-answer"),
    path(f"{req}resubmit/", police.request_resubmit, name="request-resubmit"),
    path(f"{req}reopen/", police.request_reopen, name="request-reopen"),
    path(f"{case}police-charge/", police.police_charge, name="police-charge"),
    # CPS: triage, allocation, the lawyer's workspace, decisions and corrections
    path(f"{req}triage/", cps.request_triage, name="request-triage"),
    path(f"{req}allocate/", cps.request_allocate, name="request-allocate"),
    path(f"{req}workspace/", cps.workspace, name="workspace"),
    path(f"{req}decide/", cps.decision_record, name="decision-record"),
    path(f"{req}decisions/<uuid:decision_id>/correct/", cps.decision_correct, name="decision-correct"),
]
