-- The catalog: buckets, the objects in them, the blobs they point to, and the outbox that feeds Kafka.

CREATE TABLE buckets (
    name               text        PRIMARY KEY,
    public             boolean     NOT NULL DEFAULT false,
    file_size_limit    bigint,
    -- comma-separated MIME types (they cannot contain commas); NULL means any type
    allowed_mime_types text,
    owner              text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE objects (
    id              uuid        PRIMARY KEY,
    bucket          text        NOT NULL REFERENCES buckets (name),
    name            text        NOT NULL,
    version_id      text        NOT NULL,
    -- the upload that created this row; unique for ever, so a retried registration finds it
    upload_id       text        NOT NULL UNIQUE,
    blob_key        text        NOT NULL,
    size            bigint      NOT NULL CHECK (size >= 0),
    content_type    text        NOT NULL,
    etag            text        NOT NULL,
    checksum_sha256 text,
    owner           text        NOT NULL,
    visibility      text        NOT NULL CHECK (visibility IN ('public', 'private', 'protected', 'shared')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- deleted rows are kept (soft delete) so that upload ids stay unique and history is auditable
    deleted_at      timestamptz
);

-- one live object per name; deleted rows do not hold the name
CREATE UNIQUE INDEX objects_live_name ON objects (bucket, name) WHERE deleted_at IS NULL;
CREATE INDEX objects_blob_key ON objects (blob_key);

-- how many live objects point at each blob; the last reference going means the blob may be deleted
CREATE TABLE blobs (
    blob_key  text   PRIMARY KEY,
    ref_count bigint NOT NULL CHECK (ref_count >= 0)
);

-- the per-object event sequence: survives deletes, so it only grows for a (bucket, name)
CREATE TABLE object_sequences (
    bucket        text   NOT NULL,
    name          text   NOT NULL,
    last_sequence bigint NOT NULL,
    PRIMARY KEY (bucket, name)
);

CREATE TABLE outbox (
    id           uuid        PRIMARY KEY,
    -- publication order
    position     bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_type   text        NOT NULL,
    -- "{bucket}/{name}": the Kafka record key and the CloudEvent subject
    subject      text        NOT NULL,
    payload      text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;
