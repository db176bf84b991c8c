"""An operator's retry policy for the gateway's webhook, per instance (WAHA's config.webhooks[].retries).

Absent (all three NULL) asks for the provider's default; the checks keep a policy whole and never
negative, as the model says.

Revision ID: webhook_retry_policy
Revises: waha_provider_words
"""
import sqlalchemy as sa
from alembic import op

revision = "webhook_retry_policy"
down_revision = "waha_provider_words"
branch_labels = None
depends_on = None

CHECKS = [
    ("webhook_retries", "(webhook_retry_policy IS NULL) = (webhook_retry_delay IS NULL) "
                        "AND (webhook_retry_policy IS NULL) = (webhook_retry_attempts IS NULL)"),
    ("webhook_retry_policy", "webhook_retry_policy IN ('constant', 'linear', 'exponential')"),
    ("webhook_retry_bounds", "webhook_retry_delay >= 0 AND webhook_retry_attempts >= 0"),
]


def upgrade():
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("webhook_retry_policy", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("webhook_retry_delay", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("webhook_retry_attempts", sa.Integer(), nullable=True))
    with op.batch_alter_table("instance", schema=None) as batch_op:
        for name, condition in CHECKS:
            batch_op.create_check_constraint(name, condition)


def downgrade():
    with op.batch_alter_table("instance", schema=None) as batch_op:
        for name, _ in reversed(CHECKS):
            batch_op.drop_constraint(op.f(f"ck_instance_{name}"), type_="check")
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.drop_column("webhook_retry_attempts")
        batch_op.drop_column("webhook_retry_delay")
        batch_op.drop_column("webhook_retry_policy")
