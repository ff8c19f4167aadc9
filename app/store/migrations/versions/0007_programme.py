"""the meeting's programme: sessions, speakers' handles, screens' rooms

Revision ID: 0007
Revises: 0006

A wall's programme (where it came from, its time zone), its sessions keyed by their id in the
imported file, the handles moderators gave speakers, and the room a named hall screen stands
in. Deleting a wall deletes its rows.
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'programmes',
        sa.Column('wall_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('imported_by', sa.String(length=200), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['wall_id'], ['walls.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('wall_id'),
    )
    op.create_table(
        'programme_sessions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('wall_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('room', sa.String(length=100), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['wall_id'], ['walls.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ux_programme_sessions_wall_key', 'programme_sessions',
                    ['wall_id', 'key'], unique=True)
    op.create_index('ix_programme_sessions_wall_start', 'programme_sessions',
                    ['wall_id', 'starts_at'])
    op.create_table(
        'speaker_handles',
        sa.Column('wall_id', sa.Integer(), nullable=False),
        sa.Column('speaker', sa.String(length=120), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('handles', sa.JSON(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['wall_id'], ['walls.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('wall_id', 'speaker'),
    )
    with op.batch_alter_table('screens') as batch:
        batch.add_column(sa.Column('room', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('screens') as batch:
        batch.drop_column('room')
    op.drop_table('speaker_handles')
    op.drop_index('ix_programme_sessions_wall_start', table_name='programme_sessions')
    op.drop_index('ux_programme_sessions_wall_key', table_name='programme_sessions')
    op.drop_table('programme_sessions')
    op.drop_table('programmes')
