-- Bounce processing: a score per roster entry, warnings, and opaque VERP tokens for long addresses.
-- Portable between H2 2.x and PostgreSQL 12+.

ALTER TABLE lk_member ADD COLUMN bounce_score INT DEFAULT 0 NOT NULL;
ALTER TABLE lk_member ADD COLUMN last_bounce_at BIGINT;
ALTER TABLE lk_member ADD COLUMN bounce_warnings INT DEFAULT 0 NOT NULL;
ALTER TABLE lk_member ADD COLUMN last_warning_at BIGINT;

-- a member whose address does not fit a VERP local part of 64 characters gets an opaque token instead
CREATE TABLE lk_verp (
    token       VARCHAR(32)  NOT NULL,
    list_id     BIGINT       NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    address_key VARCHAR(254) NOT NULL,
    created_at  BIGINT       NOT NULL,
    CONSTRAINT lk_verp_pk PRIMARY KEY (token),
    CONSTRAINT lk_verp_member UNIQUE (list_id, address_key)
);
