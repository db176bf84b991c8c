"""A provider's own status word beside the gateway's state, and each server's detected version.

WAHA's STOPPED / STARTING / SCAN_QR_CODE / WORKING / FAILED map onto open / connecting / close, and
the operator sees WAHA's word beside the state; the server's version decides what WAHA can do
(2024.10.8 signs nothing and sends no event ids).

Revision ID: waha_provider_words
Revises: admin_token_expiry
"""
import sqlalchemy as sa
from alembic import op

revision = "waha_provider_words"
down_revision = "admin_token_expiry"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_status", sa.String(length=32), nullable=True))
    with op.batch_alter_table("provider_server", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("provider_server", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("instance", schema=None) as batch_op:
        batch_op.drop_column("provider_status")
