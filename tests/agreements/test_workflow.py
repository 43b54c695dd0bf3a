"""The agreement workflow table is complete: the graph the services, buttons and tests all read."""

import pytest
import rules

from agreements.enums import FINAL_STATES, AgreementState
from agreements.workflows import AGREEMENT_WORKFLOW, BUTTON_ACTIONS

S = AgreementState


def test_every_state_is_reachable_from_draft():
    assert AGREEMENT_WORKFLOW.reachable_states(S.DRAFT) == set(S.values)


@pytest.mark.parametrize("state", sorted(set(S.values) - FINAL_STATES))
def test_every_state_that_is_not_final_has_an_action_out(state):
    assert [a.name for a in AGREEMENT_WORKFLOW.actions if state in a.sources]


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_a_final_state_has_no_action_out(state):
    assert [a.name for a in AGREEMENT_WORKFLOW.actions if state in a.sources] == []


@pytest.mark.parametrize("action", AGREEMENT_WORKFLOW.actions, ids=lambda a: a.name)
def test_every_actions_permission_is_a_registered_rule(action):
    assert rules.perm_exists(action.permission)


@pytest.mark.parametrize("action", AGREEMENT_WORKFLOW.actions, ids=lambda a: a.name)
def test_every_action_names_known_states_and_never_loops_onto_its_source(action):
    assert action.sources
    assert action.sources <= set(S.values)
    assert action.target in S.values
    assert action.target not in action.sources


def test_action_names_are_unique():
    names = [a.name for a in AGREEMENT_WORKFLOW.actions]
    assert len(names) == len(set(names))


def test_only_complete_signing_has_no_button():
    assert {a.name for a in AGREEMENT_WORKFLOW.actions} - BUTTON_ACTIONS == {"complete_signing"}


def test_signed_is_reached_only_by_completing_the_signing():
    assert [a.name for a in AGREEMENT_WORKFLOW.actions if a.target == S.SIGNED] == [
        "complete_signing"
    ]


def test_the_happy_path_runs_from_draft_to_closed():
    path = ["propose", "open_negotiation", "agree", "approve", "complete_signing"]
    path += ["start_reporting", "close"]
    state = S.DRAFT
    for name in path:
        action = AGREEMENT_WORKFLOW.action(name)
        assert state in action.sources
        state = action.target
    assert state == S.CLOSED
