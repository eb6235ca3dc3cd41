"""The demo's votes: an open §278 owners' vote with ballots already cast, and a closed household vote in 公示."""
from datetime import UTC, datetime

from models import AuditEntry, Ballot, Vote
from services import demo, demo_votes, tallies, vote_chain

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def _load() -> int:
    report = await demo.load(at=AT)  # once services/demo.py calls demo_votes itself, this adds nothing more
    await demo_votes.load(report.community_id, at=AT)
    return report.community_id


async def test_the_demo_has_an_open_owners_vote_with_ballots_and_a_closed_one_in_publicity(db) -> None:
    community_id = await _load()
    votes = {v.title: v for v in await Vote.filter(community_id=community_id)}
    roof, shed = votes[demo_votes.ROOF], votes[demo_votes.SHED]

    assert (roof.state, roof.counting, roof.rule, roof.ballot_type) == ('open', 'owner', 'civil_278', 'yes_no')
    assert roof.opens_at < AT < roof.closes_at
    tally = await tallies.current_tally(roof.id, at=AT)
    cast = await Ballot.filter(vote_id=roof.id).count()
    assert tally.counted == tally.result.voted_heads == cast > 0
    assert tally.result.total_heads > cast and tally.result.voted_area > 0 and not tally.hidden
    assert sum(o.heads for o in tally.result.options) == cast
    channels = set(await Ballot.filter(vote_id=roof.id).values_list('channel', flat=True))
    assert channels == {'online', 'paper'}  # owners on their phones, and sheets typed in by staff

    assert (shed.state, shed.verdict, shed.counting, shed.rule) == ('closed', 'passed', 'household',
                                                                    'residents_meeting')
    assert shed.closed_at == shed.closes_at and shed.closed_at < AT < shed.publicity_ends_at
    frozen = await tallies.current_tally(shed.id, at=AT)
    assert frozen.result.verdict == 'passed' and frozen.counted == await Ballot.filter(vote_id=shed.id).count()
    assert frozen.result.quorate and frozen.result.reasons
    assert await AuditEntry.filter(action='vote.closed', target_id=shed.id).exists()
    assert [r.broken for r in await vote_chain.verify()] == [None, None]  # every ballot and move on the chain


async def test_loading_the_demo_votes_twice_gives_the_same_votes(db) -> None:
    community_id = await _load()
    before = sorted(await Vote.filter(community_id=community_id).values_list('id', 'title', 'state'))
    ballots = await Ballot.all().count()
    assert len(before) == 2
    assert await demo_votes.load(community_id, at=AT) == 0
    assert sorted(await Vote.filter(community_id=community_id).values_list('id', 'title', 'state')) == before
    assert await Ballot.all().count() == ballots
