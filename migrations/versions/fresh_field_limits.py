"""field limits held by the database, instance names unique per server whatever their case,
and when a sync saw an instance open in webhook mode

Revision ID: fresh_limits
Revises: accounts_sessions_audit
Create Date: 2026-11-26 13:40:54.949558

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fresh_limits'
down_revision = 'accounts_sessions_audit'
branch_labels = None
depends_on = None

# (table, column, limit); the same numbers as gateway/limits.py at the time of this migration.
LIMITS = [
    ('tenant', 'name', 120),
    ('user', 'email', 254),
    ('api_token', 'name', 120),
    ('provider_server', 'name', 120),
    ('provider_server', 'base_url', 500),
    ('provider_server', 'api_key', 500),
    ('instance', 'name', 100),
]
# Labels only: nothing refers to them, so names accepted before the limit are shortened to fit.
SHORTENED = [('tenant', 'name', 120), ('api_token', 'name', 120), ('provider_server', 'name', 120)]


def upgrade():
    for table, column, limit in SHORTENED:
        op.execute(f'UPDATE "{table}" SET {column} = substr({column}, 1, {limit}) WHERE length({column}) > {limit}')
    with op.batch_alter_table('instance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('name',
               existing_type=sa.VARCHAR(length=120),
               type_=sa.String(length=100),
               existing_nullable=False)
    for table, column, limit in LIMITS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(f'{column}_length', f'length({column}) <= {limit}')
    op.create_index('uq_instance_server_id_lower_name', 'instance', ['server_id', sa.text('lower(name)')],
                    unique=True)


def downgrade():
    op.drop_index('uq_instance_server_id_lower_name', table_name='instance')
    for table, column, _ in reversed(LIMITS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}_length'), type_='check')
    with op.batch_alter_table('instance', schema=None) as batch_op:
        batch_op.alter_column('name',
               existing_type=sa.String(length=100),
               type_=sa.VARCHAR(length=120),
               existing_nullable=False)
        batch_op.drop_column('open_seen_at')
