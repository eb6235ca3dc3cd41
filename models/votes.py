"""民事民决: votes, their options and electorate, the frozen roll of electors, ballots, objections, the hash chain."""
from tortoise import fields
from tortoise.models import Model


class Vote(Model):
    """One question put to the affected residents under one legal rule (domain.votes / domain.tally)."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='votes', on_delete=fields.RESTRICT)
    outcome: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Outcome', related_name='votes', null=True, on_delete=fields.SET_NULL)  # None: standalone
    issue: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Issue', related_name='votes', null=True, on_delete=fields.SET_NULL)  # the outcome's issue, if any
    title = fields.CharField(max_length=60)
    description = fields.TextField(default='')
    ballot_type = fields.CharField(max_length=10)  # yes_no 赞成/反对/弃权 | single | multiple
    max_choices = fields.SmallIntField(default=1)  # k for multiple; 1 otherwise
    electorate = fields.CharField(max_length=10)  # community | places | body (居民代表)
    counting = fields.CharField(max_length=10)  # person | household | owner (by head and area)
    rule = fields.CharField(max_length=20)  # domain.tally.PRESETS key, or 'custom'
    # custom rule: exact fractions; strict = "过半数" (more than), else "以上" (at least)
    turnout_num = fields.SmallIntField(null=True)
    turnout_den = fields.SmallIntField(null=True)
    turnout_strict = fields.BooleanField(default=False)
    approval_num = fields.SmallIntField(null=True)
    approval_den = fields.SmallIntField(null=True)
    approval_strict = fields.BooleanField(default=True)
    channels = fields.JSONField(default=list)  # subset of online | onsite | paper | proxy
    onsite_meeting: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Meeting', related_name='votes', null=True, on_delete=fields.SET_NULL)  # on site: its check-ins only
    max_principals = fields.SmallIntField(default=3)  # proxies: principals one proxy may hold
    results_live = fields.BooleanField(default=True)  # False: only turnout until closed
    secret = fields.BooleanField(default=False)  # True: nobody sees who chose what; receipts prove counting
    allow_change = fields.BooleanField(default=False)  # a voter may change the ballot until close
    opens_at = fields.DatetimeField()
    closes_at = fields.DatetimeField()
    publicity_days = fields.SmallIntField(default=7)  # 公示 period after closing
    state = fields.CharField(max_length=12, default='draft')  # domain.votes.VoteState
    verdict = fields.CharField(max_length=12, null=True)  # passed | failed | not_quorate | tie (at close)
    result = fields.JSONField(null=True)  # the tally frozen at close (domain.tally.Result as JSON)
    qr_version = fields.IntField(default=1)  # bump to revoke the printed/projected join QR
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='votes_created', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    opened_at = fields.DatetimeField(null=True)  # when the roll was frozen
    closed_at = fields.DatetimeField(null=True)
    publicity_ends_at = fields.DatetimeField(null=True)
    finalised_at = fields.DatetimeField(null=True)
    state_reason = fields.TextField(null=True)  # why cancelled or annulled

    class Meta:
        table = 'vote'
        indexes = (('community', 'state'),)


class VotePlace(Model):
    """A compound or a building in the electorate of a vote whose electorate is 'places'."""
    id = fields.IntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='places', on_delete=fields.CASCADE)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='vote_places', null=True, on_delete=fields.CASCADE)
    building: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Building', related_name='vote_places', null=True, on_delete=fields.CASCADE)

    class Meta:
        table = 'vote_place'


class VoteOption(Model):
    """One choice on the ballot; yes/no votes have exactly 赞成, 反对, 弃权."""
    id = fields.IntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='options', on_delete=fields.CASCADE)
    position = fields.SmallIntField()
    label = fields.CharField(max_length=60)
    kind = fields.CharField(max_length=8, default='choice')  # yes | no | abstain | choice

    class Meta:
        table = 'vote_option'
        unique_together = (('vote', 'position'),)


class Elector(Model):
    """One voting unit on the roll frozen when the vote opens: a person, a household, or an owner with area.

    `key` names it: r<resident id>, h<household id>, o<resident id> (an owner of one or more units), u<household
    id> (a sold unit without a registered owner), or 'unsold' (the unsold and undelivered units, one owner together).
    """
    id = fields.IntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='electors', on_delete=fields.CASCADE)
    key = fields.CharField(max_length=20)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='electors', null=True, on_delete=fields.SET_NULL)
    household: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Household', related_name='electors', null=True, on_delete=fields.SET_NULL)
    label = fields.CharField(max_length=80)  # 张三 / 3栋201 / 开发商（未售房屋） as on the roll
    area_m2 = fields.DecimalField(max_digits=12, decimal_places=2, default=0)  # exclusive area counted (owner)

    class Meta:
        table = 'elector'
        unique_together = (('vote', 'key'),)


class Ballot(Model):
    """A ballot, inserted and never updated. The elector's counted ballot is the one with the highest `seq`;
    (elector, seq) is unique, so two phones of one household casting at once store one first ballot."""
    id = fields.IntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='ballots', on_delete=fields.CASCADE)
    elector = fields.ForeignKeyField('models.Elector', related_name='ballots', on_delete=fields.CASCADE)
    seq = fields.SmallIntField(default=1)  # 1 the first ballot, 2… a change (only where the vote allows it)
    choices = fields.JSONField()  # option ids, sorted
    channel = fields.CharField(max_length=8)  # online | onsite | paper | proxy
    voter: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='ballots_cast', null=True, on_delete=fields.SET_NULL)  # who voted
    proxy: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='ballots_as_proxy', null=True, on_delete=fields.SET_NULL)
    entered_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='ballots_entered', null=True, on_delete=fields.SET_NULL)  # tapped/typed
    sheet_no = fields.CharField(max_length=30, null=True)  # the paper sheet's number
    nonce = fields.CharField(max_length=64)
    receipt = fields.CharField(max_length=12)  # shown to the voter; proves the ballot was counted
    cast_at = fields.DatetimeField()

    class Meta:
        table = 'ballot'
        unique_together = (('elector', 'seq'), ('vote', 'entered_by', 'nonce'), ('vote', 'receipt'),
                           ('vote', 'sheet_no'))


class Objection(Model):
    """异议 during the 公示 period, recorded and answered; an upheld objection annuls the result."""
    id = fields.IntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='objections', on_delete=fields.CASCADE)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='objections', null=True, on_delete=fields.SET_NULL)
    account = fields.ForeignKeyField('models.Account', related_name='objections', on_delete=fields.CASCADE)
    text = fields.TextField()
    nonce = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    answer = fields.TextField(null=True)
    upheld = fields.BooleanField(null=True)
    answered_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='objections_answered', null=True, on_delete=fields.SET_NULL)
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'objection'
        unique_together = (('account', 'nonce'),)


class ChainEntry(Model):
    """The vote's hash chain over ballots and state changes: hash = sha256(prev_hash + canonical JSON of the
    entry). Inserted, never updated; (vote, seq) is unique, so two writers cannot both extend the same link."""
    id = fields.BigIntField(primary_key=True)
    vote = fields.ForeignKeyField('models.Vote', related_name='chain', on_delete=fields.CASCADE)
    seq = fields.IntField()
    kind = fields.CharField(max_length=30)  # vote.opened | ballot.cast | vote.closed | objection.filed …
    ballot: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Ballot', related_name='chain_entries', null=True, on_delete=fields.SET_NULL)
    data = fields.JSONField()
    at = fields.DatetimeField()
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = 'vote_chain'
        unique_together = (('vote', 'seq'),)
