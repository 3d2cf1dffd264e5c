-- Posts waiting for a retry on a James whose queue ignores enqueue delays (the store-backed retry scheduler): the post
-- itself waits in lk_repository_mail (repository listkeeper://var/mail/listkeeper/retry/), its due time here. A node
-- claims a due post (claimed_by, claimed_until) before it queues it again, then deletes the row.
CREATE TABLE lk_retry_due (
    mail_key      VARCHAR(255) NOT NULL,
    due_at        BIGINT       NOT NULL,
    claimed_by    VARCHAR(200),
    claimed_until BIGINT,
    CONSTRAINT lk_retry_due_pk PRIMARY KEY (mail_key)
);

CREATE INDEX lk_retry_due_at ON lk_retry_due (due_at);
