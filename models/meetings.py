"""民事民议: meetings (one-off or from a 周周碰/月月议 series), their agenda, invitees, check-ins, minutes, outcomes."""
from tortoise import fields
from tortoise.models import Model


class MeetingSeries(Model):
    """A recurring meeting (周周碰 weekly, 月月议 monthly): meetings are made from it ahead of time."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='meeting_series', on_delete=fields.CASCADE)
    title = fields.CharField(max_length=60)
    cadence = fields.CharField(max_length=8)  # weekly | monthly (domain.meetings.CADENCES)
    weekday = fields.SmallIntField(null=True)  # 0 = Monday, for weekly
    day_of_month = fields.SmallIntField(null=True)  # 1–28, for monthly
    start_minute = fields.SmallIntField()  # minutes after midnight, local time
    duration_minutes = fields.SmallIntField(default=90)
    format = fields.CharField(max_length=8)  # council 会议协商 | onsite 一线协商
    mode = fields.CharField(max_length=8)  # offline | online | both
    level = fields.CharField(max_length=20)  # domain.seats.TEMPLATES key
    council: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Council', related_name='meeting_series', null=True, on_delete=fields.SET_NULL)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='meeting_series', null=True, on_delete=fields.SET_NULL)
    place = fields.CharField(max_length=80)
    active = fields.BooleanField(default=True)
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='meeting_series_created', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'meeting_series'


class Meeting(Model):
    """One gathering (小板凳、大民生, a 议事会 session): when, where, at which level, with whom, about what."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='meetings', on_delete=fields.RESTRICT)
    series: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.MeetingSeries', related_name='meetings', null=True, on_delete=fields.SET_NULL)
    title = fields.CharField(max_length=60)
    format = fields.CharField(max_length=8)  # council 会议协商 | onsite 一线协商
    mode = fields.CharField(max_length=8)  # offline | online | both
    regular = fields.BooleanField(default=False)  # 定期 (from a series or on the calendar) or 临时 ad hoc
    level = fields.CharField(max_length=20)  # domain.seats.TEMPLATES key: which seat template invites
    council: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Council', related_name='meetings', null=True, on_delete=fields.SET_NULL)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='meetings', null=True, on_delete=fields.SET_NULL)
    place = fields.CharField(max_length=80)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    state = fields.CharField(max_length=12, default='scheduled')  # domain.meetings.MeetingState
    qr_version = fields.IntField(default=1)  # bumping it revokes the printed meeting QR
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='meetings_created', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'meeting'
        indexes = (('community', 'starts_at'),)


class AgendaItem(Model):
    """One item on the agenda, usually a triaged issue, with its minutes (纪要)."""
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField('models.Meeting', related_name='agenda', on_delete=fields.CASCADE)
    issue: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Issue', related_name='agenda_items', null=True, on_delete=fields.SET_NULL)
    title = fields.CharField(max_length=60)
    position = fields.SmallIntField(default=0)
    minutes = fields.TextField(null=True)
    minutes_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='minutes_written', null=True, on_delete=fields.SET_NULL)
    minutes_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'agenda_item'
        unique_together = (('meeting', 'issue'),)


class Outcome(Model):
    """协商成果 of one agenda item; public only after the Party organisation approved it (审核)."""
    id = fields.IntField(primary_key=True)
    item = fields.OneToOneField('models.AgendaItem', related_name='outcome', on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=10)  # vote | decided | referred | deferred (domain.meetings.OUTCOME_KINDS)
    text = fields.TextField()
    state = fields.CharField(max_length=10, default='draft')  # draft | submitted | approved | returned
    written_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='outcomes_written', null=True, on_delete=fields.SET_NULL)
    written_at = fields.DatetimeField()
    reviewed_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='outcomes_reviewed', null=True, on_delete=fields.SET_NULL)
    reviewed_at = fields.DatetimeField(null=True)
    review_note = fields.TextField(null=True)

    class Meta:
        table = 'outcome'


class Invitation(Model):
    """An invitee by seat (4+N / 5+N), or one of the N stakeholders (seat_kind 'stakeholder')."""
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField('models.Meeting', related_name='invitations', on_delete=fields.CASCADE)
    seat_kind = fields.CharField(max_length=20)  # domain.seats key or 'stakeholder'
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='invitations', null=True, on_delete=fields.SET_NULL)
    name = fields.CharField(max_length=40)  # as invited (an outside representative may not be a resident)
    organisation = fields.CharField(max_length=60, null=True)
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'invitation'
        unique_together = (('meeting', 'resident'),)


class CheckIn(Model):
    """签到: one per resident and meeting (a database constraint). Inserted, never updated."""
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField('models.Meeting', related_name='checkins', on_delete=fields.CASCADE)
    resident = fields.ForeignKeyField('models.Resident', related_name='checkins', on_delete=fields.CASCADE)
    method = fields.CharField(max_length=10)  # self | scan | link | search | walk_in
    by_account: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='checkins_made', null=True, on_delete=fields.SET_NULL)
    scanned_at = fields.DatetimeField()  # when it happened on the phone (an offline scan arrives later)
    created_at = fields.DatetimeField()  # when the server stored it

    class Meta:
        table = 'checkin'
        unique_together = (('meeting', 'resident'),)
        indexes = (('meeting', 'created_at'),)


class ScanRecord(Model):
    """Every scan a volunteer's phone sent, once per client nonce: a replay returns this first answer."""
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField('models.Meeting', related_name='scans', on_delete=fields.CASCADE)
    by_account = fields.ForeignKeyField('models.Account', related_name='scans', on_delete=fields.CASCADE)
    nonce = fields.CharField(max_length=64)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='scans', null=True, on_delete=fields.SET_NULL)
    result = fields.CharField(max_length=12)  # checked_in | already | refused
    code = fields.CharField(max_length=30, null=True)  # the DomainError code of a refusal
    scanned_at = fields.DatetimeField()
    received_at = fields.DatetimeField()

    class Meta:
        table = 'scan_record'
        unique_together = (('by_account', 'nonce'),)


class HallPost(Model):
    """线上议事厅: a post or reply in the thread of one issue; a proposal is a backbone's solution (金字塔)."""
    id = fields.IntField(primary_key=True)
    issue = fields.ForeignKeyField('models.Issue', related_name='posts', on_delete=fields.CASCADE)
    author = fields.ForeignKeyField('models.Account', related_name='posts', on_delete=fields.CASCADE)
    author_name = fields.CharField(max_length=40)  # as shown then (名字 or 某楼居民)
    parent_id = fields.IntField(null=True)  # the post replied to (a plain id: aerich cannot order a self-FK)
    body = fields.TextField()
    proposal = fields.BooleanField(default=False)
    nonce = fields.CharField(max_length=64, null=True)  # a double tap posts once
    hidden_at = fields.DatetimeField(null=True)
    hidden_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='posts_hidden', null=True, on_delete=fields.SET_NULL)
    hidden_reason = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'hall_post'
        unique_together = (('author', 'nonce'),)
        indexes = (('issue', 'created_at'),)
