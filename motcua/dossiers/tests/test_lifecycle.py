"""The transition table, move by move and role by role (pure, no database)."""

from __future__ import annotations

import pytest

from motcua.dossiers.lifecycle import (
    FINAL,
    NATIONAL_CODE,
    TRANSITIONS,
    Action,
    MoveRefused,
    Role,
    Status,
    actions_for,
    check_move,
)

ALL_ROLES = set(Role)


def test_every_state_maps_to_one_national_code_1_to_10() -> None:
    assert set(NATIONAL_CODE) == set(Status)
    assert set(NATIONAL_CODE.values()) == set(range(1, 11))


def test_final_states_have_no_way_out() -> None:
    assert not [key for key in TRANSITIONS if key[0] in FINAL]


def test_every_non_final_state_can_be_left() -> None:
    for status in set(Status) - FINAL:
        assert actions_for(status, ALL_ROLES), status


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS, key=str))
def test_every_allowed_move_is_allowed_to_its_roles_only(status: Status, action: Action) -> None:
    move = TRANSITIONS[(status, action)]
    for role in Role:
        if role in move.roles:
            assert check_move(status, action, {role}) == move.to
        else:
            with pytest.raises(MoveRefused):
                check_move(status, action, {role})


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_move_not_in_the_table_is_refused_for_everyone(status: Status, action: Action) -> None:
    if (status, action) in TRANSITIONS:
        return
    with pytest.raises(MoveRefused) as refused:
        check_move(status, action, ALL_ROLES)
    assert "Không thể" in refused.value.message_vi


def test_the_main_road_from_counter_to_return() -> None:
    road = [
        (Action.RECEIVE, Role.RECEIVING_OFFICER, Status.RECEIVED),
        (Action.START, Role.SPECIALIST, Status.PROCESSING),
        (Action.REQUEST_SUPPLEMENT, Role.SPECIALIST, Status.SUPPLEMENT_REQUESTED),
        (Action.SUPPLY, Role.RECEIVING_OFFICER, Status.SUPPLEMENT_RECEIVED),
        (Action.START, Role.SPECIALIST, Status.PROCESSING),
        (Action.SUBMIT_FOR_APPROVAL, Role.SPECIALIST, Status.AWAITING_APPROVAL),
        (Action.APPROVE, Role.DEPARTMENT_HEAD, Status.AWAITING_SIGNATURE),
        (Action.SIGN, Role.LEADER, Status.RESULT_READY),
        (Action.RETURN_RESULT, Role.RECEIVING_OFFICER, Status.RETURNED),
    ]
    status = Status.SUBMITTED
    for action, role, expected in road:
        status = check_move(status, action, {role})
        assert status == expected


def test_a_specialist_cannot_sign_and_an_applicant_cannot_receive() -> None:
    with pytest.raises(MoveRefused, match="Vai trò"):
        check_move(Status.AWAITING_SIGNATURE, Action.SIGN, {Role.SPECIALIST})
    with pytest.raises(MoveRefused):
        check_move(Status.SUBMITTED, Action.RECEIVE, {Role.APPLICANT})
    assert check_move(Status.SUBMITTED, Action.WITHDRAW, {Role.APPLICANT}) == Status.WITHDRAWN


def test_officials_roles_are_the_accounts_roles() -> None:
    from motcua.accounts.models import Role as AccountRole

    assert {r.value for r in Role} - {"applicant", "system"} == set(AccountRole.values)
