"""Issues and micro-wishes (民事民提): the items, their photos, supports, timeline, and notifications."""
from tortoise import fields
from tortoise.models import Model


class Issue(Model):
    """A public issue (公共议题, kind 'issue') or a personal micro-wish (个人微心愿, kind 'wish')."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='issues', on_delete=fields.RESTRICT)
    kind = fields.CharField(max_length=8)  # issue | wish
    title = fields.CharField(max_length=60)
    body = fields.TextField()
    category = fields.CharField(max_length=20)  # domain.triage.CATEGORIES key
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='issues', null=True, on_delete=fields.SET_NULL)
    building: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Building', related_name='issues', null=True, on_delete=fields.SET_NULL)
    author: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='issues', null=True, on_delete=fields.SET_NULL)
    author_name = fields.CharField(max_length=40)  # as raised (a caller on the 12345 line may not be on the roster)
    show_author = fields.BooleanField(default=False)  # the name appears publicly only when the author agreed
    channel = fields.CharField(max_length=10, default='app')  # app phone 12345 wechat visit box meeting api
    recorded_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='issues_recorded', null=True, on_delete=fields.SET_NULL)
    external_source = fields.CharField(max_length=40, null=True)  # the API key prefix that pushed it
    external_ref = fields.CharField(max_length=80, null=True)  # the integration's own reference
    state = fields.CharField(max_length=20, default='submitted')  # domain.lifecycle
    urgent = fields.BooleanField(default=False)
    scale = fields.CharField(max_length=8, null=True)  # big 大事 | small 小事 | micro 微事 (domain.triage)
    lead = fields.CharField(max_length=20, null=True)  # street | community_council | compound_council
    council: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Council', related_name='issues', null=True, on_delete=fields.SET_NULL)
    merged_into_id = fields.IntField(null=True)  # the surviving issue (a plain id: aerich cannot order a self-FK)
    support_count = fields.IntField(default=0)  # kept equal to the IssueSupport rows by the support service
    street_due_at = fields.DatetimeField(null=True)  # a 大事 referral: when the street's reply is due
    street_reply = fields.TextField(null=True)
    street_replied_at = fields.DatetimeField(null=True)
    claimed_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='wishes_claimed', null=True, on_delete=fields.SET_NULL)
    claimed_at = fields.DatetimeField(null=True)
    rating = fields.CharField(max_length=12, null=True)  # satisfied 满意 | fair 基本满意 | unsatisfied 不满意
    rating_comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = 'issue'
        unique_together = (('community', 'external_source', 'external_ref'),)
        indexes = (('community', 'kind', 'state'), ('community', 'created_at'))


class IssuePhoto(Model):
    """A re-encoded photo (services.photos): stored by content hash on disk, the original never kept."""
    id = fields.IntField(primary_key=True)
    issue = fields.ForeignKeyField('models.Issue', related_name='photos', on_delete=fields.CASCADE)
    key = fields.CharField(max_length=64)  # sha256 of the stored JPEG
    width = fields.IntField()
    height = fields.IntField()
    position = fields.SmallIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'issue_photo'


class IssueSupport(Model):
    """附议: one per resident and issue (a database constraint); undoing deletes the row."""
    id = fields.IntField(primary_key=True)
    issue = fields.ForeignKeyField('models.Issue', related_name='supports', on_delete=fields.CASCADE)
    resident = fields.ForeignKeyField('models.Resident', related_name='supports', on_delete=fields.CASCADE)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'issue_support'
        unique_together = (('issue', 'resident'),)


class IssueEvent(Model):
    """The timeline: every move of an item, with who, when and why. Inserted, never updated."""
    id = fields.IntField(primary_key=True)
    issue = fields.ForeignKeyField('models.Issue', related_name='events', on_delete=fields.CASCADE)
    at = fields.DatetimeField()
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='issue_events', null=True, on_delete=fields.SET_NULL)
    from_state = fields.CharField(max_length=20, null=True)
    to_state = fields.CharField(max_length=20)
    reason = fields.TextField(null=True)

    class Meta:
        table = 'issue_event'
        indexes = (('issue', 'at'),)


class Notification(Model):
    """An in-app notice to one account: a move of their item, a meeting they are invited to …"""
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField('models.Account', related_name='notifications', on_delete=fields.CASCADE)
    at = fields.DatetimeField()
    text = fields.CharField(max_length=200)
    issue: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Issue', related_name='notifications', null=True, on_delete=fields.CASCADE)
    meeting: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Meeting', related_name='notifications', null=True, on_delete=fields.CASCADE)
    project: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Project', related_name='notifications', null=True, on_delete=fields.CASCADE)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'notification'
        indexes = (('account', 'read_at'),)
