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
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '403');

  ({ error } = await admin.getBucket(`missing-${suffix}`));
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
  assert.equal(error.message, 'Bucket not found');

  ({ error } = await admin.createBucket(publicBucket, { public: true }));
  assert.equal(error, null);

  // listing options: search, sort, paging
  ({ data, error } = await admin.listBuckets({ search: suffix, sortColumn: 'name', sortOrder: 'asc' }));
  assert.equal(error, null);
  assert.deepEqual(data.map((b) => b.name), [bucket, publicBucket]);
  ({ data, error } = await admin.listBuckets({ search: suffix, sortColumn: 'name', sortOrder: 'desc', limit: 1 }));
  assert.equal(error, null);
  assert.deepEqual(data.map((b) => b.name), [publicBucket]);
  ({ data, error } = await admin.listBuckets({ search: suffix, limit: 1, offset: 1 }));
  assert.equal(error, null);
  assert.deepEqual(data.map((b) => b.name), [publicBucket]);
  ({ error } = await admin.listBuckets({ sortColumn: 'color' }));
  assert.equal(error.statusCode, '400');
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
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
  ({ error } = await files.download('docs/nothing.txt'));
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
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
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
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
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
});

// A 16x16 RGB PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABlklEQVR4nBXRURVEIQhFUSMYgQhGMAIRiGCEE8EIRiACEYhABCLMG7/ZrMt1jMEcyGAN9kAHNjgDBnfwBj6IQQ5q0IMxJnMikzXZE53Y5EyY3Mmb+CQmOalJzw8IUxBhCVtQwYQjIFzhCS6EkEIJLR9YzIUs1mIvdGGLs2BxF2/hi1jkoha9PrCZG9mszd7oxjZnw+Zu3sY3sclNbXp/QJmKKEvZiiqmHAXlKk9xJZRUSmn9gDENMZaxDTXMOAbGNZ7hRhhplNH2gcM8yGEd9kEPdjgHDvfwDn6IQx7q0OcD/wK/Sr4jv9hfkG/1N/x/Fx44BCQU9Pc94zIvclmXfdGLXc79j9/Lu/glLnmpS98PPOZDHuuxH/qwx3n/5ffxHv6IRz7q0e8DznTEWc521DHn+D/KdZ7jTjjplNP+gWAGEqxgBxpYcOIf/AYv8CCCDCro+EAyE0lWshNNLDn5P/MmL/Ekkkwq6fxAMQspVrELLaw49S/lFq/wIoosquj6QDMbaVazG22sOf2v8Dav8SaabKrp5geIAnAQEbP2+wAAAABJRU5ErkJggg==', 'base64');

test('uploads as forms: a Blob goes as multipart/form-data with cache control and user metadata', async () => {
  const files = alice.from(bucket);
  let { data, error } = await files.upload('forms/note.txt', new Blob(['from a form'], { type: 'text/plain' }),
    { cacheControl: '120', metadata: { origin: 'form', n: 1 } });
  assert.equal(error, null);
  assert.equal(data.fullPath, `${bucket}/forms/note.txt`);
  ({ data, error } = await files.info('forms/note.txt'));
  assert.equal(error, null);
  assert.equal(data.size, 11);
  assert.equal(data.contentType, 'text/plain');
  assert.equal(data.cacheControl, 'max-age=120');
  assert.deepEqual(data.metadata, { origin: 'form', n: 1 });
  assert.equal(await (await files.download('forms/note.txt')).data.text(), 'from a form');

  // a Buffer goes as a raw body, its metadata in x-metadata
  ({ error } = await files.upload('forms/raw.txt', Buffer.from('raw'), { contentType: 'text/plain', metadata: { origin: 'raw' } }));
  assert.equal(error, null);
  assert.deepEqual((await files.info('forms/raw.txt')).data.metadata, { origin: 'raw' });

  // a form whose file breaks the bucket's rules is refused like a raw body
  ({ error } = await files.upload('forms/doc.pdf', new Blob(['%PDF-1.4 tiny'], { type: 'application/pdf' })));
  assert.equal(error.statusCode, '415');
  assert.equal((await files.exists('forms/doc.pdf')).data, false);
});

