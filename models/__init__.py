"""Tortoise models only: fields, relations, indexes, constraints."""
from models.accounts import Account, ApiKey, LoginThrottle, RoleGrant
from models.audit import AuditEntry
from models.councils import Council, Seat
from models.issues import Issue, IssueEvent, IssuePhoto, IssueSupport, Notification
from models.meetings import (
    AgendaItem,
    CheckIn,
    HallPost,
    Invitation,
    Meeting,
    MeetingSeries,
    Outcome,
    ScanRecord,
)
from models.people import Resident, ResidentTag
from models.places import Building, Community, Compound, Household, Ownership, Street
from models.votes import Ballot, ChainEntry, Elector, Objection, Vote, VoteOption, VotePlace

__all__ = [
    'Account',
    'AgendaItem',
    'ApiKey',
    'AuditEntry',
    'Ballot',
    'Building',
    'ChainEntry',
    'CheckIn',
    'Community',
    'Compound',
    'Council',
    'Elector',
    'HallPost',
    'Household',
    'Invitation',
    'Issue',
    'IssueEvent',
    'IssuePhoto',
    'IssueSupport',
    'LoginThrottle',
    'Meeting',
    'MeetingSeries',
    'Notification',
    'Objection',
    'Outcome',
    'Ownership',
    'Resident',
    'ResidentTag',
    'RoleGrant',
    'ScanRecord',
    'Seat',
    'Street',
    'Vote',
    'VoteOption',
    'VotePlace',
]
