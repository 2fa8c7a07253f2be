#!/usr/bin/env python3
"""Write a random but plausible England-scale allocopt input (CSV tables).

    generate.py OUT_DIR [--icbs 42] [--services 150] [--providers 200]
                        [--years 5] [--seed 1] [--v2] [--v3] [--hard] [--no-check]

The same arguments always give the same files (random.Random(seed)). Every
feature of the v1 model (MODEL.md rules 1-10) is present: regions and joint
committees, specialised and priority services in programmes of care,
provided services with capacity rows (unit-cost overrides, minimum volumes at
centres of excellence, expandable capacity with a lag and a maximum
expansion), local services, an access table (own region plus national
centres), prevention links, spending rules of every kind and scope, the
stability limit, the equity band, the specialised share floor, discounting,
explicit and default specialised allocations, and a scenarios table (about
twenty budget and demand scalings plus a switch to joint commissioning).

The input is feasible by construction. The generator first fixes a reference
plan: every ICB's activity of every service grows with its need
(A_ist = a0_is (1 + growth_s)^(t+1)), split over providers in fixed
proportions, with no capacity expansion. Everything else is set around that
plan with a margin: need, national standards, stability limits, capacities,
minimum volumes, budgets, the specialised allocations and the rules. After
writing the files the generator reads them back with the reference model's
reader (tests/oracle/csv2dat.py) and checks the reference plan against every
limit of rules 1-10, for the baseline and for every scenario; it stops with
an error if any limit is broken (--no-check skips this).

With --v2 the input also uses the extensions (MODEL.md rules 11-13): a
provider collaborative in each region (a pooled budget for one programme,
its share set 10% above the reference plan's need of it), contract limits
(icbs.max_providers for every ICB, providers.max_icbs for about a third of
the trusts, each at least what the reference plan uses) and expansion steps
on about half the expandable capacity rows (the reference plan expands
nothing). The problem is then a MIP, solved by GLPK's branch-and-cut:
practical at small sizes, not at national scale. The draws of the v1 tables
come first, so --v2 changes no v1 table except the added columns.

With --v3 the input also uses MODEL.md's v3 tables (rules 14-16), drawn
after every other table: an arrangements table (every specialised service
joint from before the plan; two or three programmes delegated from the first
year in about half the regions; one more programme delegated from the second
year in those regions and in a list of ICBs elsewhere; one programme and the
rare services national), one or two mergers of ICBs of the same region and
joint committee from the second year (never an ICB named by a ceiling rule
of its own, which the footprint would then carry alone), a flows table
(today's activity by provider for most provided pairs, split as the
reference plan splits it: mostly the ICB's own trusts, then its region's)
and two scenarios (the second-year delegation delayed a year, the mergers
reversed). Where the reference plan's spend under the arrangements needs
more than the drawn budgets give (weights come from baseline spend, the plan
grows unevenly), the ICB's specialised allocation and then its revenue are
raised to fit, with the margins the budget scenarios need; so --v3 changes
budgets, but no other v1 table. (--v3 is not available with --hard, whose
rules sit at the reference plan's values: a raised revenue would break them.)

With --hard the LP is harder for the simplex codes (a benchmark family for
choosing the LP method): the NHS regions are grouped into two equity regions
(the icbs region column; providers and access stay as drawn), ICBs' reference
coverage of each specialised service lies within half a point, and the
equity band and the specialised share floor are set as tight as the
reference plan allows in the baseline and every scenario (a band of about
0.07, a floor of about 0.93); the rules are set at the reference plan's
values less only the room the scenarios need (revenue scaled by up to 1.04,
unit costs by 1.03), and every ICB gets its own mental health floor, urgent
care ceiling, specialised ceiling and chemotherapy floor. At national size
the equity band binds on about a tenth of its rows and CLP's dual simplex
takes two to six times as long as on the default input. The scenario that set
the band to 0.15 sets it 0.05 above the tight band instead. The default
output (without --hard) is unchanged.

All figures are synthetic. ICB names and codes are real so that the tables
read naturally; trusts are invented. Nothing here is NHS data.

Python 3 standard library only.
"""

import argparse
import csv
import math
import os
import random
import sys

FIRST_YEAR = 2025

# ---------------------------------------------------------------------------
# England's 42 ICBs by NHS England region: (code, name, population in m)
# ---------------------------------------------------------------------------
REGIONS = [
    ("North East and Yorkshire", [
        ("QHM", "NHS North East and North Cumbria ICB", 3.04),
        ("QWO", "NHS West Yorkshire ICB", 2.40),
        ("QOQ", "NHS Humber and North Yorkshire ICB", 1.72),
        ("QF7", "NHS South Yorkshire ICB", 1.42)]),
    ("North West", [
        ("QOP", "NHS Greater Manchester ICB", 2.95),
        ("QYG", "NHS Cheshire and Merseyside ICB", 2.62),
        ("QE1", "NHS Lancashire and South Cumbria ICB", 1.75)]),
    ("Midlands", [
        ("QHL", "NHS Birmingham and Solihull ICB", 1.31),
        ("QUA", "NHS Black Country ICB", 1.30),
        ("QT1", "NHS Nottingham and Nottinghamshire ICB", 1.20),
        ("QNC", "NHS Staffordshire and Stoke-on-Trent ICB", 1.14),
        ("QK1", "NHS Leicester, Leicestershire and Rutland ICB", 1.12),
        ("QJ2", "NHS Derby and Derbyshire ICB", 1.07),
        ("QWU", "NHS Coventry and Warwickshire ICB", 1.03),
        ("QGH", "NHS Herefordshire and Worcestershire ICB", 0.80),
        ("QJM", "NHS Lincolnshire ICB", 0.78),
        ("QPM", "NHS Northamptonshire ICB", 0.79),
        ("QOC", "NHS Shropshire, Telford and Wrekin ICB", 0.51)]),
    ("East of England", [
        ("QM7", "NHS Hertfordshire and West Essex ICB", 1.58),
        ("QH8", "NHS Mid and South Essex ICB", 1.22),
        ("QMM", "NHS Norfolk and Waveney ICB", 1.09),
        ("QHG", "NHS Bedfordshire, Luton and Milton Keynes ICB", 1.05),
        ("QJG", "NHS Suffolk and North East Essex ICB", 1.01),
        ("QUE", "NHS Cambridgeshire and Peterborough ICB", 0.93)]),
    ("London", [
        ("QRV", "NHS North West London ICB", 2.10),
        ("QMF", "NHS North East London ICB", 2.05),
        ("QKK", "NHS South East London ICB", 1.92),
        ("QMJ", "NHS North Central London ICB", 1.55),
        ("QWE", "NHS South West London ICB", 1.52)]),
    ("South East", [
        ("QRL", "NHS Hampshire and Isle of Wight ICB", 1.93),
        ("QKS", "NHS Kent and Medway ICB", 1.88),
        ("QU9", "NHS Buckinghamshire, Oxfordshire and Berkshire West ICB", 1.84),
        ("QNX", "NHS Sussex ICB", 1.72),
        ("QXU", "NHS Surrey Heartlands ICB", 1.09),
        ("QNQ", "NHS Frimley ICB", 0.80)]),
    ("South West", [
        ("QJK", "NHS Devon ICB", 1.22),
        ("QUY", "NHS Bristol, North Somerset and South Gloucestershire ICB", 0.98),
        ("QOX", "NHS Bath and North East Somerset, Swindon and Wiltshire ICB", 0.94),
        ("QVV", "NHS Dorset ICB", 0.79),
        ("QR1", "NHS Gloucestershire ICB", 0.67),
        ("QT6", "NHS Cornwall and Isles of Scilly ICB", 0.58),
        ("QSL", "NHS Somerset ICB", 0.58)]),
]

JOINT_COMMITTEES = {
    "North East and Yorkshire": "NEYJC", "North West": "NWJC", "Midlands": "MJC",
    "East of England": "EOEJC", "London": "LJC", "South East": "SEJC", "South West": "SWJC",
}

# Towns that name the (invented) trusts of each region.
TOWNS = {
    "North East and Yorkshire": [
        "Leeds", "Sheffield", "Newcastle", "Hull", "York", "Bradford", "Sunderland", "Middlesbrough",
        "Doncaster", "Barnsley", "Rotherham", "Wakefield", "Huddersfield", "Harrogate", "Durham",
        "Gateshead", "Scarborough", "Carlisle", "Halifax", "Darlington", "Northallerton", "Grimsby"],
    "North West": [
        "Manchester", "Liverpool", "Preston", "Salford", "Bolton", "Wigan", "Stockport", "Oldham",
        "Blackpool", "Lancaster", "Chester", "Warrington", "Wirral", "Southport", "St Helens",
        "Burnley", "Blackburn", "Macclesfield", "Crewe", "Bury", "Rochdale", "Kendal"],
    "Midlands": [
        "Birmingham", "Nottingham", "Leicester", "Coventry", "Derby", "Wolverhampton", "Stoke",
        "Lincoln", "Northampton", "Worcester", "Hereford", "Shrewsbury", "Walsall", "Dudley",
        "Burton", "Kettering", "Boston", "Mansfield", "Chesterfield", "Warwick", "Telford",
        "Sandwell", "Redditch", "Grantham", "Stafford", "Solihull", "Nuneaton", "Loughborough"],
    "East of England": [
        "Cambridge", "Norwich", "Ipswich", "Colchester", "Chelmsford", "Luton", "Bedford",
        "Peterborough", "Watford", "Harlow", "Southend", "Basildon", "King's Lynn", "Stevenage",
        "Milton Keynes", "Bury St Edmunds", "Great Yarmouth", "Huntingdon", "Hitchin"],
    "London": [
        "Barts", "Guy's", "King's", "St George's", "Imperial", "Whittington", "Royal Free",
        "Homerton", "Lewisham", "Croydon", "Kingston", "Ealing", "Hillingdon", "Barking",
        "North Middlesex", "Chelsea", "Tottenham", "Greenwich", "Epsom", "Harrow", "Bromley"],
    "South East": [
        "Oxford", "Southampton", "Portsmouth", "Brighton", "Reading", "Maidstone", "Canterbury",
        "Guildford", "Frimley", "Winchester", "Chichester", "Eastbourne", "Hastings", "Ashford",
        "Dartford", "Aylesbury", "Milton", "Basingstoke", "Crawley", "Margate", "Medway",
        "Isle of Wight", "Banbury", "Tunbridge Wells"],
    "South West": [
        "Bristol", "Plymouth", "Exeter", "Truro", "Bath", "Swindon", "Gloucester", "Cheltenham",
        "Taunton", "Yeovil", "Bournemouth", "Poole", "Dorchester", "Salisbury", "Torbay",
        "Barnstaple", "Weston", "Cirencester", "Bridgwater", "Penzance"],
}
TRUST_STYLES = [
    "{} Teaching Hospitals NHS Foundation Trust",
    "{} University Hospitals NHS Trust",
    "{} Hospitals NHS Foundation Trust",
    "{} and District NHS Foundation Trust",
    "{} General Hospital NHS Trust",
]
SPECIALIST_STYLES = [
    "{} Children's NHS Foundation Trust",
    "{} Heart and Lung NHS Foundation Trust",
    "{} Cancer Centre NHS Foundation Trust",
    "{} Neurosciences NHS Foundation Trust",
    "{} Orthopaedic Hospital NHS Foundation Trust",
]

