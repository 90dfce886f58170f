"""Alembic environment: runs on the connection scheduler.store.migrate passes in."""
from alembic import context

from scheduler.store.schema import Base

# render_as_batch: SQLite cannot ALTER most things, so later migrations copy and swap tables there.
context.configure(connection=context.config.attributes["connection"], target_metadata=Base.metadata,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
