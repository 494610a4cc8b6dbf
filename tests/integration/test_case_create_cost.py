"""What creating a case costs the database, and that the shortcuts taken for a case being created
(``casework.services._common.is_being_created``) leave it exactly as a full recompute would: its search
columns, its deadlines, the days marked for the metrics.

A bulk load through the API creates cases one request at a time (issue 8: "API bulk creation of cases per
second"), so every query here is paid per case. The expected lists below are exact: a query added to the
path fails the test, and the list says what each one is for."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Unit, User
from accounts.services import api_token_issue
from casework import services as s
from casework.choices import DeadlineKind
from casework.deadlines import store
from casework.models import Case, Deadline
from casework.services._common import CASE_CHANGED_HOOKS, is_being_created, notify_case_changed, refresh_search
from metrics.models import DirtyDay

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], None]]]]

# ``casework.services.case_create`` in a transaction of its own (here a savepoint in the test's transaction; in
# a request, BEGIN and COMMIT, which are not queries Django records).
SERVICE_QUERIES = [
    "SAVEPOINT",  # the service's transaction
    "SELECT casework_urnformat",  # the URN formats the force uses, to read the URN
    "SELECT accounts_unit",  # the unit the URN names, a current unit of the officer's force
    "SELECT casework_case",  # is the URN taken? (reported with any other error in the form)
    "SAVEPOINT",  # so that a URN taken at the same moment is reported as taken, not a server error
    "INSERT casework_case",  # the case row, with its search columns (a new case has nothing else to search by)
    "RELEASE",
    "SELECT casework_deadline",  # metrics: the due days of its statutory deadlines (a new case has none)
    "INSERT metrics_dirtyday",  # metrics: today marked for the snapshot builder, in the same transaction
    "INSERT accounts_auditevent",  # the CASE_CREATED audit event
    "RELEASE",  # the service's transaction
    # and nothing after commit: the files app has no draft file of a new case to re-check
]

# ``POST /api/v1/cases/`` with a bearer token, naming another officer as officer in case.
API_QUERIES = [
    "SELECT accounts_apitoken",  # the bearer token, with its user and their organisation
    "SELECT accounts_user",  # the officer in case named by public id
    *SERVICE_QUERIES[:4],
    "SELECT accounts_organisation",  # the CPS Area serving the force, for the audit event and the response
    *SERVICE_QUERIES[4:],
]


def kinds(queries: CaptureQueriesContext) -> list[str]:
    """Each query as its verb and table (``SELECT casework_case``), or the savepoint verb."""
    out = []
    for query in queries.captured_queries:
        # In a request, pghistory puts its set_config(...) context in front of each write: the statement is last.
        statement = query["sql"].split("; ")[-1].strip()
        verb = statement.split()[0]
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', statement)
        out.append(f"{verb} {table.group(1)}" if table and verb not in ("SAVEPOINT", "RELEASE") else verb)
    return out


@pytest.fixture
def warm(officer_a: User, unit_a1: Unit) -> None:
    # A first case outside the figures: first uses fill per-process caches (content types, the audit context),
    # which a running server has long done.
    s.case_create(urn="10/AA/99999/26", details=s.CaseDetails(), by=officer_a)


def test_creating_a_case_through_the_service_costs_a_fixed_dozen_queries(
    warm: None, officer_a: User, officer_a2: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    details = s.CaseDetails(summary="Theft of a bicycle", officer_in_case=officer_a2)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        s.case_create(urn="10/AA/12345/26", details=details, by=officer_a)
    assert kinds(queries) == SERVICE_QUERIES


def test_creating_a_case_through_the_api_costs_a_fixed_number_of_queries(
    warm: None, officer_a: User, officer_a2: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _token, key = api_token_issue(user=officer_a, name="bulk load")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    # The token's first use records when it was used (then at most once a minute): out of the figures, as in a
    # bulk load.
    assert client.post("/api/v1/cases/", {"urn": "10/AA/88888/26"}, content_type="application/json").status_code == 201
    body = {"urn": "10/AA/12345/26", "summary": "Theft of a bicycle", "officer_in_case": str(officer_a2.public_id)}
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["cps_area"]["code"] == "north-east"
    assert kinds(queries) == API_QUERIES


# -- the shortcuts change nothing ------------------------------------------------------------------


def test_a_new_case_has_the_search_columns_a_full_refresh_writes(warm: None, officer_a: User) -> None:
    case = s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(summary="Theft of a bicycle"), by=officer_a)
    created = Case.objects.values_list("search_text", "search_names").get(pk=case.pk)
    assert created[0].startswith("10AA1234526 10/AA/12345/26 Theft of a bicycle")
    refresh_search(case)
    assert Case.objects.values_list("search_text", "search_names").get(pk=case.pk) == created
    assert Case.objects.filter(search_vector="bicycle", pk=case.pk).exists()


def test_creating_a_case_marks_today_for_the_metrics(officer_a: User, unit_a1: Unit) -> None:
    DirtyDay.objects.all().delete()
    s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(), by=officer_a)
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_a_rule_giving_a_deadline_from_the_case_row_alone_is_still_applied_at_creation(
    officer_a: User, unit_a1: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No rule does today; the store's shortcut for a new case must not hide one that is added.
    build = store._Builder.build

    def with_a_review(self: store._Builder) -> list[store.Computed]:
        self.add(
            kind=DeadlineKind.THRESHOLD_TEST_REVIEW,
            subject_key="case",
            label="A review every case gets",
            due_at=self.now + timedelta(days=10),
            rule="A rule of this test",
        )
        return build(self)

    monkeypatch.setattr(store._Builder, "build", with_a_review)
    case = s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(), by=officer_a)
    [deadline] = Deadline.objects.filter(case=case)
    assert deadline.label == "A review every case gets"
    assert deadline.next_alert_at is not None


def test_hooks_are_told_of_a_creation_only_for_that_case_and_not_for_changes_they_make(
    officer_a: User, unit_a1: Unit
) -> None:
    seen: list[tuple[str, bool]] = []

    def hook(case: Any) -> None:
        seen.append((case.urn, is_being_created(case)))
        if len(seen) == 1:
            notify_case_changed(case)  # a hook's own change to the case is an ordinary change

    CASE_CHANGED_HOOKS.append(hook)
    try:
        case = s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(), by=officer_a)
        s.case_update(case=case, details=s.CaseDetails(summary="Now with a summary"), by=officer_a)
    finally:
        CASE_CHANGED_HOOKS.remove(hook)
    assert seen == [("10AA1234526", True), ("10AA1234526", False), ("10AA1234526", False)]
    assert not is_being_created(case)
