"""Lifecycles of issues and micro-wishes: every edge against a table written out here, every refusal with its code."""
from collections import deque
from itertools import pairwise

import pytest

from domain import lifecycle
from domain.errors import DomainError
from domain.i18n import catalogue, t
from domain.lifecycle import (
    ACTORS,
    ISSUE_TRANSITIONS,
    STEPS,
    WISH_TRANSITIONS,
    IssueState,
    WishState,
    allowed_next,
    check_transition,
    is_final,
    label,
    public_step,
    rule_for,
)

DESK = {'staff', 'committee', 'admin'}
STAFF = {'staff', 'admin'}
EVALUATION = {'staff', 'supervisor', 'admin'}
EVERYONE = {'resident', 'volunteer', 'staff', 'committee', 'supervisor', 'admin'}

# (from, to) → (who may, reason required); who may is the full set of actors that pass
ISSUE_EDGES: dict[tuple[str, str], tuple[set[str], bool]] = {
    ('submitted', 'accepted'): (DESK, False),
    ('submitted', 'rejected'): (DESK, True),
    ('submitted', 'merged'): (DESK, True),
    ('accepted', 'triaged'): (DESK, False),
    ('accepted', 'deliberating'): (DESK, False),  # urgent
    ('accepted', 'rejected'): (DESK, True),
    ('accepted', 'merged'): (DESK, True),
    ('triaged', 'deliberating'): (DESK, False),
    ('triaged', 'referred'): (DESK, False),
    ('triaged', 'merged'): (DESK, True),
    ('referred', 'closed'): (DESK, True),
    ('referred', 'deliberating'): (DESK, True),
    ('deliberating', 'reviewed'): ({'committee'}, False),
    ('deliberating', 'referred'): (DESK, False),
    ('reviewed', 'voting'): (DESK, False),
    ('reviewed', 'decided'): (DESK, False),
    ('reviewed', 'deliberating'): ({'committee'}, True),
    ('voting', 'published'): (DESK, False),
    ('voting', 'deliberating'): (DESK, True),
    ('decided', 'published'): (DESK, False),
    ('published', 'in_progress'): (DESK, False),
    ('published', 'deliberating'): (DESK, True),
    ('in_progress', 'rating'): (EVALUATION, False),
    ('rating', 'closed'): (EVALUATION, False),
    ('rating', 'in_progress'): (EVALUATION, True),
}

WISH_EDGES: dict[tuple[str, str], tuple[set[str], bool]] = {
    ('submitted', 'open'): (DESK, False),
    ('submitted', 'rejected'): (DESK, True),
    ('open', 'claimed'): (EVERYONE, False),  # but never the wisher: see the test below
    ('open', 'rejected'): (DESK, True),
    ('claimed', 'fulfilled'): (STAFF | {'claimer'}, False),
    ('claimed', 'open'): (STAFF | {'claimer'}, True),
    ('fulfilled', 'confirmed'): (STAFF | {'author'}, False),
    ('fulfilled', 'claimed'): (STAFF | {'author'}, True),
}

EDGES = [('issue', *edge, *rule) for edge, rule in ISSUE_EDGES.items()] + \
        [('wish', *edge, *rule) for edge, rule in WISH_EDGES.items()]
EDGE_IDS = [f'{kind}:{a}->{b}' for kind, a, b, *_ in EDGES]


def _refusal(kind: str, current: str, target: str, *roles: str, reason: str | None = 'r') -> DomainError:
    with pytest.raises(DomainError) as e:
        check_transition(kind, current, target, roles=frozenset(roles), reason=reason)
    return e.value


def _table_edges(table: dict) -> set[tuple[str, str]]:
    return {(str(a), str(b)) for a, targets in table.items() for b in targets}


def test_the_issue_table_has_exactly_the_edges_written_out_here() -> None:
    assert _table_edges(ISSUE_TRANSITIONS) == set(ISSUE_EDGES), 'an edge was added or removed: update ISSUE_EDGES'
    assert set(ISSUE_TRANSITIONS) == set(IssueState)


def test_the_wish_table_has_exactly_the_edges_written_out_here() -> None:
    assert _table_edges(WISH_TRANSITIONS) == set(WISH_EDGES), 'an edge was added or removed: update WISH_EDGES'
    assert set(WISH_TRANSITIONS) == set(WishState)


