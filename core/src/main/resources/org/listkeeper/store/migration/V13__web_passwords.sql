-- An optional password per person for the web pages, for those who would rather not wait for a mailed link:
-- PBKDF2-HMAC-SHA256 with a random salt (the moderator password's format), never the password itself.
-- Portable between H2 2.x and PostgreSQL 12+.

CREATE TABLE lk_web_password (
    address_key VARCHAR(254) NOT NULL,
    hash        VARCHAR(200) NOT NULL,
    updated_at  BIGINT       NOT NULL,
    CONSTRAINT lk_web_password_pk PRIMARY KEY (address_key)
);
