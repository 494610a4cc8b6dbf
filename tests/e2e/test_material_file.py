"""An officer uploads material for a not-guilty-anticipated (NGAP) first-hearing file, sees the missing
items named in the readiness panel, fixes them, and submits.

The case, its suspect, the charged offence and a witness are built through the services (the
browser journey that builds a case is ``test_case_building.py``); everything about the file is done
in the browser as ``officer.north`` (force 10): starting the file, reading the readiness panel,
uploading real PDFs on the upload page, writing the MG5 and its point to prove, recording the
witness's dates to avoid, and submitting. The supervisor's certification of the MG5 is done in the
browser too, by ``supervisor.north`` in a second browser context, while the officer's file page is
open: its panel (polled by ``static/js/readiness.js``) updates by itself. Every page either user
loads is axe-checked (WCAG 2.2 AA), and so is the panel after each live update.

Virus scanning: a real ``clamd`` with the repository's test signatures (the session fixture of
``tests/files/conftest.py``), and the real task. Uploads are pending (quarantined) until scanned,
and the test decides when that happens: ``held_scans`` replaces ``documents.enqueue_scan`` (run on
commit of each upload) with a recorder, so each upload is seen waiting for its scan — in the
material list and in the panel — and the test then runs ``files.tasks.scan_document_version`` for
each recorded version in this process (``Task.apply``: the task's own code, with clamd, no broker
or worker). That is simpler and steadier than a worker process, and it checks that every upload
queued exactly one scan. The other tasks (the debounced quality checks) run eagerly, so nothing is
left in the shared Redis broker; the pages do not depend on them (a draft's report is brought up to
date when its page or panel is read).
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Locator, Page, expect
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from accounts.models import User
from casework import services as case_services
from casework.choices import ModeOfTrial, OffenceStatus
from casework.models import Case, OffenceCode
from files.choices import FileStage, ScanStatus, SubmissionStatus
from files.models import DocumentVersion, FileSubmission, SubmissionItem
from files.tasks import scan_document_version

from .conftest import DemoUsers, axe_check, navigates, visit
from .conftest_material import clamd, e2e_media_root, held_scans, second_page  # noqa: F401
from .test_case_building import expect_success, fill_date, follow, sign_in, submit

pytestmark = [pytest.mark.e2e]

NGAP_LABEL = FileStage.FIRST_HEARING_NGAP.label  # "First hearing – anticipated not guilty plea"
# What the ruleset (files/quality/rules/) blocks an NGAP file on, for this case as built below.
FIRST_BLOCKING = {
    "mg5.present",
    "ptp.mapped",
    "interview.summary",
    "pnc.print",
    "mg10.dates_to_avoid",
    "disclosure.sdc",
}


def pdf(*lines: str) -> bytes:
    """A real one-page PDF with text (pypdf), so the upload checks and text extraction see a PDF."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    page = writer.add_blank_page(width=595, height=842)
    content = DecodedStreamObject()
    text = " ".join(f"({line}) Tj 0 -18 Td" for line in lines)
    content.set_data(f"BT /F1 12 Tf 72 760 Td {text} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


UPLOADS = [
    # (kind label on the upload page, title, file name, content)
    (
        "PNC print (previous convictions)",
        "PNC print – Jordan Pickford",
        "pnc-print.pdf",
        pdf("PNC print for Jordan PICKFORD", "No trace: no previous convictions recorded."),
    ),
    (
        "Streamlined disclosure certificate",
        "SDC version A",
        "sdc-a.pdf",
        pdf("Streamlined Disclosure Certificate (version A)", "Nothing is disclosable."),
    ),
    (
        "Medical evidence",
        "A&E notes of Alex Rowe",
        "ae-notes.pdf",
        pdf("RVI Newcastle A&E", "Bruising to the left cheekbone consistent with a punch."),
    ),
]


def panel(page: Page) -> Locator:
    return page.get_by_test_id("readiness-panel")


def blocking_rules(page: Page) -> set[str]:
    items = panel(page).get_by_test_id("blocking-findings").locator("li[data-rule]")
    return {str(rule) for rule in items.evaluate_all("items => items.map(item => item.dataset.rule)")}


def finding(page: Page, rule: str) -> Locator:
    return panel(page).get_by_test_id("blocking-findings").locator(f'li[data-rule="{rule}"]')


def expect_blocking(page: Page, expected: set[str]) -> None:
    expect(panel(page)).to_have_attribute("data-blocking", str(len(expected)))
    assert blocking_rules(page) == expected


def upload(page: Page, kind: str, title: str, name: str, content: bytes) -> None:
    """On the upload page: choose the kind, give a title, attach the file and upload it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload material")
    page.get_by_label("What kind of material is it?").select_option(label=kind)
    page.get_by_label("Title (optional)").fill(title)
    # GOV.UK Frontend's file upload turns the input into a "Choose file" button labelled "Files".
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Files", exact=True).click()
    chooser.value.set_files(files=[FilePayload(name=name, mimeType="application/pdf", buffer=content)])
    expect(page.get_by_label("Files", exact=True)).to_contain_text(name)
    submit(page, "Upload")
    expect_success(page, "1 file uploaded")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text(ScanStatus.PENDING.label)


@pytest.fixture
def ngap_case(demo_users: DemoUsers) -> Case:
    """A case of force 10 built through the services as officer.north: Jordan PICKFORD charged with
    assault by beating three days ago, and one (non-key) witness, Sam TYNE, with no dates to avoid."""
    officer = User.objects.get(username="officer.north")
    assert officer.unit is not None, "seed_demo gave officer.north no unit"
    code, _ = OffenceCode.objects.get_or_create(
        code="CJ88116",
        defaults={
            "title": "Assault by beating",
            "category": "CS",
            "mode_of_trial": ModeOfTrial.SUMMARY_ONLY,
            "is_active": True,
        },
    )
    case = case_services.case_create(
        urn=f"10/{officer.unit.code}/24680/26",
        details=case_services.CaseDetails(summary="Assault outside a nightclub on the Quayside"),
        by=officer,
    )
    suspect = case_services.suspect_add(
        case=case, details=case_services.SuspectDetails(first_names="Jordan", last_name="Pickford"), by=officer
    )
    case_services.offence_add(
        case=case,
        details=case_services.OffenceDetails(
            suspect=suspect,
            code=code.code,
            committed_on=timezone.localdate() - timedelta(days=3),
            status=OffenceStatus.CHARGED,
        ),
        by=officer,
    )
    case_services.witness_add(
        case=case, details=case_services.WitnessDetails(first_names="Sam", last_name="Tyne"), by=officer
    )
    return case


def test_an_officer_fixes_what_the_readiness_panel_names_and_submits_an_ngap_file(
    page: Page,
    second_page: Page,  # noqa: F811
    live_server: Any,
    demo_users: DemoUsers,
    ngap_case: Case,
    clamd: Any,  # noqa: F811
    e2e_media_root: Path,  # noqa: F811
    held_scans: list[int],  # noqa: F811
) -> None:
    case = ngap_case
    base = f"/cases/{case.public_id}/material/"
    supervisor = second_page

    # --- The officer starts an NGAP first-hearing file --------------------------------------
    sign_in(page, live_server, demo_users, "officer.north")
    # Nothing links to the case's files yet (reported): go to the address.
    visit(page, f"{base}submissions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Files for the CPS")
    follow(page, "Start a file", role="button")
    page.get_by_role("group", name="Which stage is the file for?").get_by_label(NGAP_LABEL, exact=True).check()
    page.get_by_role("group", name="What plea is anticipated?").get_by_label("Not guilty (NGAP)").check()
    submit(page, "Start the file")
    expect_success(page, f"{NGAP_LABEL} file started")
    file_url = page.url
    summary = page.get_by_test_id("submission-summary")
    expect(summary).to_contain_text(NGAP_LABEL)
    expect(summary).to_contain_text("Not guilty (NGAP)")
    expect(summary).to_contain_text("Draft")

    # --- The readiness panel names what is missing ------------------------------------------
    expect(page.get_by_test_id("readiness-summary")).to_contain_text(f"Not ready {len(FIRST_BLOCKING)} problems")
    expect_blocking(page, FIRST_BLOCKING)
    expect(finding(page, "pnc.print")).to_contain_text(
        "PNC print for each suspect. There is no PNC print (previous convictions, or “no trace”) for Jordan PICKFORD."
    )
    expect(finding(page, "pnc.print")).to_contain_text("FQ18")
    expect(finding(page, "disclosure.sdc")).to_contain_text(
        "There is no Streamlined Disclosure Certificate: a not-guilty case in the magistrates' court needs one."
    )
    expect(finding(page, "mg5.present")).to_contain_text("There is no MG5 case summary.")
    expect(finding(page, "mg10.dates_to_avoid")).to_contain_text("No dates to avoid are recorded for Sam TYNE")
    expect(finding(page, "ptp.mapped")).to_contain_text("No points to prove are recorded for CJ88116")
    submit_button = panel(page).get_by_role("button", name="Submit the file")
    expect(submit_button).to_be_disabled()

    # --- Uploads: the SDC from the panel's link, the others from the Material tab ------------
    with navigates(page, url=re.compile(r"/documents/upload/")):
        finding(page, "disclosure.sdc").get_by_role("link", name=re.compile(r"^Upload it")).click()
    upload(page, *UPLOADS[1])
    for kind, title, name, content in (UPLOADS[0], UPLOADS[2]):
        follow(page, "Material")
        follow(page, "Upload material", role="button")
        upload(page, kind, title, name, content)
    follow(page, "Material")
    for _kind, title, *_ in UPLOADS:
        row = page.get_by_role("row", name=re.compile(re.escape(title)))
        expect(row).to_contain_text(ScanStatus.PENDING.label)
    uploaded = list(DocumentVersion.objects.filter(document__case=case).order_by("pk").values_list("pk", flat=True))
    assert len(uploaded) == len(UPLOADS)
    assert held_scans == uploaded, "each upload queues exactly one scan, on commit"

    # Quarantined until scanned: the file still lacks them, and the panel says why.
    visit(page, file_url)
    expect_blocking(page, FIRST_BLOCKING)
    advisory = panel(page).get_by_test_id("advisory-findings")
    expect(advisory.locator('li[data-rule="material.unclean_upload"]')).to_have_count(2)  # PNC print and SDC
    expect(advisory).to_contain_text("“PNC print – Jordan Pickford” is not in the file")
    expect(advisory).to_contain_text("is waiting for the virus scan")

    # --- The scans run (real clamd); the open page's panel updates by itself ----------------
    for version_id in held_scans:
        assert scan_document_version.apply(args=[version_id]).get() == ScanStatus.CLEAN
    assert set(DocumentVersion.objects.filter(pk__in=held_scans).values_list("scan_status", flat=True)) == {"clean"}
    expect(panel(page)).to_have_attribute("data-blocking", str(len(FIRST_BLOCKING) - 2), timeout=15_000)
    axe_check(page)  # the panel as swapped in by readiness.js
    expect(page.locator("#readiness-status")).to_contain_text("File readiness updated")
    expect_blocking(page, FIRST_BLOCKING - {"pnc.print", "disclosure.sdc"})
    expect(panel(page).locator('li[data-rule="material.unclean_upload"]')).to_have_count(0)

    # --- The MG5: case summary and interview summary, then a point to prove ------------------
    with navigates(page, url=re.compile(r"/mg5/$")):
        finding(page, "mg5.present").get_by_role("link", name=re.compile(r"^Go to the MG5")).click()
    expect(page.get_by_test_id("certification")).to_contain_text("Not yet certified by a supervisor.")
    follow(page, "Change case summary and interview summary")
    page.get_by_label("Case summary", exact=True).fill(
        "At 01:10 on Saturday Jordan PICKFORD punched Alex ROWE once in the face outside the Quayside nightclub. "
        "Sam TYNE, a door supervisor, saw the punch. Alex ROWE was treated at the RVI for bruising."
    )
    page.get_by_label("Interview summary", exact=True).fill(
        "Interviewed under caution with a solicitor. He admitted being present, denied the punch and said he "
        "acted in self-defence after being pushed."
    )
    submit(page, "Save")
    expect_success(page, "MG5 saved")
    follow(page, "Add a point to prove for CJ88116")
    page.get_by_label("Point to prove", exact=True).fill("The defendant unlawfully applied force to Alex ROWE")
    page.get_by_role("group", name="Documents that prove it").get_by_label(
        "A&E notes of Alex Rowe (Medical evidence)"
    ).check()
    submit(page, "Add point to prove")
    expect_success(page, "Point to prove added for CJ88116")

    # --- The witness's dates to avoid, from the panel's link -------------------------------
    visit(page, file_url)
    expect_blocking(page, {"mg10.dates_to_avoid", "mg5.certified"})
    with navigates(page, url=re.compile(r"/witnesses/[0-9a-f-]+/change/$")):
        finding(page, "mg10.dates_to_avoid").get_by_role("link", name=re.compile(r"^Change the witness")).click()
    holiday = timezone.localdate() + timedelta(days=60)
    fill_date(page, "Dates to avoid 1: first date (optional)", holiday.day, holiday.month, holiday.year)
    back = holiday + timedelta(days=13)
    fill_date(page, "Dates to avoid 1: last date (optional)", back.day, back.month, back.year)
    page.get_by_label("Dates to avoid 1: reason (optional)").fill("Holiday abroad")
    submit(page, "Save")
    expect_success(page, "Witness Sam TYNE saved")

    # --- Only the supervisor's certification is left ---------------------------------------
    visit(page, file_url)
    expect_blocking(page, {"mg5.certified"})
    expect(finding(page, "mg5.certified")).to_contain_text("The MG5 has not been certified by a supervisor")
    expect(submit_button).to_be_disabled()

    # The supervisor certifies the MG5 in their own session, while the officer's page stays open.
    sign_in(supervisor, live_server, demo_users, "supervisor.north")
    visit(supervisor, base + "mg5/")
    follow(supervisor, "Certify the MG5")
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("Certify the MG5")
    expect(supervisor.locator("main")).to_contain_text("The defendant unlawfully applied force to Alex ROWE")
    submit(supervisor, "Certify the MG5")
    expect_success(supervisor, "MG5 certified")
    expect(supervisor.get_by_test_id("certification")).to_contain_text("Certified by Sam Supervisor (north)")

    # --- The officer's panel clears by itself; the officer submits ---------------------------
    expect(panel(page)).to_have_attribute("data-blocking", "0", timeout=15_000)
    axe_check(page)
    expect(page.get_by_test_id("readiness-summary")).to_contain_text("Ready Nothing must be fixed")
    expect(panel(page).get_by_test_id("blocking-findings")).to_have_count(0)
    submit(page, "Submit the file")
    expect_success(page, f"{NGAP_LABEL} file submitted")
    expect(page.get_by_test_id("submission-summary")).to_contain_text("Submitted")
    items_table = page.get_by_test_id("submitted-items")
    expect(items_table.get_by_role("row")).to_have_count(1 + len(UPLOADS))
    for _kind, title, *_ in UPLOADS:
        expect(items_table).to_contain_text(title)

    # --- What was recorded: the submitted file, with exactly the uploaded versions -----------
    submission = FileSubmission.objects.get(case=case)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.stage == FileStage.FIRST_HEARING_NGAP
    assert submission.anticipated_plea == "not_guilty"
    assert submission.submitted_by is not None
    assert submission.submitted_by.username == "officer.north"
    items = SubmissionItem.objects.filter(submission=submission)
    assert sorted(items.values_list("version_id", flat=True)) == sorted(held_scans)
    versions = DocumentVersion.objects.filter(pk__in=held_scans)
    assert sorted(v.sha256 for v in versions) == sorted(hashlib.sha256(content).hexdigest() for *_, content in UPLOADS)
    stored = [p for p in e2e_media_root.rglob("*") if p.is_file()]
    assert len(stored) == len(UPLOADS), "the uploads were stored in this test's MEDIA_ROOT"
    report = submission.reports.get(on_submission=True)
    assert report.blocking_count == 0
    case.refresh_from_db()
    assert case.sent_to_cps_at is not None, "an NGAP file sends a police-charged case to the CPS"
