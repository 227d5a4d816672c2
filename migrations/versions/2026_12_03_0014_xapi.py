"""xapi: the outbox of xAPI statements and its read positions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 20:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "xapi_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement")),
        sa.UniqueConstraint("kind", "source_id", name="uq_xapi_statement_kind_source"),
        sa.UniqueConstraint("statement_id", name="uq_xapi_statement_statement_id"),
    )
    with op.batch_alter_table("xapi_statement", schema=None) as batch_op:
        batch_op.create_index("ix_xapi_statement_due", ["sent_at", "rejected_at", "next_try_at"],
                              unique=False)
    op.create_table(
        "xapi_cursor",
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("pending", sa.Integer(), nullable=True),
        sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_xapi_cursor")),
    )


def downgrade():
    op.drop_table("xapi_cursor")
    with op.batch_alter_table("xapi_statement", schema=None) as batch_op:
        batch_op.drop_index("ix_xapi_statement_due")
    op.drop_table("xapi_statement")
