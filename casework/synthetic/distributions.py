"""The shape of the synthetic national data set, as data: how cases spread over the forces, which offences
they are about, how they move through the lifecycle, and the names and words the records carry.

Every number here is an assumption about England and Wales made to give realistic *volumes and mixes* for
benchmarks, not a statistic to report. Where a figure comes from shared/domain.md it says so; the rest is
[K] (background knowledge, not verified): change it here, nothing else encodes it.

- Force shares: roughly each force's share of police-recorded crime (the Metropolitan Police about a
  seventh, the smallest forces well under one per cent). [K]
- Charging referrals: about 220,000 a year for about a million cases (domain.md 1: 210-225k referrals a
  year), so about 22 per cent of cases are referred to the CPS; police charge about twice as many
  (domain.md 1: a third of cases before the courts involve a CPS charging decision). [S]/[K]
- The offence mix and what each kind of case looks like are in ``offences``.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Forces: two-digit code -> share of cases (relative weights). [K]

FORCE_WEIGHTS: dict[str, float] = {
    "01": 14.0,  # Metropolitan Police
    "48": 0.3,  # City of London
    "93": 1.0,  # British Transport Police
    "06": 6.0,  # Greater Manchester
    "20": 5.5,  # West Midlands
    "13": 5.2,  # West Yorkshire
    "43": 3.6,  # Thames Valley
    "46": 3.4,  # Kent
    "05": 2.8,  # Merseyside
    "14": 2.7,  # South Yorkshire
    "10": 2.7,  # Northumbria
    "44": 3.1,  # Hampshire
    "42": 3.0,  # Essex
    "04": 2.5,  # Lancashire
    "47": 2.6,  # Sussex
    "52": 2.6,  # Avon and Somerset
    "50": 2.4,  # Devon and Cornwall
    "62": 2.2,  # South Wales
    "31": 1.9,  # Nottinghamshire
    "22": 1.8,  # West Mercia
    "33": 1.8,  # Leicestershire
    "30": 1.7,  # Derbyshire
    "16": 1.6,  # Humberside
    "21": 1.5,  # Staffordshire
    "41": 1.5,  # Hertfordshire
    "35": 1.4,  # Cambridgeshire
    "07": 1.4,  # Cheshire
    "17": 1.3,  # Cleveland
    "45": 1.3,  # Surrey
    "36": 1.3,  # Norfolk
    "34": 1.2,  # Northamptonshire
    "12": 1.2,  # North Yorkshire
    "40": 1.1,  # Bedfordshire
    "11": 1.0,  # Durham
    "61": 1.0,  # Gwent
    "55": 1.0,  # Dorset
    "37": 1.0,  # Suffolk
    "32": 0.9,  # Lincolnshire
    "54": 0.9,  # Wiltshire
    "60": 1.0,  # North Wales
    "53": 0.8,  # Gloucestershire
    "03": 0.7,  # Cumbria
    "23": 0.7,  # Warwickshire
    "63": 0.6,  # Dyfed-Powys
}

# Police units in use per force: one per this many expected cases (at least two, at most the force's
# active units), and staff per unit and per organisation. [K]
CASES_PER_UNIT = 2500
CASES_PER_OFFICER = 60
OFFICERS_PER_SUPERVISOR = 6
OFFICERS_PER_DISCLOSURE_OFFICER = 10
CASES_PER_POLICE_MANAGER = 25_000
REFERRALS_PER_LAWYER = 150
LAWYERS_PER_PARALEGAL = 4
LAWYERS_PER_LEGAL_MANAGER = 10
CPS_DIRECT_SHARE = 0.12  # share of referrals made out of hours to CPS Direct (custody cases only) [K]


# ---------------------------------------------------------------------------------------------
# The lifecycle. [K]

CASE_AGE_DAYS = 365  # cases reported over the last year ...
OLD_CASE_SHARE = 0.12  # ... and some over the year before (long investigations, Crown Court trials)
SUSPECTS = ((1, 0.82), (2, 0.14), (3, 0.04))
# Of referrals to the CPS: the first decision. Action plans and early advice come back as MG3A.
CPS_FIRST_DECISION = (
    ("charge", 0.50),
    ("no_further_action_evidential", 0.12),
    ("no_further_action_public_interest", 0.03),
    ("out_of_court_disposal", 0.03),
    ("action_plan", 0.28),
    ("early_advice", 0.04),
)
CPS_RETURNED_NOT_TO_STANDARD = 0.08  # returned by CPS triage, put right and sent again
ACTION_PLAN_UNANSWERED = 0.10  # left unanswered: administratively finalised after the period
REMANDED_SHARE = {"serious": 0.55, "custody": 0.12, "other": 0.03}  # charged suspects remanded in custody
THRESHOLD_TEST_SHARE = 0.35  # of remand (red) charges
POLICE_REFER_ANYWAY = 0.03  # police-chargeable cases the police refer to the CPS for advice
NFA_REFERRED = 0.1  # of cases the CPS must decide that end in no further action, how many the CPS ends
CPS_DECLINES_TO_CHARGE = 0.22  # referrals for charge that the CPS ends with no further action
CPS_DIVERTS = 0.03  # referrals for charge that the CPS ends with an out-of-court disposal
DECISION_CORRECTED = 0.01  # final CPS decisions later corrected (a new decision that supersedes)

# ---------------------------------------------------------------------------------------------
# Names and words

FIRST_NAMES_F = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Sophia",
    "Grace",
    "Freya",
    "Emily",
    "Ella",
    "Florence",
    "Willow",
    "Poppy",
    "Evie",
    "Charlotte",
    "Sienna",
    "Daisy",
    "Phoebe",
    "Sophie",
    "Alice",
    "Evelyn",
    "Harper",
    "Ruby",
    "Jessica",
    "Chloe",
    "Hannah",
    "Emma",
    "Sarah",
    "Laura",
    "Rebecca",
    "Amy",
    "Rachel",
    "Gemma",
    "Natalie",
    "Victoria",
    "Claire",
    "Kelly",
    "Louise",
    "Joanne",
    "Nicola",
    "Michelle",
    "Karen",
    "Susan",
    "Julie",
    "Helen",
    "Amina",
    "Fatima",
    "Zara",
    "Priya",
    "Aisha",
    "Maryam",
    "Chantelle",
    "Jade",
    "Megan",
    "Lauren",
    "Holly",
    "Katie",
    "Bethany",
    "Shannon",
    "Leah",
    "Courtney",
    "Abigail",
    "Molly",
]
FIRST_NAMES_M = [
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Thomas",
    "Jacob",
    "Alfie",
    "Finley",
    "Joshua",
    "William",
    "James",
    "Daniel",
    "Matthew",
    "Ryan",
    "Lewis",
    "Liam",
    "Connor",
    "Kieran",
    "Jordan",
    "Callum",
    "Bradley",
    "Nathan",
    "Adam",
    "Luke",
    "Mark",
    "Paul",
    "Andrew",
    "David",
    "Michael",
    "Christopher",
    "Stephen",
    "Richard",
    "Gary",
    "Lee",
    "Darren",
    "Craig",
    "Jamie",
    "Dean",
    "Wayne",
    "Mohammed",
    "Ahmed",
    "Ali",
    "Hassan",
    "Omar",
    "Imran",
    "Arjun",
    "Rohan",
    "Tyler",
    "Kyle",
    "Reece",
    "Ashley",
    "Scott",
    "Aaron",
    "Ben",
    "Sam",
    "Joe",
    "Dylan",
    "Ethan",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
    "Fletcher",
    "Walsh",
    "Kaur",
    "Gibson",
    "Howard",
    "Andrews",
    "Stewart",
    "Elliott",
    "Reynolds",
    "Saunders",
    "Payne",
    "Fox",
    "Ford",
    "Pearce",
    "Day",
    "Brooks",
    "West",
    "Lawrence",
    "Cole",
    "Atkinson",
    "Bradley",
    "Spencer",
    "Gill",
    "Dawson",
    "Ball",
    "Burton",
    "O'Brien",
    "Watts",
    "Rose",
    "Booth",
    "Perry",
    "Ryan",
    "Grant",
    "Wells",
    "Armstrong",
    "Francis",
    "Rees",
    "Hayes",
    "Hart",
    "Hudson",
    "Newman",
    "Barrett",
    "Webster",
    "Hunter",
    "Gregory",
    "Carr",
    "Lowe",
    "Page",
    "Marsh",
    "Riley",
    "Dunn",
    "Woods",
    "Parsons",
    "Berry",
    "Stone",
    "Reid",
    "Holland",
    "Hawkins",
    "Harding",
    "Porter",
    "Robertson",
    "Newton",
    "Oliver",
    "Reed",
    "Kennedy",
    "Williamson",
    "Bird",
    "Gardner",
    "Shah",
    "Dean",
    "Lane",
    "Cooke",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Street",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Park Road",
    "Queen Street",
    "New Road",
    "Kings Road",
    "Mill Lane",
    "London Road",
    "Market Square",
    "Albert Road",
    "York Road",
    "North Street",
    "Springfield Road",
    "Chapel Street",
    "George Street",
    "Grange Road",
    "Bridge Street",
    "West Street",
    "Castle Street",
]
PLACES = (
    "outside a takeaway",
    "in a supermarket",
    "at the victim's home address",
    "in a car park",
    "on a bus",
    "at a railway station",
    "outside a public house",
    "in a park",
    "at a petrol station",
    "in the town centre",
    "at a nightclub",
    "on a residential street",
)
SHOPS = ("Tesco", "Sainsbury's", "Asda", "Morrisons", "Boots", "Co-op", "Aldi", "Lidl", "Superdrug", "B&M", "Primark")
LANGUAGES = ("Polish", "Romanian", "Urdu", "Punjabi", "Arabic", "Lithuanian", "Portuguese", "Bengali", "Somali")
POLICE_TITLES = {
    "police_investigator": ("PC", "DC", "PC", "TDC"),
    "police_supervisor": ("PS", "DS"),
    "disclosure_officer": ("Police Staff Investigator", "DC"),
    "police_manager": ("Inspector", "DI", "Chief Inspector", "DCI"),
}
CPS_TITLES = {
    "cps_lawyer": ("Crown Prosecutor", "Senior Crown Prosecutor", "Senior Crown Prosecutor"),
    "cps_paralegal": ("Paralegal Officer", "Paralegal Assistant"),
    "cps_legal_manager": ("District Crown Prosecutor", "Senior District Crown Prosecutor"),
}
