-- What each delivery attempt of a list batch by ListDelivery came to, written in one row before the queue item is
-- acknowledged: a batch the queue hands over again (after a crash) finds it and sends nothing twice. item is a
-- digest of the post and the batch; attempt counts from 0. deferred holds the recipients the next attempt carries
-- (one per line); next_queued says that attempt was put on the queue.
CREATE TABLE lk_delivery_outcome (
    item        VARCHAR(64)  NOT NULL,
    attempt     INT          NOT NULL,
    list_id     BIGINT       NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    post_key    VARCHAR(255) NOT NULL,
    delivered   INT          NOT NULL,
    failed      INT          NOT NULL,
    deferred    VARCHAR(1000000) NOT NULL,
    next_queued BOOLEAN      NOT NULL,
    recorded_at BIGINT       NOT NULL,
    CONSTRAINT lk_delivery_outcome_pk PRIMARY KEY (item, attempt)
);

CREATE INDEX lk_delivery_outcome_recorded ON lk_delivery_outcome (recorded_at);
