"""The Virtual School's decisions on a PEP's PP+ requests: approve, reduce or decline each, within
the authority's funding rules, all at once or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from portal.authorities.oversight import TuitionArranger
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, PpPlusDecision, PpPlusRequest, User
from portal.models.types import utcnow
from portal.services import audit
from portal.services.pep_facts import config_of, roles_for_pep
from portal.services.pp_plus import LARGEST_AMOUNT, PENNY, approved_elsewhere, label, money, stamp

REASON_LIMIT = 1000
#: More requests than any PEP has: a form claiming more is not one of ours.
MOST_REQUESTS = 100


@dataclass(frozen=True)
class DecisionInput:
    """One request's decision as submitted from the decision page."""

    request_id: int
    #: The request's stamp when the page was shown (see :func:`portal.services.pp_plus.stamp`).
    stamp: str
    #: A PpPlusDecision value; empty when none was chosen.
    decision: str = ""
    #: The amount approved, for a reduction, as typed.
    amount: str = ""
    reason: str = ""
    tuition_by_virtual_school: bool = False


class DecisionRefusedError(Exception):
    """Nothing was saved; ``problems`` maps a form field ("decision-<id>", "amount-<id>",
    "reason-<id>", "tuition-<id>", "total", or "" for the whole form) to why."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


@dataclass(frozen=True)
class _Outcome:
    decision: PpPlusDecision
    approved: Decimal
    note: str
    tuition_by_virtual_school: bool


def parse_amount(text: str) -> Decimal | None:
    """Pounds and pence as people type them ("150", "£1,150.50"), or None."""
    cleaned = text.strip().removeprefix("£").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return amount


def decide(user: User, pep: Pep, decisions: list[DecisionInput]) -> list[PpPlusRequest]:
    """Record a decision on every request of the PEP, or refuse and save nothing.

    Refused: anyone but the Virtual School of the child's authority; a form that does not cover
    exactly the PEP's requests, or was loaded before one of them changed; a reduction that is not
    between nothing and the amount requested; a reduction or decline without a reason; tuition by
    the Virtual School where the authority does not arrange it; and a total approved for the
    child this term above the authority's per-term amount.
    """
    config = config_of(pep)
    if Role.VIRTUAL_SCHOOL not in roles_for_pep(user, pep):
        raise DecisionRefusedError(
            {"": "Only the Virtual School of the child's authority decides PP+ requests"}
        )
    requests = db.session.scalars(
        select(PpPlusRequest)
        .where(PpPlusRequest.pep_id == pep.id)
        .order_by(PpPlusRequest.id)
        # Held until commit, so the setting cannot change a request between our check and our write.
        .with_for_update()
    ).all()
    given = {d.request_id: d for d in decisions[:MOST_REQUESTS]}
    if not requests:
        raise _refused({"": "This PEP has no PP+ requests to decide"})
    if set(given) != {r.id for r in requests}:
        raise _refused(
            {"": "The PP+ requests changed since you opened this page. Check them and decide again"}
        )
    problems: dict[str, str] = {}
    outcomes: dict[int, _Outcome] = {}
    for request in requests:
        entry = given[request.id]
        if entry.stamp != stamp(request):
            problems[f"decision-{request.id}"] = (
                f"The request {label(request)} changed since you opened this page: it now asks for "
                f"{money(request.requested)}. Decide it again"
            )
            continue
        outcome, found = _outcome(config, request, entry)
        problems |= found
        if outcome is not None:
            outcomes[request.id] = outcome
    if not problems:
        elsewhere = approved_elsewhere(pep)
        total = sum((o.approved for o in outcomes.values()), Decimal(0)) + elsewhere
        if total > config.funding.pp_plus_per_term:
            also = f" (with {money(elsewhere)} on the child's other PEP this term)" if elsewhere else ""
            problems["total"] = (
                f"The total approved, {money(total)}{also}, is more than the "
                f"{money(config.funding.pp_plus_per_term)} allowed per term"
            )
    if problems:
        raise _refused(problems)
    for request in requests:
        _apply(user, pep, request, outcomes[request.id])
    db.session.commit()
    return list(requests)


def _refused(problems: dict[str, str]) -> DecisionRefusedError:
    db.session.rollback()  # releases the rows locked above
    return DecisionRefusedError(problems)


def _outcome(
    config: AuthorityConfig, request: PpPlusRequest, entry: DecisionInput
) -> tuple[_Outcome | None, dict[str, str]]:
    """The decision the entry asks for, or the problems with it, keyed by form field."""
    name, problems = label(request), {}
    try:
        decision = PpPlusDecision(entry.decision)
    except ValueError:
        return None, {f"decision-{request.id}": f"Choose to approve, reduce or decline {name}"}
    reason = entry.reason.strip()
    approved = request.requested
    if decision is PpPlusDecision.REDUCED:
        amount = parse_amount(entry.amount)
        if not entry.amount.strip():
            problems[f"amount-{request.id}"] = f"Enter the amount approved for {name}"
        elif amount is None or amount > LARGEST_AMOUNT:
            problems[f"amount-{request.id}"] = (
                f"Enter the amount approved for {name} in pounds and pence, like 150 or 150.50"
            )
        elif amount <= 0:
            problems[f"amount-{request.id}"] = (
                f"The amount approved for {name} must be more than £0. To approve nothing, decline it"
            )
        elif amount > request.requested:
            problems[f"amount-{request.id}"] = (
                f"The amount approved for {name}, {money(amount)}, is more than the "
                f"{money(request.requested)} requested"
            )
        elif amount == request.requested:
            problems[f"amount-{request.id}"] = (
                f"{money(amount)} is the full amount requested for {name}: choose approve instead"
            )
        else:
            approved = amount.quantize(PENNY)
    elif decision is PpPlusDecision.DECLINED:
        approved = Decimal(0)
    if decision is not PpPlusDecision.APPROVED and not reason:
        problems[f"reason-{request.id}"] = f"Say why {name} is {decision.value}"
    elif len(reason) > REASON_LIMIT:
        problems[f"reason-{request.id}"] = f"The reason must be {REASON_LIMIT} characters or fewer"
    if entry.tuition_by_virtual_school:
        if TuitionArranger.VIRTUAL_SCHOOL not in config.funding.tuition_arranged_by:
            problems[f"tuition-{request.id}"] = (
                "This authority's Virtual School does not arrange tuition: the setting arranges it"
            )
        elif decision is PpPlusDecision.DECLINED:
            problems[f"tuition-{request.id}"] = (
                f"The Virtual School can arrange tuition only with funding approved: {name} is declined"
            )
    if problems:
        return None, problems
    return _Outcome(decision, approved, reason, entry.tuition_by_virtual_school), {}


def _apply(user: User, pep: Pep, request: PpPlusRequest, outcome: _Outcome) -> None:
    """Record the outcome; a decision submitted unchanged keeps who made it and when."""
    current = (request.decision, request.approved, request.decision_note, request.tuition_by_virtual_school)
    if current == (outcome.decision, outcome.approved, outcome.note, outcome.tuition_by_virtual_school):
        return
    request.decision = outcome.decision
    request.approved = outcome.approved
    request.decision_note = outcome.note
    request.tuition_by_virtual_school = outcome.tuition_by_virtual_school
    request.decided_by_id = user.id
    request.decided_at = utcnow()
    audit.record(
        "pp_plus.decided",
        actor=user,
        authority_id=pep.authority_id,
        subject=pep,
        request=request.id,
        decision=outcome.decision.value,
        approved=str(outcome.approved),
        tuition_by_virtual_school=outcome.tuition_by_virtual_school,
    )
