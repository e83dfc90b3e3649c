"""Plain-text descriptions of an authority's process, for administrators at the command line."""

from __future__ import annotations

import datetime as dt

from portal.authorities.engine import Due
from portal.authorities.schema import AuthorityConfig


def summary(slug: str, config: AuthorityConfig) -> str:
    return (
        f"{slug}: {config.authority.name}: {len(config.workflow.steps)} steps, "
        f"{len(config.workflow.transitions)} transitions, {len(config.sections)} sections in "
        f"{len(config.phases)} templates, {len(config.deadlines)} deadline rules, "
        f"QA {'of a sample' if config.qa.sampling.mode == 'sample' else 'of every PEP'}, "
        f"PP+ £{config.funding.pp_plus_per_term:.2f} a term"
    )


def describe(config: AuthorityConfig) -> str:
    lines = [config.authority.name, "", "Steps:"]
    for number, step in enumerate(config.workflow.steps, start=1):
        final = " (final)" if step.final else ""
        lines.append(f"  {number}. {step.label}{final}: {config.role_labels(step.actors)}")
        for transition in config.workflow.transitions_from(step.key):
            guards = ", ".join(
                g.kind.replace("_", " ") + (f" ({g.owner})" if g.owner else "") for g in transition.guards
            )
            lines.append(
                f"       -> {config.step_label(transition.to)}: ‘{transition.label}’ by "
                f"{config.role_labels(transition.roles)}" + (f"; needs {guards}" if guards else "")
            )
    lines += ["", "Sections (owner; mandatory questions):"]
    for key, section in config.sections.items():
        owners = config.role_label(section.owner)
        if section.owners:
            owners += "; " + ", ".join(
                f"{config.role_label(role)} in ‘{config.step_label(step)}’"
                for step, role in section.owners.items()
            )
        lines.append(f"  {section.title} [{key}]: {owners}; {len(section.mandatory_fields)} mandatory")
    lines += ["", "Templates:"]
    for phase in config.phases.values():
        lines.append(f"  {phase.label}: {', '.join(phase.sections)}")
    lines += ["", "Deadlines:"]
    for rule in config.deadlines:
        lines.append(
            f"  {rule.label}: {rule.describe(config.step_label(rule.step or ''))}; "
            f"{config.role_label(rule.responsible)}; met at ‘{config.step_label(rule.met_at_step)}’"
        )
    return "\n".join(lines)


def describe_dues(dues: list[Due], today: dt.date | None = None) -> str:
    if not dues:
        return "No deadline applies."
    width = max(len(d.rule.label) for d in dues)
    lines = []
    for due in dues:
        when = f"{due.due_on:%a %d %b %Y}" if due.due_on else "not known yet"
        lines.append(f"{due.rule.label:<{width}}  {when:<16}  {due.explanation}")
    return "\n".join(lines)
