-- The web pages' passwordless sign-in: one-time links mailed to an address, then sessions. Only SHA-256 hashes of
-- link tokens and session identifiers are kept. In the list store so that every node of a cluster shares them.
-- Portable between H2 2.x and PostgreSQL 12+.

CREATE TABLE lk_signin_link (
    token_hash  VARCHAR(64)  NOT NULL,
    address     VARCHAR(254) NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    used_at     BIGINT,
    CONSTRAINT lk_signin_link_pk PRIMARY KEY (token_hash)
);

CREATE TABLE lk_web_session (
    id_hash      VARCHAR(64)  NOT NULL,
    address      VARCHAR(254) NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    CONSTRAINT lk_web_session_pk PRIMARY KEY (id_hash)
);

CREATE INDEX lk_web_session_seen ON lk_web_session (last_seen_at);
