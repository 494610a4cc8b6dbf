"""Forms for the police charging pages: the MG3 police part, the supervisor's review, withdrawal, answering
an action of an action plan, resubmission (MG3A), reopening, and a police charge under DG6 Annex 1.

They read what was typed into Python values and say precisely what could not be read. Whether the request
may move, and whether DG6 lets the police charge, is for ``charging.services``: its messages are shown
against the same fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from casework.forms import FILTER_CHOICE_UNKNOWN, GovukCheckboxes, GovukDateField, GovukRadios, radios, text
from casework.models import OffenceAllegation
from files.choices import SubmissionStatus
from files.models import Document, FileSubmission

from . import services
from .choices import ActionItemStatus, AnticipatedPlea, ChargingCategory, TestSought
from .models import ChargingRequest

# Messages shown to users; tests import them.
VERSION_MISSING = "Reload the page and try again: the form did not say which version of the request it changes"
CATEGORY_REQUIRED = "Choose the category of the request: Red, Green or Green Priority"
TEST_SOUGHT_REQUIRED = "Choose the test you ask the prosecutor to apply"
PLEA_REQUIRED = "Choose the plea you anticipate"
EVIDENCE_WHAT_REQUIRED = "Outstanding evidence {n}: say what the evidence is, or clear its target date"
SUBMISSION_NOT_LISTED = "Choose a submitted file on this case"
REVIEW_CHOICE_REQUIRED = "Choose whether to approve the request or return it to the officer"
RETURN_REASON_REQUIRED = "Say what the officer must put right"
WITHDRAW_REASON_REQUIRED = "Say why the request is being withdrawn"
ANSWER_TEXT_REQUIRED = "Say what was done, why it cannot be done, or why the action is disputed"
DOCUMENT_NOT_LISTED = "Choose material on this case"
NO_MATERIAL = "There is no material on this case you can see yet: add it on the Material tab first"
REOPEN_SUMMARY_REQUIRED = "Say what material has arrived"
SENTENCE_REQUIRED = "Say whether a sentence of more than 12 months' imprisonment is likely"
MAGISTRATES_REQUIRED = "Say whether the case is suitable for sentence in the magistrates' court"
OPTIONAL_TEXT_MAX = 10000

# How many empty outstanding-evidence rows the MG3 form offers after the ones already recorded; a form
# posted with more rows (a browser that kept an earlier page) keeps them, up to the cap.
EXTRA_EVIDENCE_ROWS = 3
MAX_EVIDENCE_ROWS = 40

CATEGORY_HINTS: dict[str, str] = {
    ChargingCategory.RED: "The suspect is in custody and the police will ask the court to remand them.",
    ChargingCategory.GREEN: "The suspect is on bail or released under investigation.",
    ChargingCategory.GREEN_PRIORITY: (
        "The suspect is not in custody but the case needs a quicker decision, for example domestic abuse, a "
        "vulnerable victim or bail conditions."
    ),
}
TEST_HINTS: dict[str, str] = {
    TestSought.FULL_CODE_TEST: (
        "All reasonable lines of inquiry are done, or further material is unlikely to change the outcome."
    ),
    TestSought.THRESHOLD_TEST: (
        "Only where the suspect is a substantial bail risk and not all the evidence is available yet."
    ),
}
YES_NO = [("yes", "Yes"), ("no", "No")]


class HintedRadios(GovukRadios):
    """GOV.UK radios with a hint under each option, linked to its input by ``aria-describedby``."""

    template_name = "charging/police/widgets/hinted_radios.html"

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = (), *, hints: dict[str, str]) -> None:
        super().__init__(attrs, choices)
        self.hints = hints

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(str(option["value"]), "")
        option["hint"] = hint
        if hint and option["attrs"].get("id"):
            option["hint_id"] = f"{option['attrs']['id']}-hint"
            option["attrs"]["aria-describedby"] = option["hint_id"]
        return option


def hinted_radios(choices: Any, *, label: str, hints: dict[str, str], required_message: str) -> forms.ChoiceField:
    field = forms.ChoiceField(choices=choices, label=label, widget=HintedRadios(hints=hints))
    field.error_messages["required"] = required_message
    field.error_messages["invalid_choice"] = FILTER_CHOICE_UNKNOWN
    return field


def textarea(label: str, *, required_message: str = "", help_text: str = "", rows: int = 5) -> forms.CharField:
    field = text(label, required_message=required_message, textarea=True, max_length=OPTIONAL_TEXT_MAX)
    field.widget.attrs["rows"] = rows
    field.help_text = help_text
    return field


class VersionedForm(forms.Form):
    """Carries the version of the request the page showed, so a change made meanwhile by someone else is
    refused (``services.CONFLICT``) instead of silently overwritten."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> int | None:
        raw = str(self.cleaned_data.get("version") or "").strip()
        return int(raw) if raw.isdigit() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "version" in self.fields and cleaned.get("version") is None:
            # A hidden field's error would not show in the summary: it goes at the top.
            self.add_error(None, VERSION_MISSING)
        return cleaned


class SubmissionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        when = f", submitted {obj.submitted_at:%d %B %Y}" if obj.submitted_at else f" ({obj.get_status_display()})"
        return f"{obj.get_stage_display()} file{when}"

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(SUBMISSION_NOT_LISTED, code="invalid_choice") from None


# ---------------------------------------------------------------------------------------------
# The MG3 police part

MG3_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The request", ("category", "test_sought", "anticipated_plea", "venue")),
    ("The suspect", ("suspect_status", "pace_clock", "bail_status")),
    ("The offence", ("offence_summary", "proposed_charges", "defence_account")),
    ("The investigation", ("lines_of_inquiry_done", "lines_not_pursued")),
    (
        "Victims, witnesses, digital and unused material",
        ("victim_witness_needs", "digital_strategy", "unused_material_info"),
    ),
    ("The file for the CPS", ("submission",)),
)
EVIDENCE_AFTER = "The investigation"


def parse_target_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class Mg3Form(VersionedForm):
    """Every field of ``services.Mg3Details``. Outstanding evidence is a list of rows (what, target date);
    blank rows are ignored. Used without ``version`` when the request is first created."""

    category = hinted_radios(
        ChargingCategory.choices,
        label="Which category is the request?",
        hints=CATEGORY_HINTS,
        required_message=CATEGORY_REQUIRED,
    )
    test_sought = hinted_radios(
        TestSought.choices,
        label="Which test do you ask the prosecutor to apply?",
        hints=TEST_HINTS,
        required_message=TEST_SOUGHT_REQUIRED,
    )
    anticipated_plea = radios(
        AnticipatedPlea.choices, label="What plea do you anticipate?", required_message=PLEA_REQUIRED
    )
    venue = text(
        "Where should the case be heard? (optional)",
        max_length=200,
        help_text="For example, the magistrates' court, or the Crown Court for an indictable-only offence",
    )
    suspect_status = textarea(
        "The suspect's status",
        help_text="Identity, vulnerability or mental health, interpreter needs, and the circumstances of the arrest",
    )
    pace_clock = textarea(
        "PACE clock (optional)",
        help_text="If the suspect is in custody: the relevant time, reviews, and when detention must end",
        rows=3,
    )
    bail_status = textarea(
        "Bail or released under investigation (RUI) status (optional)",
        help_text="Bail or RUI, any conditions, and when the bail period ends",
        rows=3,
    )
    offence_summary = textarea("Summary of the offence", help_text="What happened, as the evidence shows it")
    proposed_charges = textarea("Proposed charges", rows=3)
    defence_account = textarea(
        "The suspect's account",
        help_text="Including any explanation given in interview, a defence statement or pre-charge engagement",
    )
    lines_of_inquiry_done = textarea(
        "Lines of inquiry done",
        help_text="Including those that point away from the suspect, and what each found",
    )
    lines_not_pursued = textarea("Lines of inquiry not pursued, with the reasons (optional)")
    victim_witness_needs = textarea(
        "Victim and witness needs (optional)",
        help_text="Support for the prosecution, special measures and other needs",
    )
    digital_strategy = textarea(
        "Digital material strategy (optional)",
        help_text=(
            "Why examining devices or accounts was reasonable and proportionate, the search terms and date "
            "ranges, and why any device was returned unexamined"
        ),
    )
    unused_material_info = textarea(
        "Unused material (optional)",
        help_text="Material identified as potentially disclosable, and whether the schedules go with the request",
    )
    submission = SubmissionChoiceField(
        queryset=FileSubmission.objects.none(),
        label="The file this request carries (optional)",
        required=False,
        empty_label="No file yet",
        to_field_name="public_id",
        help_text="A file for the CPS on this case that has been submitted",
    )

    def __init__(
        self,
        *args: Any,
        submissions: QuerySet[FileSubmission],
        evidence: list[dict[str, str]] | None = None,
        versioned: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not versioned:
            del self.fields["version"]
        self.fields["submission"].queryset = submissions  # type: ignore[attr-defined]
        self.fields["submission"].error_messages["invalid_choice"] = SUBMISSION_NOT_LISTED
        evidence = evidence or []
        rows = len(evidence) + EXTRA_EVIDENCE_ROWS
        if self.is_bound:
            posted = [k for k in self.data if k.startswith("evidence_") and k.split("_")[1].isdigit()]
            rows = max([rows, *(int(k.split("_")[1]) + 1 for k in posted)])
        self.evidence_rows = min(rows, MAX_EVIDENCE_ROWS)
        for i in range(self.evidence_rows):
            n = i + 1
            self.fields[f"evidence_{i}_what"] = text(
                f"What is outstanding (item {n})",
                max_length=1000,
                help_text="For example, a medical statement, CCTV, a forensic report or phone download",
            )
            self.fields[f"evidence_{i}_date"] = GovukDateField(
                label=f"Target date (item {n})", noun=f"The target date of outstanding evidence {n}"
            )
            if i < len(evidence):
                self.initial.setdefault(f"evidence_{i}_what", evidence[i].get("what", ""))
                self.initial.setdefault(f"evidence_{i}_date", parse_target_date(evidence[i].get("target_date", "")))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for i in range(self.evidence_rows):
            what = str(cleaned.get(f"evidence_{i}_what") or "").strip()
            if not what and cleaned.get(f"evidence_{i}_date"):
                self.add_error(f"evidence_{i}_what", EVIDENCE_WHAT_REQUIRED.format(n=i + 1))
        return cleaned

    def outstanding_evidence(self) -> list[dict[str, str]]:
        rows = []
        for i in range(self.evidence_rows):
            what = str(self.cleaned_data.get(f"evidence_{i}_what") or "").strip()
            when = self.cleaned_data.get(f"evidence_{i}_date")
            if what:
                rows.append({"what": what, "target_date": when.isoformat() if when else ""})
        return rows

    def details(self) -> services.Mg3Details:
        data = self.cleaned_data
        return services.Mg3Details(
            category=data["category"],
            test_sought=data["test_sought"],
            anticipated_plea=data["anticipated_plea"],
            outstanding_evidence=self.outstanding_evidence(),
            submission=data.get("submission"),
            **{name: data.get(name) or "" for name in services.MG3_TEXT_FIELDS},
        )

    def sections(self) -> list[dict[str, Any]]:
        """The form in the order of the MG3; the outstanding evidence rows follow the investigation."""
        return [
            {"heading": heading, "fields": [self[name] for name in names], "evidence": heading == EVIDENCE_AFTER}
            for heading, names in MG3_SECTIONS
        ]

    def evidence(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(i + 1, self[f"evidence_{i}_what"], self[f"evidence_{i}_date"]) for i in range(self.evidence_rows)]


def initial_from_request(request: ChargingRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(request, name) for name in services.MG3_TEXT_FIELDS}
    initial.update(
        category=request.category,
        test_sought=request.test_sought,
        anticipated_plea=request.anticipated_plea,
        submission=request.submission.public_id if request.submission else None,
        version=request.version,
    )
    return initial


def carriable_submissions(
    submissions: QuerySet[FileSubmission], current: FileSubmission | None
) -> QuerySet[FileSubmission]:
    """The case's submitted files, and the one the request already carries (even if that is still a draft,
    so saving the form does not drop it)."""
    keep = Q(status=SubmissionStatus.SUBMITTED)
    if current is not None:
        keep |= Q(pk=current.pk)
    return submissions.filter(keep)


# ---------------------------------------------------------------------------------------------
# Supervisor review, withdrawal


class ReviewForm(VersionedForm):
    APPROVE, RETURN = "approve", "return"

    decision = radios(
        [(APPROVE, "Approve it and send it to the CPS"), (RETURN, "Return it to the officer")],
        label="What do you want to do with this request?",
        required_message=REVIEW_CHOICE_REQUIRED,
    )
    to_cps_direct = forms.BooleanField(label="Send to CPS Direct (custody case out of hours)", required=False)
    reason = textarea("What must the officer put right?", rows=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not str(cleaned.get("reason") or "").strip():
            self.add_error("reason", RETURN_REASON_REQUIRED)
        return cleaned


class WithdrawForm(VersionedForm):
    reason = textarea("Why is the request being withdrawn?", required_message=WITHDRAW_REASON_REQUIRED, rows=4)


# ---------------------------------------------------------------------------------------------
# Action plans, MG3A, reopening


class DocumentChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_kind_display()})"


