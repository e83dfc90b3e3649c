"""Choosing a child's PEP template (phase) from the authority's configuration."""

from __future__ import annotations

from portal.authorities.schema import AuthorityConfig, Phase


class NoPhaseTemplateError(LookupError):
    """The authority has no template for this child; the administrator must add one."""


def phase_for(config: AuthorityConfig, year_group: int, setting_type: str | None) -> Phase:
    """The phase template for a child: a setting-type template (special school) wins over age.

    An authority may use a "Special School and Specialist Provision" template for every child at a
    special school whatever their age; other children are placed by their National Curriculum year.
    """
    if setting_type:
        for phase, template in config.phases.items():
            if setting_type in template.setting_types:
                return phase
    for phase, template in config.phases.items():
        if template.year_groups and template.year_groups[0] <= year_group <= template.year_groups[1]:
            return phase
    raise NoPhaseTemplateError(f"no PEP template covers year group {year_group}")
