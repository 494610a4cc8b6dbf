"""File submission and CPS assessment pages. Included by ``files.urls`` (namespace ``files``) under
``/cases/<uuid:case_id>/material/``, so every view takes the ``case_id`` of that prefix."""

from django.urls import path

from .views import assessment, submissions

submission = "submissions/<uuid:submission_id>/"
failure = f"{submission}assessment/failures/<uuid:failure_id>/"

urlpatterns = [
    path("submissions/", submissions.submission_list, name="submission-list"),
    path("submissions/new/", submissions.submission_create, name="submission-create"),
    path(submission, submissions.submission_detail, name="submission-detail"),
    path(f"{submission}readiness/", submissions.submission_readiness, name="submission-readiness"),
    path(f"{submission}submit/", submissions.submission_submit, name="submission-submit"),
    path(f"{submission}override/", submissions.submission_override, name="submission-override"),
    path(f"{submission}withdraw/", submissions.submission_withdraw, name="submission-withdraw"),
    path(f"{submission}assessment/", assessment.assessment_record, name="assessment-record"),
    path(f"{failure}response/", assessment.failure_respond, name="failure-respond"),
    path(f"{failure}decision/", assessment.dispute_decide, name="dispute-decide"),
]
