-- Each delivery attempt of a list batch on a transport queue (RemoteDelivery's "outgoing"): marked when it was put on
-- the queue and when it was finished (delivered, bounced, or queued again for a retry). The broker hands a queue item
-- over again when a crash came before its acknowledgement reached the disk; with these marks it is neither queued
-- twice nor delivered twice. item_name is the queue's name, a space and the queue item's mail name (the last 255
-- characters of that), attempt the retry count it carried.
CREATE TABLE lk_transport_item (
    item_name VARCHAR(255) NOT NULL,
    attempt   INT          NOT NULL,
    list_id   BIGINT       NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    queued_at BIGINT       NOT NULL,
    done_at   BIGINT,
    CONSTRAINT lk_transport_item_pk PRIMARY KEY (item_name, attempt)
);

CREATE INDEX lk_transport_item_queued ON lk_transport_item (queued_at);
