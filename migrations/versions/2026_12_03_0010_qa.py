"""qa: questions with a working-day clock, their posts and events, FAQ, routing, reminders, templates

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('qa_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("visibility IN ('public', 'private')", name=op.f('ck_qa_question_visibility')),
    sa.ForeignKeyConstraint(['asker_id'], ['user.id'], name=op.f('fk_qa_question_asker_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_qa_question_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['qa_question.id'], name=op.f('fk_qa_question_duplicate_of_id_qa_question'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_qa_question_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_qa_question_unit_id_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_question'))
    )
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.create_index('ix_qa_question_asked', ['asked_at'], unique=False)
        batch_op.create_index('ix_qa_question_asker', ['asker_id', 'asked_at'], unique=False)
        batch_op.create_index('ix_qa_question_assignee', ['assignee_id', 'state'], unique=False)
        batch_op.create_index('ix_qa_question_state_due', ['state', 'due_at'], unique=False)

    op.create_table('qa_routing_rule',
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['user.id'], name=op.f('fk_qa_routing_rule_moderator_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic', 'moderator_id', name=op.f('pk_qa_routing_rule'))
    )
    with op.batch_alter_table('qa_routing_rule', schema=None) as batch_op:
        batch_op.create_index('ix_qa_routing_rule_moderator', ['moderator_id'], unique=False)

    op.create_table('qa_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('source_path', sa.String(length=300), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_qa_template_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_template')),
    sa.UniqueConstraint('slug', name=op.f('uq_qa_template_slug'))
    )
    op.create_table('qa_faq',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('valid_as_of', sa.Date(), nullable=False),
    sa.Column('promoted_by_id', sa.Integer(), nullable=True),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_needed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['promoted_by_id'], ['user.id'], name=op.f('fk_qa_faq_promoted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_faq_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', name=op.f('pk_qa_faq'))
    )
    with op.batch_alter_table('qa_faq', schema=None) as batch_op:
        batch_op.create_index('ix_qa_faq_review', ['review_needed_at'], unique=False)

    op.create_table('qa_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('template_slug', sa.String(length=80), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_qa_post_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_post_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_post'))
    )
    with op.batch_alter_table('qa_post', schema=None) as batch_op:
        batch_op.create_index('ix_qa_post_question', ['question_id', 'id'], unique=False)

    op.create_table('qa_question_topic',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_question_topic_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'topic', name=op.f('pk_qa_question_topic'))
    )
    with op.batch_alter_table('qa_question_topic', schema=None) as batch_op:
        batch_op.create_index('ix_qa_question_topic_topic', ['topic'], unique=False)

    op.create_table('qa_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.String(length=10), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_reminder_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_reminder')),
    sa.UniqueConstraint('question_id', 'threshold', 'due_at', name='uq_qa_reminder_once')
    )
    op.create_table('qa_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_qa_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['qa_post.id'], name=op.f('fk_qa_event_post_id_qa_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['qa_question.id'], name=op.f('fk_qa_event_question_id_qa_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_event'))
    )
    with op.batch_alter_table('qa_event', schema=None) as batch_op:
        batch_op.create_index('ix_qa_event_action_at', ['action', 'at'], unique=False)
        batch_op.create_index('ix_qa_event_question', ['question_id', 'id'], unique=False)

    op.create_table('qa_faq_document',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number_key', sa.String(length=80), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('successor_seen', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['qa_faq.question_id'], name=op.f('fk_qa_faq_document_question_id_qa_faq'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'number_key', name=op.f('pk_qa_faq_document'))
    )
    with op.batch_alter_table('qa_faq_document', schema=None) as batch_op:
        batch_op.create_index('ix_qa_faq_document_key', ['number_key'], unique=False)


def downgrade():
    with op.batch_alter_table('qa_faq_document', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_faq_document_key')

    op.drop_table('qa_faq_document')
    with op.batch_alter_table('qa_event', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_event_question')
        batch_op.drop_index('ix_qa_event_action_at')

    op.drop_table('qa_event')
    op.drop_table('qa_reminder')
    with op.batch_alter_table('qa_question_topic', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_question_topic_topic')

    op.drop_table('qa_question_topic')
    with op.batch_alter_table('qa_post', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_post_question')

    op.drop_table('qa_post')
    with op.batch_alter_table('qa_faq', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_faq_review')

    op.drop_table('qa_faq')
    op.drop_table('qa_template')
    with op.batch_alter_table('qa_routing_rule', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_routing_rule_moderator')

    op.drop_table('qa_routing_rule')
    with op.batch_alter_table('qa_question', schema=None) as batch_op:
        batch_op.drop_index('ix_qa_question_state_due')
        batch_op.drop_index('ix_qa_question_assignee')
        batch_op.drop_index('ix_qa_question_asker')
        batch_op.drop_index('ix_qa_question_asked')

    op.drop_table('qa_question')
