-- Which queue item carries each fan-out batch of a post: a second copy of a batch (a fan-out replayed
-- after a crash re-sends the batch that was in flight) is dropped before it reaches the transport.
CREATE TABLE lk_batch_claim (
    list_id    BIGINT       NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    post_key   VARCHAR(255) NOT NULL,
    batch_key  VARCHAR(64)  NOT NULL,
    holder     VARCHAR(255) NOT NULL,
    claimed_at BIGINT       NOT NULL,
    CONSTRAINT lk_batch_claim_pk PRIMARY KEY (list_id, post_key, batch_key)
);

CREATE INDEX lk_batch_claim_claimed ON lk_batch_claim (claimed_at);
