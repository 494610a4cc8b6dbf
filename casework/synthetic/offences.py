"""The offence mix of the synthetic data: each entry a real CJS offence code from the MoJ standing data
(``casework.OffenceCode``) with a relative weight and a profile of what such a case usually looks like
(victims, witnesses, arrest, key media, points to prove, outcomes). [K] Assumptions for volume and mix, not
statistics: change them here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OffenceProfile:
    """What a kind of case usually looks like. Probabilities are per case."""

    name: str
    victim: str  # "person", "organisation" or "none" (the Crown: drugs, driving, weapons)
    domestic_abuse: float = 0.0
    hate_crime: float = 0.0
    arrest: float = 0.85  # otherwise interviewed voluntarily, then charged by postal requisition or not
    witnesses: tuple[int, int] = (1, 3)  # civilian witnesses besides the victim, min and max
    media: tuple[str, ...] = ("bwv",)  # document kinds of the usual key media (files.DocumentKind values)
    continuing: bool = False  # a course of conduct over a period (committed_until)
    points: tuple[str, ...] = ("The act alleged", "Identity of the defendant")
    nfa: float = 0.25  # of cases that reach a decision: no further action
    oocd: float = 0.08  # of cases that reach a decision: out-of-court disposal
    guilty_plea: float = 0.65  # anticipated guilty plea (GAP) once charged


VIOLENCE = OffenceProfile(
    "violence",
    "person",
    domestic_abuse=0.45,
    hate_crime=0.03,
    witnesses=(0, 3),
    media=("bwv", "photograph", "audio_999"),
    points=("Assault or battery", "Unlawful (not in self-defence)", "Identity of the defendant"),
    nfa=0.32,
    oocd=0.10,
    guilty_plea=0.55,
)
INJURY = OffenceProfile(
    "injury",
    "person",
    domestic_abuse=0.35,
    hate_crime=0.03,
    witnesses=(1, 4),
    media=("bwv", "photograph", "medical"),
    points=("Assault", "Actual (or grievous) bodily harm caused", "Identity of the defendant"),
    nfa=0.30,
    oocd=0.04,
    guilty_plea=0.45,
)
SERIOUS_VIOLENCE = OffenceProfile(
    "serious_violence",
    "person",
    domestic_abuse=0.15,
    witnesses=(2, 5),
    media=("bwv", "cctv", "medical", "forensic_report"),
    points=("Wounding or grievous bodily harm", "Intent", "Identity of the defendant"),
    nfa=0.20,
    oocd=0.0,
    guilty_plea=0.30,
)
EMERGENCY_WORKER = OffenceProfile(
    "emergency_worker",
    "person",
    witnesses=(1, 2),
    media=("bwv",),
    points=("Assault or battery", "The victim was an emergency worker on duty"),
    nfa=0.08,
    oocd=0.05,
    guilty_plea=0.75,
)
SHOP_THEFT = OffenceProfile(
    "shop_theft",
    "organisation",
    arrest=0.65,
    witnesses=(1, 2),
    media=("cctv",),
    points=("Appropriation of property", "Belonging to another", "Dishonesty", "Intention to permanently deprive"),
    nfa=0.15,
    oocd=0.15,
    guilty_plea=0.85,
)
THEFT = OffenceProfile(
    "theft",
    "person",
    arrest=0.75,
    witnesses=(0, 2),
    media=("cctv",),
    points=("Appropriation of property", "Belonging to another", "Dishonesty", "Intention to permanently deprive"),
    nfa=0.30,
    oocd=0.08,
    guilty_plea=0.70,
)
BURGLARY = OffenceProfile(
    "burglary",
    "person",
    witnesses=(0, 2),
    media=("photograph", "forensic_report", "cctv"),
    points=("Entry as a trespasser", "Into a building", "Intent to steal (or theft)", "Identity of the defendant"),
    nfa=0.35,
    oocd=0.0,
    guilty_plea=0.55,
)
ROBBERY = OffenceProfile(
    "robbery",
    "person",
    witnesses=(1, 3),
    media=("cctv", "bwv", "audio_999"),
    points=("Theft", "Force or threat of force", "At the time of the theft", "Identity of the defendant"),
    nfa=0.30,
    oocd=0.0,
    guilty_plea=0.40,
)
DAMAGE = OffenceProfile(
    "damage",
    "person",
    domestic_abuse=0.25,
    hate_crime=0.02,
    arrest=0.75,
    witnesses=(0, 2),
    media=("photograph", "bwv"),
    points=("Property destroyed or damaged", "Belonging to another", "Without lawful excuse", "Intent or recklessness"),
    nfa=0.30,
    oocd=0.15,
    guilty_plea=0.75,
)
DRUGS = OffenceProfile(
    "drugs",
    "none",
    arrest=0.80,
    witnesses=(0, 1),
    media=("bwv", "forensic_report"),
    points=("Possession", "Of a controlled drug", "Knowledge of possession"),
    nfa=0.15,
    oocd=0.35,
    guilty_plea=0.80,
)
SUPPLY = OffenceProfile(
    "supply",
    "none",
    witnesses=(0, 1),
    media=("bwv", "forensic_report", "photograph"),
    points=("Possession of a controlled drug", "Intent to supply it to another", "Identity of the defendant"),
    nfa=0.20,
    oocd=0.0,
    guilty_plea=0.50,
)
WEAPON = OffenceProfile(
    "weapon",
    "none",
    witnesses=(0, 1),
    media=("bwv", "photograph"),
    points=("Had the article with them", "In a public place", "Without good reason or lawful authority"),
    nfa=0.12,
    oocd=0.03,
    guilty_plea=0.70,
)
DRINK_DRIVE = OffenceProfile(
    "drink_drive",
    "none",
    arrest=0.97,
    witnesses=(0, 0),
    media=("bwv",),
    points=("Drove a motor vehicle", "On a road or public place", "Alcohol above the prescribed limit"),
    nfa=0.04,
    oocd=0.0,
    guilty_plea=0.92,
)
MOTORING = OffenceProfile(
    "motoring",
    "none",
    arrest=0.35,
    witnesses=(0, 0),
    media=("bwv",),
    points=("Drove or used a motor vehicle", "On a road or public place", "Without insurance or while disqualified"),
    nfa=0.08,
    oocd=0.0,
    guilty_plea=0.85,
)
DANGEROUS_DRIVING = OffenceProfile(
    "dangerous_driving",
    "none",
    witnesses=(1, 3),
    media=("bwv", "cctv"),
    points=("Drove a mechanically propelled vehicle", "On a road or public place", "Driving was dangerous"),
    nfa=0.15,
    oocd=0.0,
    guilty_plea=0.55,
)
PUBLIC_ORDER = OffenceProfile(
    "public_order",
    "person",
    domestic_abuse=0.15,
    hate_crime=0.10,
    arrest=0.80,
    witnesses=(0, 2),
    media=("bwv",),
    points=("Threatening, abusive or insulting words or behaviour", "Within the sight or hearing of a person"),
    nfa=0.30,
    oocd=0.15,
    guilty_plea=0.70,
)
DISORDER = OffenceProfile(
    "disorder",
    "person",
    witnesses=(1, 4),
    media=("bwv", "cctv"),
    points=("Unlawful violence or threat of it", "Would cause a person to fear for their safety"),
    nfa=0.25,
    oocd=0.0,
    guilty_plea=0.45,
)
HARASSMENT = OffenceProfile(
    "harassment",
    "person",
    domestic_abuse=0.60,
    arrest=0.75,
    witnesses=(0, 2),
    media=("other",),
    continuing=True,
    points=("Course of conduct", "Amounting to harassment", "Knew or ought to have known"),
    nfa=0.40,
    oocd=0.03,
    guilty_plea=0.50,
)
COERCIVE_CONTROL = OffenceProfile(
    "coercive_control",
    "person",
    domestic_abuse=1.0,
    witnesses=(1, 3),
    media=("audio_999", "other"),
    continuing=True,
    points=("Repeatedly or continuously engaged in controlling or coercive behaviour", "Serious effect on the victim"),
    nfa=0.45,
    oocd=0.0,
    guilty_plea=0.35,
)
COMMUNICATIONS = OffenceProfile(
    "communications",
    "person",
    domestic_abuse=0.35,
    hate_crime=0.08,
    arrest=0.55,
    witnesses=(0, 1),
    media=("other",),
    points=("Sent a message", "Grossly offensive, indecent, obscene or menacing", "Purpose of causing distress"),
    nfa=0.40,
    oocd=0.15,
    guilty_plea=0.65,
)
ORDER_BREACH = OffenceProfile(
    "order_breach",
    "person",
    domestic_abuse=0.85,
    witnesses=(0, 1),
    media=("bwv",),
    points=("An order was in force", "The defendant knew of it", "Did something it prohibited"),
    nfa=0.20,
    oocd=0.0,
    guilty_plea=0.70,
)
FRAUD = OffenceProfile(
    "fraud",
    "person",
    arrest=0.45,
    witnesses=(1, 3),
    media=("other",),
    points=("False representation", "Dishonesty", "Intent to make a gain or cause a loss"),
    nfa=0.40,
    oocd=0.05,
    guilty_plea=0.55,
)
SEXUAL = OffenceProfile(
    "sexual",
    "person",
    domestic_abuse=0.25,
    witnesses=(1, 3),
    media=("medical", "forensic_report"),
    points=("Intentional sexual touching", "Without consent", "No reasonable belief in consent"),
    nfa=0.55,
    oocd=0.0,
    guilty_plea=0.25,
)
RAPE = OffenceProfile(
    "rape",
    "person",
    domestic_abuse=0.40,
    witnesses=(1, 4),
    media=("medical", "forensic_report", "audio_999"),
    points=("Penetration with the penis", "Without consent", "No reasonable belief in consent"),
    nfa=0.60,
    oocd=0.0,
    guilty_plea=0.20,
)
INDECENT_IMAGES = OffenceProfile(
    "indecent_images",
    "none",
    witnesses=(0, 1),
    media=("forensic_report",),
    points=("Possession of the images", "The images are indecent", "Of a child"),
    nfa=0.20,
    oocd=0.0,
    guilty_plea=0.75,
)
HOMICIDE = OffenceProfile(
    "homicide",
    "person",
    domestic_abuse=0.20,
    arrest=1.0,
    witnesses=(3, 6),
    media=("cctv", "forensic_report", "medical", "audio_999", "photograph"),
    points=("Unlawful killing", "Intent to kill or cause grievous bodily harm", "Identity of the defendant"),
    nfa=0.10,
    oocd=0.0,
    guilty_plea=0.15,
)
BAIL_OFFENCE = OffenceProfile(
    "bail_offence",
    "none",
    arrest=0.90,
    witnesses=(0, 0),
    media=(),
    points=("Released on bail", "Failed without reasonable cause to surrender"),
    nfa=0.05,
    oocd=0.0,
    guilty_plea=0.90,
)


@dataclass(frozen=True)
class OffenceEntry:
    code: str
    weight: float
    profile: OffenceProfile


# (CJS code, relative weight, profile). Codes must exist in the standing data; generate() checks. [K]
OFFENCE_MIX: tuple[OffenceEntry, ...] = tuple(
    OffenceEntry(code, weight, profile)
    for code, weight, profile in (
        ("CJ88001", 7.0, VIOLENCE),  # common assault
        ("CJ88116", 6.0, VIOLENCE),  # assault by beating
        ("OF61102", 6.5, INJURY),  # assault occasioning actual bodily harm
        ("OF61131", 1.3, INJURY),  # s.20 wounding / GBH
        ("OF61016", 0.5, SERIOUS_VIOLENCE),  # s.18 wounding with intent
        ("CJ88160", 2.0, EMERGENCY_WORKER),  # assault by beating of an emergency worker
        ("PL96001", 0.4, EMERGENCY_WORKER),  # assault a constable
        ("TH68010", 10.0, SHOP_THEFT),  # theft from a shop
        ("TH68020", 2.5, THEFT),  # theft - other
        ("TH68001", 0.8, THEFT),  # theft from the person
        ("TH68013", 0.8, THEFT),  # theft of a motor vehicle
        ("TH68007", 0.8, THEFT),  # theft from a motor vehicle
        ("TH68073", 0.5, THEFT),  # handling stolen goods
        ("TH78011", 0.7, THEFT),  # make off without payment
        ("TH68026", 2.2, BURGLARY),  # burglary dwelling with intent to steal
        ("TH68027", 1.1, BURGLARY),  # burglary other than dwelling
        ("TH68023", 1.2, ROBBERY),  # robbery
        ("CD71037", 4.5, DAMAGE),  # criminal damage, £5,000 or less
        ("CD71036", 0.5, DAMAGE),  # criminal damage over £5,000
        ("MD71530", 3.5, DRUGS),  # possess Class B cannabis
        ("MD71211", 0.9, DRUGS),  # possess Class A heroin
        ("MD71230", 1.4, SUPPLY),  # possess with intent to supply Class A cocaine
        ("MD71526", 0.9, SUPPLY),  # possess with intent to supply Class B cannabis
        ("CJ88144", 1.9, WEAPON),  # bladed article in a public place
        ("PC53001", 0.7, WEAPON),  # offensive weapon in a public place
        ("RT88007", 4.5, DRINK_DRIVE),  # drive with excess alcohol
        ("RT88010", 0.5, DRINK_DRIVE),  # fail to provide a specimen
        ("RT88333", 1.3, MOTORING),  # drive whilst disqualified
        ("RT88191", 1.8, MOTORING),  # no insurance
        ("RT88026", 0.6, DANGEROUS_DRIVING),  # dangerous driving
        ("PU86004", 1.8, PUBLIC_ORDER),  # s.4 fear or provocation of violence
        ("PU86116", 1.9, PUBLIC_ORDER),  # s.4A / s.5 harassment, alarm or distress
        ("CD98005", 0.5, PUBLIC_ORDER),  # racially aggravated common assault
        ("CD98009", 0.4, PUBLIC_ORDER),  # racially aggravated harassment
        ("PU86003", 0.7, DISORDER),  # affray
        ("PU86002", 0.2, DISORDER),  # violent disorder
        ("PH97002", 0.9, HARASSMENT),  # harassment - fear of violence
        ("PH97008", 0.7, HARASSMENT),  # stalking - serious alarm or distress
        ("SC15004", 0.6, COERCIVE_CONTROL),  # controlling or coercive behaviour
        ("MT88007", 1.2, COMMUNICATIONS),  # threatening communication
        ("CA03005", 0.9, COMMUNICATIONS),  # menacing message by public network
        ("FL96001", 0.9, ORDER_BREACH),  # breach of a non-molestation order
        ("PH97003", 0.9, ORDER_BREACH),  # breach of a restraining order
        ("OF61014", 0.4, ORDER_BREACH),  # threats to kill (treated like a threats case)
        ("FA06001", 1.8, FRAUD),  # fraud by false representation
        ("SX03007", 0.9, SEXUAL),  # sexual assault on a female
        ("SX03002", 0.5, RAPE),  # rape of a woman 16 or over
        ("CJ88115", 0.7, INDECENT_IMAGES),  # possess indecent photograph of a child
        ("COML025", 0.05, HOMICIDE),  # murder
        ("BA76001", 1.2, BAIL_OFFENCE),  # fail to surrender to bail
    )
)

# A second offence some suspects also face, by profile; a common pairing. [K]
SECOND_OFFENCES: dict[str, tuple[str, ...]] = {
    "violence": ("CD71037", "PU86116"),
    "injury": ("CD71037", "CJ88001"),
    "shop_theft": ("BA76001", "PL96001"),
    "drugs": ("CJ88144",),
    "drink_drive": ("RT88191", "RT88333"),
    "motoring": ("RT88191",),
    "public_order": ("CJ88160", "CD71037"),
    "burglary": ("TH68073",),
    "harassment": ("MT88007",),
    "order_breach": ("CJ88001",),
}
SECOND_OFFENCE_SHARE = 0.22
