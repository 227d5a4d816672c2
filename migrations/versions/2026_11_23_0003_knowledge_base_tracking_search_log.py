"""knowledge base, access events, search change log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("number_key", sa.String(length=80), nullable=False),
        sa.Column("doc_type", sa.String(length=60), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("replaced_by", sa.String(length=80), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("toc_html", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("source_path", sa.String(length=300), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("slug", name=op.f("uq_document_slug")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index("ix_document_issued", ["issued"], unique=False)
        batch_op.create_index("ix_document_number_key", ["number_key"], unique=False)

    op.create_table(
        "document_topic",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_topic_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "topic", name=op.f("pk_document_topic")),
    )
    op.create_table(
        "document_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"],
                                name=op.f("fk_document_revision_author_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_revision_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_revision")),
    )
    with op.batch_alter_table("document_revision", schema=None) as batch_op:
        batch_op.create_index("ix_document_revision_doc_version", ["document_id", "version"],
                              unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_attachment_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_table(
        "access_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_access_event_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_event")),
    )
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.create_index("ix_access_event_at", ["at"], unique=False)
        batch_op.create_index("ix_access_event_object", ["object_type", "object_id"],
                              unique=False)
        batch_op.create_index("ix_access_event_user_object",
                              ["user_id", "object_type", "object_id"], unique=False)

    op.create_table(
        "search_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_change")),
    )


def downgrade():
    op.drop_table("search_change")
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.drop_index("ix_access_event_user_object")
        batch_op.drop_index("ix_access_event_object")
        batch_op.drop_index("ix_access_event_at")
    op.drop_table("access_event")
    op.drop_table("attachment")
    with op.batch_alter_table("document_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_document_revision_doc_version")
    op.drop_table("document_revision")
    op.drop_table("document_topic")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_number_key")
        batch_op.drop_index("ix_document_issued")
    op.drop_table("document")
