"""The checks of the evidence and the people: witness statements, the interview, key media, PNC prints,
the MG6, MG7, MG2, MG9 and MG10, victim personal statements, and uploads not yet clean (FQ03, FQ04, FQ05,
FQ16, FQ17, FQ18). Each yields a Hit per failing item; none reads anything but its Index.
"""

from __future__ import annotations

from collections.abc import Iterator

from casework.choices import CustodyEventKind, VictimPersonalStatement, WitnessVulnerability

from ...choices import AnticipatedPlea, DocumentKind, ScanStatus
from .findings import Hit, Link
from .index import Index, plural
from .standard import CCF, GAP, IN_POLICE_DETENTION, MEDIA_KINDS, TT, UPG, WITNESS_STATEMENT_KINDS


def check_key_statements(ix: Index) -> Iterator[Hit]:
    everyone = ix.stage in {UPG, CCF}
    for witness in ix.facts.witnesses:
        if not (witness.is_key or everyone):
            continue
        if ix.has_kind_for_witness(WITNESS_STATEMENT_KINDS, witness.id):
            continue
        who = "key witness" if witness.is_key else "witness"
        yield Hit(
            f"There is no statement (MG11, or a video interview record) from the {who} {witness.name}.",
            "Add the witness's statement and link it to the witness.",
            Link("witness", witness.id),
        )


def check_key_witness_marked(ix: Index) -> Iterator[Hit]:
    if ix.facts.witnesses and not any(w.is_key for w in ix.facts.witnesses):
        yield Hit(
            f"None of the {plural(len(ix.facts.witnesses), 'witness', 'witnesses')} is marked as a key witness.",
            "Mark the witnesses whose evidence proves the points to prove as key witnesses.",
            Link("case_people"),
        )


def check_interview_summary(ix: Index) -> Iterator[Hit]:
    mg5 = ix.facts.mg5
    if (mg5 is not None and mg5.interview_summary_words > 0) or ix.has_kind(DocumentKind.MG15):
        return
    yield Hit(
        "There is no summary of the suspect's interview.",
        "Write the interview summary on the MG5 (what the suspect said, including any defence put "
        "forward; say so if there was no interview or no comment).",
        Link("case_summary"),
    )


def check_interview_length(ix: Index) -> Iterator[Hit]:
    mg5 = ix.facts.mg5
    limit = ix.thresholds.interview_summary_max_words
    if mg5 is not None and mg5.interview_summary_words > limit:
        yield Hit(
            f"The interview summary is {mg5.interview_summary_words} words, more than {limit}: it reads like a "
            "transcript pasted in.",
            "Summarise the interview: the admissions, the account given and any defence raised.",
            Link("case_summary"),
        )


def check_interview_record(ix: Index) -> Iterator[Hit]:
    if ix.stage == UPG and ix.facts.anticipated_plea == AnticipatedPlea.GUILTY:
        return
    if not ix.has_kind(DocumentKind.MG15):
        yield Hit(
            "There is no record of the interview (MG15: short descriptive note, or the transcript of the "
            "recorded interview).",
            "Add the record of interview.",
            Link("document_kind", DocumentKind.MG15.value),
        )


def check_key_media(ix: Index) -> Iterator[Hit]:
    relied_on = {d for p in ix.facts.points for d in p.document_ids}
    for upload in ix.facts.unclean_uploads:
        if upload.kind not in MEDIA_KINDS or upload.clean_number is not None:
            continue
        key = upload.document_id in relied_on
        yield Hit(
            f"{DocumentKind(upload.kind).label} “{upload.title}” is recorded but not in the file: no upload "
            f"of it has passed the virus scan{' — and it is relied on to prove a point' if key else ''}.",
            "Wait for the scan to finish, or upload a clean copy.",
            Link("document", upload.document_id),
            advisory=not key,
            sensitive=upload.sensitive,
        )


def check_pnc_print(ix: Index) -> Iterator[Hit]:
    for suspect in ix.facts.suspects:
        if not ix.has_kind_for_suspect(DocumentKind.PNC_PRINT, suspect.id):
            yield Hit(
                f"There is no PNC print (previous convictions, or “no trace”) for {suspect.name}.",
                "Add the suspect's PNC print and link it to the suspect.",
                Link("suspect", suspect.id),
            )


