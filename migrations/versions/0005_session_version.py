"""revocable logins: app_user.session_version

Revision ID: 0005_session_version
Revises: 0004_desk_scope
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_session_version'
down_revision = '0004_desk_scope'
branch_labels = None
depends_on = None


def upgrade():
    # Cookies issued before this revision carry a bare id, which no longer loads a user: every
    # login made before the upgrade logs in once more.
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
