"""access summary: first and last access and completion per official, thing and year

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The year is the Vietnamese calendar year of the event (UTC+7, no daylight saving), as
# tracking.events.summary_year computes it for the rows it writes.
YEAR = {
    "postgresql": "CAST(EXTRACT(YEAR FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)",
    # SQLite rounds a time it reads to the millisecond (23:59:59.9999 would be next year):
    # the fraction of a second is left out.
    "sqlite": "CAST(strftime('%Y', substr(at, 1, 19), '+7 hours') AS INTEGER)",
}

BACKFILL = """
INSERT INTO access_summary (user_id, object_type, object_id, year, first_at, last_at,
                            completed_at, last_completed_at)
SELECT user_id, object_type, object_id, {year},
       MIN(CASE WHEN action IN ('view', 'download') THEN at END),
       MAX(CASE WHEN action IN ('view', 'download') THEN at END),
       MIN(CASE WHEN action = 'complete' THEN at END),
       MAX(CASE WHEN action = 'complete' THEN at END)
FROM access_event
WHERE action IN ('view', 'download', 'complete')
GROUP BY user_id, object_type, object_id, {year}
"""


def upgrade():
    op.create_table(
        "access_summary",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_access_summary_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "object_type", "object_id", "year",
                                name=op.f("pk_access_summary")),
    )
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL.format(year=YEAR.get(dialect, YEAR["sqlite"])))
    with op.batch_alter_table("access_summary", schema=None) as batch_op:
        batch_op.create_index("ix_access_summary_object_user",
                              ["object_type", "object_id", "user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("access_summary", schema=None) as batch_op:
        batch_op.drop_index("ix_access_summary_object_user")
    op.drop_table("access_summary")