# ---------------------------------------------------------------------------
# Service catalogue. Programme: (id prefix, category, growth range,
# cost per QALY range in £, provided by hospitals?). Entries: (name, unit,
# unit cost £, need per 100,000 people a year, flags). Flags: "core" (always
# chosen), "new" (no baseline activity yet), "rare" (only at national centres).
# ---------------------------------------------------------------------------
PROGRAMMES = {
    "cancer": ("CAN", "specialised", (0.02, 0.04), (12000, 30000), True),
    "renal": ("REN", "specialised", (0.03, 0.05), (25000, 40000), True),
    "cardiac": ("CAR", "specialised", (0.01, 0.03), (10000, 25000), True),
    "neurosciences": ("NEU", "specialised", (0.01, 0.03), (15000, 32000), True),
    "respiratory": ("RES", "specialised", (0.01, 0.03), (18000, 35000), True),
    "blood_infection": ("BLD", "specialised", (0.01, 0.03), (15000, 38000), True),
    "hepatology": ("HEP", "specialised", (0.01, 0.03), (15000, 35000), True),
    "trauma": ("TRA", "specialised", (0.01, 0.02), (12000, 30000), True),
    "women_children": ("WC", "specialised", (0.01, 0.02), (10000, 28000), True),
    "specialist_medicine": ("SPM", "specialised", (0.01, 0.03), (15000, 38000), True),
    "mental_health": ("MH", "specialised", (0.01, 0.02), (18000, 32000), False),
    "urgent_emergency": ("UEC", "priority", (0.01, 0.03), (20000, 35000), False),
    "elective": ("ELE", "priority", (0.02, 0.04), (15000, 28000), True),
    "diagnostics": ("DIA", "priority", (0.03, 0.05), (12000, 25000), True),
    "primary_care": ("PC", "priority", (0.01, 0.02), (20000, 35000), False),
    "mental_health ": ("MHP", "priority", (0.02, 0.04), (12000, 22000), False),
    "prevention": ("PRV", "priority", (0.01, 0.03), (5000, 15000), False),
    "community": ("COM", "priority", (0.02, 0.04), (15000, 30000), False),
    "maternity": ("MAT", "priority", (0.00, 0.01), (15000, 30000), False),
}
# (the trailing space keeps the two mental health keys apart; stripped on output)

CATALOGUE = {
    "cancer": [
        ("Chemotherapy (adult)", "course", 10000, 256, "core"),
        ("Radiotherapy", "course", 5500, 250, "core"),
        ("Stereotactic radiosurgery", "procedure", 8000, 5, ""),
        ("Proton beam therapy", "course", 35000, 0.6, "rare"),
        ("Teenage and young adult cancer care", "patient", 12000, 4, ""),
        ("Bone marrow transplantation (adult)", "transplant", 60000, 3, ""),
        ("CAR-T cell therapy", "treatment", 280000, 0.3, "rare"),
        ("Sarcoma services", "patient", 9000, 8, ""),
        ("Head and neck cancer surgery", "operation", 14000, 12, ""),
        ("Oesophago-gastric cancer surgery", "operation", 16000, 6, ""),
        ("Hepatobiliary and pancreatic cancer surgery", "operation", 18000, 5, ""),
        ("Brain and CNS tumour surgery", "operation", 15000, 6, ""),
        ("Specialised urological cancer surgery", "operation", 11000, 20, ""),
        ("Gynaecological cancer surgery", "operation", 9000, 15, ""),
        ("Paediatric oncology", "patient", 30000, 2.5, ""),
        ("Molecular radiotherapy", "treatment", 6000, 3, ""),
    ],
    "renal": [
        ("Renal dialysis (hospital haemodialysis)", "patient-year", 30000, 54, "core"),
        ("Home haemodialysis", "patient-year", 22000, 5, ""),
        ("Peritoneal dialysis", "patient-year", 20000, 10, ""),
        ("Renal transplantation", "transplant", 25000, 5, ""),
        ("Vascular access for dialysis", "procedure", 4000, 20, ""),
        ("Paediatric nephrology", "patient", 8000, 2, ""),
    ],
    "cardiac": [
        ("Cardiac surgery (adult)", "operation", 15000, 50, "core"),
        ("Primary PCI", "procedure", 6000, 60, ""),
        ("TAVI", "procedure", 20000, 10, ""),
        ("Electrophysiology and ablation", "procedure", 7000, 30, ""),
        ("ICD implantation", "procedure", 12000, 12, ""),
        ("Adult congenital heart disease", "patient", 6000, 8, ""),
        ("Paediatric cardiac surgery", "operation", 25000, 2, ""),
        ("Heart transplantation", "transplant", 120000, 0.4, "rare"),
        ("Pulmonary hypertension", "patient-year", 9000, 6, ""),
        ("Inherited cardiac conditions", "patient", 1500, 20, ""),
    ],
    "neurosciences": [
        ("Specialised neurosurgery", "procedure", 12000, 46, "core"),
        ("Specialised spinal surgery", "operation", 11000, 20, ""),
        ("Deep brain stimulation", "procedure", 30000, 1, "rare"),
        ("Epilepsy surgery", "operation", 25000, 1.2, ""),
        ("Neuro-rehabilitation (level 1)", "bed-day", 700, 400, ""),
        ("Multiple sclerosis disease-modifying therapy", "patient-year", 9000, 80, ""),
        ("Spinal cord injury care", "bed-day", 900, 60, ""),
        ("Neuropsychiatry", "bed-day", 800, 30, ""),
        ("Cochlear implantation", "procedure", 35000, 1.5, ""),
        ("Mechanical thrombectomy", "procedure", 15000, 8, ""),
    ],
    "respiratory": [
        ("ECMO", "bed-day", 5000, 1, "rare"),
        ("Severe asthma biologics", "patient-year", 10000, 30, ""),
        ("Cystic fibrosis (adult)", "patient-year", 18000, 10, ""),
        ("Interstitial lung disease antifibrotics", "patient-year", 25000, 8, ""),
        ("Lung transplantation", "transplant", 90000, 0.3, "rare"),
        ("Home ventilation", "patient-year", 8000, 8, ""),
    ],
    "blood_infection": [
        ("HIV treatment", "patient-year", 6000, 150, ""),
        ("Hepatitis C treatment", "course", 15000, 20, ""),
        ("Haemophilia care", "patient-year", 80000, 1.5, ""),
        ("Haemoglobinopathies", "patient-year", 10000, 6, ""),
        ("Immunoglobulin therapy", "patient-year", 20000, 8, ""),
        ("High consequence infectious diseases", "bed-day", 5000, 0.5, "rare"),
    ],
    "hepatology": [
        ("Liver transplantation", "transplant", 70000, 1.4, ""),
        ("Complex hepatology", "patient", 4000, 15, ""),
        ("Intestinal failure (home parenteral nutrition)", "patient-year", 40000, 3, ""),
        ("Complex bariatric surgery", "operation", 7000, 10, ""),
        ("Complex inflammatory bowel disease", "patient-year", 8000, 40, ""),
    ],
    "trauma": [
        ("Major trauma", "patient", 25000, 12, ""),
        ("Specialist burns care", "bed-day", 2500, 20, ""),
        ("Revision orthopaedic surgery", "operation", 13000, 15, ""),
        ("Complex hand surgery", "operation", 4000, 10, ""),
        ("Specialised rehabilitation (level 2)", "bed-day", 600, 300, ""),
        ("Limb prosthetics", "patient", 8000, 5, ""),
    ],
    "women_children": [
        ("Neonatal critical care", "cot-day", 1500, 550, "core"),
        ("Paediatric intensive care", "bed-day", 4000, 150, "core"),
        ("Fetal medicine", "patient", 1800, 30, ""),
        ("Specialist paediatric surgery", "operation", 7000, 40, ""),
        ("Paediatric neurosciences", "patient", 10000, 10, ""),
        ("Specialist paediatric gastroenterology", "patient", 3000, 20, ""),
        ("Cleft lip and palate", "patient", 12000, 2, ""),
        ("Specialist neonatal surgery", "operation", 15000, 3, ""),
        ("Paediatric critical care transport", "transfer", 3000, 15, ""),
    ],
    "specialist_medicine": [
        ("Specialist ophthalmology", "patient", 2000, 30, ""),
        ("Specialist dermatology", "patient", 3000, 20, ""),
        ("Specialist endocrinology", "patient", 2000, 15, ""),
        ("Inherited metabolic disorders", "patient-year", 20000, 3, ""),
        ("Lysosomal storage disorders", "patient-year", 150000, 0.3, "rare"),
        ("Complex aortic vascular surgery", "operation", 14000, 10, ""),
        ("Complex urology", "procedure", 6000, 15, ""),
        ("Specialist ENT", "procedure", 5000, 8, ""),
        ("Specialised pain management", "patient", 3000, 10, ""),
        ("Genomic testing (rare disease)", "test", 800, 100, ""),
    ],
    "mental_health": [
        ("Adult secure mental health", "bed-day", 650, 2500, "core"),
        ("Perinatal mental health (mother and baby units)", "bed-day", 900, 120, "core"),
        ("Adult low secure mental health", "bed-day", 550, 1200, ""),
        ("CAMHS tier 4 inpatient care", "bed-day", 750, 400, ""),
        ("Adult eating disorders inpatient care", "bed-day", 700, 250, ""),
        ("Forensic CAMHS", "contact", 1200, 50, ""),
        ("Gender dysphoria services", "patient", 3000, 30, ""),
        ("Specialist learning disability inpatient care", "bed-day", 700, 300, ""),
        ("Veterans' mental health", "patient", 2500, 20, ""),
    ],
    "urgent_emergency": [
        ("A&E attendances", "attendance", 200, 32000, "core"),
        ("Virtual ward bed-days", "bed-day", 220, 1500, "core"),
        ("Same day emergency care", "attendance", 650, 4000, ""),
        ("Urgent community response", "contact", 300, 2000, ""),
        ("NHS 111 clinical assessment", "call", 25, 10000, ""),
        ("Ambulance see-and-treat", "incident", 250, 5000, ""),
        ("Short-stay emergency admissions", "admission", 1200, 3000, ""),
        ("Mental health crisis response", "contact", 400, 800, ""),
    ],
    "elective": [
        ("Elective admissions", "admission", 3500, 1550, "core"),
        ("Hip and knee replacement", "operation", 7000, 250, ""),
        ("Cataract surgery", "operation", 1000, 700, ""),
        ("Gynaecology day cases", "procedure", 2000, 300, ""),
        ("Urology day cases", "procedure", 1200, 300, ""),
        ("ENT procedures", "procedure", 1800, 200, ""),
        ("Outpatient first attendances", "attendance", 180, 8000, ""),
        ("Outpatient procedures", "procedure", 250, 3000, ""),
    ],
    "diagnostics": [
        ("Diagnostic tests (CT and MRI)", "test", 150, 8600, "core"),
        ("Endoscopy", "procedure", 500, 1200, ""),
        ("Echocardiography", "test", 120, 1200, ""),
        ("Non-obstetric ultrasound", "test", 60, 5000, ""),
        ("Audiology assessments", "assessment", 100, 800, ""),
        ("Sleep studies", "study", 300, 150, ""),
        ("Community diagnostic centre tests", "test", 130, 2500, "new"),
    ],
    "primary_care": [
        ("GP appointments", "appointment", 40, 43000, "core"),
        ("Community pharmacy consultations", "consultation", 15, 8000, ""),
        ("Dental courses of treatment", "course", 90, 5000, ""),
        ("Community nursing visits", "visit", 60, 15000, ""),
        ("Learning disability annual health checks", "check", 150, 300, ""),
        ("Social prescribing referrals", "referral", 100, 1500, ""),
    ],
    "mental_health ": [
        ("Talking therapies", "course of treatment", 1000, 1600, "core"),
        ("Community mental health care", "care spell", 2500, 600, ""),
        ("Individual placement and support", "placement", 1700, 150, ""),
        ("Dementia diagnosis", "assessment", 500, 300, ""),
        ("Early intervention in psychosis", "patient-year", 6000, 40, ""),
        ("Children and young people's mental health", "contact", 200, 3000, ""),
    ],
    "prevention": [
        ("Smoking cessation", "quit attempt supported", 300, 1000, "core"),
        ("Diabetes prevention programme", "participant", 300, 600, "core"),
        ("Hypertension case finding", "person identified", 60, 4300, "core"),
        ("Weight management", "participant", 250, 800, ""),
        ("NHS Health Checks", "check", 40, 4000, ""),
        ("Alcohol care team contacts", "contact", 200, 500, ""),
        ("Falls prevention", "participant", 300, 400, ""),
        ("Cardiac rehabilitation", "programme", 500, 120, ""),
        ("Digital weight management", "participant", 90, 1200, "new"),
    ],
    "community": [
        ("Intermediate care bed-days", "bed-day", 250, 2500, ""),
        ("Discharge to assess bed-days", "bed-day", 200, 2000, ""),
        ("Community rehabilitation", "contact", 300, 1000, ""),
        ("Palliative care at home", "patient", 400, 800, ""),
        ("Wheelchair services", "prescription", 1000, 120, ""),
    ],
    "maternity": [
        ("Maternity pathway (births)", "birth", 5000, 1100, ""),
        ("Continuity of carer", "pathway", 600, 900, ""),
        ("Newborn hearing screening", "screen", 40, 1100, ""),
    ],
}

