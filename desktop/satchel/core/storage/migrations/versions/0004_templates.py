"""Templates (versioned field specs over a base PDF) and generated documents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "template_versions",
        sa.Column("template_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("base_version_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("published_by", sa.Text(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_template_versions_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["asset_versions.id"],
            name=op.f("fk_template_versions_base_version_id_asset_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_template_versions_published_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_versions")),
        sa.UniqueConstraint(
            "template_id", "version", name=op.f("uq_template_versions_template_id")
        ),
        sqlite_strict=True,
    )
    with op.batch_alter_table("template_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_template_versions_template_id"), ["template_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_template_versions_asset_id"), ["asset_id"], unique=False
        )
    op.create_table(
        "generated_documents",
        sa.Column("template_version_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=True),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("values_hash", sa.Text(), nullable=False),
        sa.Column("output_sha256", sa.Text(), nullable=False),
        sa.Column("draft", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["template_versions.id"],
            name=op.f("fk_generated_documents_template_version_id_template_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_generated_documents_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["output_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_generated_documents_output_sha256_blobs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_documents")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("generated_documents", schema=None) as batch_op:
        batch_op.create_index("ix_generated_documents_output", ["output_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("generated_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_generated_documents_output")
    op.drop_table("generated_documents")
    with op.batch_alter_table("template_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_template_versions_asset_id"))
        batch_op.drop_index(batch_op.f("ix_template_versions_template_id"))
    op.drop_table("template_versions")
