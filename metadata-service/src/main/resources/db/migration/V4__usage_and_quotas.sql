-- Usage per bucket and per owner, kept by every change of the catalog in its own transaction (never
-- computed by scanning), and the buckets' quotas. What counts: every stored version that holds its
-- blob, i.e. current objects and the kept versions of versioned buckets (delete markers count
-- nothing), each with its own size (a copy counts again although it shares the blob).

ALTER TABLE buckets
    ADD COLUMN max_bytes   bigint CHECK (max_bytes >= 0),
    ADD COLUMN max_objects bigint CHECK (max_objects >= 0);

-- a bucket's row goes with the bucket; rows are added by the first change that counts
CREATE TABLE bucket_usage (
    bucket  text   PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
    bytes   bigint NOT NULL,
    objects bigint NOT NULL
);

CREATE TABLE owner_usage (
    owner   text   PRIMARY KEY,
    bytes   bigint NOT NULL,
    objects bigint NOT NULL
);

-- the usage of what the catalog holds already
INSERT INTO bucket_usage (bucket, bytes, objects)
SELECT b.name, COALESCE(sum(o.size), 0), count(o.id)
  FROM buckets b
  LEFT JOIN objects o ON o.bucket = b.name AND (o.deleted_at IS NULL OR o.retained) AND NOT o.delete_marker
 GROUP BY b.name;

INSERT INTO owner_usage (owner, bytes, objects)
SELECT owner, sum(size), count(*)
  FROM objects
 WHERE (deleted_at IS NULL OR retained) AND NOT delete_marker
 GROUP BY owner;
