"""民事民办 / 民事民评 under load: a rating burst at the site, a pledge burst, the public boards, the 五民 funnel.

    python bench/projects.py [--residents 500] [--projects 60] [--issues 5000] [--database-url URL]

On a fresh database (SQLite in a temporary folder, or an empty PostgreSQL database given by --database-url) it
builds one community with `--residents` verified residents, `--projects` projects each with budget lines,
spendings and pledges, and `--issues` public issues with timelines (set-up goes through the models in bulk; every
measured step goes through the services a page calls). Then it measures:

- rating burst: every resident rates the same finished project at once (`services.ratings.rate_project`, as the
  one-tap button does), then all of them tap again (replays); checks exactly one rating per resident;
- closing that round (`close_round`: counts frozen, verdict, project closed);
- pledge burst: every resident pledges one hour to another project at once; checks one pledge each, and the
  ledger (`services.pledges.ledger`);
- the public boards' data: one project's (`services.board.project_board`) and the community's
  (`community_board`, all projects with money and ratings);
- the funnel (`services.funnel.dashboard`) over all issues: after a change (what an event costs the first open
  dashboard), and again with nothing changed (what every other open dashboard pays: they share the count).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.phones import percentile  # noqa: E402


async def build(residents: int, projects: int, issues: int):
    """The community, its people, projects (one under way to be rated, one taking pledges) and issue timelines."""
    from domain.permissions import Principal
    from models import (
        Account,
        BudgetLine,
        Building,
        Community,
        Compound,
        Household,
        Issue,
        IssueEvent,
        Pledge,
        Project,
        Resident,
        RoleGrant,
        Spending,
        Street,
    )
    from services import projects as project_service
    now = datetime.now(UTC)
    street = await Street.create(name='西陵街道')
    community = await Community.create(street=street, name='船柴社区')
    compounds = [await Compound.create(community=community, name=f'小区{n + 1}') for n in range(5)]
    buildings = [await Building.create(compound=c, name=f'{n + 1}栋') for c in compounds for n in range(4)]
    await Household.bulk_create([Household(building=b, room=f'{f}0{r}', area_m2=Decimal('80.00'), occupancy='owner',
                                            created_at=now, updated_at=now)
                                 for b in buildings for f in range(1, 7) for r in range(1, 5)])
    homes = await Household.all().order_by('id')
    await Resident.bulk_create([Resident(community=community, household=homes[n % len(homes)], name=f'居民{n}',
                                         phone=f'139{n:08d}', status='verified', birth_year=1960, relation='owner',
                                         created_at=now, updated_at=now) for n in range(residents)])
    people = await Resident.filter(community=community).order_by('id')
    await Account.bulk_create([Account(name=p.name, phone=p.phone, resident=p, created_at=now) for p in people])
    accounts = {a.resident_id: a.id for a in await Account.filter(resident_id__not_isnull=True)}
    staff = await Account.create(name='李敏', phone='13700000000', created_at=now)
    await RoleGrant.create(account=staff, community=community, role='staff')
    boss = Principal(account_id=staff.id, roles={community.id: frozenset({'staff'})}, name='李敏')
    phones = [Principal(account_id=accounts[p.id], roles={community.id: frozenset({'resident'})}, resident_id=p.id,
                        verified=True, name=p.name) for p in people]
    await project_service.ensure_statuses(community.id)
    rows = [Project(community=community, title=f'项目{n}', origin='outcome', lead_org=f'单位{n % 7}',
                    lead_phone='13912345678', site=f'小区{n % 5 + 1}', state='underway', progress=50,
                    created_at=now - timedelta(days=60), updated_at=now, started_at=now - timedelta(days=50),
                    due_on=date.today() + timedelta(days=30)) for n in range(projects)]
    await Project.bulk_create(rows)
    made = await Project.filter(community=community).order_by('id')
    await BudgetLine.bulk_create([BudgetLine(project=p, source=s, amount=Decimal('20000.00'), created_at=now)
                                  for p in made for s in ('huimin', 'residents', 'property')])
    await Spending.bulk_create([Spending(project=p, source='huimin', amount=Decimal('512.30'), item=f'材料{k}',
                                         spent_on=date.today(), created_at=now) for p in made for k in range(20)])
    await Pledge.bulk_create([Pledge(project=p, resident=people[k], name=people[k].name, kind='labour', item='出工',
                                     unit='小时', quantity=Decimal('2.00'), received=Decimal('2.00'),
                                     state='received', thank_publicly=k % 2 == 0, created_at=now)
                              for p in made for k in range(min(30, residents))])
    started = now - timedelta(days=200)
    await Issue.bulk_create([Issue(community=community, kind='issue', title=f'议题{n}', body='…', category='other',
                                   compound=compounds[n % 5], author_name='居民', state='submitted',
                                   created_at=started + timedelta(hours=n % 4000),
                                   updated_at=started) for n in range(issues)])
    steps = ('accepted', 'triaged', 'deliberating', 'reviewed', 'decided', 'published', 'in_progress')
    events, chance = [], random.Random(6)
    for issue in await Issue.filter(community=community).values('id', 'created_at'):
        at, previous = issue['created_at'], 'submitted'
        for state in steps[:chance.randint(1, len(steps))]:
            at += timedelta(days=chance.randint(1, 6))
            events.append(IssueEvent(issue_id=issue['id'], at=at, from_state=previous, to_state=state))
            previous = state
    await IssueEvent.bulk_create(events, batch_size=2000)
    return community, boss, phones, made


async def timed(step) -> float:
    began = time.perf_counter()
    await step()
    return time.perf_counter() - began


async def burst(calls) -> tuple[float, list[float]]:
    """Run all calls at once; the wall time and each call's latency."""
    latencies: list[float] = []

    async def one(call) -> None:
        began = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - began)
    began = time.perf_counter()
    await asyncio.gather(*(one(call) for call in calls))
    return time.perf_counter() - began, latencies