@pytest.mark.parametrize(('kind', 'current', 'target', 'who', 'needs_reason'), EDGES, ids=EDGE_IDS)
def test_each_edge_is_allowed_to_exactly_its_roles(kind: str, current: str, target: str, who: set[str],
                                                    needs_reason: bool) -> None:
    for actor in ACTORS:
        if actor in who:
            check_transition(kind, current, target, roles=frozenset({actor}), reason='因为')
        else:
            assert _refusal(kind, current, target, actor).code == 'forbidden', actor
    assert _refusal(kind, current, target).code == 'forbidden'  # a visitor holds no role at all


@pytest.mark.parametrize(('kind', 'current', 'target', 'who', 'needs_reason'), EDGES, ids=EDGE_IDS)
def test_each_edge_asks_for_a_reason_exactly_when_the_table_says(kind: str, current: str, target: str,
                                                                 who: set[str], needs_reason: bool) -> None:
    actor = sorted(who)[0]
    assert rule_for(kind, current, target).reason_required is needs_reason
    for missing in (None, '', '   \n'):
        if needs_reason:
            assert _refusal(kind, current, target, actor, reason=missing).code == 'reason_required'
        else:
            check_transition(kind, current, target, roles=frozenset({actor}), reason=missing)


def test_rejecting_merging_referring_back_reopening_and_giving_up_always_need_a_reason() -> None:
    for kind, current, target in [('issue', 'submitted', 'rejected'), ('issue', 'accepted', 'merged'),
                                  ('issue', 'referred', 'deliberating'), ('issue', 'rating', 'in_progress'),
                                  ('wish', 'claimed', 'open'), ('wish', 'open', 'rejected')]:
        assert rule_for(kind, current, target).reason_required, (kind, current, target)


def test_the_reason_message_names_the_target_state_in_chinese() -> None:
    error = _refusal('issue', 'submitted', 'rejected', 'staff', reason=None)
    assert error.message == '改为“未受理”需要写明原因'


@pytest.mark.parametrize(('kind', 'current', 'target', 'current_zh', 'target_zh'), [
    ('issue', 'submitted', 'closed', '已提交', '已办结'),
    ('issue', 'submitted', 'deliberating', '已提交', '协商中'),  # triage and acceptance are not skipped
    ('issue', 'accepted', 'voting', '已受理', '表决中'),
    ('issue', 'deliberating', 'voting', '协商中', '表决中'),  # no vote before the Party review
    ('issue', 'voting', 'in_progress', '表决中', '办理中'),  # the result is published first
    ('issue', 'in_progress', 'closed', '办理中', '已办结'),  # nothing closes without being rated
    ('issue', 'triaged', 'triaged', '已分流', '已分流'),
    ('issue', 'referred', 'referred', '已转街道', '已转街道'),
    ('wish', 'submitted', 'claimed', '已提交', '已认领'),  # staff publish a wish before anyone claims it
    ('wish', 'open', 'fulfilled', '待认领', '已完成（待确认）'),
    ('wish', 'claimed', 'confirmed', '已认领', '已确认'),
])
def test_an_illegal_move_is_refused_with_a_message_naming_both_states(kind: str, current: str, target: str,
                                                                      current_zh: str, target_zh: str) -> None:
    error = _refusal(kind, current, target, *sorted(lifecycle.ACTORS))
    assert error.code == 'illegal_transition'
    assert error.message == f'现在是“{current_zh}”，不能改为“{target_zh}”'


def test_an_illegal_move_is_refused_before_asking_who_moves_it() -> None:
    assert _refusal('issue', 'submitted', 'closed').code == 'illegal_transition'


def test_a_state_of_the_other_kind_or_an_unknown_value_is_an_illegal_move() -> None:
    assert _refusal('wish', 'submitted', 'published', 'staff').code == 'illegal_transition'  # wishes are 'open'
    assert _refusal('issue', 'submitted', 'open', 'staff').code == 'illegal_transition'
    error = _refusal('issue', 'submitted', 'nonsense', 'staff')
    assert error.code == 'illegal_transition'
    assert error.params['target'] == 'nonsense'
    assert _refusal('issue', 'gone', 'accepted', 'staff').code == 'illegal_transition'


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_transition('meeting', 'submitted', 'accepted', roles=frozenset({'staff'}), reason=None)


def test_the_forbidden_message_says_who_may_do_it() -> None:
    error = _refusal('issue', 'deliberating', 'reviewed', 'staff', 'resident')
    assert error.message == '只有两委成员可以把它改为“成果已审核”'
    error = _refusal('wish', 'claimed', 'fulfilled', 'resident')
    assert error.message == '只有社区工作者、管理员、认领人可以把它改为“已完成（待确认）”'


