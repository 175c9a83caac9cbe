-- One number that every write transaction increments: the servers sharing
-- the database compare it with the version their cached pages were built
-- at (a write on one instance invalidates the pages of all).
CREATE TABLE data_version (
    only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    version BIGINT NOT NULL
);
INSERT INTO data_version (version) VALUES (0);
