-- The reference server's schema on PostgreSQL, version 1. Applied once, in
-- a transaction, by `popsell-reference --migrate` (recorded in
-- schema_migrations); never edited after release: a change is a new file.
--
-- Base tables: what the API returns. Instants are timestamptz (whole
-- microseconds, as the API writes them); integer codes are integers.

CREATE TABLE ambassadors (
    id BIGINT PRIMARY KEY,
    brand_id BIGINT NOT NULL,
    host_id BIGINT REFERENCES ambassadors (id),
    image TEXT,
    firstname TEXT NOT NULL,
    lastname TEXT NOT NULL,
    username TEXT NOT NULL,
    email TEXT,
    email_tmp TEXT,
    active INTEGER NOT NULL,
    status INTEGER NOT NULL,
    online BOOLEAN NOT NULL,
    last_action_date TIMESTAMPTZ,
    customer_id TEXT,
    anonymized BOOLEAN NOT NULL
);
-- A listing row is derived for a guest account's host too.
CREATE INDEX ambassadors_by_host ON ambassadors (host_id);

CREATE TABLE tokens (
    token TEXT PRIMARY KEY,
    ambassador_id BIGINT NOT NULL REFERENCES ambassadors (id)
);

CREATE TABLE token_brands (
    token TEXT NOT NULL REFERENCES tokens (token),
    brand_id BIGINT NOT NULL,
    PRIMARY KEY (token, brand_id)
);

CREATE TABLE chatrooms (
    id BIGINT PRIMARY KEY,
    brand_id BIGINT NOT NULL,
    date_insert TIMESTAMPTZ NOT NULL,
    -- The last message (by date, then id), kept by the writes.
    last_message_id BIGINT,
    last_message_date TIMESTAMPTZ,
    -- The sort key: the last message's date, else the creation date.
    last_action_at TIMESTAMPTZ NOT NULL,
    type_chatroom INTEGER NOT NULL,
    type_discussion INTEGER NOT NULL,
    source INTEGER NOT NULL,
    -- Laravel's `Y-m-d H:i:s.v` text, returned as stored.
    established_dialogue TEXT,
    rating_value INTEGER,
    rating_comment TEXT,
    summary_date TEXT,
    summary_text TEXT,
    summary_anomaly INTEGER,
    summary_topic INTEGER
);

-- Members and messages are millions of rows loaded with COPY: they carry no
-- foreign keys (checking two per row tripled the seed's time); the store's
-- writers write a room with its members and messages, after the ambassadors.
--
-- A page's members by room, pivot columns included (index-only).
CREATE TABLE members (
    chatroom_id BIGINT NOT NULL,
    ambassador_id BIGINT NOT NULL,
    last_read_message BIGINT,
    is_blocked BOOLEAN NOT NULL,
    archived BOOLEAN NOT NULL,
    PRIMARY KEY (chatroom_id, ambassador_id) INCLUDE (last_read_message, is_blocked, archived)
);

CREATE TABLE messages (
    id BIGINT PRIMARY KEY,
    chatroom_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    date_insert TIMESTAMPTZ NOT NULL,
    content TEXT NOT NULL,
    type_message INTEGER NOT NULL,
    status_moderation INTEGER NOT NULL
);

-- Derived tables, kept true by every write in its transaction (see
-- src/store/plan.rs): never written by hand.
--
-- The listing a page reads: one row per (ambassador who may be asked for,
-- room where he or one of his guest accounts is a member), keyed in the sort
-- order, with every column a filter reads. A page is a range of its key
-- read in order, index-only.
CREATE TABLE listings (
    ambassador_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
    last_action_at TIMESTAMPTZ NOT NULL,
    chatroom_id BIGINT NOT NULL,
    -- Some involved member's pivot row is archived / is not archived.
    archived_any BOOLEAN NOT NULL,
    unarchived_any BOOLEAN NOT NULL,
    commented BOOLEAN NOT NULL,
    anomaly INTEGER,
    type_chatroom INTEGER NOT NULL
);
-- The key, as a unique index rather than a primary key: the seed drops it
-- and builds it again after loading the rows into the empty table (three
-- times faster than inserting 3M rows into it with its included columns).
CREATE UNIQUE INDEX listings_key ON listings (ambassador_id, brand_id, last_action_at, chatroom_id)
    INCLUDE (archived_any, unarchived_any, commented, anomaly, type_chatroom);

-- The totals of each listing, all rooms and by the archived filter.
CREATE TABLE listing_counts (
    ambassador_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
    total BIGINT NOT NULL,
    archived BIGINT NOT NULL,
    unarchived BIGINT NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id)
);

-- Each listing cut into consecutive key ranges, from each start key to the
-- next one's, with the rows each holds: a deep page starts from the bucket
-- holding its first row. The first bucket starts at -infinity.
CREATE TABLE listing_buckets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ambassador_id BIGINT NOT NULL,
    brand_id BIGINT NOT NULL,
    start_at TIMESTAMPTZ NOT NULL,
    start_id BIGINT NOT NULL,
    total BIGINT NOT NULL,
    archived BIGINT NOT NULL,
    unarchived BIGINT NOT NULL,
    UNIQUE (ambassador_id, brand_id, start_at, start_id) INCLUDE (total, archived, unarchived)
);
