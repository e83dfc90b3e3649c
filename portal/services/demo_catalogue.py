"""Who and what the demo data holds: settings, names, staff. Fictional throughout."""

from __future__ import annotations

from dataclasses import dataclass

from portal.authorities.vocabulary import Role
from portal.models.setting import SettingType


@dataclass(frozen=True)
class DemoSetting:
    key: str
    urn: str
    name: str
    setting_type: SettingType
    designated_teacher: str
    #: Authorities (by slug) that place children here; "*" means every authority.
    authorities: tuple[str, ...]


SETTINGS = [
    # Children from three authorities: one designated teacher sees them all in one list.
    DemoSetting(
        "riverside",
        "900001",
        "Riverside Academy",
        SettingType.SECONDARY,
        "Priya Shah",
        ("lancashire", "bradford", "example-borough"),
    ),
    DemoSetting(
        "st-marys",
        "900002",
        "St Mary's Church of England Primary School",
        SettingType.PRIMARY,
        "Tom Whitfield",
        ("cheshire-west-and-chester", "lancashire"),
    ),
    DemoSetting(
        "little-acorns",
        "900003",
        "Little Acorns Nursery",
        SettingType.NURSERY,
        "Grace Okafor",
        ("*",),
    ),
    DemoSetting("oakfield", "900004", "Oakfield Primary School", SettingType.PRIMARY, "Helen Marsh", ("*",)),
    DemoSetting("hillside", "900005", "Hillside High School", SettingType.SECONDARY, "David Nwosu", ("*",)),
    DemoSetting(
        "northgate",
        "900006",
        "Northgate Sixth Form College",
        SettingType.COLLEGE,
        "Sarah Lloyd",
        ("*",),
    ),
    DemoSetting(
        "beck-lane",
        "900007",
        "Beck Lane Special School",
        SettingType.SPECIAL,
        "Imran Hussain",
        ("bradford",),
    ),
]

FIRST_NAMES = [
    "Amelia",
    "Noah",
    "Olivia",
    "Leo",
    "Isla",
    "Oliver",
    "Ava",
    "Jack",
    "Freya",
    "Harry",
    "Mia",
    "Charlie",
    "Ruby",
    "George",
    "Lily",
    "Alfie",
    "Sophie",
    "Archie",
    "Grace",
    "Theo",
    "Evie",
    "Jacob",
    "Poppy",
    "Max",
]
LAST_NAMES = [
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Khan",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Clarke",
    "Jackson",
    "Turner",
    "Ali",
    "Cooper",
]
STAFF = {
    Role.VIRTUAL_SCHOOL: (
        "virtual.school",
        ["Margaret Hale", "Anil Kapoor", "Joanne Pike", "Fiona Reid"],
    ),
    Role.AUTHORITY_ADMIN: ("admin", ["Kevin Doyle", "Rachel Ames", "Sunita Patel", "Owen Price"]),
    Role.EDUCATION_CONTACT: ("health.visitor", ["Aisha Begum", "Ruth Collins", "Mary Dunn", "Priti Shah"]),
    Role.BUSINESS_SUPPORT: (
        "business.support",
        ["Lucy Fenwick", "Gary Holt", "Nadia Rahman", "Ian Mercer"],
    ),
}
SOCIAL_WORKERS = [
    ("Chloe Barker", "Marcus Reid"),
    ("Jenny Atkins", "Samir Haddad"),
    ("Laura Pearson", "Daniel Osei"),
    ("Emma Stone", "Paul Ward"),
]
#: Year groups of each authority's twelve demo children: early years, primary, secondary, post-16.
YEAR_GROUPS = [-1, 0, 1, 3, 5, 6, 7, 9, 10, 11, 12, 13]
#: PP+ requests the demo settings make: the target supported, what the money pays for, the amount.
#: Any two together stay within every shipped authority's per-term amount.
PP_PLUS_REQUESTS = [
    ("Read fluently at the expected standard by the end of term", "Weekly 1:1 reading tuition", "250.00"),
    ("Stay calm and included at break and lunchtime", "Twice-weekly nurture group sessions", "180.00"),
    ("Use times tables to solve problems with confidence", "Small-group maths tutoring", "150.00"),
    ("Take part in an after-school club each week", "Club fees and travel", "90.00"),
]