ANSWER_CHOICES = [
    (ActionItemStatus.DONE.value, "Done"),
    (ActionItemStatus.CANNOT_BE_DONE.value, "It cannot be done"),
    (ActionItemStatus.DISPUTED.value, "We dispute the action"),
]


class ActionAnswerForm(forms.Form):
    status = radios(ANSWER_CHOICES, label="What is your answer?", required_message=services.ANSWER_STATUS)
    response = textarea(
        "Your answer",
        help_text="What was done and what it showed; or why it cannot be done; or why the action is disputed",
    )
    documents = DocumentChoiceField(
        queryset=Document.objects.none(),
        label="Material that answers the action (optional)",
        required=False,
        to_field_name="public_id",
        widget=GovukCheckboxes(small=True),
        help_text="Choose the documents on this case that do what was asked",
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["documents"]
        field.queryset = documents  # type: ignore[attr-defined]
        for key in ("invalid_choice", "invalid_pk_value", "invalid_list"):
            field.error_messages[key] = DOCUMENT_NOT_LISTED
        if not documents.exists():
            field.help_text = NO_MATERIAL

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not str(cleaned.get("response") or "").strip() and "response" not in self.errors:
            status = cleaned.get("status")
            message = services.ANSWER_TEXT.get(ActionItemStatus(status)) if status else None
            self.add_error("response", message or ANSWER_TEXT_REQUIRED)
        return cleaned


class ResubmitForm(VersionedForm):
    summary = textarea(
        "What has changed since the last submission?",
        required_message=services.RESUBMISSION_SUMMARY,
        help_text="The prosecutor reads this first: say what each answer adds and what is still outstanding",
    )


class ReopenForm(VersionedForm):
    summary = textarea(
        "What material has arrived?",
        required_message=REOPEN_SUMMARY_REQUIRED,
        help_text="The request goes back to the CPS with this",
    )


# ---------------------------------------------------------------------------------------------
# A police charge under DG6 Annex 1


class OffencesChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code_with_qualifier} {obj.offence_code.title}, against {obj.suspect.full_name}"


