"""desk scope: a volunteer held to their activities, a desk link's activity and PIN lockout

Revision ID: 0004_desk_scope
Revises: 0003_staff
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_desk_scope'
down_revision = '0003_staff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_assigned_only', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('desk_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('failed_pins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_desk_link_activity_id'), ['activity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_desk_link_activity_id_activity'), 'activity', ['activity_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('desk_link', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_desk_link_activity_id_activity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_desk_link_activity_id'))
        batch_op.drop_column('locked_at')
        batch_op.drop_column('failed_pins')
        batch_op.drop_column('activity_id')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('desk_assigned_only')
