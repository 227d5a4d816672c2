"""scale indexes: accounts by role, and account search by any part of a folded name

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 23:30:00

The admin's account search matches `user.search_key LIKE '%…%'` (auth.service.search_users):
a B-tree index cannot serve a pattern that starts with a wildcard, so every search read the
whole table (200,000 accounts: 0.15 s per query and the page makes two, the page and its
count; benchmarks/scale.py). On PostgreSQL a trigram GIN index (pg_trgm, shipped with
PostgreSQL, a trusted extension the database owner may create) serves it for any pattern of
three characters or more. SQLite has no such index: its account search stays a scan, which
is fine at the sizes SQLite is meant for (docs/scaling.md).

The trigram index is not declared on the model: SQLAlchemy's metadata would create a useless
B-tree index on SQLite; like the summary trigger of 0015, it belongs to the migrations.

Accounts by role (the moderators for the queue's assignee list and routing, the admin's
filter by role) read `user_role` by role, but its primary key starts with the account: every
moderators' queue read the whole table (0.05–0.07 s at 200,000 accounts). An index on (role,
user_id) serves them on both databases (declared on the model too).
"""
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.create_index("ix_user_role_role", ["role", "user_id"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute('CREATE INDEX ix_user_search_key_trgm ON "user" '
               "USING gin (search_key gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_user_search_key_trgm")
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.drop_index("ix_user_role_role")
