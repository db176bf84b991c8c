"""API tokens can expire

Revision ID: admin_token_expiry
Revises: fresh_limits
Create Date: 2026-11-26 13:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'admin_token_expiry'
down_revision = 'fresh_limits'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
