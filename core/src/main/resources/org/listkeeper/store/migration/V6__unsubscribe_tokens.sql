-- One-click unsubscribe (RFC 8058): one opaque token per (list, member), stamped on every personalized copy.
-- Kept as issued (each copy must carry it); it grants nothing but that member's leaving that list, and is
-- deleted when used, when the member leaves, or when an administrator revokes it.
-- Portable between H2 2.x and PostgreSQL 12+.

-- How a post's fan-out sends (bulk, verp, personalized), pinned by its first batch: a replay after a crash
-- sends the way the first run did, even if the list's delivery setting changed in between.
ALTER TABLE lk_post ADD COLUMN fanout_mode VARCHAR(16);

CREATE TABLE lk_unsubscribe (
    token       VARCHAR(32)  NOT NULL,
    list_id     BIGINT       NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    address_key VARCHAR(254) NOT NULL,
    created_at  BIGINT       NOT NULL,
    CONSTRAINT lk_unsubscribe_pk PRIMARY KEY (token),
    CONSTRAINT lk_unsubscribe_member UNIQUE (list_id, address_key)
);
