"""qa: the first answer's measures (on time, working days of clock) for the Q&A report

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00

Questions answered before this revision get `first_answer_on_time` from the due time they still
carry (exact unless a follow-up restarted the clock since); their working time stays empty and
the report leaves them out of its medians.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_answer_on_time', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('first_answer_workdays', sa.Float(), nullable=True))
    op.execute(
        "UPDATE qa_question SET first_answer_on_time = "
        "(due_at IS NOT NULL AND first_answered_at <= due_at) "
        "WHERE first_answered_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.drop_column('first_answer_workdays')
        batch_op.drop_column('first_answer_on_time')
