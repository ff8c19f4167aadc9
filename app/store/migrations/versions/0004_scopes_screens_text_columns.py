"""moderator scopes, named screens, text columns, announcements published at their start

Revision ID: 0004
Revises: 0003

Authors' ids and handles and every free-text reason become TEXT: remote servers choose their
length, and on PostgreSQL a VARCHAR overflow failed the whole transaction (a source then retried
the same item forever; a 300-character keyword block gave a 500).
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('posts') as batch:
        batch.alter_column('author_id', type_=sa.Text(), existing_nullable=False)
        batch.alter_column('author_handle', type_=sa.Text(), existing_nullable=False)
    with op.batch_alter_table('wall_posts') as batch:
        batch.alter_column('reason', type_=sa.Text(), existing_nullable=True)
    with op.batch_alter_table('decisions') as batch:
        batch.alter_column('reason', type_=sa.Text(), existing_nullable=True)
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('walls', sa.JSON(), nullable=True))
    with op.batch_alter_table('announcements') as batch:
        batch.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    # Announcements made before this revision were sent to screens when they were made.
    op.execute("UPDATE announcements SET published_at = created_at")
    op.create_table(
        'user_walls',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('wall_slug', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'wall_slug'),
    )
    op.create_table(
        'screens',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('wall_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['wall_id'], ['walls.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_hash'),
    )
    op.create_index('ux_screens_wall_name', 'screens', ['wall_id', 'name'], unique=True)


def downgrade() -> None:
    op.drop_index('ux_screens_wall_name', table_name='screens')
    op.drop_table('screens')
    op.drop_table('user_walls')
    with op.batch_alter_table('announcements') as batch:
        batch.drop_column('published_at')
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('walls')
    with op.batch_alter_table('decisions') as batch:
        batch.alter_column('reason', type_=sa.String(length=500), existing_nullable=True)
    with op.batch_alter_table('wall_posts') as batch:
        batch.alter_column('reason', type_=sa.String(length=300), existing_nullable=True)
    with op.batch_alter_table('posts') as batch:
        batch.alter_column('author_handle', type_=sa.String(length=300), existing_nullable=False)
        batch.alter_column('author_id', type_=sa.String(length=300), existing_nullable=False)