def check_mg6(ix: Index) -> Iterator[Hit]:
    if ix.stage == GAP and ix.facts.cps_decision_sought:
        return  # at GAP the MG6 is needed only for the police charging rationale (a police charge)
    if not ix.has_kind(DocumentKind.MG6):
        yield Hit(
            "There is no MG6 (confidential case file information for the prosecutor).",
            "Add the MG6.",
            Link("document_kind", DocumentKind.MG6.value),
        )


def check_mg7(ix: Index) -> Iterator[Hit]:
    needs = IN_POLICE_DETENTION if ix.stage == TT else {CustodyEventKind.REMANDED_IN_CUSTODY.value}
    for suspect in ix.facts.suspects:
        if suspect.custody_status in needs and not ix.has_kind_for_suspect(DocumentKind.MG7, suspect.id):
            yield Hit(
                f"{suspect.name} is in custody and a remand will be sought, but there is no MG7 remand application.",
                "Add the MG7 (the grounds for objecting to bail and any conditions suggested) for this suspect.",
                Link("suspect", suspect.id),
            )


def check_mg2(ix: Index) -> Iterator[Hit]:
    for witness in ix.facts.witnesses:
        if witness.vulnerability == WitnessVulnerability.NONE:
            continue
        if not ix.has_kind_for_witness(frozenset({DocumentKind.MG2.value}), witness.id):
            yield Hit(
                f"{witness.name} is a {WitnessVulnerability(witness.vulnerability).label.lower()} witness "
                "and there is no MG2 special measures assessment for them.",
                "Complete the MG2 for this witness and link it to them.",
                Link("witness", witness.id),
            )


def check_witness_list(ix: Index) -> Iterator[Hit]:
    if not ix.facts.witnesses and not ix.has_kind(DocumentKind.MG9):
        yield Hit(
            "No witnesses are recorded, so there is no MG9 witness list.",
            "Add the witnesses (including police witnesses) on the People page.",
            Link("case_people"),
        )


def check_dates_to_avoid(ix: Index) -> Iterator[Hit]:
    for witness in ix.facts.witnesses:
        if not (witness.has_dates_to_avoid or witness.no_dates_to_avoid):
            yield Hit(
                f"No dates to avoid are recorded for {witness.name}: a trial date may be fixed at the first hearing.",
                "Record the witness's dates to avoid (MG10), or record that they have none.",
                Link("witness", witness.id),
            )


def check_vps_attached(ix: Index) -> Iterator[Hit]:
    made = [v for v in ix.facts.victims if v.personal_statement == VictimPersonalStatement.MADE]
    statements = len(ix.by_kind.get(DocumentKind.VICTIM_PERSONAL_STATEMENT, ()))
    if len(made) > statements:
        names = ", ".join(sorted(v.name for v in made))
        yield Hit(
            f"{plural(len(made), 'victim')} made a Victim Personal Statement ({names}) but the file has "
            f"{plural(statements, 'statement')}.",
            "Add each Victim Personal Statement the victim made.",
            Link("document_kind", DocumentKind.VICTIM_PERSONAL_STATEMENT.value),
            advisory=ix.stage != GAP,  # at GAP sentence may follow at once
        )


def check_vps_offered(ix: Index) -> Iterator[Hit]:
    for victim in ix.facts.victims:
        if not victim.is_organisation and victim.personal_statement == VictimPersonalStatement.NOT_YET_OFFERED:
            yield Hit(
                f"{victim.name} has not been offered the chance to make a Victim Personal Statement "
                "(Victims' Code right 7).",
                "Offer the victim a VPS and record their answer.",
                Link("victim", victim.id),
            )


def check_unclean_uploads(ix: Index) -> Iterator[Hit]:
    for upload in ix.facts.unclean_uploads:
        if upload.clean_number is None and upload.kind in MEDIA_KINDS:
            continue  # reported by FQ05
        status = "is waiting for the virus scan" if upload.scan_status == ScanStatus.PENDING else "was quarantined"
        title = "A sensitive document" if upload.sensitive else f"“{upload.title}”"
        if upload.clean_number is None:
            explanation = f"{title} is not in the file: its upload (version {upload.newest_number}) {status}."
        else:
            explanation = (
                f"{title}: version {upload.newest_number} {status}, so the file carries version {upload.clean_number}."
            )
        yield Hit(
            explanation,
            "Wait for the scan to finish, or upload a clean copy.",
            Link("document", upload.document_id),
            sensitive=upload.sensitive,
        )
