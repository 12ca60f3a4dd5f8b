-- Orders the eligibility-facts events the registry delivers to the wallet (OutboxDispatcher): a value is drawn right
-- before the facts are read at delivery, so a higher value was read later and the wallet keeps the highest it got.
create sequence eligibility_facts_seq start with 1 increment by 1;
