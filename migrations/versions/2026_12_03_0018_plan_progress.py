"""plan progress: when each official first reached a plan's materials, and who changed since

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 01:00:00

A province's compliance report aggregated every official's summary rows of the required
materials (1.3 million rows at 200,000 officials and 10 million events: about 1.2 s on
PostgreSQL). `plan_progress` keeps, per plan and official, the moment they had reached every
required material and completed every required lesson, so the report joins one row per
official instead (plans/reached.py says how it is computed and refreshed).

A second trigger on access_event adds the event's official to `progress_stale` (whoever wrote
the event: the application, an import, a test), and the next report recomputes their rows.
The upsert touches the official's row even when it is already there: a report that takes
the row away then waits for the writing transaction to commit, so no event is missed.
On SQLite a batch migration that rebuilds access_event drops its triggers: such a migration
must create this one again, like 0015's.
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

SQLITE = """
CREATE TRIGGER access_event_progress AFTER INSERT ON access_event
WHEN NEW.action IN ('view', 'download', 'complete')
BEGIN
  INSERT INTO progress_stale (user_id, events) VALUES (NEW.user_id, 1)
  ON CONFLICT (user_id) DO UPDATE SET events = events + 1;
END
"""

POSTGRESQL_FUNCTION = """
CREATE FUNCTION access_progress_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO progress_stale (user_id, events) VALUES (NEW.user_id, 1)
  ON CONFLICT (user_id) DO UPDATE SET events = progress_stale.events + 1;
  RETURN NULL;
END
$$
"""

POSTGRESQL_TRIGGER = """
CREATE TRIGGER access_event_progress AFTER INSERT ON access_event
FOR EACH ROW WHEN (NEW.action IN ('view', 'download', 'complete'))
EXECUTE FUNCTION access_progress_stale()
"""


def upgrade():
    op.create_table(
        "plan_progress",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lessons_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"],
                                name=op.f("fk_plan_progress_plan_id_plan"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_plan_progress_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "user_id", name=op.f("pk_plan_progress")),
    )
    op.create_table(
        "plan_progress_rule",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("rule_key", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"],
                                name=op.f("fk_plan_progress_rule_plan_id_plan"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_plan_progress_rule")),
    )
    op.create_table(
        "progress_stale",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_progress_stale_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_progress_stale")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        op.execute(SQLITE)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER IF EXISTS access_event_progress" + (
        " ON access_event" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS access_progress_stale()")
    op.drop_table("progress_stale")
    op.drop_table("plan_progress_rule")
    op.drop_table("plan_progress")
