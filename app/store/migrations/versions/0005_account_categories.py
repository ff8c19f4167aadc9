"""account categories for the report

Revision ID: 0005
Revises: 0004

A moderator sorts a wall's accounts into categories (attendee, remote attendee, ...): one row
per (wall, network, author id). Deleting a wall deletes its rows.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'account_categories',
        sa.Column('wall_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('author_id', sa.Text(), nullable=False),
        sa.Column('handle', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['wall_id'], ['walls.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('wall_id', 'source', 'author_id'),
    )


def downgrade() -> None:
    op.drop_table('account_categories')
