"""民事民办 and 民事民评: projects, their milestones and money, pledges, progress updates, surveys and ratings.

Money and quantities are `Decimal` (exact; never summed in SQL: SQLite stores them as text).
"""
from tortoise import fields
from tortoise.models import Model

_MONEY = {'max_digits': 12, 'decimal_places': 2}


class ProjectStatus(Model):
    """A stage a project shows (Decidim accountability's Status): a label and a progress value, per community."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='project_statuses', on_delete=fields.CASCADE)
    key = fields.CharField(max_length=20)
    label = fields.CharField(max_length=20)
    progress = fields.SmallIntField()  # 0–100: what a project at this stage shows unless an update says more
    position = fields.SmallIntField(default=0)

    class Meta:
        table = 'project_status'
        unique_together = (('community', 'key'),)


class Project(Model):
    """A decided matter carried out (民事民办): from a passed vote, a meeting decision or a claimed micro-wish."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='projects', on_delete=fields.RESTRICT)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Compound', related_name='projects', null=True, on_delete=fields.SET_NULL)
    title = fields.CharField(max_length=60)
    summary = fields.TextField(default='')
    origin = fields.CharField(max_length=8)  # vote | outcome | wish (domain.projects.ORIGINS)
    vote: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Vote', related_name='projects', null=True, on_delete=fields.SET_NULL)
    outcome: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Outcome', related_name='projects', null=True, on_delete=fields.SET_NULL)
    issue: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Issue', related_name='projects', null=True, on_delete=fields.SET_NULL)  # the issue or wish carried out
    lead_org = fields.CharField(max_length=60)  # 牵头单位: the responsible organisation scored in 吹哨报到
    lead_person = fields.CharField(max_length=40, default='')
    lead_phone = fields.CharField(max_length=20, null=True)  # masked on every public view
    site = fields.CharField(max_length=80, default='')  # where the work is: printed on the site poster
    state = fields.CharField(max_length=12, default='preparing')  # domain.projects.ProjectState
    state_reason = fields.TextField(null=True)
    status: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.ProjectStatus', related_name='projects', null=True, on_delete=fields.SET_NULL)
    progress = fields.SmallIntField(default=0)  # 0–100
    round = fields.SmallIntField(default=1)  # the rating round: each 整改 starts the next
    qr_version = fields.IntField(default=1)  # bumping it revokes the printed site poster
    due_on = fields.DateField(null=True)  # planned completion
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='projects_created', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)  # the latest time it was reported done (each round)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'project'
        indexes = (('community', 'state'),)


class ProjectEvent(Model):
    """The project's timeline: every move, with who, when and why. Inserted, never updated."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='events', on_delete=fields.CASCADE)
    at = fields.DatetimeField()
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='project_events', null=True, on_delete=fields.SET_NULL)
    from_state = fields.CharField(max_length=12, null=True)
    to_state = fields.CharField(max_length=12)
    reason = fields.TextField(null=True)

    class Meta:
        table = 'project_event'
        indexes = (('project', 'at'),)


class Milestone(Model):
    """A step of the plan with a due date; a 整改 milestone is added when a rating round falls short."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='milestones', on_delete=fields.CASCADE)
    title = fields.CharField(max_length=60)
    due_on = fields.DateField(null=True)
    round = fields.SmallIntField(default=1)
    rectification = fields.BooleanField(default=False)
    position = fields.SmallIntField(default=0)
    done_at = fields.DatetimeField(null=True)
    done_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='milestones_done', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'project_milestone'


class BudgetLine(Model):
    """Money promised to the project by one source (惠民资金, 以奖代补, residents, property company, social org …)."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='budget_lines', on_delete=fields.CASCADE)
    source = fields.CharField(max_length=12)  # domain.money.SOURCES key
    amount = fields.DecimalField(**_MONEY)  # yuan
    note = fields.CharField(max_length=100, default='')
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='budget_lines_created', null=True, on_delete=fields.SET_NULL)
    nonce = fields.CharField(max_length=64, null=True)  # a double tap adds once
    created_at = fields.DatetimeField()

    class Meta:
        table = 'budget_line'
        unique_together = (('project', 'nonce'),)


class Spending(Model):
    """Money paid out, with a photo of the receipt. Never edited: a mistake is voided with a reason."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='spendings', on_delete=fields.CASCADE)
    source = fields.CharField(max_length=12)  # the budget source it is paid from (domain.money.SOURCES key)
    amount = fields.DecimalField(**_MONEY)  # yuan, > 0
    item = fields.CharField(max_length=60)  # what was paid for
    payee = fields.CharField(max_length=60, default='')
    spent_on = fields.DateField()
    receipt_key = fields.CharField(max_length=64, null=True)  # services.photos key of the receipt photo
    receipt_width = fields.IntField(null=True)
    receipt_height = fields.IntField(null=True)
    over_budget = fields.BooleanField(default=False)  # beyond its source's budget when recorded: flagged publicly
    over_reason = fields.TextField(null=True)  # required when over_budget
    recorded_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='spendings_recorded', null=True, on_delete=fields.SET_NULL)
    nonce = fields.CharField(max_length=64, null=True)  # a double tap records once
    created_at = fields.DatetimeField()
    voided_at = fields.DatetimeField(null=True)
    voided_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='spendings_voided', null=True, on_delete=fields.SET_NULL)
    void_reason = fields.TextField(null=True)

    class Meta:
        table = 'spending'
        unique_together = (('project', 'nonce'),)


