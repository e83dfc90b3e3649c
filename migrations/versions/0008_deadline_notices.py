"""deadline notices: reminders, overdue notices and weekly digests, each recorded once

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 17:56:14.195235

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pep_id', sa.Integer(), nullable=False),
    sa.Column('rule_key', sa.String(length=60), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('reminder', 'overdue', name='noticekind', native_enum=False, length=40), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('queued_on', sa.Date(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_deadline_notices_outbox_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['pep_id'], ['peps.id'], name=op.f('fk_deadline_notices_pep_id_peps')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_deadline_notices_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_notices')),
    # The idempotency guarantee of `flask notifications remind`: each notice once.
    sa.UniqueConstraint('pep_id', 'rule_key', 'due_on', 'kind', 'recipient_id', name=op.f('uq_deadline_notices_once'))
    )
    with op.batch_alter_table('deadline_notices', schema=None) as batch_op:
        batch_op.create_index('ix_deadline_notices_held', ['digest_sent_at', 'outbox_message_id', 'recipient_id'], unique=False)

    op.create_table('notice_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('week_starting', sa.Date(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_notice_digests_outbox_message_id_outbox_messages')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notice_digests_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_digests')),
    sa.UniqueConstraint('recipient_id', 'week_starting', name=op.f('uq_notice_digests_recipient_id_week_starting'))
    )
    op.create_table('notice_digest_weeks',
    sa.Column('week_starting', sa.Date(), nullable=False),
    sa.Column('digest_day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('week_starting', name=op.f('pk_notice_digest_weeks'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_frequency', sa.Enum('immediate', 'weekly_digest', name='noticefrequency', native_enum=False, length=40), server_default='immediate', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notice_frequency')

    op.drop_table('notice_digest_weeks')
    op.drop_table('notice_digests')
    with op.batch_alter_table('deadline_notices', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_notices_held')

    op.drop_table('deadline_notices')
