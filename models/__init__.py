"""Tortoise models only: fields, relations, indexes, constraints."""
from models.accounts import Account, ApiKey, LoginThrottle, RoleGrant
from models.audit import AuditEntry
from models.councils import Council, Seat
from models.issues import Issue, IssueEvent, IssuePhoto, IssueSupport, Notification
from models.people import Resident, ResidentTag
from models.places import Building, Community, Compound, Household, Ownership, Street

__all__ = [
    'Account', 'ApiKey', 'AuditEntry', 'Building', 'Community', 'Compound', 'Council', 'Household', 'Issue',
    'IssueEvent', 'IssuePhoto', 'IssueSupport', 'LoginThrottle', 'Notification', 'Ownership', 'Resident',
    'ResidentTag', 'RoleGrant', 'Seat', 'Street',
]