class PoliceChargeForm(forms.Form):
    offences = OffencesChoiceField(
        queryset=OffenceAllegation.objects.none(),
        label="Which offences are charged?",
        to_field_name="public_id",
        widget=GovukCheckboxes,
        error_messages={"required": services.CHARGES_REQUIRED},
    )
    anticipated_plea = radios(
        AnticipatedPlea.choices, label="What plea do you anticipate?", required_message=PLEA_REQUIRED
    )
    likely_sentence_over_12_months = radios(
        YES_NO, label="Is a sentence of more than 12 months' imprisonment likely?", required_message=SENTENCE_REQUIRED
    )
    suitable_for_magistrates = radios(
        YES_NO,
        label="Is the case suitable for sentence in the magistrates' court?",
        required_message=MAGISTRATES_REQUIRED,
    )
    rationale = textarea(
        "Rationale for the charging decision",
        required_message=services.RATIONALE_REQUIRED,
        help_text="Why the evidence and the public interest support charging these offences",
    )
    emergency_authorised_by = text(
        "Inspector who gave emergency authority (optional)",
        max_length=200,
        help_text=(
            "Only where the PACE clock is about to run out and the CPS, including CPS Direct, cannot be reached: "
            "the inspector's name and rank"
        ),
    )

    def __init__(self, *args: Any, offences: QuerySet[OffenceAllegation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offences"]
        field.queryset = offences  # type: ignore[attr-defined]
        for key in ("invalid_choice", "invalid_pk_value", "invalid_list"):
            field.error_messages[key] = services.OFFENCE_NOT_ON_CASE

    def details(self) -> services.PoliceChargeDetails:
        data = self.cleaned_data
        return services.PoliceChargeDetails(
            offences=list(data["offences"]),
            rationale=data["rationale"],
            anticipated_plea=data["anticipated_plea"],
            likely_sentence_over_12_months=data["likely_sentence_over_12_months"] == "yes",
            suitable_for_magistrates=data["suitable_for_magistrates"] == "yes",
            emergency_authorised_by=data.get("emergency_authorised_by") or "",
        )
