-- Shared by every service: the transactional outbox and the processed-message (dedupe) table.
CREATE TABLE outbox_message (
    seq          BIGSERIAL PRIMARY KEY,
    id           UUID         NOT NULL UNIQUE,
    topic        VARCHAR(255) NOT NULL,
    message_key  VARCHAR(255) NOT NULL,
    payload      TEXT         NOT NULL,
    headers      TEXT,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE processed_message (
    consumer     VARCHAR(100) NOT NULL,
    message_id   VARCHAR(255) NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
