// Drives Stowage's Supabase-compatible API (/storage/v1) with the real @supabase/storage-js client.
// Run by SupabaseStorageJsSystemTest with STOWAGE_URL and the tokens of root (storage-admin), alice and bob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageClient } from '@supabase/storage-js';

const url = `${process.env.STOWAGE_URL}/storage/v1`;
const client = (token) => new StorageClient(url, { apikey: token, Authorization: `Bearer ${token}` });
const admin = client(process.env.STOWAGE_ADMIN_TOKEN);
const alice = client(process.env.STOWAGE_ALICE_TOKEN);
const bob = client(process.env.STOWAGE_BOB_TOKEN);
const suffix = Math.random().toString(36).slice(2, 8);
const bucket = `sb-private-${suffix}`;
const publicBucket = `sb-public-${suffix}`;

test('buckets: create, get, list, update, and the errors of duplicates and non-admins', async () => {
  let { data, error } = await admin.createBucket(bucket, { public: false, fileSizeLimit: '1MB', allowedMimeTypes: ['text/*', 'image/png'] });
  assert.equal(error, null);
  assert.deepEqual(data, { name: bucket });

  ({ data, error } = await admin.getBucket(bucket));
  assert.equal(error, null);
  assert.equal(data.id, bucket);
  assert.equal(data.public, false);
  assert.equal(data.file_size_limit, 1000000);
  assert.deepEqual(data.allowed_mime_types, ['text/*', 'image/png']);

  ({ data, error } = await admin.listBuckets());
  assert.equal(error, null);
  assert.ok(data.some((b) => b.name === bucket));

  ({ data, error } = await admin.updateBucket(bucket, { public: false, fileSizeLimit: 2000000, allowedMimeTypes: ['text/*', 'image/png'] }));
  assert.equal(error, null);
  assert.deepEqual(data, { message: 'Successfully updated' });
  assert.equal((await admin.getBucket(bucket)).data.file_size_limit, 2000000);

  ({ error } = await admin.createBucket(bucket));
  assert.equal(error.statusCode, '409');
  assert.equal(error.message, 'The resource already exists');

  ({ error } = await alice.createBucket(`alices-${suffix}`));
  assert.equal(error.status, 403);

  ({ error } = await admin.getBucket(`missing-${suffix}`));
  assert.equal(error.status, 404);
  assert.equal(error.message, 'Bucket not found');

  ({ error } = await admin.createBucket(publicBucket, { public: true }));
  assert.equal(error, null);
});

test('files: upload, duplicate, upsert, update, download, info, exists, limits, access', async () => {
  const files = alice.from(bucket);
  let { data, error } = await files.upload('docs/hello world.txt', Buffer.from('hello'), { contentType: 'text/plain' });
  assert.equal(error, null);
  assert.equal(data.path, 'docs/hello world.txt');
  assert.equal(data.fullPath, `${bucket}/docs/hello world.txt`);
  assert.ok(data.id);

  ({ error } = await files.upload('docs/hello world.txt', Buffer.from('again'), { contentType: 'text/plain' }));
  assert.equal(error.statusCode, '409');
  assert.equal(error.message, 'The resource already exists');

  ({ error } = await files.upload('docs/hello world.txt', Buffer.from('upserted'), { contentType: 'text/plain', upsert: true }));
  assert.equal(error, null);
  ({ error } = await files.update('docs/hello world.txt', Buffer.from('hello again'), { contentType: 'text/plain' }));
  assert.equal(error, null);

  ({ data, error } = await files.download('docs/hello world.txt'));
  assert.equal(error, null);
  assert.equal(await data.text(), 'hello again');

  ({ data, error } = await files.info('docs/hello world.txt'));
  assert.equal(error, null);
  assert.equal(data.name, 'docs/hello world.txt');
  assert.equal(data.size, 11);
  assert.equal(data.contentType, 'text/plain');

  assert.equal((await files.exists('docs/hello world.txt')).data, true);
  assert.equal((await files.exists('docs/nothing.txt')).data, false);

  ({ error } = await files.upload('big.txt', Buffer.alloc(2100000, 97), { contentType: 'text/plain' }));
  assert.equal(error.statusCode, '413');
  ({ error } = await files.upload('doc.pdf', Buffer.from('%PDF-1.4 tiny'), { contentType: 'application/pdf' }));
  assert.equal(error.statusCode, '415');

  ({ error } = await bob.from(bucket).download('docs/hello world.txt'));
  assert.equal(error.status, 404);
  ({ error } = await files.download('docs/nothing.txt'));
  assert.equal(error.status, 404);
});

