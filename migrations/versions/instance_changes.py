"""instance changes counted per tenant by processes that hold no sockets (CLI commands), for the server
of one process without Redis to hear of them (gateway/changes.py)

Revision ID: instance_changes
Revises: webhook_retry_policy
"""
import sqlalchemy as sa
from alembic import op

revision = "instance_changes"
down_revision = "webhook_retry_policy"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "instance_changes",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_instance_changes_tenant_id_tenant"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_instance_changes")),
    )


def downgrade():
    op.drop_table("instance_changes")