test('copy and move across buckets, copy with metadata overrides, no overwrite without upsert', async () => {
  const files = alice.from(bucket);
  // forms/note.txt was uploaded with user metadata and cache control: a plain copy keeps both
  let { data, error } = await files.copy('forms/note.txt', 'copied/note.txt', { destinationBucket: publicBucket });
  assert.equal(error, null);
  assert.equal(data.path, `${publicBucket}/copied/note.txt`);
  let info = (await alice.from(publicBucket).info('copied/note.txt')).data;
  assert.deepEqual(info.metadata, { origin: 'form', n: 1 });
  assert.equal(info.cacheControl, 'max-age=120');

  // copyMetadata false: the overrides apply and the user metadata stays behind
  ({ data, error } = await files.copy('forms/note.txt', 'forms/plain.txt',
    { copyMetadata: false, metadata: { cacheControl: 'no-store', mimetype: 'text/markdown' } }));
  assert.equal(error, null);
  info = (await files.info('forms/plain.txt')).data;
  assert.equal(info.cacheControl, 'no-store');
  assert.equal(info.contentType, 'text/markdown');
  assert.deepEqual(info.metadata, {});
  assert.equal(await (await files.download('forms/plain.txt')).data.text(), 'from a form');

  // an override the bucket's types refuse, and a copy onto an existing name without upsert
  ({ error } = await files.copy('forms/note.txt', 'forms/x.pdf', { copyMetadata: false, metadata: { mimetype: 'application/pdf' } }));
  assert.equal(error.statusCode, '415');
  assert.equal((await files.exists('forms/x.pdf')).data, false);
  ({ error } = await files.copy('forms/note.txt', 'forms/plain.txt'));
  assert.equal(error.statusCode, '409');

  // move into another bucket
  ({ error } = await files.move('forms/plain.txt', 'moved/plain.txt', { destinationBucket: publicBucket }));
  assert.equal(error, null);
  assert.equal((await files.exists('forms/plain.txt')).data, false);
  assert.equal(await (await alice.from(publicBucket).download('moved/plain.txt')).data.text(), 'from a form');
});

test('signed upload URLs: upload without a token, owned by the signer, no overwrite unless upsert', async () => {
  const files = alice.from(bucket);
  const nobody = new StorageClient(url, {}).from(bucket);
  let { data, error } = await files.createSignedUploadUrl('signed/report.txt');
  assert.equal(error, null);
  assert.equal(data.path, 'signed/report.txt');
  assert.ok(data.token);
  assert.ok(data.signedUrl.startsWith(`${url}/object/upload/sign/${bucket}/signed/report.txt?token=`), data.signedUrl);
  const first = data.token;

  let up;
  ({ data: up, error } = await nobody.uploadToSignedUrl('signed/report.txt', first, Buffer.from('signed body'), { contentType: 'text/plain' }));
  assert.equal(error, null);
  assert.equal(up.path, 'signed/report.txt');
  assert.equal(up.fullPath, `${bucket}/signed/report.txt`);

  // alice signed it, so alice owns it: she reads it in a private bucket, bob does not see it
  assert.equal(await (await files.download('signed/report.txt')).data.text(), 'signed body');
  assert.equal((await bob.from(bucket).download('signed/report.txt')).error.statusCode, '404');

  // the same URL again: the object exists and the URL was signed without upsert
  ({ error } = await nobody.uploadToSignedUrl('signed/report.txt', first, Buffer.from('again'), { contentType: 'text/plain' }));
  assert.equal(error.statusCode, '409');
  assert.equal(error.message, 'The resource already exists');

  // a token is for its one path
  ({ error } = await nobody.uploadToSignedUrl('signed/other.txt', first, Buffer.from('elsewhere'), { contentType: 'text/plain' }));
  assert.ok(error);
  assert.ok([400, 403].includes(error.status), `status ${error.status}`);
  assert.equal((await files.exists('signed/other.txt')).data, false);

  // a tampered token
  ({ error } = await nobody.uploadToSignedUrl('signed/report.txt', first.slice(0, -4) + 'AAAA', Buffer.from('x'), { contentType: 'text/plain' }));
  assert.ok(error);
  assert.ok([400, 403].includes(error.status), `status ${error.status}`);

  // with upsert the URL replaces the object; a Blob goes as a form with its metadata
  ({ data, error } = await files.createSignedUploadUrl('signed/report.txt', { upsert: true }));
  assert.equal(error, null);
  ({ error } = await nobody.uploadToSignedUrl('signed/report.txt', data.token, new Blob(['replaced'], { type: 'text/plain' }),
    { metadata: { via: 'signed' } }));
  assert.equal(error, null);
  assert.equal(await (await files.download('signed/report.txt')).data.text(), 'replaced');
  assert.deepEqual((await files.info('signed/report.txt')).data.metadata, { via: 'signed' });

  // bob cannot see alice's private object: signing with upsert neither tells him it exists nor lets
  // him overwrite it (the token is create-only; its upload meets the name as any create does)
  ({ data, error } = await bob.from(bucket).createSignedUploadUrl('signed/report.txt', { upsert: true }));
  assert.equal(error, null);
  ({ error } = await nobody.uploadToSignedUrl('signed/report.txt', data.token, Buffer.from('bob was here'), { contentType: 'text/plain' }));
  assert.equal(error.statusCode, '409');
  assert.equal(await (await files.download('signed/report.txt')).data.text(), 'replaced');
  // nor sign for a bucket that does not exist
  ({ error } = await alice.from(`missing-${suffix}`).createSignedUploadUrl('a.txt'));
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
  ({ error } = await new StorageClient(url, {}).from(bucket).createSignedUploadUrl('anon.txt'));
  assert.ok(error);
  assert.ok([400, 401, 403].includes(error.status), `status ${error.status}`);

  // the bucket's limits hold for signed uploads too
  ({ data, error } = await files.createSignedUploadUrl('signed/big.txt'));
  assert.equal(error, null);
  ({ error } = await nobody.uploadToSignedUrl('signed/big.txt', data.token, Buffer.alloc(2100000, 97), { contentType: 'text/plain' }));
  assert.equal(error.statusCode, '413');
  assert.equal((await files.exists('signed/big.txt')).data, false);
});

