"""Counting a vote from the database: its rule, options, frozen roll and counted ballots, as domain.tally wants them.

Shared by services.votes (the result frozen at close) and services.tallies (the live count).
"""
from __future__ import annotations

import hashlib
from fractions import Fraction

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.chain import canonical
from domain.tally import Cast, OptionSpec, Result, Rule, Threshold, Weight, rule_of, tally
from models import Ballot, Elector, Vote, VoteOption


def rule_for_vote(vote: Vote) -> Rule:
    """The vote's rule: a preset, or its custom fractions."""
    turnout = Threshold(Fraction(vote.turnout_num, vote.turnout_den), vote.turnout_strict) \
        if vote.turnout_num is not None and vote.turnout_den else None
    approval = Threshold(Fraction(vote.approval_num, vote.approval_den), vote.approval_strict) \
        if vote.approval_num is not None and vote.approval_den else None
    return rule_of(vote.rule, counting=vote.counting, custom_turnout=turnout, custom_approval=approval)


async def option_specs(vote_id: int, conn: BaseDBAsyncClient | None = None) -> list[OptionSpec]:
    """The ballot's options in their order."""
    rows = await VoteOption.filter(vote_id=vote_id).using_db(conn).order_by('position')
    return [OptionSpec(o.id, o.label, o.kind) for o in rows]


async def weights(vote_id: int, conn: BaseDBAsyncClient | None = None) -> list[Weight]:
    """The frozen roll as the tally sees it."""
    rows = await Elector.filter(vote_id=vote_id).using_db(conn).order_by('id').values_list('key', 'area_m2')
    return [Weight(key, Fraction(area)) for key, area in rows]


async def roll_digest(vote_id: int, conn: BaseDBAsyncClient | None = None) -> str:
    """sha256 over the frozen roll (keys and exact areas, in key order), as 'vote.opened' records it."""
    rows = await Elector.filter(vote_id=vote_id).using_db(conn).order_by('key').values_list('key', 'area_m2')
    return hashlib.sha256(canonical([[key, _fraction(Fraction(area))] for key, area in rows]).encode()).hexdigest()


async def counted_casts(vote_id: int, conn: BaseDBAsyncClient | None = None) -> list[Cast]:
    """The counted ballot of each elector: the one with the highest seq."""
    rows = await Ballot.filter(vote_id=vote_id).using_db(conn).order_by('elector_id', 'seq') \
        .values_list('elector__key', 'choices')
    latest = dict(rows)  # later seqs overwrite earlier ones
    return [Cast(key, tuple(choices)) for key, choices in latest.items()]


async def count(vote: Vote, *, conn: BaseDBAsyncClient | None = None) -> Result:
    """The tally of the vote's counted ballots against its roll and rule, now."""
    return tally(rule_for_vote(vote), ballot_type=vote.ballot_type, max_choices=vote.max_choices,
                 options=await option_specs(vote.id, conn), electors=await weights(vote.id, conn),
                 ballots=await counted_casts(vote.id, conn))


def _fraction(value: Fraction) -> str:
    return f'{value.numerator}/{value.denominator}'
