-- Which node delivers each attempt of a list delivery item: claimed before anything is sent, so that two copies of one
-- batch on the queue (one queued again after a broker outage or a crash) taken by two nodes at once are delivered by
-- one. holder is the node's JVM (see lk_lease 'node:…' for whether it is alive).
CREATE TABLE lk_delivery_claim (
    item       VARCHAR(64)  NOT NULL,
    attempt    INT          NOT NULL,
    holder     VARCHAR(200) NOT NULL,
    claimed_at BIGINT       NOT NULL,
    CONSTRAINT lk_delivery_claim_pk PRIMARY KEY (item, attempt)
);

CREATE INDEX lk_delivery_claim_at ON lk_delivery_claim (claimed_at);
