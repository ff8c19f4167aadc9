"""unique order keys for posts placed on a wall

Revision ID: 0006
Revises: 0005

Posts queued for moderation between two screen events all took the wall's current seq as their
order key, so paging a listing by `before=` stopped after the first page. Each placement now
takes the next `walls.last_order`, started above every key already given.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('walls') as batch:
        batch.add_column(sa.Column('last_order', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    op.execute("UPDATE walls SET last_order = last_seq")


def downgrade() -> None:
    with op.batch_alter_table('walls') as batch:
        batch.drop_column('last_order')