async def run(args: argparse.Namespace) -> None:
    from models import Issue, Pledge, Rating
    from services import board, config, db, funnel, issues, pledges, project_moves, ratings
    url = args.database_url or f'sqlite://{tempfile.mkdtemp(prefix="gs-bench-")}/bench.sqlite3'
    config.use(config.Settings(database_url=url, secret='bench', data_dir=Path(tempfile.mkdtemp())))
    async with db.connected(url):
        began = time.perf_counter()
        community, boss, phones, made = await build(args.residents, args.projects, args.issues)
        print(f'set-up: {len(phones)} residents, {len(made)} projects, {args.issues} issues '
              f'in {time.perf_counter() - began:.1f} s ({db.database_kind()})')
        rated, pledged = made[0], made[1]
        move = await timed(lambda: project_moves.move(boss, rated.id, 'rating'))
        print(f'report done (opens the round, invitations): {move * 1000:.0f} ms')

        choices = ('satisfied', 'fair', 'unsatisfied')
        wall, lat = await burst([lambda p=p, n=n: ratings.rate_project(p, rated.id, value=choices[n % 7 % 3])
                                 for n, p in enumerate(phones)])
        count = await Rating.filter(survey__project_id=rated.id).count()
        print(f'rating burst: {len(phones)} ratings in {wall:.2f} s ({len(phones) / wall:.0f}/s), '
              f'p50 {percentile(lat, .5) * 1000:.0f} ms, p95 {percentile(lat, .95) * 1000:.0f} ms; stored {count}')
        wall, lat = await burst([lambda p=p, n=n: ratings.rate_project(p, rated.id, value=choices[n % 7 % 3])
                                 for n, p in enumerate(phones)])
        again = await Rating.filter(survey__project_id=rated.id).count()
        print(f'replayed taps: {len(phones)} in {wall:.2f} s, p95 {percentile(lat, .95) * 1000:.0f} ms; '
              f'stored {again} (was {count})')
        survey_id = await ratings.open_survey_id(rated.id)
        close = await timed(lambda: ratings.close_round(boss, survey_id))
        print(f'close the round: {close * 1000:.0f} ms')

        def pledge(p, n):
            return pledges.pledge(p, pledged.id, kind='labour', item='出工', quantity='1', thank_publicly=True,
                                  nonce=f'bench-pledge-{n:06d}')
        wall, lat = await burst([lambda p=p, n=n: pledge(p, n) for n, p in enumerate(phones)])
        count = await Pledge.filter(project_id=pledged.id, nonce__not_isnull=True).count()
        print(f'pledge burst: {len(phones)} pledges in {wall:.2f} s ({len(phones) / wall:.0f}/s), '
              f'p95 {percentile(lat, .95) * 1000:.0f} ms; stored {count}')
        ledger = [await timed(lambda: pledges.ledger(pledged.id)) for _ in range(10)]
        print(f'pledge ledger ({count + 30} pledges): p50 {percentile(ledger, .5) * 1000:.0f} ms')

        one = [await timed(lambda: board.project_board(pledged.id)) for _ in range(20)]
        print(f'public board of one project: p50 {percentile(one, .5) * 1000:.0f} ms')
        whole = [await timed(lambda: board.community_board(community.id)) for _ in range(10)]
        print(f'public board of the community ({len(made)} projects): p50 {percentile(whole, .5) * 1000:.0f} ms')
        moved = await Issue.filter(community=community, state='submitted').limit(5).values_list('id', flat=True)
        dash = []
        for n in range(5):  # each time after a change (as when an event redraws the dashboards), then unchanged
            await issues.move(boss, moved[n], 'accepted')
            dash.append(await timed(lambda: funnel.dashboard(boss, community.id)))
        same = [await timed(lambda: funnel.dashboard(boss, community.id)) for _ in range(5)]
        print(f'五民 funnel over {args.issues} issues: after a change p50 {percentile(dash, .5) * 1000:.0f} ms; '
              f'another open dashboard, nothing changed: p50 {percentile(same, .5) * 1000:.0f} ms')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--residents', type=int, default=500)
    parser.add_argument('--projects', type=int, default=60)
    parser.add_argument('--issues', type=int, default=5000)
    parser.add_argument('--database-url', default='')
    asyncio.run(run(parser.parse_args()))


if __name__ == '__main__':
    main()