test('files: list folders and files as Supabase returns them', async () => {
  const files = alice.from(bucket);
  assert.equal((await files.upload('docs/b.txt', Buffer.from('b'), { contentType: 'text/plain' })).error, null);
  assert.equal((await files.upload('docs/sub/c.txt', Buffer.from('c'), { contentType: 'text/plain' })).error, null);

  let { data, error } = await files.list('docs');
  assert.equal(error, null);
  assert.deepEqual(data.map((e) => e.name), ['b.txt', 'hello world.txt', 'sub']);
  const folder = data.find((e) => e.name === 'sub');
  assert.equal(folder.id, null);
  const file = data.find((e) => e.name === 'b.txt');
  assert.ok(file.id);
  assert.equal(file.metadata.size, 1);
  assert.equal(file.metadata.mimetype, 'text/plain');

  ({ data, error } = await files.list('docs', { limit: 1, offset: 1 }));
  assert.equal(error, null);
  assert.equal(data.length, 1);

  ({ data, error } = await files.list('docs', { search: 'hello' }));
  assert.equal(error, null);
  assert.deepEqual(data.map((e) => e.name), ['hello world.txt']);

  // list-v2: keyset pages of full keys, folders apart
  ({ data, error } = await files.listV2({ prefix: 'docs/', with_delimiter: true, limit: 1 }));
  assert.equal(error, null);
  assert.equal(data.hasNext, true);
  const seen = [...data.folders.map((f) => f.key), ...data.objects.map((o) => o.key)];
  while (data.hasNext) {
    ({ data, error } = await files.listV2({ prefix: 'docs/', with_delimiter: true, limit: 1, cursor: data.nextCursor }));
    assert.equal(error, null);
    seen.push(...data.folders.map((f) => f.key), ...data.objects.map((o) => o.key));
  }
  assert.deepEqual(seen.sort(), ['docs/b.txt', 'docs/hello world.txt', 'docs/sub/']);
});

test('files: copy, move, remove', async () => {
  const files = alice.from(bucket);
  let { data, error } = await files.copy('docs/b.txt', 'docs/copy.txt');
  assert.equal(error, null);
  assert.equal(data.path, `${bucket}/docs/copy.txt`);
  assert.equal(await (await files.download('docs/copy.txt')).data.text(), 'b');

  ({ data, error } = await files.move('docs/copy.txt', 'docs/moved.txt'));
  assert.equal(error, null);
  assert.deepEqual(data, { message: 'Successfully moved' });
  assert.equal((await files.exists('docs/copy.txt')).data, false);
  assert.equal(await (await files.download('docs/moved.txt')).data.text(), 'b');

  ({ error } = await files.copy('docs/nothing.txt', 'docs/x.txt'));
  assert.equal(error.status, 404);
  ({ error } = await files.move('docs/moved.txt', 'docs/b.txt'));
  assert.equal(error.statusCode, '409');

  ({ data, error } = await files.remove(['docs/moved.txt', 'docs/nothing.txt']));
  assert.equal(error, null);
  assert.deepEqual(data.map((o) => o.name), ['docs/moved.txt']);
  assert.equal(data[0].bucket_id, bucket);
  assert.equal((await files.exists('docs/moved.txt')).data, false);
});

test('signed URLs: one, many, with a download name, and a tampered token refused', async () => {
  const files = alice.from(bucket);
  let { data, error } = await files.createSignedUrl('docs/hello world.txt', 60);
  assert.equal(error, null);
  let response = await fetch(data.signedUrl);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'hello again');

  ({ data, error } = await files.createSignedUrl('docs/hello world.txt', 60, { download: 'greeting.txt' }));
  assert.equal(error, null);
  response = await fetch(data.signedUrl);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-disposition'), /^attachment; filename="greeting.txt"/);

  const tampered = data.signedUrl.replace(/token=([^&]+)/, (m, t) => `token=${t.slice(0, -4)}AAAA`);
  response = await fetch(tampered);
  assert.ok(response.status === 400 || response.status === 401 || response.status === 403, `status ${response.status}`);

  ({ data, error } = await files.createSignedUrls(['docs/hello world.txt', 'docs/nothing.txt'], 60));
  assert.equal(error, null);
  assert.equal(data.length, 2);
  assert.equal(data[0].error, null);
  assert.equal((await fetch(data[0].signedUrl)).status, 200);
  assert.ok(data[1].error);
  assert.equal(data[1].signedUrl, null);

  ({ error } = await bob.from(bucket).createSignedUrl('docs/hello world.txt', 60));
  assert.equal(error.status, 404);
});

test('public URLs: readable without a token in a public bucket only', async () => {
  assert.equal((await alice.from(publicBucket).upload('logo.txt', Buffer.from('public!'), { contentType: 'text/plain' })).error, null);
  let response = await fetch(alice.from(publicBucket).getPublicUrl('logo.txt').data.publicUrl);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'public!');
  assert.match(response.headers.get('cache-control'), /public/);

  response = await fetch(alice.from(bucket).getPublicUrl('docs/hello world.txt').data.publicUrl);
  assert.equal(response.status, 404);
});

test('buckets: delete refuses a non-empty bucket, empty then delete', async () => {
  let { error } = await admin.deleteBucket(bucket);
  assert.equal(error.statusCode, '409');
  let data;
  ({ data, error } = await admin.emptyBucket(bucket));
  assert.equal(error, null);
  assert.deepEqual(data, { message: 'Successfully emptied' });
  ({ data, error } = await admin.deleteBucket(bucket));
  assert.equal(error, null);
  assert.deepEqual(data, { message: 'Successfully deleted' });
  ({ error } = await admin.getBucket(bucket));
  assert.equal(error.status, 404);
});
