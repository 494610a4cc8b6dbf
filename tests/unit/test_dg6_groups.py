"""DG6 Annex 1 offence groups (domain.md 2.3): which offences the CPS must decide whatever the plea."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.dg6 import DG6_GROUPS, GROUPS_BY_SLUG, Dg6Match, base_code, dg6_group_for, dg6_label


@pytest.mark.parametrize(
    ("code", "title", "group"),
    [
        # Protection from Harassment Act 1997, and stalking wherever it is coded.
        ("PH97004", "Harassment without violence", "harassment_stalking"),
        ("PH97002", "Harassment - put in fear of violence", "harassment_stalking"),
        ("PH97007", "Stalking involving fear of violence", "harassment_stalking"),
        ("ST19001", "Breach of stalking protection order / interim stalking protection order", "harassment_stalking"),
        ("CD98011", "Racially aggravated harassment - non violent", "harassment_stalking"),
        ("SE20002", "Harassment - breach of a restraining order on conviction", "harassment_stalking"),
        # Public Order Act 1986: affray and violent disorder, by title.
        ("PU86003", "Affray", "violent_disorder_affray"),
        ("PU86002", "Violent disorder", "violent_disorder_affray"),
        ("COML041", "AFFRAY", "violent_disorder_affray"),
        # Offences Against the Person Act 1861 s.18, s.20, s.47 and their aggravated forms.
        ("OF61102", "Assault a person thereby occasioning them actual bodily harm", "gbh_abh"),
        ("OF61131", "Wound / inflict grievous bodily harm without intent", "gbh_abh"),
        ("OF61016", "Section 18 - wounding with intent", "gbh_abh"),
        ("CD98004", "Racially aggravated assault / actual bodily harm", "gbh_abh"),
        ("LG03043", "Club member / officer knowingly allow sale of alcohol to drunk - Licensing", "licensing_act"),
        ("COML025", "Murder - victim one year of age or older", "death"),
        ("RT88564", "Cause death by careless / inconsiderate driving", "death"),
        ("TH68091", "Aggravated vehicle taking - ( initial taker ) death caused by accident", "death"),
        ("PT00039", "Possess article for purposes of terrorism - Terrorism Act 2000", "terrorism"),
        ("TR06002", "Distribute / circulate a terrorist publication - Terrorism Act 2006", "terrorism"),
        ("OS89006", "Crown servant make damaging disclosure relating to security or intelligence", "official_secrets"),
        (
            "SX03010",
            "Cause a male 13 or over to engage in a non penetrative sexual activity - SOA 2003",
            "sexual_offences_act",
        ),
        ("CL67008", "Cause wasteful employment of police", "consent_required"),
        ("PU86021", "Use threatening words / behaviour with intent to stir up racial hatred", "consent_required"),
    ],
)
def test_offences_the_cps_must_decide_are_in_their_dg6_group(code: str, title: str, group: str) -> None:
    assert dg6_group_for(code, title) == group


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("CJ88001", "Common assault"),  # summary only: police may charge
        ("CJ88116", "Assault by beating"),
        ("TH68001", "Theft from the person of another"),
        ("TH68010", "Theft from shop"),
        ("PU86116", "Use threatening / abusive / insulting words / behaviour to cause harassment / alarm / distress"),
        ("CD98009", "Racially aggravated intentional harassment - words"),  # s.31, aggravated public order
        ("TH68029", "Burglary other than dwelling - with intent to inflict grievous bodily harm"),
        ("TH68120", "TAKE VEHICLE WITHOUT CONSENT (OTHER THAN CAUSE DEATH) WHERE DAMAGE UNDER £2000"),
        ("MS70002", "MASTER OF SHIP DOING ANY ACT LIKELY TO CAUSE DEATH OR SERIOUS INJURY TO A PERSON ON BOARD."),
        ("CM85050", "FALSIFYING DOCUMENTS OF COMPANY BEING WOUND UP"),
        ("OS23001", "Send false communication with intent to cause harm"),  # Online Safety Act, not secrets
        ("LG64003", "REFUSING OR OBSTRUCTING INSPECTION OF REGISTER"),  # Licensing Act 1964, not 2003
        ("TA06002", "INFRINGE PROHIBITION ON ACCEPTANCE OF TECHNICAL ASSISTANCE ETC - EITHER WAY OFFENCE"),
    ],
)
def test_offences_police_may_charge_have_no_group(code: str, title: str) -> None:
    assert dg6_group_for(code, title) == ""


def test_qualified_codes_and_messy_input_are_grouped_like_the_offence() -> None:
    assert dg6_group_for("cl67008a", "Attempt to cause wasteful employment of police") == "consent_required"
    assert dg6_group_for(" PU86003B ", "Aid /  abet   an affray") == "violent_disorder_affray"


def test_base_code_strips_only_an_eighth_character_qualifier() -> None:
    assert base_code("th68001a") == "TH68001"
    assert base_code("TH68001") == "TH68001"
    assert base_code("COML025C") == "COML025"
    assert base_code("0101AA001") == "0101AA001"


def test_every_group_has_a_label_a_reason_and_a_unique_slug() -> None:
    assert len(GROUPS_BY_SLUG) == len(DG6_GROUPS)
    for group in DG6_GROUPS:
        assert group.label
        assert group.reason.startswith("DG6")
        assert group.matches
        assert dg6_label(group.slug) == group.label
    assert dg6_label("") == ""


def test_a_match_that_would_match_everything_is_refused() -> None:
    with pytest.raises(ValueError, match="match everything"):
        Dg6Match(exclude_patterns=("x",))


@given(
    code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10),
    title=st.text(max_size=120),
)
def test_any_code_and_title_get_a_known_group_whatever_the_case_and_spacing(code: str, title: str) -> None:
    group = dg6_group_for(code, title)
    assert group == "" or group in GROUPS_BY_SLUG
    assert dg6_group_for(f"  {code.lower()} ", f" {title}  ") == group
