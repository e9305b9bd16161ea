-- The test consumer's effects: one row per applied event, so a second effect would show as a second row.
CREATE TABLE test_effect (
    seq        BIGSERIAL PRIMARY KEY,
    event_id   VARCHAR(255) NOT NULL,
    source     VARCHAR(255) NOT NULL,
    mdc        TEXT
);
