"""The append-only audit log the supervisory committee reads."""
from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """Inserted, never updated: who did what (dotted action name) to which target, when."""
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Account', related_name='audit_entries', null=True, on_delete=fields.SET_NULL)
    action = fields.CharField(max_length=60)  # e.g. resident.verified, roster.imported
    community: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        'models.Community', related_name='audit_entries', null=True, on_delete=fields.SET_NULL)
    target_type = fields.CharField(max_length=30, null=True)
    target_id = fields.IntField(null=True)
    data = fields.JSONField(default=dict)

    class Meta:
        table = 'audit_entry'
        indexes = (('community', 'at'), ('target_type', 'target_id'))