def test_the_wisher_cannot_claim_their_own_wish_whatever_other_roles_they_hold() -> None:
    for roles in [('resident', 'author'), ('volunteer', 'author'), ('staff', 'author')]:
        assert _refusal('wish', 'open', 'claimed', *roles).code == 'forbidden'
    assert WishState.CLAIMED not in allowed_next('wish', 'open', frozenset({'volunteer', 'author'}))


def test_a_claimer_who_is_also_staff_cannot_confirm_their_own_fulfilment() -> None:
    assert _refusal('wish', 'fulfilled', 'confirmed', 'staff', 'claimer').code == 'forbidden'
    check_transition('wish', 'fulfilled', 'confirmed', roles=frozenset({'staff'}), reason=None)


def test_a_wish_goes_from_submitted_to_confirmed_with_each_side_doing_its_part() -> None:
    steps = [('submitted', 'open', {'staff'}), ('open', 'claimed', {'volunteer'}),
             ('claimed', 'fulfilled', {'volunteer', 'claimer'}), ('fulfilled', 'confirmed', {'resident', 'author'})]
    for current, target, roles in steps:
        check_transition('wish', current, target, roles=frozenset(roles), reason=None)
    assert is_final('confirmed')


def test_a_claimer_who_gives_up_puts_the_wish_back_on_the_wall_with_a_reason() -> None:
    claimer = frozenset({'volunteer', 'claimer'})
    assert _refusal('wish', 'claimed', 'open', *claimer, reason=None).code == 'reason_required'
    check_transition('wish', 'claimed', 'open', roles=claimer, reason='家里有事，去不了')
    assert WishState.OPEN in allowed_next('wish', 'claimed', claimer)
    check_transition('wish', 'open', 'claimed', roles=frozenset({'resident'}), reason=None)  # someone else can


def test_a_wisher_who_says_it_is_not_done_sends_it_back_to_the_claimer_with_a_reason() -> None:
    wisher = frozenset({'resident', 'author'})
    assert _refusal('wish', 'fulfilled', 'claimed', *wisher, reason=None).code == 'reason_required'
    check_transition('wish', 'fulfilled', 'claimed', roles=wisher, reason='助行器还没送到')
    assert _refusal('wish', 'fulfilled', 'claimed', 'volunteer', 'claimer').code == 'forbidden'


def test_another_volunteer_cannot_give_up_or_finish_a_claim_that_is_not_theirs() -> None:
    assert _refusal('wish', 'claimed', 'open', 'volunteer').code == 'forbidden'
    assert _refusal('wish', 'claimed', 'fulfilled', 'volunteer').code == 'forbidden'


def test_an_issue_goes_the_whole_way_from_raised_to_closed() -> None:
    path = ['submitted', 'accepted', 'triaged', 'deliberating', 'reviewed', 'voting', 'published', 'in_progress',
            'rating', 'closed']
    roles = frozenset({'staff', 'committee', 'supervisor'})
    for current, target in pairwise(path):
        check_transition('issue', current, target, roles=roles, reason=None)


def test_an_urgent_issue_goes_from_accepted_straight_to_deliberation() -> None:
    assert IssueState.DELIBERATING in allowed_next('issue', 'accepted', frozenset({'staff'}))


def test_a_big_matter_is_referred_and_closed_by_the_streets_reply_or_sent_back() -> None:
    staff = frozenset({'staff'})
    check_transition('issue', 'triaged', 'referred', roles=staff, reason=None)
    assert allowed_next('issue', 'referred', staff) == [IssueState.CLOSED, IssueState.DELIBERATING]
    assert _refusal('issue', 'referred', 'closed', 'staff', reason=None).code == 'reason_required'
    check_transition('issue', 'referred', 'closed', roles=staff, reason='街道已安排维修，3 日内完成')


def test_a_low_rating_reopens_the_item_for_rectification() -> None:
    check_transition('issue', 'rating', 'in_progress', roles=frozenset({'supervisor'}), reason='满意率 52%，需整改')
    assert not is_final('rating')


@pytest.mark.parametrize(('kind', 'table', 'finals'), [
    ('issue', ISSUE_TRANSITIONS, {'rejected', 'merged', 'closed'}),
    ('wish', WISH_TRANSITIONS, {'rejected', 'confirmed'}),
])
def test_final_states_have_no_exits_and_only_they_are_final(kind: str, table: dict, finals: set[str]) -> None:
    everyone = frozenset(ACTORS)
    for state in table:
        assert is_final(state) is (state in finals), state
        if state in finals:
            assert allowed_next(kind, state, everyone) == []
            for target in table:
                assert _refusal(kind, state, target, *everyone).code == 'illegal_transition'


