"""The DG6 Annex 1 offence groups that reserve the charging decision to the CPS whatever the plea.

[K] Verify every group against the Director's Guidance on Charging, 6th edition, Annex 1 (and the
July 2025 DG6 Desktop Guide) before go-live. The groups follow domain.md 2.3; the code prefixes and
title patterns were chosen by reading the MoJ standing-data offence list (bichard7-next-data 2.0.414,
``accounts/reference/data/offence-codes.json.gz``), where the first four characters of a code name the
Act (``PH97`` Protection from Harassment Act 1997, ``PU86`` Public Order Act 1986, ``OF61`` Offences
Against the Person Act 1861, ``LG03`` Licensing Act 2003, ``SX03`` Sexual Offences Act 2003...).

This module owns only the *offence* side of DG6 Annex 1. The rest is decided elsewhere:

* indictable-only offences go to the CPS by their mode of trial (``ModeOfTrial.INDICTABLE_ONLY``),
  not by a group here;
* a Sexual Offences Act offence goes to the CPS only if committed by or upon a person under 18: the
  whole Act is flagged here and the ages of the suspect and victim decide later;
* Hate Crime and Domestic Abuse are case flags (``CaseFlag``), not offence codes.

The groups are data: a group is in force when any of its ``matches`` fits the code and title. The
first group that fits wins, so the more serious groups come first (a racially aggravated wounding is
``gbh_abh`` before it is anything else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUALIFIERS = frozenset("ABCI")


@dataclass(frozen=True)
class Dg6Match:
    """One way of recognising a group's offences in the standing data.

    A code fits when it is one of ``codes`` (with or without an A/B/C/I qualifier), or when it starts
    with one of ``prefixes`` (no prefixes: any code) and its title matches one of ``title_patterns``
    (none: any title) and none of ``exclude_patterns``. Patterns are case-insensitive regular
    expressions searched in the title.
    """

    prefixes: tuple[str, ...] = ()
    title_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (self.prefixes or self.title_patterns or self.codes):
            raise ValueError("A DG6 match needs codes, prefixes or title patterns; it would match everything.")


@dataclass(frozen=True)
class Dg6Group:
    slug: str
    label: str
    reason: str  # the DG6 Annex 1 wording, shown to whoever builds the charging file
    matches: tuple[Dg6Match, ...] = field(default_factory=tuple)


DG6_GROUPS: tuple[Dg6Group, ...] = (
    Dg6Group(
        slug="death",
        label="Involves a death",
        reason="DG6 Annex 1: any case involving a death must be referred to the CPS for a charging decision.",
        matches=(
            Dg6Match(
                title_patterns=(
                    r"\bmurder",
                    r"\bmanslaughter\b",
                    r"\bhomicide\b",
                    r"\binfanticide\b",
                    r"\bchild destruction\b",
                    r"\bcaus(?:e|es|ed|ing) (?:a |the )?death\b",
                    r"\bdeath (?:was )?caused\b",
                    r"\bdeath by\b",
                    r"\bresulting in death\b",
                    r"\ballow the death\b",
                ),
                # "Assisting offender (except murder)", "vehicle taking (other than cause death)", and
                # acts "likely to cause death" (a risk, not a death).
                exclude_patterns=(r"except murder", r"other than caus\w* death", r"likely to cause"),
            ),
        ),
    ),
    Dg6Group(
        slug="terrorism",
        label="Connected with terrorism",
        reason="DG6 Annex 1: any offence connected with terrorism must be referred to the CPS.",
        matches=(
            Dg6Match(
                prefixes=(
                    "PT00",  # Terrorism Act 2000
                    "TR06",  # Terrorism Act 2006
                    "PT05",  # Prevention of Terrorism Act 2005
                    "PT89",  # Prevention of Terrorism (Temporary Provisions) Act 1989
                    "PT84",  # Prevention of Terrorism (Temporary Provisions) Act 1984
                    "PT76",  # Prevention of Terrorism (Temporary Provisions) Act 1976
                    "AT01",  # Anti-terrorism, Crime and Security Act 2001
                    "TR08",  # Counter-Terrorism Act 2008
                    "TI11",  # Terrorism Prevention and Investigation Measures Act 2011
                    "TA10",  # Terrorist Asset-Freezing etc. Act 2010
                    "CT15",  # Counter-Terrorism and Security Act 2015
                    "CT19",  # Counter-Terrorism and Border Security Act 2019
                ),
            ),
            # Elsewhere, e.g. the Counter-Terrorism (Sanctions) (EU Exit) Regulations 2019 (CE19).
            Dg6Match(title_patterns=(r"\bterroris[mt]",)),
        ),
    ),
    Dg6Group(
        slug="official_secrets",
        label="Connected with official secrets",
        reason="DG6 Annex 1: any offence connected with official secrets must be referred to the CPS.",
        matches=(
            Dg6Match(
                prefixes=(
                    "OS11",  # Official Secrets Act 1911
                    "OS20",  # Official Secrets Act 1920
                    "OS39",  # Official Secrets Act 1939
                    "OS89",  # Official Secrets Act 1989
                    # National Security Act 2023, which replaced the 1911-1939 Acts [K]. Not "OS": OS01
                    # is oil storage, OS23 the Online Safety Act 2023, OS93 osteopaths, OS95 Olympic symbols.
                    "NS23",
                ),
            ),
            Dg6Match(title_patterns=(r"\bofficial secrets\b",)),
        ),
    ),
    Dg6Group(
        slug="sexual_offences_act",
        label="Sexual Offences Act (CPS if anyone involved is under 18)",
        reason=(
            "DG6 Annex 1: a Sexual Offences Act offence committed by or upon a person under 18 must be "
            "referred to the CPS. Whether anyone involved was under 18 is decided from their ages."
        ),
        matches=(
            Dg6Match(
                prefixes=(
                    "SX03",  # Sexual Offences Act 2003
                    "SX56",  # Sexual Offences Act 1956, still charged for non-recent offences [K]
                ),
            ),
        ),
    ),
    Dg6Group(
        slug="gbh_abh",
        label="GBH, wounding or ABH",
        reason="DG6 Annex 1: GBH/wounding and ABH (OAPA 1861 s.18, s.20, s.47) must be referred to the CPS.",
        matches=(
            Dg6Match(
                # Any Act: OAPA 1861 (OF61), the racially or religiously aggravated forms (CDA 1998,
                # CD98), legacy common-law codes and force-local codes. Not "wound up" companies or
                # "killed, wounded or captured", which never match "wounding".
                title_patterns=(
                    r"grievous bodily harm",
                    r"\bgbh\b",
                    r"\bwounding\b",
                    r"actual bodily harm",
                    r"\babh\b",
                ),
                # Burglary with intent to inflict GBH (Theft Act 1968 s.9) is burglary, not a DG6 GBH.
                exclude_patterns=(r"\bburglary\b",),
            ),
        ),
    ),
    Dg6Group(
        slug="violent_disorder_affray",
        label="Violent disorder or affray",
        reason="DG6 Annex 1: violent disorder and affray (Public Order Act 1986 s.2, s.3) must go to the CPS.",
        matches=(Dg6Match(title_patterns=(r"\bviolent disorder\b", r"\baffray\b")),),
    ),
    Dg6Group(
        slug="harassment_stalking",
        label="Harassment or stalking",
        reason="DG6 Annex 1: harassment and stalking offences must be referred to the CPS.",
        matches=(
            Dg6Match(prefixes=("PH97",)),  # Protection from Harassment Act 1997, all of it
            Dg6Match(title_patterns=(r"\bstalk",)),  # stalking protection orders (ST19), aggravated stalking
            # The racially or religiously aggravated PHA offences (CDA 1998 s.32), not the aggravated
            # public order ones (s.31: "harassment, alarm or distress", "intentional harassment").
            Dg6Match(
                prefixes=("CD98",),
                title_patterns=(r"\bharassment\b",),
                exclude_patterns=(r"\balarm\b", r"intentional harassment"),
            ),
            # PHA offences under other codes: restraining orders under the Sentencing Act 2020 (SE20)
            # and force-local codes, whose titles start "Harassment - ...".
            Dg6Match(title_patterns=(r"^harassment\b",)),
        ),
    ),
    Dg6Group(
        slug="licensing_act",
        label="Licensing Act 2003",
        reason="DG6 Annex 1: Licensing Act 2003 offences must be referred to the CPS.",
        # LG03, not LI03: the standing data codes the Licensing Act 2003 as LG03 (LG64 is the 1964 Act).
        matches=(Dg6Match(prefixes=("LG03",)),),
    ),
    Dg6Group(
        slug="consent_required",
        label="Needs DPP or Law Officer consent",
        reason=(
            "DG6 Annex 1: offences that need the consent of the DPP or a Law Officer (such as wasting "
            "police time) must be referred to the CPS."
        ),
        matches=(
            # Criminal Law Act 1967 s.5: wasteful employment of the police (s.5(2)) and concealing
            # information for reward (s.5(1)); DPP consent, s.5(3).
            Dg6Match(codes=("CL67008", "CL67007")),
            # Stirring up racial, religious or sexual-orientation hatred: Attorney General's consent
            # (Public Order Act 1986 s.27 and s.29L; Cable and Broadcasting Act 1984 for CB84) [K].
            Dg6Match(title_patterns=(r"\bstir(?:ring)? up\b.*\bhatred\b", r"\bhatred\b.*\bstir(?:ring)? up\b")),
            # Bribery Act 2010 s.10 (DPP); Public Bodies Corrupt Practices Act 1889 and Prevention of
            # Corruption Act 1906 (Attorney General) [K].
            Dg6Match(prefixes=("BA10", "PB89", "PN06")),
        ),
    ),
)

GROUPS_BY_SLUG: dict[str, Dg6Group] = {group.slug: group for group in DG6_GROUPS}


def base_code(code: str) -> str:
    """``TH68001A`` → ``TH68001``: drop the eighth-character qualifier (domain.md 9.3), if any."""
    code = "".join(code.split()).upper()
    if len(code) == 8 and code[-1] in QUALIFIERS and code[:7].isalnum():
        return code[:7]
    return code


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@dataclass(frozen=True)
class _CompiledMatch:
    prefixes: tuple[str, ...]
    codes: frozenset[str]
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    def fits(self, code: str, title: str) -> bool:
        if self.codes and (code in self.codes or base_code(code) in self.codes):
            return True
        if self.codes and not (self.prefixes or self.include):
            return False
        if self.prefixes and not code.startswith(self.prefixes):
            return False
        if self.include and not self.include.search(title):
            return False
        return not (self.exclude and self.exclude.search(title))


def _compile(match: Dg6Match) -> _CompiledMatch:
    return _CompiledMatch(
        match.prefixes, frozenset(match.codes), _union(match.title_patterns), _union(match.exclude_patterns)
    )


_COMPILED = tuple((group.slug, tuple(_compile(m) for m in group.matches)) for group in DG6_GROUPS)
# Most of the 30,000 codes are in no group: one prefix test, one set lookup and one regex rule them out.
_ALL_PREFIXES = tuple(p for group in DG6_GROUPS for m in group.matches for p in m.prefixes)
_ALL_CODES = frozenset(c for group in DG6_GROUPS for m in group.matches for c in m.codes)
_TITLE_ONLY = tuple(p for group in DG6_GROUPS for m in group.matches if not m.prefixes for p in m.title_patterns)
# Python's re tries each alternative at each position; one shared leading \b makes this ~4x faster.
_WORD_START = tuple(p[2:] for p in _TITLE_ONLY if p.startswith(r"\b"))
_ANY_TITLE = _union(
    (
        *((r"\b(?:" + "|".join(f"(?:{p})" for p in _WORD_START) + ")",) if _WORD_START else ()),
        *(p for p in _TITLE_ONLY if not p.startswith(r"\b")),
    )
)


def dg6_group_for(code: str, title: str) -> str:
    """The slug of the first DG6 Annex 1 group the offence falls in, or "" if none does."""
    code = "".join(code.split()).upper()
    title = " ".join(title.split())
    if not (
        code.startswith(_ALL_PREFIXES)
        or code in _ALL_CODES
        or base_code(code) in _ALL_CODES
        or (_ANY_TITLE and _ANY_TITLE.search(title))
    ):
        return ""
    for slug, matches in _COMPILED:
        if any(match.fits(code, title) for match in matches):
            return slug
    return ""


def dg6_label(slug: str) -> str:
    """The label of a group for display, or "" for no group (or a slug no longer defined)."""
    group = GROUPS_BY_SLUG.get(slug)
    return group.label if group else ""
