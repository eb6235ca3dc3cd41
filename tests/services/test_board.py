"""The public board's data: what anyone may read, phones always masked, gathered with one query per kind; the site
poster holds the exact QR of the project's board address; retiring posters needs project.manage."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PIL import Image
from tortoise import connections

from domain.errors import DomainError
from models import AuditEntry, BudgetLine, Project, Spending, Survey
from services import board, site_posters
from tests.services.test_posters import _qr_in
from tests.support import make_account, make_community, make_project, make_resident, principal_of

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


async def _closed_round(project: Project, rnd: int, satisfied: int, fair: int, unsatisfied: int, verdict: str,
                        *, days_ago: int = 1) -> Survey:
    at = NOW - timedelta(days=days_ago)
    return await Survey.create(community_id=project.community_id, project=project, round=rnd, threshold=80,
                               opened_at=at - timedelta(days=3), closed_at=at, satisfied=satisfied, fair=fair,
                               unsatisfied=unsatisfied, verdict=verdict)


async def test_the_community_board_lists_every_project_not_cancelled_newest_first(db) -> None:
    community = await make_community()
    old = await make_project(community, title='旧项目', created_at=NOW - timedelta(days=30))
    new = await make_project(community, title='新项目', state='preparing', created_at=NOW - timedelta(days=1))
    await make_project(community, title='撤销的项目', state='cancelled', state_reason='重复立项', created_at=NOW)
    other = await make_community(name='桃花社区')
    await make_project(other, title='别的社区的项目')
    data = await board.community_board(community.id)
    assert data.community_name == '船柴社区'
    assert [line.id for line in data.projects] == [new.id, old.id]
    assert data.projects[0].state_label == '筹备中'


async def test_the_community_board_shows_the_last_closed_round_of_each_project(db) -> None:
    community = await make_community()
    project = await make_project(community, state='closed')
    await _closed_round(project, 1, 2, 1, 2, 'reopened', days_ago=10)
    await _closed_round(project, 2, 4, 1, 1, 'passed', days_ago=1)
    await Survey.create(community=community, project=project, round=3, threshold=80, opened_at=NOW)  # still open
    never_rated = await make_project(community, title='没评过的项目')
    lines = {line.id: line for line in (await board.community_board(community.id)).projects}
    rating = lines[project.id].rating
    assert rating is not None and rating.round == 2 and rating.verdict == 'passed'
    assert (rating.counts.satisfied, rating.counts.fair, rating.counts.unsatisfied) == (4, 1, 1)
    assert rating.rate is not None and rating.rate * 6 == 5
    assert lines[never_rated.id].rating is None


async def test_an_unknown_community_or_project_is_not_found(db) -> None:
    with pytest.raises(DomainError) as e:
        await board.community_board(999999)
    assert e.value.code == 'not_found'
    with pytest.raises(DomainError) as e:
        await board.project_board(999999)
    assert e.value.code == 'not_found'


async def test_the_project_board_masks_the_lead_phone_and_says_why_a_project_was_cancelled(db) -> None:
    community = await make_community()
    project = await make_project(community, state='cancelled', state_reason='业主大会否决了方案',
                                 lead_phone='13912345678')
    head = await board.project_board(project.id)
    assert head.summary.lead_phone == '139****5678'
    assert head.cancel_reason == '业主大会否决了方案'
    assert head.summary.state_label == '已撤销' and not head.rating_open
    running = await board.project_board((await make_project(community, state='rating', state_reason='x')).id)
    assert running.cancel_reason is None and running.rating_open


async def test_the_community_board_asks_the_database_the_same_number_of_times_for_one_project_or_many(
        db, monkeypatch) -> None:
    community = await make_community()
    await make_project(community)

    async def count_queries() -> int:
        client = connections.get('default')
        calls = []
        for name in ('execute_query', 'execute_query_dict'):
            original = getattr(client, name)

            async def counted(*args, _original=original, **kwargs):
                calls.append(args[0] if args else '')
                return await _original(*args, **kwargs)
            monkeypatch.setattr(client, name, counted)
        await board.community_board(community.id)
        monkeypatch.undo()
        return len(calls)

    one = await count_queries()
    for n in range(5):
        project = await make_project(community, title=f'项目{n}')
        await _closed_round(project, 1, 3, 0, 0, 'passed')
    assert one > 0
    assert await count_queries() == one


async def test_the_community_board_adds_up_budget_and_spending_exactly(db) -> None:
    community = await make_community()
    first = await make_project(community, title='楼道照明')
    second = await make_project(community, title='晾衣架')
    for project, amounts in ((first, ('1200.10', '300.20')), (second, ('0.10',))):
        for amount in amounts:
            await BudgetLine.create(project=project, source='huimin', amount=Decimal(amount), created_at=NOW)
    await Spending.create(project=first, source='huimin', amount=Decimal('450.15'), item='声控灯 12 个',
                          spent_on=NOW.date(), created_at=NOW)
    await Spending.create(project=first, source='huimin', amount=Decimal('99.99'), item='作废的一笔',
                          spent_on=NOW.date(), created_at=NOW, voided_at=NOW, void_reason='录错了')
    data = await board.community_board(community.id, year=NOW.year)
    lines = {line.id: line for line in data.projects}
    assert lines[first.id].money == board.MoneyLine(Decimal('1500.30'), Decimal('450.15'), Decimal('1050.15'))
    assert data.budget == Decimal('1500.40') and data.spent == Decimal('450.15')
    assert data.allowance.allowance == Decimal('200000') and data.allowance.committed == Decimal('1500.40')


async def test_the_site_poster_holds_the_exact_qr_of_the_projects_board_address(db) -> None:
    community = await make_community()
    project = await make_project(community, title='嘉明花园3栋楼道照明改造')
    staff = await principal_of(await make_account(community, 'staff'))
    filename, data = await site_posters.poster_for(staff, project.id, 'http://192.168.1.20:8080', fmt='png')
    assert filename == '嘉明花园3栋楼道照明改造-公开栏海报.png'
    image = Image.open(io.BytesIO(data))
    assert image.size == (1240, 1754)
    url = f'http://192.168.1.20:8080/board/project/{project.id}?v=1'
    qr = _qr_in(image.convert('RGB'), url)
    assert qr is not None and qr.width >= 1240 * 0.5
    assert _qr_in(image.convert('RGB'), url.replace('v=1', 'v=2')) is None
    _, pdf = await site_posters.poster_for(staff, project.id, 'http://192.168.1.20:8080', fmt='pdf')
    assert pdf.startswith(b'%PDF')


async def test_only_project_managers_get_the_poster_or_retire_it(db) -> None:
    community = await make_community()
    project = await make_project(community)
    resident = await make_resident(community)
    neighbour = await principal_of(await make_account(community, resident=resident, password=None))
    supervisor = await principal_of(await make_account(community, 'supervisor'))
    for who in (neighbour, supervisor):
        with pytest.raises(DomainError) as e:
            await site_posters.poster_for(who, project.id, 'http://x')
        assert e.value.code == 'forbidden'
        with pytest.raises(DomainError) as e:
            await board.revoke_poster(who, project.id)
        assert e.value.code == 'forbidden'
    assert (await Project.get(id=project.id)).qr_version == 1


async def test_retiring_the_posters_moves_the_qr_to_a_new_version_with_an_audit_entry(db) -> None:
    community = await make_community()
    project = await make_project(community)
    staff = await principal_of(await make_account(community, 'staff'))
    assert await board.revoke_poster(staff, project.id, at=NOW) == 2
    assert (await board.project_board(project.id)).qr_version == 2
    entry = await AuditEntry.get(action='project.poster.revoked')
    assert entry.actor_id == staff.account_id and entry.community_id == community.id
    assert site_posters.board_url(project.id, 2, 'http://h') == f'http://h/board/project/{project.id}?v=2'
