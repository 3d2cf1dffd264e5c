-- The archive: each post as the members received it, keyed by list and post number, with what the REST routes
-- list and search by. Portable between H2 2.x and PostgreSQL 12+.

CREATE TABLE lk_archive (
    list_id        BIGINT        NOT NULL REFERENCES lk_list (id) ON DELETE CASCADE,
    post_number    BIGINT        NOT NULL,
    message_id     VARCHAR(998),
    message_id_key VARCHAR(255),
    subject        VARCHAR(2000) NOT NULL,
    subject_key    VARCHAR(255)  NOT NULL,
    author_name    VARCHAR(500)  NOT NULL,
    author_address VARCHAR(320),
    sent_at        BIGINT        NOT NULL,
    sent_month     CHAR(7)       NOT NULL,
    thread_id      BIGINT        NOT NULL,
    in_reply_to    VARCHAR(998),
    size_bytes     BIGINT        NOT NULL,
    message        BYTEA,
    deleted        BOOLEAN       DEFAULT FALSE NOT NULL,
    archived_at    BIGINT        NOT NULL,
    CONSTRAINT lk_archive_pk PRIMARY KEY (list_id, post_number)
);

CREATE INDEX lk_archive_message_id ON lk_archive (list_id, message_id_key);
CREATE INDEX lk_archive_month ON lk_archive (list_id, sent_month, post_number);
CREATE INDEX lk_archive_thread ON lk_archive (list_id, thread_id, post_number);
CREATE INDEX lk_archive_subject ON lk_archive (list_id, subject_key, sent_at);

-- the search index: one row per distinct word of an entry (subject, author, text parts)
CREATE TABLE lk_archive_word (
    list_id     BIGINT       NOT NULL,
    word        VARCHAR(40)  NOT NULL,
    post_number BIGINT       NOT NULL,
    CONSTRAINT lk_archive_word_pk PRIMARY KEY (list_id, word, post_number),
    CONSTRAINT lk_archive_word_entry FOREIGN KEY (list_id, post_number) REFERENCES lk_archive (list_id, post_number)
        ON DELETE CASCADE
);