test('project keys: service_role (the role claim alone, no subject) has full access; anon is not signed in', async () => {
  const service = client(process.env.STOWAGE_SERVICE_KEY);
  const anon = client(process.env.STOWAGE_ANON_KEY);
  // alice's object in a private bucket
  let { data, error } = await service.from(bucket).download('signed/report.txt');
  assert.equal(error, null);
  assert.equal(await data.text(), 'replaced');
  ({ data, error } = await service.listBuckets({ search: suffix }));
  assert.equal(error, null);
  assert.equal(data.length, 2);
  ({ error } = await service.from(bucket).upload('service/by-key.txt', Buffer.from('by the service key'), { contentType: 'text/plain' }));
  assert.equal(error, null);
  ({ error } = await service.from(bucket).remove(['service/by-key.txt']));
  assert.equal(error, null);

  ({ error } = await anon.from(bucket).download('signed/report.txt'));
  assert.ok(error);
  assert.ok([400, 401, 403, 404].includes(error.status), `status ${error.status}`);
  ({ error } = await anon.createBucket(`anon-${suffix}`));
  assert.ok(error);
  assert.equal((await admin.getBucket(`anon-${suffix}`)).error.statusCode, '404');
});

test('image transforms: download with transform renders through image-service', async () => {
  const files = alice.from(bucket);
  assert.equal((await files.upload('images/square.png', png, { contentType: 'image/png' })).error, null);
  let { data, error } = await files.download('images/square.png', { transform: { width: 8, height: 8 } });
  assert.equal(error, null);
  assert.match(data.type, /^image\//);
  assert.ok(data.size > 0);
  // the same variant again comes from the variant cache
  ({ data, error } = await files.download('images/square.png', { transform: { width: 8, height: 8 } }));
  assert.equal(error, null);
  assert.ok(data.size > 0);

  // a signed URL with a transform is a signed link to the rendition
  ({ data, error } = await files.createSignedUrl('images/square.png', 60, { transform: { width: 4, height: 4, format: 'origin' } }));
  assert.equal(error, null);
  assert.match(data.signedUrl, /\/render\/image\/sign\//);
  const response = await fetch(data.signedUrl);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/png');
  const rendered = Buffer.from(await response.arrayBuffer());
  assert.equal(rendered.readUInt32BE(16), 4, 'width in the PNG header');
  assert.equal((await fetch(data.signedUrl.replace(/token=[^&]+/, 'token=forged'))).status >= 400, true);

  // a download as a stream
  const { data: stream, error: streamError } = await files.download('images/square.png').asStream();
  assert.equal(streamError, null);
  const chunks = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  assert.deepEqual(Buffer.concat(chunks), png);
});

test('public URLs: readable without a token in a public bucket only', async () => {
  assert.equal((await alice.from(publicBucket).upload('logo.txt', Buffer.from('public!'), { contentType: 'text/plain' })).error, null);
  let response = await fetch(alice.from(publicBucket).getPublicUrl('logo.txt').data.publicUrl);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'public!');
  // the object's own cache-control, as Supabase serves it (storage-js uploads with max-age=3600)
  assert.equal(response.headers.get('cache-control'), 'max-age=3600');

  response = await fetch(alice.from(bucket).getPublicUrl('docs/hello world.txt').data.publicUrl);
  assert.equal(response.status, 400);
  assert.equal((await response.json()).statusCode, '404');
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
  assert.equal(error.status, 400); // Supabase: HTTP 400, the real status in statusCode
  assert.equal(error.statusCode, '404');
});
