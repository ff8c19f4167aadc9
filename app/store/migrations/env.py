"""Alembic environment: migrations run on a connection handed over by `Store.open()`."""

from alembic import context

from app.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - offline use: `alembic -c app/store/alembic.ini`
    url = context.config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=metadata)
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)

with context.begin_transaction():
    context.run_migrations()