# Prevention links: (source service name, target service name, avoided share
# of the target's need range, lag in years)
LINKS = [
    ("Smoking cessation", "Chemotherapy (adult)", 2),
    ("Hypertension case finding", "Cardiac surgery (adult)", 2),
    ("Diabetes prevention programme", "Renal dialysis (hospital haemodialysis)", 3),
    ("Weight management", "Complex bariatric surgery", 1),
    ("Alcohol care team contacts", "Liver transplantation", 2),
    ("Falls prevention", "Major trauma", 0),
    ("Cardiac rehabilitation", "Primary PCI", 1),
    ("NHS Health Checks", "TAVI", 3),
]

# Largest need scaling any scenario applies (national standards are set so
# that the reference plan still meets them).
NEED_UP = {"cancer": 1.08, "renal": 1.10, "cardiac": 1.05, "mental_health": 1.05,
           "urgent_emergency": 1.04, "elective": 1.06, "women_children": 1.03}
NEED_UP_ALL = 1.03
NEED_UP_REGION = 1.05
NEED_UP_ICB = 1.06
PLAN_COVERAGE_TOP = 0.965      # highest reference coverage A/N
PREVENTION_SHARE = (0.003, 0.008)  # need of the target avoided by the source
# --hard: factors on the reference plan's values for the rules (the scenarios scale
# revenue by up to 1.04 and unit costs by 1.03; these leave just that room)
HARD_SHARE_DOWN = 0.955        # min_share: below 1/1.04
HARD_SHARE_UP = 1.012          # max_share: above 1/0.99
HARD_COST_UP = 1.032           # max_spend: above 1.03


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
def sig(v, digits=3):
    """Round to `digits` significant figures."""
    if v == 0:
        return 0.0
    e = math.floor(math.log10(abs(v)))
    return round(v, digits - 1 - e)


def qty(v):
    """An activity figure as an analyst would write it."""
    if v >= 1000:
        return float(round(v))
    if v >= 100:
        return round(v, 1)
    return round(v, 2)


def money_up(v, step=100000):
    return float(math.ceil(v / step) * step)


def money_down(v, step=100000):
    return float(math.floor(v / step) * step)


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    text = repr(round(v, 10))
    if "e" in text:                    # plain decimals, as a spreadsheet shows them
        text = ("%.12f" % v).rstrip("0")
    return text


def year_label(t):
    y = FIRST_YEAR + t
    return "%d/%02d" % (y, (y + 1) % 100)


def floor_to(v, step):
    return math.floor(v / step + 1e-9) * step


