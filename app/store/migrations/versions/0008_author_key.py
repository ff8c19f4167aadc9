"""an indexed key for a post's author, so the hourly cap's lookup does not scan the wall

Revision ID: 0008
Revises: 0007

Admitting a post counts its author's posts on the wall in the last hour. Without an index that
read every post of the wall: at 20,000 posts ingest fell from ~120 to 8 posts/s (bench/ingest.py
--history). Author ids are TEXT of any length, which a PostgreSQL btree cannot always hold, so
the index is on `author_key`, a fixed-length digest of (source, author id), and `ingested_at`.
Existing rows are keyed here, in batches.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_BATCH = 2000


def _key(source: str, author_id: str) -> str:
    # The same digest as app/store/posts.py author_key (a migration must not import the app,
    # whose code moves on while this file stays as it ran).
    return hashlib.sha1(f"{source}\0{author_id}".encode(), usedforsecurity=False).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table('posts') as batch:
        batch.add_column(sa.Column('author_key', sa.String(40), nullable=True))
    conn = op.get_bind()
    posts = sa.table('posts', sa.column('id', sa.String), sa.column('source', sa.String),
                     sa.column('author_id', sa.Text), sa.column('author_key', sa.String))
    last = ''
    while True:
        rows = conn.execute(sa.select(posts.c.id, posts.c.source, posts.c.author_id)
                            .where(posts.c.id > last).order_by(posts.c.id).limit(_BATCH)).all()
        if not rows:
            break
        conn.execute(posts.update().where(posts.c.id == sa.bindparam('pid'))
                     .values(author_key=sa.bindparam('key')),
                     [{'pid': r.id, 'key': _key(r.source, r.author_id)} for r in rows])
        last = rows[-1].id
    op.create_index('ix_posts_author_key_ingested', 'posts', ['author_key', 'ingested_at'])


def downgrade() -> None:
    op.drop_index('ix_posts_author_key_ingested', table_name='posts')
    with op.batch_alter_table('posts') as batch:
        batch.drop_column('author_key')
