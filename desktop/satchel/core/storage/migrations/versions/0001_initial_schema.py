"""Initial schema: users, blobs, assets, versions, page texts, tags, collections.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assets",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("product", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("funnel_stage", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Text(), nullable=True),
        sa.Column("review_on", sa.Text(), nullable=True),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index("ix_assets_kind_status", ["kind", "status"], unique=False)

    op.create_table(
        "blobs",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_type", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
        sqlite_strict=True,
    )
    op.create_table(
        "collections",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
        sqlite_strict=True,
    )
    op.create_table(
        "library_info",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_library_info")),
        sqlite_strict=True,
    )
    op.create_table(
        "tags",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
        sqlite_strict=True,
    )
    op.create_table(
        "users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("territory", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_strict=True,
    )
    op.create_table(
        "asset_tags",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("tag_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_asset_tags_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_asset_tags_tag_id_tags")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_tags")),
        sa.UniqueConstraint("asset_id", "tag_id", name=op.f("uq_asset_tags_asset_id")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("asset_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_tags_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "asset_versions",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.Text(), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_asset_versions_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blobs.sha256"], name=op.f("fk_asset_versions_blob_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_versions")),
        sa.UniqueConstraint("asset_id", "number", name=op.f("uq_asset_versions_asset_id")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("asset_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_versions_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_asset_versions_blob_sha256"), ["blob_sha256"], unique=False
        )

    op.create_table(
        "collection_assets",
        sa.Column("collection_id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_collection_assets_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collection_assets_collection_id_collections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_assets")),
        sa.UniqueConstraint(
            "collection_id", "asset_id", name=op.f("uq_collection_assets_collection_id")
        ),
        sqlite_strict=True,
    )
    with op.batch_alter_table("collection_assets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_assets_asset_id"), ["asset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_collection_assets_collection_id"), ["collection_id"], unique=False
        )

    op.create_table(
        "page_texts",
        sa.Column("version_id", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["asset_versions.id"],
            name=op.f("fk_page_texts_version_id_asset_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "page", name=op.f("pk_page_texts")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("page_texts")
    with op.batch_alter_table("collection_assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_assets_collection_id"))
        batch_op.drop_index(batch_op.f("ix_collection_assets_asset_id"))

    op.drop_table("collection_assets")
    with op.batch_alter_table("asset_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_versions_blob_sha256"))
        batch_op.drop_index(batch_op.f("ix_asset_versions_asset_id"))

    op.drop_table("asset_versions")
    with op.batch_alter_table("asset_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_tags_tag_id"))
        batch_op.drop_index(batch_op.f("ix_asset_tags_asset_id"))

    op.drop_table("asset_tags")
    op.drop_table("users")
    op.drop_table("tags")
    op.drop_table("library_info")
    op.drop_table("collections")
    op.drop_table("blobs")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index("ix_assets_kind_status")

    op.drop_table("assets")
