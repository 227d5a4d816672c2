"""citations: stored [[number]] links of lessons, and the folded key of what replaces a document

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:00:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# As the application reads links and folds numbers at this revision (kept here: migrations
# do not change when the application does).
_LINK = re.compile(r"\[\[([^\]|\n]{1,80})(?:\|[^\]\n]*)?\]\]")


def number_key(number):
    text = unicodedata.normalize("NFC", number)
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"\s+", "", "".join(ch for ch in text if not unicodedata.combining(ch)).lower())


def cited_keys(markdown):
    keys = {number_key(m.group(1)) for m in _LINK.finditer(markdown or "")}
    return {key for key in keys if key and len(key) <= 80}


def upgrade():
    op.create_table('citation',
    sa.Column('number_key', sa.String(length=80), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('number_key', 'source_kind', 'source_id', name=op.f('pk_citation'))
    )
    with op.batch_alter_table('citation', schema=None) as batch_op:
        batch_op.create_index('ix_citation_source', ['source_kind', 'source_id'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_by_key', sa.String(length=80), nullable=True))
        batch_op.create_index('ix_document_replaced_by_key', ['replaced_by_key'], unique=False)

    connection = op.get_bind()
    lessons = sa.table("lesson", sa.column("id", sa.Integer), sa.column("body_md", sa.Text))
    citations = sa.table(
        "citation",
        sa.column("source_kind", sa.String),
        sa.column("source_id", sa.Integer),
        sa.column("number_key", sa.String),
    )
    rows = [
        {"source_kind": "lesson", "source_id": lesson_id, "number_key": key}
        for lesson_id, body in connection.execute(sa.select(lessons.c.id, lessons.c.body_md))
        for key in sorted(cited_keys(body))
    ]
    if rows:
        connection.execute(citations.insert(), rows)

    documents = sa.table(
        "document",
        sa.column("id", sa.Integer),
        sa.column("replaced_by", sa.String),
        sa.column("replaced_by_key", sa.String),
    )
    replaced = connection.execute(
        sa.select(documents.c.id, documents.c.replaced_by).where(documents.c.replaced_by.is_not(None))
    ).fetchall()
    for doc_id, replaced_by in replaced:
        connection.execute(
            documents.update()
            .where(documents.c.id == doc_id)
            .values(replaced_by_key=number_key(replaced_by)[:80] or None)
        )


def downgrade():
    # Never by copying the table on SQLite: dropping the old copy would delete the topics,
    # files and revisions that reference it (ON DELETE CASCADE). SQLite 3.35+ drops a column.
    with op.batch_alter_table('document', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_document_replaced_by_key')
        batch_op.drop_column('replaced_by_key')

    with op.batch_alter_table('citation', schema=None) as batch_op:
        batch_op.drop_index('ix_citation_source')

    op.drop_table('citation')
