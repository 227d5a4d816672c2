"""access summary trigger: the database folds each access event into its summary row

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 22:00:00

A page view on SQLite holds the database's only write lock while it is written; with the
summary upserted from Python that was two statements under the lock. A trigger on
access_event makes it one: the event's INSERT also folds it into access_summary (the earliest
first, the latest last time of its Vietnamese calendar year), in the same transaction, for
every writer of events.

On SQLite a batch migration that rebuilds access_event drops its triggers: such a migration
must create this one again (tests/tracking/test_tracking_summary.py fails without it).
"""
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ACCESS = "NEW.action IN ('view', 'download')"
DONE = "NEW.action = 'complete'"
COLUMNS = (
    "user_id, object_type, object_id, year, first_at, last_at, completed_at, last_completed_at"
)


def _values(year: str) -> str:
    return (
        f"NEW.user_id, NEW.object_type, NEW.object_id, {year}, "
        f"CASE WHEN {ACCESS} THEN NEW.at END, CASE WHEN {ACCESS} THEN NEW.at END, "
        f"CASE WHEN {DONE} THEN NEW.at END, CASE WHEN {DONE} THEN NEW.at END"
    )


def _earliest(column: str) -> str:
    return (f"{column} = CASE WHEN excluded.{column} IS NOT NULL AND ({column} IS NULL "
            f"OR excluded.{column} < {column}) THEN excluded.{column} ELSE {column} END")


def _latest(column: str) -> str:
    return (f"{column} = CASE WHEN excluded.{column} IS NOT NULL AND ({column} IS NULL "
            f"OR excluded.{column} > {column}) THEN excluded.{column} ELSE {column} END")


SQLITE = f"""
CREATE TRIGGER access_event_summary AFTER INSERT ON access_event
WHEN NEW.action IN ('view', 'download', 'complete')
BEGIN
  INSERT INTO access_summary ({COLUMNS})
  VALUES ({_values("CAST(strftime('%Y', substr(NEW.at, 1, 19), '+7 hours') AS INTEGER)")})
  ON CONFLICT (user_id, object_type, object_id, year) DO UPDATE SET
    {_earliest("first_at")}, {_latest("last_at")},
    {_earliest("completed_at")}, {_latest("last_completed_at")};
END
"""

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION access_summary_fold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO access_summary ({COLUMNS})
  VALUES ({_values("CAST(EXTRACT(YEAR FROM NEW.at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)")})
  ON CONFLICT (user_id, object_type, object_id, year) DO UPDATE SET
    first_at = LEAST(access_summary.first_at, EXCLUDED.first_at),
    last_at = GREATEST(access_summary.last_at, EXCLUDED.last_at),
    completed_at = LEAST(access_summary.completed_at, EXCLUDED.completed_at),
    last_completed_at = GREATEST(access_summary.last_completed_at, EXCLUDED.last_completed_at);
  RETURN NULL;
END
$$
"""

POSTGRESQL_TRIGGER = """
CREATE TRIGGER access_event_summary AFTER INSERT ON access_event
FOR EACH ROW WHEN (NEW.action IN ('view', 'download', 'complete'))
EXECUTE FUNCTION access_summary_fold()
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        op.execute(SQLITE)


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS access_event_summary" + (
        " ON access_event" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS access_summary_fold()")
