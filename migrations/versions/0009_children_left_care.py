"""children who have left care: the date and the reason

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Both nullable: a child is looked after until someone records that they left care.
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_care_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('left_care_reason', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('left_care_reason')
        batch_op.drop_column('left_care_on')
