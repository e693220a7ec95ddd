-- Listings that stay flat at millions of objects (V4 and V5 are left to the usage and quota changes).

-- substring search (name ILIKE '%text%') of current objects: a trigram index instead of a scan
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX objects_current_name_trgm ON objects USING gin (name gin_trgm_ops) WHERE deleted_at IS NULL;

-- a non-admin's page of a bucket that is not public, by name: one ordered scan per way a row may be readable
-- (public, protected and shared rows by visibility; the caller's own by owner), each stopping after a page
CREATE INDEX objects_current_visibility_name ON objects (bucket, visibility, name) WHERE deleted_at IS NULL;
CREATE INDEX objects_current_owner_name ON objects (bucket, owner, name) WHERE deleted_at IS NULL;