def ceil_to(v, step):
    return math.ceil(v / step - 1e-9) * step


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------
class Generator:
    def __init__(self, n_icbs, n_services, n_providers, years, seed, v2=False, hard=False,
                 v3=False):
        if n_icbs < 2 or n_services < 18 or n_providers < 2 or years < 1:
            raise ValueError("need at least 2 ICBs, 18 services, 2 providers and 1 year")
        if hard and n_icbs < 4:
            raise ValueError("--hard needs at least 4 ICBs (two regions of two)")
        if hard and v3:
            # --hard sets rules and the share floor at the reference plan's values; the
            # budget fitting of --v3 may raise revenue, which would break them
            raise ValueError("--v3 cannot be combined with --hard")
        self.v2 = v2
        self.v3 = v3
        self.hard = hard
        self.equity_band, self.share_floor = 0.2, 0.85
        self.rng = random.Random(seed)
        self.nI, self.nS, self.nP, self.T = n_icbs, n_services, n_providers, years
        self.seed = seed

    # ---- ICBs and regions
    def make_icbs(self):
        rng = self.rng
        n = self.nI
        n_regions = max(2 if n >= 4 else 1, min(7, round(n / 6)))
        if n >= 42:
            regions = [r for r, _ in REGIONS]
        else:
            regions = [r for r, _ in REGIONS]
            rng.shuffle(regions)
            regions = regions[:n_regions]
        real = dict(REGIONS)
        weights = [len(real[r]) for r in regions]
        counts = [max(1, round(n * w / sum(weights))) for w in weights]
        while sum(counts) > n:
            k = max(range(len(counts)), key=lambda j: counts[j])
            counts[k] -= 1
        while sum(counts) < n:
            k = min(range(len(counts)), key=lambda j: counts[j] / weights[j])
            counts[k] += 1
        self.icbs = []
        extra = 0
        for r, k in zip(regions, counts):
            pool = list(real[r])
            if n < 42:
                rng.shuffle(pool)
            chosen = pool[:k]
            while len(chosen) < k:
                extra += 1
                chosen.append(("QZ%d" % extra, "NHS %s Area %d ICB" % (r, extra),
                               round(rng.uniform(0.5, 2.5), 2)))
            for code, name, pop in chosen:
                self.icbs.append(dict(id=code, name=name, region=r,
                                      population=int(round(pop * 1e6 * rng.uniform(0.98, 1.02), -3)),
                                      deprivation=rng.uniform(0.9, 1.15)))
        # joint committees: most regions form one for all their ICBs
        self.regions = regions
        with_jc = [r for r in regions if rng.random() < 0.75] or regions[:1]
        for icb in self.icbs:
            icb["jc"] = JOINT_COMMITTEES[icb["region"]] if icb["region"] in with_jc else ""

    # ---- services
    def make_services(self):
        rng = self.rng
        entries = []
        for prog, items in CATALOGUE.items():
            for pos, (name, unit, cost, rate, flags) in enumerate(items):
                entries.append(dict(programme=prog, name=name, unit=unit, cost=cost, rate=rate,
                                    flags=flags, pos=pos))
        core = [e for e in entries if "core" in e["flags"]]
        spec_pool = [e for e in entries if PROGRAMMES[e["programme"]][1] == "specialised"
                     and "core" not in e["flags"]]
        prio_pool = [e for e in entries if PROGRAMMES[e["programme"]][1] == "priority"
                     and "core" not in e["flags"]]
        n_spec = max(sum(1 for e in core if PROGRAMMES[e["programme"]][1] == "specialised"),
                     round(0.55 * self.nS))
        n_spec_more = n_spec - sum(1 for e in core if PROGRAMMES[e["programme"]][1] == "specialised")
        n_prio_more = self.nS - len(core) - n_spec_more
        rng.shuffle(spec_pool)
        rng.shuffle(prio_pool)
        chosen = core + spec_pool[:n_spec_more] + prio_pool[:max(0, n_prio_more)]
        # beyond the catalogue: further cohorts of catalogue services
        k = 2
        while len(chosen) < self.nS:
            base = rng.choice(entries)
            e = dict(base)
            e["name"] = "%s (cohort %d)" % (base["name"], k)
            e["flags"] = base["flags"].replace("core", "")
            e["pos"] = 100 + len(chosen)
            chosen.append(e)
            k += 1
        chosen.sort(key=lambda e: (list(PROGRAMMES).index(e["programme"]), e["pos"]))
        counters = {}
        self.services = []
        for e in chosen:
            prefix, cat, grange, cqrange, provided = PROGRAMMES[e["programme"]]
            counters[prefix] = counters.get(prefix, 0) + 1
            sid = "%s%02d" % (prefix, counters[prefix])
            cost = sig(e["cost"] * rng.uniform(0.92, 1.08), 3)
            growth = round(rng.uniform(*grange), 3)
            if e["name"].startswith("Virtual ward") or "new" in e["flags"]:
                growth = 0.05
            cpq = rng.uniform(*cqrange)
            s = dict(id=sid, name=e["name"], category=cat, programme=e["programme"].strip(),
                     unit=e["unit"], cost=cost, benefit=sig(cost / cpq, 3), growth=growth,
                     rate=e["rate"] * rng.uniform(0.85, 1.2), new="new" in e["flags"],
                     rare="rare" in e["flags"], provided=provided, kappa=None, lag=None,
                     mu=None, m=None, sens=rng.uniform(0.0, 1.0))
            self.services.append(s)
        self.by_name = {s["name"]: s for s in self.services}
        # reference coverage range (A/N of the reference plan), by kind
        for s in self.services:
            if s["new"]:
                s["cov"] = (0.0, 0.0)
            elif s["category"] == "specialised":
                lo = rng.uniform(0.90, 0.93)
                s["cov"] = (lo, min(PLAN_COVERAGE_TOP, lo + rng.uniform(0.02, 0.035)))
                if self.hard:        # ICBs' reference coverage close together: a tight band
                    s["cov"] = (lo, lo + 0.005)
            elif s["programme"] in ("prevention", "community") or s["name"].startswith("Virtual"):
                lo = rng.uniform(0.45, 0.65)
                s["cov"] = (lo, lo + rng.uniform(0.08, 0.15))
            else:
                lo = rng.uniform(0.78, 0.9)
                s["cov"] = (lo, min(PLAN_COVERAGE_TOP, lo + rng.uniform(0.03, 0.06)))
        # expandable capacity among provided services
        for s in self.services:
            if s["provided"] and rng.random() < 0.35:
                s["kappa"] = sig(s["cost"] * rng.uniform(0.6, 1.8), 2)
                s["lag"] = rng.choice([1, 1, 1, 1, 1, 2, 0])
        # tighter stability limits for a few services whose need grows slowly
        for s in self.services:
            if not s["new"] and rng.random() < 0.12:
                mu = rng.choice([0.05, 0.08, 0.1])
                if s["growth"] <= mu - 0.01:
                    s["mu"] = mu

    # ---- prevention links
    def make_links(self):
        rng = self.rng
        self.links = []
        targets = set()
        for src, dst, lag in LINKS:
            if src in self.by_name and dst in self.by_name and dst not in targets:
                q, s = self.by_name[src], self.by_name[dst]
                if q["new"] or s["new"]:
                    continue
                targets.add(dst)
                self.links.append(dict(q=q, s=s, lag=lag,
                                       share=rng.uniform(*PREVENTION_SHARE)))
        for link in self.links:
            lo, hi = link["s"]["cov"]
            # leave room in the target's need for the avoided need
            link["s"]["cov"] = (lo - 0.01, hi - 0.015)

    # ---- providers
    def make_providers(self):
        rng = self.rng
        by_region = {r: [i for i in self.icbs if i["region"] == r] for r in self.regions}
        total_pop = sum(i["population"] for i in self.icbs)
        # providers per ICB in proportion to population, at least one each
        share = [i["population"] / total_pop * self.nP for i in self.icbs]
        counts = [max(1, int(x)) for x in share]
        order = sorted(range(len(counts)), key=lambda k: share[k] - int(share[k]), reverse=True)
        j = 0
        while sum(counts) < self.nP:
            counts[order[j % len(order)]] += 1
            j += 1
        while sum(counts) > self.nP:
            k = max(range(len(counts)), key=lambda k: counts[k])
            counts[k] -= 1
        used_names, used_ids = set(), set()
        self.providers = []
        towns_left = {r: list(TOWNS[r]) for r in self.regions}
        for r in self.regions:
            rng.shuffle(towns_left[r])
        for icb, c in zip(self.icbs, counts):
            for k in range(c):
                r = icb["region"]
                specialist = k > 0 and rng.random() < 0.12
                town = towns_left[r].pop() if towns_left[r] else "%s %d" % (
                    icb["name"].replace("NHS ", "").replace(" ICB", ""), k + 1)
                styles = SPECIALIST_STYLES if specialist else TRUST_STYLES
                name = rng.choice(styles).format(town)
                while name in used_names:
                    name = rng.choice(styles).format(town + " " + rng.choice("ABCDEFGH"))
                used_names.add(name)
                while True:
                    pid = "R" + rng.choice("ABCDEFGHJKLMNPQRTVWXY") + rng.choice("0123456789ABCDEFGHJK")
                    if pid not in used_ids:
                        break
                used_ids.add(pid)
                self.providers.append(dict(id=pid, name=name, icb=icb["id"], region=r,
                                           specialist=specialist, size=rng.uniform(0.5, 1.5),
                                           centre=False, national=False))
        # centres of excellence: one or two in each region (the biggest teaching
        # hospitals and specialist trusts); one in two regions has a national centre
        for r in self.regions:
            rp = [p for p in self.providers if p["region"] == r]
            rp.sort(key=lambda p: (not p["specialist"], -p["size"]))
            k = 1 if len(rp) < 6 else 2
            for p in rp[:k]:
                p["centre"] = True
        centres = [p for p in self.providers if p["centre"]]
        n_nat = max(1, len(self.regions) // 2)
        for p in rng.sample(centres, min(n_nat, len(centres))):
            p["national"] = True
        self.by_region_p = {r: [p for p in self.providers if p["region"] == r] for r in self.regions}
        self.by_region_i = by_region

    # ---- need and baseline
    def make_demand(self):
        rng = self.rng
        self.demand = {}        # (icb id, service id) -> dict(n, a0, cov)
        for icb in self.icbs:
            for s in self.services:
                if s["category"] == "specialised" and not s["rare"] and rng.random() < 0.02:
                    continue       # not commissioned for this population
                n = icb["population"] / 1e5 * s["rate"] * icb["deprivation"] ** s["sens"] \
                    * rng.uniform(0.94, 1.06)
                n = qty(n)
                if n <= 0:
                    continue
                if s["new"]:
                    a0 = 0.0
                else:
                    lo, hi = s["cov"]
                    cov = rng.uniform(lo, hi)
                    a0 = qty(cov * n / (1 + s["growth"]))
                self.demand[(icb["id"], s["id"])] = dict(n=n, a0=a0)

    def plan_activity(self, i, s, t):
        d = self.demand.get((i, s["id"]))
        if d is None:
            return 0.0
        return d["a0"] * (1 + s["growth"]) ** (t + 1)

    # ---- which providers offer which services; the reference split
    def make_capacity(self):
        rng = self.rng
        national = [p for p in self.providers if p["national"]]
        self.access = {}
        for icb in self.icbs:
            acc = [p for p in self.by_region_p[icb["region"]]]
            for p in national:
                if p not in acc:
                    acc.append(p)
            self.access[icb["id"]] = acc
        self.offers = {}     # service id -> list of providers
        for s in self.services:
            if not s["provided"]:
                continue
            offer = []
            if s["rare"]:
                offer = list(national)
                # plus a regional centre or two
                others = [p for p in self.providers if p["centre"] and not p["national"]]
                offer += rng.sample(others, min(len(others), rng.randint(0, 2)))
            else:
                for r in self.regions:
                    rp = self.by_region_p[r]
                    if s["category"] == "specialised":
                        k = min(len(rp), rng.randint(1, 3))
                        weights = [(3.0 if p["centre"] else 1.0) * p["size"] for p in rp]
                    else:
                        k = max(1, round(len(rp) * rng.uniform(0.25, 0.45)))
                        weights = [(0.2 if p["specialist"] else 1.0) * p["size"] for p in rp]
                    pick = []
                    pool = list(zip(rp, weights))
                    for _ in range(k):
                        tot = sum(w for _, w in pool)
                        x = rng.uniform(0, tot)
                        for j, (p, w) in enumerate(pool):
                            x -= w
                            if x <= 0 or j == len(pool) - 1:
                                pick.append(p)
                                pool.pop(j)
                                break
                    offer += pick
                if s["category"] == "specialised":
                    for p in national:
                        if p not in offer and rng.random() < 0.5:
                            offer.append(p)
            self.offers[s["id"]] = offer
        # reference split of each ICB's activity over the providers it may use
        self.split = {}      # (icb, service) -> list of (provider, weight)
        for icb in self.icbs:
            acc_ids = {p["id"] for p in self.access[icb["id"]]}
            for s in self.services:
                if not s["provided"] or (icb["id"], s["id"]) not in self.demand:
                    continue
                cand = [p for p in self.offers[s["id"]] if p["id"] in acc_ids]
                if not cand:
                    # make sure somebody in the region offers it
                    p = max(self.by_region_p[icb["region"]], key=lambda p: p["size"])
                    self.offers[s["id"]].append(p)
                    cand = [p]
                ws = []
                for p in cand:
                    w = p["size"]
                    if p["icb"] == icb["id"]:
                        w *= 3
                    if p["region"] != icb["region"]:
                        w *= 0.15
                    ws.append(w)
                tot = sum(ws)
                self.split[(icb["id"], s["id"])] = [(p, w / tot) for p, w in zip(cand, ws)]
        # capacity rows around the reference loads
        load = {}
        for (i, sid), parts in self.split.items():
            s = self.sid[sid]
            for t in range(self.T):
                a = self.plan_activity(i, s, t)
                if s["new"]:
                    # a new service: capacity for about a third of need
                    a = 0.33 * self.demand[(i, sid)]["n"] * (1 + s["growth"]) ** t
                for p, w in parts:
                    load[(p["id"], sid, t)] = load.get((p["id"], sid, t), 0.0) + a * w
        self.capacity = []
        for s in self.services:
            if not s["provided"]:
                continue
            for p in self.offers[s["id"]]:
                loads = [load.get((p["id"], s["id"], t), 0.0) for t in range(self.T)]
                peak = max(loads)
                if peak <= 0:
                    continue
                if s["kappa"] is not None:
                    head = rng.uniform(1.03, 1.06)
                else:
                    head = rng.uniform(1.03, 1.15)
                C = math.ceil(peak * head * 100) / 100 if peak < 100 else float(math.ceil(peak * head))
                row = dict(p=p, s=s, C=C, c=None, V=None, E=None)
                if p["centre"] and rng.random() < 0.4:
                    row["c"] = sig(s["cost"] * rng.uniform(1.03, 1.12), 3)
                elif rng.random() < 0.12:
                    row["c"] = sig(s["cost"] * rng.uniform(0.9, 1.08), 3)
                if p["centre"] and s["category"] == "specialised" and min(loads) > 0 and not s["new"] \
                        and rng.random() < 0.7:
                    v = min(loads) * rng.uniform(0.85, 0.94)
                    row["V"] = float(math.floor(v)) if v >= 100 else math.floor(v * 100) / 100
                if s["kappa"] is not None and rng.random() < 0.6:
                    row["E"] = float(math.ceil(C * rng.uniform(0.08, 0.2)))
                self.capacity.append(row)

    # ---- reference spend, budgets
    def make_budgets(self):
        rng = self.rng
        cps = {(r["p"]["id"], r["s"]["id"]): (r["c"] if r["c"] is not None else r["s"]["cost"])
               for r in self.capacity}
        self.plan_spend = {}   # (icb, service id, t) -> £
        for icb in self.icbs:
            i = icb["id"]
            for s in self.services:
                if (i, s["id"]) not in self.demand:
                    continue
                for t in range(self.T):
                    a = self.plan_activity(i, s, t)
                    if s["provided"]:
                        sp = sum(a * w * cps[(p["id"], s["id"])] for p, w in self.split[(i, s["id"])])
                    else:
                        sp = a * s["cost"]
                    self.plan_spend[(i, s["id"], t)] = sp
        self.budgets = {}
        hosts_expandable = {r["p"]["icb"] for r in self.capacity if r["s"]["kappa"] is not None}
        for icb in self.icbs:
            i = icb["id"]
            base_all = sum(s["cost"] * self.demand[(i, s["id"])]["a0"] for s in self.services
                           if (i, s["id"]) in self.demand)
            base_spec = sum(s["cost"] * self.demand[(i, s["id"])]["a0"] for s in self.services
                            if (i, s["id"]) in self.demand and s["category"] == "specialised")
            beta = base_spec / base_all
            self.beta = getattr(self, "beta", {})
            self.beta[i] = beta
            slack = rng.uniform(0.012, 0.03)
            explicit_sr = rng.random() < 0.15
            cap_level = rng.uniform(0.004, 0.012)
            blank_capital = i not in hosts_expandable and rng.random() < 0.5
            for t in range(self.T):
                spec = sum(self.plan_spend.get((i, s["id"], t), 0.0) for s in self.services
                           if s["category"] == "specialised")
                prio = sum(self.plan_spend.get((i, s["id"], t), 0.0) for s in self.services
                           if s["category"] == "priority")
                R = money_up(max(spec / beta, prio / (1 - beta)) * (1 + slack))
                SR = money_up(spec * (1 + slack * rng.uniform(0.3, 0.9))) if explicit_sr else None
                K = None if blank_capital else \
                    float(max(500000, round(R * cap_level * rng.uniform(0.8, 1.2) / 500000) * 500000))
                self.budgets[(i, t)] = dict(R=R, K=K, SR=SR)

    # ---- national standards (after the scenarios are known)
    def set_standards(self):
        rng = self.rng
        region_up = NEED_UP_REGION if len(self.regions) > 1 else 1.0
        for s in self.services:
            if s["new"]:
                continue
            f = max(NEED_UP.get(s["programme"], 1.0), NEED_UP_ALL, region_up, NEED_UP_ICB)
            lo = s["cov"][0]
            if s["category"] == "specialised" or rng.random() < 0.6:
                m = floor_to(lo / f - 0.005, 0.05)
                s["m"] = round(m, 2) if m >= 0.3 else None

    # ---- rules of every kind, from the reference plan's spend
    def make_rules(self):
        rng = self.rng
        T = self.T
        R = {k: v["R"] for k, v in self.budgets.items()}
        ids = [icb["id"] for icb in self.icbs]

        def spend(i, sel, t):
            return sum(self.plan_spend.get((i, s["id"], t), 0.0) for s in self.services if sel(s))

        prog = lambda name: (lambda s: s["programme"] == name)
        self.rules = []
        if self.hard:
            self.make_hard_rules(spend, prog, R, ids)
            return
        mh = [spend(i, prog("mental_health"), t) / R[(i, t)] for i in ids for t in range(T)]
        self.rules.append(("mental_health_investment_standard", "*", "programme:mental_health", None,
                           "min_share", "%.1f%%" % (100 * floor_to(min(mh) * 0.93, 0.005))))
        uec = [spend(i, prog("urgent_emergency"), t) / R[(i, t)] for i in ids for t in range(T)]
        self.rules.append(("uec_cap", "*", "programme:urgent_emergency", None, "max_share",
                           "%.1f%%" % (100 * ceil_to(max(uec) * 1.04, 0.005))))
        # one ICB's commitment to primary care in the third year
        t3 = min(2, T - 1)
        i = rng.choice(ids)
        v = spend(i, prog("primary_care"), t3)
        self.rules.append(("%s_primary_care_%d" % (i.lower(), FIRST_YEAR + t3), i,
                           "programme:primary_care", year_label(t3), "min_spend",
                           money_down(v * 0.95)))
        # a national ceiling on specialised spend in one year
        tot = sum(spend(i, lambda s: s["category"] == "specialised", t3) for i in ids)
        self.rules.append(("specialised_national_ceiling_%d" % (FIRST_YEAR + t3), "all",
                           "category:specialised", year_label(t3), "max_spend",
                           money_up(tot * 1.06, 1000000)))
        # every ICB keeps a floor under chemotherapy
        chemo = self.by_name["Chemotherapy (adult)"]
        v = min(spend(i, lambda s: s is chemo, t) for i in ids for t in range(T))
        self.rules.append(("chemotherapy_floor", "*", "service:%s" % chemo["id"], None,
                           "min_spend", money_down(v * 0.9)))
        # cancer's share of all revenue, nationally
        sh = [sum(spend(i, prog("cancer"), t) for i in ids) / sum(R[(i, t)] for i in ids)
              for t in range(T)]
        self.rules.append(("cancer_national_share", "all", "programme:cancer", None, "min_share",
                           "%.2f%%" % (100 * floor_to(min(sh) * 0.93, 0.0001))))
        # no ICB hoards: the system spends at least 85% of its revenue
        self.rules.append(("system_spend_floor", "all", "*", None, "min_share", "85%"))
        # one ICB's ceiling on elective spend (every year)
        i = rng.choice(ids)
        v = max(spend(i, prog("elective"), t) for t in range(T))
        self.rules.append(("%s_elective_ceiling" % i.lower(), i, "programme:elective", None,
                           "max_spend", money_up(v * 1.08)))
        # one ICB's ceiling on prevention's share
        i = rng.choice(ids)
        v = max(spend(i, prog("prevention"), t) / R[(i, t)] for t in range(T))
        self.rules.append(("%s_prevention_cap" % i.lower(), i, "programme:prevention", None,
                           "max_share", "%.2f%%" % (100 * ceil_to(v * 1.5, 0.0001))))

    # ---- the rules of --hard: the same draws, each limit at the reference plan's own value
    # less only what the scenarios need (so that most of them bind at the optimum)
    def make_hard_rules(self, spend, prog, R, ids):
        rng = self.rng
        T = self.T
        lo_s, hi_s, hi_c = HARD_SHARE_DOWN, HARD_SHARE_UP, HARD_COST_UP
        t3 = min(2, T - 1)
        # every ICB's own mental health floor and urgent care ceiling (shares of revenue)
        for i in ids:
            v = min(spend(i, prog("mental_health"), t) / R[(i, t)] for t in range(T))
            self.rules.append(("%s_mental_health_investment" % i.lower(), i,
                               "programme:mental_health", None, "min_share",
                               "%.2f%%" % (100 * floor_to(v * lo_s, 0.0001))))
            v = max(spend(i, prog("urgent_emergency"), t) / R[(i, t)] for t in range(T))
            self.rules.append(("%s_uec_cap" % i.lower(), i, "programme:urgent_emergency", None,
                               "max_share", "%.2f%%" % (100 * ceil_to(v * hi_s, 0.0001))))
            # the optimum would spend more on specialised care than the plan: a ceiling
            v = max(spend(i, lambda s: s["category"] == "specialised", t) / R[(i, t)]
                    for t in range(T))
            self.rules.append(("%s_specialised_cap" % i.lower(), i, "category:specialised", None,
                               "max_share", "%.2f%%" % (100 * ceil_to(v * hi_s, 0.0001))))
        i = rng.choice(ids)
        v = spend(i, prog("primary_care"), t3)
        self.rules.append(("%s_primary_care_%d" % (i.lower(), FIRST_YEAR + t3), i,
                           "programme:primary_care", year_label(t3), "min_spend",
                           money_down(v * 0.998)))
        tot = sum(spend(i, lambda s: s["category"] == "specialised", t3) for i in ids)
        self.rules.append(("specialised_national_ceiling_%d" % (FIRST_YEAR + t3), "all",
                           "category:specialised", year_label(t3), "max_spend",
                           money_up(tot * hi_c, 1000000)))
        chemo = self.by_name["Chemotherapy (adult)"]
        for i in ids:
            v = min(spend(i, lambda s: s is chemo, t) for t in range(T))
            self.rules.append(("%s_chemotherapy_floor" % i.lower(), i, "service:%s" % chemo["id"],
                               None, "min_spend", money_down(v * 0.998, 10000)))
        sh = [sum(spend(i, prog("cancer"), t) for i in ids) / sum(R[(i, t)] for i in ids)
              for t in range(T)]
        self.rules.append(("cancer_national_share", "all", "programme:cancer", None, "min_share",
                           "%.2f%%" % (100 * floor_to(min(sh) * lo_s, 0.0001))))
        sh = [sum(spend(i, lambda s: True, t) for i in ids) / sum(R[(i, t)] for i in ids)
              for t in range(T)]
        self.rules.append(("system_spend_floor", "all", "*", None, "min_share",
                           "%.2f%%" % (100 * floor_to(min(sh) * lo_s, 0.0001))))
        i = rng.choice(ids)
        v = max(spend(i, prog("elective"), t) for t in range(T))
        self.rules.append(("%s_elective_ceiling" % i.lower(), i, "programme:elective", None,
                           "max_spend", money_up(v * hi_c)))
        i = rng.choice(ids)
        v = max(spend(i, prog("prevention"), t) / R[(i, t)] for t in range(T))
        self.rules.append(("%s_prevention_cap" % i.lower(), i, "programme:prevention", None,
                           "max_share", "%.2f%%" % (100 * ceil_to(v * hi_s, 0.0001))))

    # ---- --hard: two large equity regions, the band and the share floor from the plan
    def harden(self):
        """Group the NHS regions into two equity regions (the region column of icbs;
        providers and access stay as drawn) and set the equity band and the specialised
        share floor as tight as the reference plan allows in the baseline and in every
        scenario (need scalings move coverage; revenue and cost scalings move shares)."""
        order = [r for r, _ in REGIONS]
        regs = sorted(self.regions, key=order.index)
        half = (len(regs) + 1) // 2
        if len(regs) == 1:          # one NHS region: split its ICBs in two
            for k, icb in enumerate(self.icbs):
                icb["eq_region"] = "Equity region %d" % (1 + 2 * k // len(self.icbs))
        else:
            for icb in self.icbs:
                icb["eq_region"] = "Equity region %d" % (1 if regs.index(icb["region"]) < half
                                                          else 2)
        # need scalings of each scenario, as (icb, service) -> factor
        scales = [{}]
        names = sorted({r[0] for r in self.scenarios})
        for name in names:
            f = {}
            for (n, table, column, key, op, value) in self.scenarios:
                if n != name or table != "demand" or column != "need" or op != "scale":
                    continue
                ki, ks = key.split("/")
                for (i, sid) in self.demand:
                    if ki in ("*", i) and ks in ("*", sid):
                        f[(i, sid)] = f.get((i, sid), 1.0) * float(value)
            scales.append(f)
        worst = 1.0
        spec = [s for s in self.services if s["category"] == "specialised"]
        for f in scales:
            for s in spec:
                for t in range(self.T):
                    by = {}
                    for icb in self.icbs:
                        d = self.demand.get((icb["id"], s["id"]))
                        if d is None:
                            continue
                        N = d["n"] * (1 + s["growth"]) ** t * f.get((icb["id"], s["id"]), 1.0)
                        by.setdefault(icb["eq_region"], []).append(
                            (N, self.plan_activity(icb["id"], s, t)))
                    for members in by.values():
                        sn = sum(n for n, _ in members)
                        sa = sum(a for _, a in members)
                        for n, a in members:
                            if n > 0 and sa > 0:
                                worst = min(worst, (a / n) / (sa / sn))
        self.equity_band = round(ceil_to(1 - worst + 0.005, 0.01), 2)
        # share floor: the plan's specialised spend over beta R, at the largest revenue rise
        # net of cost rises of any scenario
        net = 1.0
        for name in names:
            rf = cf = 1.0
            for (n, table, column, key, op, value) in self.scenarios:
                if n == name and op == "scale" and key in ("*", "*/*"):
                    if (table, column) == ("budgets", "revenue"):
                        rf *= float(value)
                    elif (table, column) == ("services", "unit_cost"):
                        cf *= float(value)
            net = max(net, rf / cf)
        low = min(sum(self.plan_spend.get((icb["id"], s["id"], t), 0.0) for s in spec)
                  / (self.beta[icb["id"]] * self.budgets[(icb["id"], t)]["R"])
                  for icb in self.icbs for t in range(self.T))
        self.share_floor = round(floor_to(low / net - 0.002, 0.005), 3)
        for k, row in enumerate(self.scenarios):
            if row[0] == "equity_band_15pct":
                band = round(self.equity_band + 0.05, 2)
                self.scenarios[k] = ("equity_band_%dpct" % round(100 * band),) + row[1:5] + (
                    fmt(band),)

    # ---- scenarios
    def make_scenarios(self):
        rng = self.rng
        rows = []

        def add(name, table, column, key, op, value):
            rows.append((name, table, column, key, op, fmt(value)))

        for prog, f in NEED_UP.items():
            sids = [s["id"] for s in self.services if s["programme"] == prog]
            if not sids:
                continue
            for sid in sids:
                add("%s_need_up" % prog, "demand", "need", "*/%s" % sid, "scale", f)
        add("need_up_everywhere", "demand", "need", "*/*", "scale", NEED_UP_ALL)
        if len(self.regions) > 1:
            r = rng.choice(self.regions)
            for icb in self.icbs:
                if icb["region"] == r:
                    add("need_up_%s" % r.lower().replace(" ", "_"), "demand", "need",
                        "%s/*" % icb["id"], "scale", NEED_UP_REGION)
        icb = rng.choice(self.icbs)
        add("need_up_%s" % icb["id"].lower(), "demand", "need", "%s/*" % icb["id"], "scale",
            NEED_UP_ICB)
        add("revenue_minus_1pct", "budgets", "revenue", "*/*", "scale", 0.99)
        add("revenue_plus_2pct", "budgets", "revenue", "*/*", "scale", 1.02)
        add("revenue_plus_4pct", "budgets", "revenue", "*/*", "scale", 1.04)
        add("capital_cut_20pct", "budgets", "capital", "*/*", "scale", 0.8)
        add("capital_cut_50pct", "budgets", "capital", "*/*", "scale", 0.5)
        add("capital_up_25pct", "budgets", "capital", "*/*", "scale", 1.25)
        for table, column, key in (("services", "unit_cost", "*"),
                                   ("capacity", "unit_cost", "*/*"),
                                   ("budgets", "revenue", "*/*"),
                                   ("budgets", "specialised", "*/*")):
            add("pay_award_funded_3pct", table, column, key, "scale", 1.03)
        add("capacity_cut_2pct", "capacity", "capacity", "*/*", "scale", 0.98)
        add("equity_band_15pct", "settings", "value", "equity_band", "set", 0.15)
        add("no_discounting", "settings", "value", "discount_rate", "set", 0)
        add("joint_commissioning", "settings", "value", "arrangement", "set", "joint")
        self.scenarios = rows

    def generate(self):
        self.make_icbs()
        self.make_services()
        self.sid = {s["id"]: s for s in self.services}
        self.make_links()
        self.make_providers()
        self.make_demand()
        # prevention effects: a small share of the target's need nationally
        for link in self.links:
            n_s = sum(d["n"] for (i, sid), d in self.demand.items() if sid == link["s"]["id"])
            a_q = sum(d["a0"] for (i, sid), d in self.demand.items() if sid == link["q"]["id"])
            link["e"] = sig(link["share"] * n_s / a_q, 3) if a_q > 0 else 0.0
        self.make_capacity()
        self.make_budgets()
        self.set_standards()
        self.make_rules()
        self.make_scenarios()
        if self.hard:
            self.harden()
        if self.v2:
            self.make_v2()
        if self.v3:
            self.make_v3()

    # ---- the extensions (rules 11-13), drawn after every v1 table
    def make_v2(self):
        rng = self.rng
        used_by_icb, icbs_of_p = {}, {}
        for (i, sid), parts in self.split.items():
            for p, w in parts:
                if w > 0:
                    used_by_icb.setdefault(i, set()).add(p["id"])
                    icbs_of_p.setdefault(p["id"], set()).add(i)
        # rule 12: at least what the reference plan uses, sometimes one more
        self.max_providers = {icb["id"]: len(used_by_icb.get(icb["id"], ())) + rng.randint(0, 1)
                              for icb in self.icbs}
        self.max_icbs = {}
        for p in self.providers:
            if p["id"] in icbs_of_p and rng.random() < 0.35:
                self.max_icbs[p["id"]] = len(icbs_of_p[p["id"]]) + rng.randint(0, 1)
        # rule 13: steps on about half the expandable rows (the reference plan expands nothing)
        for r in self.capacity:
            r["step"] = None
            if r["E"] is not None and rng.random() < 0.5:
                r["step"] = float(max(1, math.ceil(r["E"] / rng.choice([2, 3, 4]))))
        # rule 11: one collaborative per region, for the programme with the most provided
        # specialised services; share 10% above the reference plan's use of the pool
        programmes = {}
        for sv in self.services:
            if sv["provided"] and sv["category"] == "specialised":
                programmes[sv["programme"]] = programmes.get(sv["programme"], 0) + 1
        programme = max(sorted(programmes), key=lambda k: programmes[k])
        pool = [sv for sv in self.services if sv["programme"] == programme]
        self.collaboratives, self.collaborative_members = [], []
        for r in self.regions:
            members = [p for p in self.by_region_p[r]
                       if any(p in self.offers.get(sv["id"], ()) for sv in pool)]
            icbs = [i["id"] for i in self.by_region_i[r]]
            if len(members) < 2 or not icbs:
                continue
            lead = max(members, key=lambda p: (p["centre"], p["size"]))
            ratio = 0.0
            for t in range(self.T):
                spend = sum(self.plan_spend.get((i, sv["id"], t), 0.0) for i in icbs for sv in pool)
                sr = 0.0
                for i in icbs:
                    b = self.budgets[(i, t)]
                    sr += b["SR"] if b["SR"] is not None else self.beta[i] * b["R"]
                ratio = max(ratio, spend / sr if sr > 0 else 0.0)
            cid = "COL_" + "".join(w[0] for w in r.split()).upper()
            share = math.ceil(ratio * 1.1 * 1000) / 1000 if ratio > 0 else None
            self.collaboratives.append((cid, "%s %s network" % (r, programme.replace("_", " ")),
                                        lead["id"], "programme:" + programme, " ".join(icbs),
                                        share))
            self.collaborative_members += [(cid, p["id"]) for p in members]

    # ---- the v3 tables (rules 14-16), drawn after every other table
    def region_label(self, icb):
        """The icbs table's region column (equity regions under --hard)."""
        return icb["eq_region"] if self.hard else icb["region"]

    def make_v3(self):
        rng = self.rng
        T = self.T
        spec = [s for s in self.services if s["category"] == "specialised"]
        progs = []
        for s in spec:
            if s["programme"] not in progs:
                progs.append(s["programme"])
        # ---- arrangements (rule 14)
        labels = []
        for icb in self.icbs:
            if self.region_label(icb) not in labels:
                labels.append(self.region_label(icb))
        rows = [("category:specialised", "*", year_label(-1), "joint")]
        deleg_regions = sorted(rng.sample(labels, max(1, len(labels) // 2)), key=labels.index)
        rest = [p for p in progs if p != "mental_health"]
        national = rng.choice(rest) if len(rest) > 3 else None
        pool = [p for p in rest if p != national]
        rng.shuffle(pool)
        deleg = sorted(pool[:rng.randint(2, 3)], key=progs.index)
        later = pool[3] if len(pool) > 3 else None
        for r in deleg_regions:
            for prog in deleg:
                rows.append(("programme:" + prog, "region:" + r, year_label(0), "delegated"))
        if national is not None:
            rows.append(("programme:" + national, "*", year_label(0), "national"))
        for s in spec:
            if s["rare"]:
                rows.append(("service:" + s["id"], "*", year_label(0), "national"))
        self.later_row = None
        if later is not None and T > 1:
            others = [icb["id"] for icb in self.icbs if self.region_label(icb) not in deleg_regions]
            ids = sorted(rng.sample(others, min(len(others), 2)), key=[i["id"] for i in self.icbs].index)
            for r in deleg_regions:
                rows.append(("programme:" + later, "region:" + r, year_label(1), "delegated"))
            if ids:
                rows.append(("programme:" + later, " ".join(ids), year_label(1), "delegated"))
                self.later_row = rows[-1]
        self.arrangements = rows
        # ---- mergers (rule 15): same region and joint committee, never an ICB with a
        # ceiling of its own (a max_spend or max_share rule scoped to it)
        capped = {r[1] for r in self.rules if r[1] not in ("*", "all") and r[4].startswith("max")}
        first = min(1, T - 1)
        free = [icb for icb in self.icbs if icb["id"] not in capped]
        rng.shuffle(free)
        self.icb_changes = []
        taken = set()
        for _ in range(2 if self.nI >= 6 else 1):
            pair = None
            for a in free:
                for b in free:
                    if a is b or a["id"] in taken or b["id"] in taken:
                        continue
                    if (a["region"], a["jc"], self.region_label(a)) == \
                            (b["region"], b["jc"], self.region_label(b)):
                        pair = (a, b)
                        break
                if pair:
                    break
            if not pair:
                break
            a, b = sorted(pair, key=self.icbs.index)
            taken.update((a["id"], b["id"]))
            new = "%s_%s" % (a["id"], b["id"])
            short = lambda icb: icb["name"].replace("NHS ", "").replace(" ICB", "")
            name = "NHS %s and %s ICB" % (short(a), short(b))
            self.icb_changes += [(a["id"], new, year_label(first), name),
                                 (b["id"], new, year_label(first), name)]
        # ---- flows (rule 16): today's activity split as the reference plan splits it
        self.flows = []
        for (i, sid), parts in self.split.items():
            a0 = self.demand[(i, sid)]["a0"]
            if a0 <= 0 or rng.random() < 0.15:
                continue          # left to the capacity split of rule 16
            done = 0.0
            for k, (p, w) in enumerate(parts):
                v = qty(a0 * w) if k < len(parts) - 1 else qty(max(0.0, a0 - done))
                done += v
                if v > 0:
                    self.flows.append((i, sid, p["id"], v))
        # ---- scenarios on the new tables
        if self.later_row is not None:
            services, icbs, year, _ = self.later_row
            self.scenarios.append(("v3_delay_delegation", "arrangements", "from_year",
                                   "%s/%s/%s" % (services, icbs, year), "set", year_label(2)))
        if self.icb_changes:
            self.scenarios.append(("v3_no_merger", "icb_changes", "from_year", "*", "set",
                                   year_label(T)))
        self.fit_budgets_v3()

    def arrangement_v3(self, rows, icb, s, t):
        a = "delegated"           # settings.arrangement
        for services, icbs, year, arr in rows:
            kind, _, value = services.partition(":")
            if services != "*" and not (
                    (kind == "category" and s["category"] == value)
                    or (kind == "programme" and s["programme"] == value)
                    or (kind == "service" and s["id"] == value)):
                continue
            if icbs != "*" and not (icbs == "region:" + self.region_label(icb)
                                    or icb["id"] in icbs.split()):
                continue
            if int(year[:4]) - FIRST_YEAR <= t:
                a = arr
        return a

    def fit_budgets_v3(self):
        """Raise specialised allocations, then revenue, where the reference plan
        would break a rule 6 row under the arrangements (in the baseline or with
        the second-year delegation delayed). Per ICB: joint spend <= pi^J SR,
        national <= pi^N SR (1 % margin), priority and delegated spend <= R -
        (pi^J + pi^N) SR (1.5 % margin, for the revenue cut of 1 %)."""
        spec = [s for s in self.services if s["category"] == "specialised"]
        variants = [self.arrangements]
        if self.later_row is not None:
            variants.append([r for r in self.arrangements if r is not self.later_row]
                            + [self.later_row[:2] + (year_label(2), self.later_row[3])])
        for icb in self.icbs:
            i = icb["id"]
            w = {s["id"]: s["cost"] * self.demand[(i, s["id"])]["a0"]
                 for s in spec if (i, s["id"]) in self.demand}
            if sum(w.values()) <= 0:
                w = {s["id"]: s["cost"] * self.demand[(i, s["id"])]["n"]
                     for s in spec if (i, s["id"]) in self.demand}
            if sum(w.values()) <= 0:
                w = {s["id"]: 1.0 for s in spec}
            wsum = sum(w.values())
            for t in range(self.T):
                b = self.budgets[(i, t)]
                sr = b["SR"] if b["SR"] is not None else self.beta[i] * b["R"]
                need_sr, need_r = sr, b["R"]
                for rows in variants:
                    pi = {"joint": 0.0, "national": 0.0, "delegated": 0.0}
                    spend = {"joint": 0.0, "national": 0.0, "delegated": 0.0}
                    for s in spec:
                        a = self.arrangement_v3(rows, icb, s, t)
                        pi[a] += w.get(s["id"], 0.0) / wsum
                        spend[a] += self.plan_spend.get((i, s["id"], t), 0.0)
                    prio = sum(self.plan_spend.get((i, s["id"], t), 0.0) for s in self.services
                               if s["category"] == "priority")
                    for a in ("joint", "national"):
                        if spend[a] > 0:
                            need_sr = max(need_sr, spend[a] / pi[a] * 1.01)
                    pooled = pi["joint"] + pi["national"]
                    need_r = max(need_r, (prio + spend["delegated"] + pooled * need_sr) * 1.015)
                if need_sr > sr + 1e-6 or need_r > b["R"] + 1e-6:
                    b["SR"] = money_up(need_sr) if need_sr > sr + 1e-6 else money_up(sr)
                    b["R"] = max(b["R"], money_up(need_r))

    # ---- output
    def write(self, out):
        os.makedirs(out, exist_ok=True)

        def table(name, header, rows):
            with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                for r in rows:
                    w.writerow([fmt(v) for v in r])

        n_pop = sum(i["population"] for i in self.icbs)
        region = (lambda i: i["eq_region"]) if self.hard else (lambda i: i["region"])
        table("settings", ["key", "value"], [
            ("name", "England synthetic benchmark: %d ICBs, %d services, %d providers, seed %d%s"
             % (self.nI, self.nS, self.nP, self.seed, ", hard" if self.hard else "")),
            ("first_year", year_label(0)),
            ("years", self.T),
            ("objective", "benefit"),
            ("benefit_unit", "QALY"),
            ("arrangement", "delegated"),
            ("discount_rate", 0.035),
            ("specialised_share_floor", self.share_floor),
            ("max_change", 0.15),
            ("equity_band", self.equity_band),
        ])
        if self.v2:
            table("icbs", ["id", "name", "population", "region", "joint_committee",
                           "max_providers"],
                  [(i["id"], i["name"], i["population"], region(i), i["jc"],
                    self.max_providers[i["id"]]) for i in self.icbs])
        else:
            table("icbs", ["id", "name", "population", "region", "joint_committee"],
                  [(i["id"], i["name"], i["population"], region(i), i["jc"])
                   for i in self.icbs])
        rows = []
        for icb in self.icbs:
            for t in range(self.T):
                b = self.budgets[(icb["id"], t)]
                rows.append((icb["id"], year_label(t), b["R"], b["K"], b["SR"]))
        table("budgets", ["icb", "year", "revenue", "capital", "specialised"], rows)
        table("services", ["id", "name", "category", "programme", "unit", "unit_cost", "benefit",
                           "min_coverage", "growth", "capital_cost", "capacity_lag", "max_change"],
              [(s["id"], s["name"], s["category"], s["programme"], s["unit"], s["cost"],
                s["benefit"], s["m"], "%g%%" % round(100 * s["growth"], 1), s["kappa"],
                s["lag"], s["mu"]) for s in self.services])
        table("demand", ["icb", "service", "need", "baseline"],
              [(i, sid, d["n"], d["a0"]) for (i, sid), d in self.demand.items()])
        if self.v2:
            table("providers", ["id", "name", "icb", "centre_of_excellence", "max_icbs"],
                  [(p["id"], p["name"], p["icb"], p["centre"], self.max_icbs.get(p["id"]))
                   for p in self.providers])
            table("capacity", ["provider", "service", "capacity", "unit_cost", "min_volume",
                               "max_expansion", "expansion_step"],
                  [(r["p"]["id"], r["s"]["id"], r["C"], r["c"], r["V"], r["E"], r["step"])
                   for r in self.capacity])
            table("collaboratives", ["id", "name", "lead_provider", "applies_to", "icbs",
                                     "budget_share"], self.collaboratives)
            table("collaborative_members", ["collaborative", "provider"],
                  self.collaborative_members)
        else:
            table("providers", ["id", "name", "icb", "centre_of_excellence"],
                  [(p["id"], p["name"], p["icb"], p["centre"]) for p in self.providers])
            table("capacity", ["provider", "service", "capacity", "unit_cost", "min_volume",
                               "max_expansion"],
                  [(r["p"]["id"], r["s"]["id"], r["C"], r["c"], r["V"], r["E"])
                   for r in self.capacity])
        table("access", ["icb", "provider"],
              [(icb["id"], p["id"]) for icb in self.icbs for p in self.access[icb["id"]]])
        table("prevention", ["service", "target", "effect", "lag"],
              [(l["q"]["id"], l["s"]["id"], l["e"], l["lag"]) for l in self.links])
        table("rules", ["name", "scope", "applies_to", "year", "kind", "value"], self.rules)
        table("scenarios", ["scenario", "table", "column", "key", "op", "value"], self.scenarios)
        if self.v3:
            table("arrangements", ["services", "icbs", "from_year", "arrangement"],
                  self.arrangements)
            table("icb_changes", ["icb", "becomes", "from_year", "name"], self.icb_changes)
            table("flows", ["icb", "service", "provider", "activity"], self.flows)
        return n_pop

    def reference_plan(self):
        """The plan the input was built around, keyed as csv2dat keys it."""
        x, y = {}, {}
        for (i, sid), d in self.demand.items():
            s = self.sid[sid]
            for t in range(self.T):
                a = self.plan_activity(i, s, t)
                if s["provided"]:
                    for p, w in self.split[(i, sid)]:
                        x[(i, p["id"], sid, t)] = a * w
                else:
                    y[(i, sid, t)] = a
        return x, y


# ---------------------------------------------------------------------------
# Checking the reference plan against rules 1-10 (on the tables as read back)
# ---------------------------------------------------------------------------
def check_plan(d, x, y, tol=1e-9):
    """Return a list of broken limits (empty when the plan is feasible).
    d is csv2dat.build's model data; x[(i,p,s,t)], y[(i,s,t)] the plan."""
    T = d["T"]
    svc = d["svc"]
    dem = d["demand"]
    cap = d["capacity"]
    acc = d["access"]
    bad = []

    def viol(name, lhs, rhs, sense):
        scale = max(1.0, abs(lhs), abs(rhs))
        if sense == "<=" and lhs > rhs + tol * scale:
            bad.append("%s: %.10g > %.10g" % (name, lhs, rhs))
        if sense == ">=" and lhs < rhs - tol * scale:
            bad.append("%s: %.10g < %.10g" % (name, lhs, rhs))

    provided = {s for (p, s) in cap}
    A, Sp = {}, {}
    for (i, s) in dem:
        for t in range(T):
            A[(i, s, t)] = 0.0
            Sp[(i, s, t)] = 0.0
    load = {}
    for (i, p, s, t), v in x.items():
        if (p, s) not in cap or (i, s) not in dem or (acc is not None and (i, p) not in acc):
            bad.append("x %s %s %s has no variable" % (i, p, s))
            continue
        A[(i, s, t)] += v
        c = cap[(p, s)]["c"]
        Sp[(i, s, t)] += v * (c if c is not None else svc[s]["c"])
        load[(p, s, t)] = load.get((p, s, t), 0.0) + v
    for (i, s, t), v in y.items():
        if s in provided or (i, s) not in dem:
            bad.append("y %s %s has no variable" % (i, s))
            continue
        A[(i, s, t)] += v
        Sp[(i, s, t)] += v * svc[s]["c"]

    def N(i, s, t):
        return dem[(i, s)][0] * (1 + svc[s]["g"]) ** t

    # rules 1, 2
    for (i, s) in dem:
        for t in range(T):
            prevented = sum(e * A[(i, q, t - lag)] for (q, s2), (e, lag) in d["links"].items()
                            if s2 == s and t - lag >= 0 and (i, q) in dem)
            Np = N(i, s, t) - prevented
            viol("need %s %s %d" % (i, s, t), A[(i, s, t)], Np, "<=")
            if svc[s]["m"] > 0:
                viol("standard %s %s %d" % (i, s, t), A[(i, s, t)], svc[s]["m"] * Np, ">=")
    # rules 3, 4 (no expansion in the plan)
    for (p, s), r in cap.items():
        for t in range(T):
            viol("capacity %s %s %d" % (p, s, t), load.get((p, s, t), 0.0), r["C"], "<=")
            if r["V"] is not None:
                viol("min_volume %s %s %d" % (p, s, t), load.get((p, s, t), 0.0), r["V"], ">=")
    # rule 6
    I = d["I"]
    spec = {s for s in svc if svc[s]["category"] == "specialised"}
    bud = d["budgets"]
    base_all = {i: 0.0 for i in I}
    base_spec = {i: 0.0 for i in I}
    for (i, s), (n, a0) in dem.items():
        base_all[i] += svc[s]["c"] * a0
        if s in spec:
            base_spec[i] += svc[s]["c"] * a0
    beta = {i: (base_spec[i] / base_all[i] if base_all[i] > 0 else 0.0) for i in I}
    SR = {(i, t): (bud[(i, t)][2] if bud[(i, t)][2] is not None else beta[i] * bud[(i, t)][0])
          for i in I for t in range(T)}
    spend_spec = {(i, t): 0.0 for i in I for t in range(T)}
    spend_prio = {(i, t): 0.0 for i in I for t in range(T)}
    for (i, s, t), v in Sp.items():
        if s in spec:
            spend_spec[(i, t)] += v
        else:
            spend_prio[(i, t)] += v
    # rule 6 as rule 14 extends it (arrangement per specialised service, ICB and
    # year), per budget unit (rule 15: an ICB, or its footprint once merged)
    arr, merged = d.get("arr", {}), d.get("merged", {})
    spec_all = [s for s in d["S"] if s in spec]

    def a_of(i, s, t):
        return arr.get((i, s, t), d["arrangement"])

    def unit(i, t):
        return merged[i][0] if i in merged and t >= merged[i][1] else i

    def jgroup(i, t):
        return merged[i][2] if i in merged and t >= merged[i][1] else d["jc"][i]

    weight = {}
    for i in I:
        w = {s: svc[s]["c"] * dem[(i, s)][1] if (i, s) in dem else 0.0 for s in spec_all}
        if sum(w.values()) <= 0:
            w = {s: svc[s]["c"] * dem[(i, s)][0] if (i, s) in dem else 0.0 for s in spec_all}
        if sum(w.values()) <= 0:
            w = {s: 1.0 for s in spec_all}
        weight[i] = w
    spend_by = {}       # (i, t, arrangement) -> specialised spend
    for (i, s, t), v in Sp.items():
        if s in spec:
            key = (i, t, a_of(i, s, t))
            spend_by[key] = spend_by.get(key, 0.0) + v
    for t in range(T):
        pi = {}
        for i in I:
            for a in ("joint", "national"):
                if spec_all:
                    pi[(i, a)] = sum(weight[i][s] for s in spec_all if a_of(i, s, t) == a) \
                        / sum(weight[i].values())
                else:
                    pi[(i, a)] = 1.0 if d["arrangement"] == a else 0.0
        units, jgroups = {}, {}
        for i in I:
            units.setdefault(unit(i, t), []).append(i)
            jgroups.setdefault(jgroup(i, t), []).append(i)
        for u, members in units.items():
            viol("revenue %s %d" % (u, t),
                 sum(spend_prio[(i, t)] + spend_by.get((i, t, "delegated"), 0.0) for i in members),
                 sum(bud[(i, t)][0] - (pi[(i, "joint")] + pi[(i, "national")]) * SR[(i, t)]
                     for i in members), "<=")
            # rule 7
            if d["phi"]:
                viol("share_floor %s %d" % (u, t), sum(spend_spec[(i, t)] for i in members),
                     d["phi"] * sum(beta[i] * bud[(i, t)][0] for i in members), ">=")
        for g, members in jgroups.items():
            viol("joint pool %s %d" % (g, t), sum(spend_by.get((i, t, "joint"), 0.0) for i in members),
                 sum(pi[(i, "joint")] * SR[(i, t)] for i in members), "<=")
        viol("national pool %d" % t, sum(spend_by.get((i, t, "national"), 0.0) for i in I),
             sum(pi[(i, "national")] * SR[(i, t)] for i in I), "<=")
    # rule 8
    for (i, s), (n, a0) in dem.items():
        mu = svc[s]["mu"] if svc[s]["mu"] is not None else d["mu"]
        if mu is None or a0 <= 0:
            continue
        prev = a0
        for t in range(T):
            viol("stab_up %s %s %d" % (i, s, t), A[(i, s, t)], (1 + mu) * prev, "<=")
            viol("stab_down %s %s %d" % (i, s, t), A[(i, s, t)], (1 - mu) * prev, ">=")
            prev = A[(i, s, t)]
    # rule 9
    if d["delta"] is not None:
        for s in spec:
            for t in range(T):
                by_region = {}
                for i in I:
                    if (i, s) in dem:
                        by_region.setdefault(d["region"][i], []).append(i)
                for r, members in by_region.items():
                    sn = sum(N(j, s, t) for j in members)
                    sa = sum(A[(j, s, t)] for j in members)
                    for i in members:
                        if N(i, s, t) > 0:
                            viol("equity %s %s %d" % (i, s, t), A[(i, s, t)] * sn,
                                 (1 - d["delta"]) * N(i, s, t) * sa, ">=")
    # rule 10 (scope * and one ICB: per budget unit, rule 15)
    for r in d["rules"]:
        years = range(T) if r["year"] < 0 else [r["year"]]
        for t in years:
            if r["scope"] == "all":
                scopes = [list(I)]
            else:
                units = {}
                for i in I:
                    units.setdefault(unit(i, t), []).append(i)
                if r["scope"] == "*":
                    scopes = list(units.values())
                else:
                    scopes = [units[unit(r["scope"], t)]]
            for members in scopes:
                v = sum(Sp.get((i, s, t), 0.0) for i in members for s in r["sel"])
                Rsum = sum(bud[(i, t)][0] for i in members)
                rhs = r["value"] if r["kind"].endswith("spend") else r["value"] * Rsum
                viol("rule %s %s %d" % (r["name"], members[0], t), v, rhs,
                     ">=" if r["kind"].startswith("min") else "<=")
    return bad


def check(out, gen):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "tests", "oracle"))
    sys.dont_write_bytecode = True
    try:
        import csv2dat
    except ImportError:
        print("generate.py: tests/oracle/csv2dat.py not found: feasibility not checked",
              file=sys.stderr)
        return True
    x, y = gen.reference_plan()
    names = [None] + sorted({r[0] for r in gen.scenarios})
    ok = True
    for name in names:
        tables = csv2dat.read_folder(out)
        if name:
            csv2dat.apply_scenario(tables, name)
        d = csv2dat.build(tables)
        bad = check_plan(d, x, y)
        if bad:
            ok = False
            print("generate.py: the reference plan breaks %d limits in %s, e.g.:\n  %s"
                  % (len(bad), name or "the baseline", "\n  ".join(bad[:5])), file=sys.stderr)
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write the CSV tables into")
    ap.add_argument("--icbs", type=int, default=42)
    ap.add_argument("--services", type=int, default=150)
    ap.add_argument("--providers", type=int, default=200)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--v2", action="store_true",
                    help="also use the extensions, MODEL.md rules 11-13 (a MIP)")
    ap.add_argument("--v3", action="store_true",
                    help="also use MODEL.md's v3 tables (rules 14-16): arrangements, mergers, "
                         "flows")
    ap.add_argument("--hard", action="store_true",
                    help="a harder LP: two large equity regions, a tight equity band and "
                         "specialised share floor, rules at the reference plan's values")
    ap.add_argument("--no-check", action="store_true",
                    help="do not check the reference plan against the written tables")
    a = ap.parse_args(argv)
    try:
        gen = Generator(a.icbs, a.services, a.providers, a.years, a.seed, v2=a.v2, hard=a.hard,
                        v3=a.v3)
    except ValueError as e:
        ap.error(str(e))
    gen.generate()
    gen.write(a.out)
    if not a.no_check and not check(a.out, gen):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
