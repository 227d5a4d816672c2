"""classes: training classes, sessions, rosters and attendance

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("meeting_url", sa.String(length=500), nullable=False),
        sa.Column("trainers", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("module_slugs", sa.JSON(), nullable=False),
        sa.Column("plan_slugs", sa.JSON(), nullable=False),
        sa.Column("min_percent", sa.Integer(), nullable=False),
        sa.Column("source_document", sa.String(length=100), nullable=False),
        sa.Column("past", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("min_percent BETWEEN 1 AND 100",
                           name=op.f("ck_training_class_min_percent_range")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"],
                                name=op.f("fk_training_class_created_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_class")),
    )
    op.create_table(
        "class_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("checkin_code", sa.String(length=12), nullable=True),
        sa.Column("code_issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_class_session_ends_after_start")),
        sa.ForeignKeyConstraint(["class_id"], ["training_class.id"],
                                name=op.f("fk_class_session_class_id_training_class"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_session")),
        sa.UniqueConstraint("checkin_code", name="uq_class_session_checkin_code"),
    )
    op.create_index("ix_class_session_class_starts", "class_session", ["class_id", "starts_at"])
    op.create_table(
        "class_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("attended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["class_id"], ["training_class.id"],
                                name=op.f("fk_class_participant_class_id_training_class"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_class_participant_user_id_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["user.id"],
                                name=op.f("fk_class_participant_added_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_participant")),
        sa.UniqueConstraint("class_id", "user_id", name="uq_class_participant_class_user"),
    )
    op.create_index("ix_class_participant_user", "class_participant", ["user_id"])
    op.create_index("ix_class_participant_attended", "class_participant",
                    ["class_id", "attended_on"])
    op.create_table(
        "class_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["class_session.id"],
                                name=op.f("fk_class_attendance_session_id_class_session"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_class_attendance_user_id_user"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_class_attendance_recorded_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_attendance")),
        sa.UniqueConstraint("session_id", "user_id", name="uq_class_attendance_session_user"),
    )
    op.create_index("ix_class_attendance_user", "class_attendance", ["user_id"])


def downgrade():
    op.drop_index("ix_class_attendance_user", table_name="class_attendance")
    op.drop_table("class_attendance")
    op.drop_index("ix_class_participant_attended", table_name="class_participant")
    op.drop_index("ix_class_participant_user", table_name="class_participant")
    op.drop_table("class_participant")
    op.drop_index("ix_class_session_class_starts", table_name="class_session")
    op.drop_table("class_session")
    op.drop_table("training_class")
