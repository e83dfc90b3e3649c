"""Which PEP template a child gets, from the authority's configuration."""

import pytest

from portal.authorities.loader import load_directory
from portal.authorities.phases import phase_for
from portal.authorities.schema import Phase
from portal.settings import PROJECT_ROOT

CONFIGS = {
    slug: item.config for slug, item in load_directory(PROJECT_ROOT / "config" / "authorities").items()
}


@pytest.mark.parametrize("slug", sorted(CONFIGS))
@pytest.mark.parametrize(
    ("year_group", "expected"),
    [(-1, Phase.EARLY_YEARS), (3, Phase.PRIMARY), (9, Phase.SECONDARY), (12, Phase.POST_16)],
)
def test_children_get_their_age_template(slug: str, year_group: int, expected: Phase) -> None:
    assert phase_for(CONFIGS[slug], year_group, "secondary") is expected


def test_bradford_special_schools_use_the_specialist_template_at_any_age() -> None:
    assert phase_for(CONFIGS["bradford"], 4, "special") is Phase.SPECIALIST
    assert phase_for(CONFIGS["bradford"], 10, "special") is Phase.SPECIALIST


def test_authorities_without_a_specialist_template_use_the_age_one() -> None:
    assert phase_for(CONFIGS["lancashire"], 10, "special") is Phase.SECONDARY