class PledgeNeed(Model):
    """What the project asks residents for: labour (hours, a slot), money (yuan) or materials (what, how many)."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='needs', on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=8)  # labour | money | material (domain.pledges.KINDS)
    item = fields.CharField(max_length=40)  # 刷墙志愿者, 建设资金, 空调
    unit = fields.CharField(max_length=8)  # 小时, 元, 台
    quantity = fields.DecimalField(**_MONEY)
    slot = fields.CharField(max_length=40, default='')  # labour: when (12月6日上午)
    position = fields.SmallIntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'pledge_need'


class Pledge(Model):
    """投工投劳、出资出物: one resident's promise; an organiser confirms what arrived (received)."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='pledges', on_delete=fields.CASCADE)
    need: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.PledgeNeed', related_name='pledges', null=True, on_delete=fields.SET_NULL)
    resident: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Resident', related_name='pledges', null=True, on_delete=fields.SET_NULL)
    name = fields.CharField(max_length=40)  # as pledged; shown publicly only when thank_publicly
    kind = fields.CharField(max_length=8)
    item = fields.CharField(max_length=40)
    unit = fields.CharField(max_length=8)
    quantity = fields.DecimalField(**_MONEY)
    slot = fields.CharField(max_length=40, default='')
    thank_publicly = fields.BooleanField(default=False)  # consent to be thanked by name on the public board
    state = fields.CharField(max_length=10, default='pledged')  # pledged | partial | received | withdrawn
    received = fields.DecimalField(**_MONEY, default=0)
    confirmed_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='pledges_confirmed', null=True, on_delete=fields.SET_NULL)
    confirmed_at = fields.DatetimeField(null=True)
    recorded_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='pledges_recorded', null=True, on_delete=fields.SET_NULL)  # staff for one
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='pledges_withdrawn', null=True, on_delete=fields.SET_NULL)
    withdraw_reason = fields.TextField(null=True)
    nonce = fields.CharField(max_length=64, null=True)  # a double tap pledges once
    created_at = fields.DatetimeField()

    class Meta:
        table = 'pledge'
        unique_together = (('project', 'nonce'),)
        indexes = (('project', 'kind'),)


class ProgressUpdate(Model):
    """A progress report on the public board: text, a progress value, photos before / during / after."""
    id = fields.IntField(primary_key=True)
    project = fields.ForeignKeyField('models.Project', related_name='updates', on_delete=fields.CASCADE)
    text = fields.TextField()
    progress = fields.SmallIntField(null=True)
    status: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.ProjectStatus', related_name='updates', null=True, on_delete=fields.SET_NULL)
    author: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='progress_updates', null=True, on_delete=fields.SET_NULL)
    nonce = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'progress_update'
        unique_together = (('project', 'nonce'),)


class ProgressPhoto(Model):
    """A re-encoded photo of an update (services.photos): before, during or after the work."""
    id = fields.IntField(primary_key=True)
    update = fields.ForeignKeyField('models.ProgressUpdate', related_name='photos', on_delete=fields.CASCADE)
    phase = fields.CharField(max_length=8)  # before | during | after
    key = fields.CharField(max_length=64)
    width = fields.IntField()
    height = fields.IntField()
    position = fields.SmallIntField(default=0)

    class Meta:
        table = 'progress_photo'


class Survey(Model):
    """One round of 民事民评 on a project or a micro-wish: opens when the work is done, closes with a verdict."""
    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField('models.Community', related_name='surveys', on_delete=fields.CASCADE)
    project: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Project', related_name='surveys', null=True, on_delete=fields.CASCADE)
    issue: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Issue', related_name='surveys', null=True, on_delete=fields.CASCADE)  # a micro-wish without project
    round = fields.SmallIntField(default=1)
    threshold = fields.SmallIntField()  # percent, the community's when the round opened
    opened_at = fields.DatetimeField()
    closes_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    opened_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='surveys_opened', null=True, on_delete=fields.SET_NULL)
    closed_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='surveys_closed', null=True, on_delete=fields.SET_NULL)
    satisfied = fields.IntField(default=0)  # the counts frozen at close
    fair = fields.IntField(default=0)
    unsatisfied = fields.IntField(default=0)
    verdict = fields.CharField(max_length=10, null=True)  # passed | reopened | no_ratings (at close)

    class Meta:
        table = 'survey'
        unique_together = (('project', 'round'), ('issue', 'round'))


class SurveyInvitation(Model):
    """Who is asked first (服务谁、谁评价): the residents served and those who took part."""
    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField('models.Survey', related_name='invitations', on_delete=fields.CASCADE)
    resident = fields.ForeignKeyField('models.Resident', related_name='survey_invitations', on_delete=fields.CASCADE)
    reason = fields.CharField(max_length=10)  # served | took_part
    created_at = fields.DatetimeField()

    class Meta:
        table = 'survey_invitation'
        unique_together = (('survey', 'resident'),)


class Rating(Model):
    """满意 / 基本满意 / 不满意 with a comment (and a photo): one per resident and round (a database constraint)."""
    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField('models.Survey', related_name='ratings', on_delete=fields.CASCADE)
    resident = fields.ForeignKeyField('models.Resident', related_name='ratings', on_delete=fields.CASCADE)
    value = fields.CharField(max_length=12)  # satisfied | fair | unsatisfied (domain.satisfaction.VALUES)
    comment = fields.TextField(default='')
    photo_key = fields.CharField(max_length=64, null=True)
    photo_width = fields.IntField(null=True)
    photo_height = fields.IntField(null=True)
    invited = fields.BooleanField(default=False)  # was on the invitation list
    channel = fields.CharField(max_length=8, default='app')  # app | site (the QR at the site) | staff (for one)
    recorded_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='ratings_recorded', null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = 'rating'
        unique_together = (('survey', 'resident'),)
