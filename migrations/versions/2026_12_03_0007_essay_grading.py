"""essay grading: quizzes may draw essays; trainers grade them with a comment

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('essays', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('quiz_attempt_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manual', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('graded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grader_comment', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_quiz_attempt_item_graded_by_id_user'),
            'user',
            ['graded_by_id'],
            ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_index('ix_quiz_attempt_item_manual_points', ['manual', 'points'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_attempt_item', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_item_manual_points')
        batch_op.drop_constraint(batch_op.f('fk_quiz_attempt_item_graded_by_id_user'), type_='foreignkey')
        batch_op.drop_column('grader_comment')
        batch_op.drop_column('graded_by_id')
        batch_op.drop_column('graded_at')
        batch_op.drop_column('manual')

    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('essays')