def _reachable(table: dict, start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for target in table[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return {str(s) for s in seen}


@pytest.mark.parametrize('table', [ISSUE_TRANSITIONS, WISH_TRANSITIONS], ids=['issue', 'wish'])
def test_every_state_can_be_reached_from_submitted(table: dict) -> None:
    assert _reachable(table, 'submitted') == {str(s) for s in table}


@pytest.mark.parametrize('table', [ISSUE_TRANSITIONS, WISH_TRANSITIONS], ids=['issue', 'wish'])
def test_every_state_that_is_not_final_can_still_reach_a_final_one(table: dict) -> None:
    for start in table:
        assert any(is_final(s) for s in _reachable(table, start)), start


def test_allowed_next_offers_the_buttons_for_the_roles_in_table_order() -> None:
    assert allowed_next('issue', 'submitted', frozenset({'staff'})) == [
        IssueState.ACCEPTED, IssueState.REJECTED, IssueState.MERGED]
    assert allowed_next('issue', 'submitted', frozenset({'resident', 'author'})) == []
    assert allowed_next('issue', 'deliberating', frozenset({'staff'})) == [IssueState.REFERRED]
    assert allowed_next('issue', 'deliberating', frozenset({'committee'})) == [
        IssueState.REVIEWED, IssueState.REFERRED]
    assert allowed_next('issue', 'nonsense', frozenset(ACTORS)) == []


def test_every_role_in_the_tables_is_a_known_actor() -> None:
    for table in (ISSUE_TRANSITIONS, WISH_TRANSITIONS):
        for targets in table.values():
            for rule in targets.values():
                assert rule.roles <= set(ACTORS) and rule.never <= set(ACTORS)


def test_stored_strings_and_enum_members_are_accepted_alike() -> None:
    check_transition('issue', IssueState.SUBMITTED, 'accepted', roles=frozenset({'staff'}), reason=None)
    check_transition('issue', 'submitted', IssueState.ACCEPTED, roles=frozenset({'staff'}), reason=None)
    assert IssueState('in_progress') is IssueState.IN_PROGRESS
    assert str(WishState.OPEN) == 'open'


def test_labels_are_plain_chinese_and_a_stored_string_is_labelled_without_its_kind() -> None:
    assert label(IssueState.PUBLISHED) == label('published') == '已公示'
    assert label(WishState.OPEN) == label('open') == '待认领'
    assert label('referred') == '已转街道'
    assert label('fulfilled') == '已完成（待确认）'
    assert label('something_else') == 'something_else'


def test_a_value_used_by_both_kinds_means_the_same_there() -> None:
    shared = {s.value for s in IssueState} & {s.value for s in WishState}
    assert shared == {'submitted', 'rejected'}
    for value in shared:
        issue, wish = IssueState(value), WishState(value)
        assert (issue.label, issue.step, is_final(issue)) == (wish.label, wish.step, is_final(wish))


def test_is_final_and_public_step_refuse_an_unknown_state() -> None:
    with pytest.raises(ValueError):
        is_final('nonsense')
    with pytest.raises(ValueError):
        public_step('nonsense')


@pytest.mark.parametrize(('state', 'step'), [
    ('submitted', '民事民提'), ('accepted', '民事民提'), ('rejected', '民事民提'), ('merged', '民事民提'),
    ('triaged', '民事民议'), ('deliberating', '民事民议'), ('referred', '民事民议'),
    ('reviewed', '民事民决'), ('voting', '民事民决'), ('decided', '民事民决'), ('published', '民事民决'),
    ('in_progress', '民事民办'), ('rating', '民事民评'), ('closed', '民事民评'),
    ('open', '民事民提'), ('claimed', '民事民办'), ('fulfilled', '民事民办'), ('confirmed', '民事民评'),
])
def test_each_state_sits_in_its_five_step_of_the_timeline(state: str, step: str) -> None:
    assert public_step(state).label == step


def test_the_steps_are_numbered_one_to_five_in_order() -> None:
    assert [s.number for s in STEPS] == [1, 2, 3, 4, 5]
    assert [s.key for s in STEPS] == ['raise', 'deliberate', 'decide', 'do', 'judge']


def test_every_state_label_step_and_actor_has_english() -> None:
    words = [s.label for s in (*IssueState, *WishState)] + [s.label for s in STEPS] + \
            list(lifecycle.ACTOR_LABELS.values())
    assert [w for w in words if w not in catalogue()] == []


def test_a_refusal_reads_in_english_with_the_same_parameters() -> None:
    error = _refusal('issue', 'submitted', 'rejected', 'staff', reason=None)
    assert t(error.template, lang='en', **error.params) == 'Please give a reason for “未受理”'
