"""One table per workflow, one door for every state change.

A workflow is a table of actions (name, source states, target state, permission). The service
guard, the buttons a template shows and the completeness test all read the table; `transition()`
is the only code that assigns a state field. It runs, in order: lock the row, check the source
state, check the permission, save only the changed fields, write a history row, and schedule side
effects for after the commit (pretalx `set_submission_state`, healthchecks `Flip`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from governance.enums import MilestoneState
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    permission: str
    style: str = "outline-primary"  # the Bootstrap button variant the template shows
    needs_comment: bool = False


@dataclass(frozen=True)
class Workflow:
    name: str
    states: type[models.TextChoices]
    actions: tuple[Action, ...]
    state_field: str = "state"
    _by_name: dict[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {a.name: a for a in self.actions})

    def action(self, name: str) -> Action:
        try:
            return self._by_name[name]
        except KeyError:
            raise DomainError(_("Unknown action “%(name)s”.") % {"name": name}) from None

    def available(self, obj: models.Model, user) -> list[Action]:
        """The actions this user may take on this row now: what the buttons show."""
        state = getattr(obj, self.state_field)
        return [a for a in self.actions if state in a.sources and user.has_perm(a.permission, obj)]

    def reachable_states(self, start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            state = todo.pop()
            for action in self.actions:
                if state in action.sources and action.target not in seen:
                    seen.add(action.target)
                    todo.append(action.target)
        return seen


def transition(
    workflow: Workflow,
    *,
    instance: models.Model,
    action_name: str,
    actor,
    comment: str = "",
    apply: Callable[[models.Model], Iterable[str]] | None = None,
    record: Callable[..., Any],
    on_commit: Callable[[models.Model], Any] | None = None,
) -> models.Model:
    """Move `instance` along `action_name`; the only place a state field is written.

    `apply` may change further fields on the locked row and returns their names; `record` writes
    the history row (from_state, to_state, action, actor, comment); `on_commit` runs after commit.
    """
    action = workflow.action(action_name)
    if action.needs_comment and not comment.strip():
        raise DomainError(_("Please give a reason."), field="comment")
    with transaction.atomic():
        # Re-read under a row lock: a double click or two people at once give one transition.
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        current = getattr(locked, workflow.state_field)
        if current not in action.sources:
            raise TransitionNotAllowed(
                _("“%(action)s” is not possible while the state is “%(state)s”.")
                % {"action": action.label, "state": workflow.states(current).label}
            )
        if not actor.has_perm(action.permission, locked):
            raise ActionForbidden(_("You may not do “%(action)s” here.") % {"action": action.label})
        setattr(locked, workflow.state_field, action.target)
        changed = [workflow.state_field, *(apply(locked) if apply else ())]
        locked.save(update_fields=changed)
        record(
            instance=locked,
            action=action.name,
            from_state=current,
            to_state=action.target,
            actor=actor,
            comment=comment,
            at=timezone.now(),
        )
        if on_commit is not None:
            transaction.on_commit(lambda: on_commit(locked))
    return locked


_MANAGE = "governance.manage_milestone"
MILESTONE_WORKFLOW = Workflow(
    name="milestone",
    states=MilestoneState,
    actions=(
        Action(
            "start",
            pgettext_lazy("milestone action", "Start"),
            frozenset({MilestoneState.PLANNED}),
            MilestoneState.IN_PROGRESS,
            _MANAGE,
        ),
        Action(
            "complete",
            pgettext_lazy("milestone action", "Mark as done"),
            frozenset({MilestoneState.PLANNED, MilestoneState.IN_PROGRESS}),
            MilestoneState.DONE,
            _MANAGE,
            style="success",
        ),
        Action(
            "cancel",
            pgettext_lazy("milestone action", "Cancel"),
            frozenset({MilestoneState.PLANNED, MilestoneState.IN_PROGRESS}),
            MilestoneState.CANCELLED,
            _MANAGE,
            style="outline-danger",
            needs_comment=True,
        ),
        Action(
            "reopen",
            pgettext_lazy("milestone action", "Reopen"),
            frozenset({MilestoneState.DONE, MilestoneState.CANCELLED}),
            MilestoneState.IN_PROGRESS,
            _MANAGE,
            style="outline-secondary",
            needs_comment=True,
        ),
    ),
)
