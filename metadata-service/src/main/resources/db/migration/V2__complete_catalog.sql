-- The complete catalog: versioned buckets, object metadata, share lists, versions and delete
-- markers, keyset-friendly indexes, and background jobs (empty a bucket, delete by prefix).

ALTER TABLE buckets ADD COLUMN versioned boolean NOT NULL DEFAULT false;

-- Names compare byte-wise (UTF-8 order): listing, prefixes and cursors then mean the same thing
-- whatever the server's locale, and a prefix is an index range.
DROP INDEX objects_live_name;
ALTER TABLE objects ALTER COLUMN name TYPE text COLLATE "C";

ALTER TABLE objects
    -- copies, moves and delete markers are rows no upload created
    ALTER COLUMN upload_id DROP NOT NULL,
    -- delete markers point at no blob
    ALTER COLUMN blob_key DROP NOT NULL,
    ADD COLUMN shared_with      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN category         text,
    ADD COLUMN tags             text[] NOT NULL DEFAULT '{}',
    -- user metadata: a JSON object, size-capped by the service
    ADD COLUMN user_metadata    text,
    ADD COLUMN cache_control    text,
    ADD COLUMN last_accessed_at timestamptz,
    -- a versioned bucket's "deleted" current version: the name reads as absent
    ADD COLUMN delete_marker    boolean NOT NULL DEFAULT false,
    -- a non-current version a versioned bucket keeps (it still holds a blob reference)
    ADD COLUMN retained         boolean NOT NULL DEFAULT false;

-- deleted_at IS NULL is the current row of a name (an object or a delete marker): one per name
CREATE UNIQUE INDEX objects_current_name ON objects (bucket, name) WHERE deleted_at IS NULL;
-- keyset listing by the other sort keys, id breaking ties; any depth is one index descent
CREATE INDEX objects_current_created ON objects (bucket, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX objects_current_updated ON objects (bucket, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX objects_current_size ON objects (bucket, size, id) WHERE deleted_at IS NULL;
-- versions of a name, newest first
CREATE INDEX objects_versions ON objects (bucket, name, created_at DESC) WHERE deleted_at IS NULL OR retained;

CREATE TABLE jobs (
    id           uuid        PRIMARY KEY,
    -- 'empty-bucket' or 'delete-prefix'
    kind         text        NOT NULL,
    bucket       text        NOT NULL,
    prefix       text COLLATE "C",
    -- whose rights the job runs with
    caller       text        NOT NULL,
    caller_admin boolean     NOT NULL,
    state        text        NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    total        bigint      NOT NULL DEFAULT 0,
    done         bigint      NOT NULL DEFAULT 0,
    error        text,
    created_at   timestamptz NOT NULL,
    -- a running job whose heartbeat stops (its replica died) is taken over by another
    heartbeat_at timestamptz,
    finished_at  timestamptz
);
CREATE INDEX jobs_waiting ON jobs (created_at) WHERE state IN ('pending', 'running');
