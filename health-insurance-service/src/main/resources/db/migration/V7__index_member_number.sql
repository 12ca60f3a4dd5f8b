-- Bulk enrolment asks which of up to 500 cards an insurer already holds, by member number: without an index that
-- starts with the number, every page scanned all of the insurer's members (the uq_member_card index starts with the
-- insurer and the symbol, which many members share), so enrolment slowed down as the insurer grew.
create index ix_member_number on member (member_number, insurer_id);
