// Drives Stowage's resumable uploads (tus 1.0.0) with the real tus-js-client, through the gateway at
// Supabase's /storage/v1/upload/resumable (and its /sign form) and the native /v1/uploads/resumable.
// Run by TusJsClientSystemTest with STOWAGE_URL, the tokens of root, alice and bob, the Supabase keys,
// and STOWAGE_CONTROL_URL: a small server of the Java test that restarts upload-service when asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Upload } from 'tus-js-client';
import { StorageClient } from '@supabase/storage-js';

const base = process.env.STOWAGE_URL;
const storage = `${base}/storage/v1`;
const MIB = 1024 * 1024;
const client = (token) => new StorageClient(storage, { apikey: token, Authorization: `Bearer ${token}` });
const admin = client(process.env.STOWAGE_ADMIN_TOKEN);
const alice = client(process.env.STOWAGE_ALICE_TOKEN);
const aliceHeaders = { Authorization: `Bearer ${process.env.STOWAGE_ALICE_TOKEN}` };
const suffix = Math.random().toString(36).slice(2, 8);
const bucket = `tus-${suffix}`;
const limited = `tus-limited-${suffix}`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// an upload run to its end (or its error), as an application would with tus-js-client
function upload(bytes, options) {
  return new Promise((resolve, reject) => {
    const up = new Upload(bytes, {
      endpoint: `${storage}/upload/resumable`,
      chunkSize: 6 * MIB,
      // as Supabase's docs advise; 423 (a lock of a replica that died) is retried until its lease lapses
      retryDelays: [0, 1000, 3000, 5000, 10000],
      removeFingerprintOnSuccess: true,
      ...options,
      onError: (error) => reject(error),
      onSuccess: () => resolve(up),
    });
    up.start();
  });
}

// starts an upload and aborts it (dropping the connection mid-chunk) once `after` bytes went out
function uploadUntil(bytes, after, options) {
  return new Promise((resolve, reject) => {
    const up = new Upload(bytes, {
      endpoint: `${storage}/upload/resumable`,
      chunkSize: 6 * MIB,
      retryDelays: [0, 500, 1000],
      ...options,
      onError: (error) => reject(error),
      onSuccess: () => reject(new Error('finished before it could be interrupted')),
      onProgress: (sent) => {
        if (sent >= after && !up._stopped) {
          up._stopped = true;
          up.abort(false).then(() => resolve(up.url));
        }
      },
    });
    up.start();
  });
}

async function serverOffset(uploadUrl, headers) {
  const response = await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...headers } });
  return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
}

// the offset once the server has recorded what a dropped PATCH delivered (it does so as the connection ends)
async function settledOffset(uploadUrl, headers, above) {
  const deadline = Date.now() + 15000;
  let seen = await serverOffset(uploadUrl, headers);
  while (seen.offset <= above && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    seen = await serverOffset(uploadUrl, headers);
  }
  return seen;
}

async function downloaded(name) {
  const { data, error } = await alice.from(bucket).download(name);
  assert.equal(error, null);
  return Buffer.from(await data.arrayBuffer());
}

const meta = (name, extra = {}) => ({ bucketName: bucket, objectName: name, contentType: 'application/octet-stream', ...extra });

test('setup: buckets', async () => {
  assert.equal((await admin.createBucket(bucket, { public: false })).error, null);
  assert.equal((await admin.createBucket(limited, { public: false, fileSizeLimit: 1 * MIB, allowedMimeTypes: ['text/*'] })).error, null);
});

test('a 64 MiB upload in 6 MiB chunks arrives whole, with its cache control', async () => {
  const bytes = randomBytes(64 * MIB);
  await upload(bytes, { headers: aliceHeaders, metadata: meta('videos/64.bin', { cacheControl: '3600' }) });
  assert.equal(sha256(await downloaded('videos/64.bin')), sha256(bytes));
  const { data, error } = await alice.from(bucket).info('videos/64.bin');
  assert.equal(error, null);
  assert.equal(data.size, 64 * MIB);
  assert.equal(data.cacheControl, 'max-age=3600');
});

test('an upload interrupted mid-chunk resumes from the offset the server reports', async () => {
  // one 40 MiB chunk (tus-js-client's default: the whole file in one PATCH), its connection dropped at 9 MiB
  const bytes = randomBytes(40 * MIB);
  const url = await uploadUntil(bytes, 9 * MIB, { chunkSize: Infinity, headers: aliceHeaders, metadata: meta('cut/40.bin') });
  const { status, offset } = await settledOffset(url, aliceHeaders, 0);
  assert.equal(status, 200);
  // what arrived before the connection dropped is kept, to the byte: not a multiple of a part or chunk
  assert.ok(offset > 0 && offset < 40 * MIB, `offset ${offset}`);
  let resumedFrom = -1;
  await upload(bytes, {
    uploadUrl: url, headers: aliceHeaders, metadata: meta('cut/40.bin'),
    onProgress: (sent) => { if (resumedFrom < 0) resumedFrom = sent; },
  });
  assert.ok(resumedFrom >= offset, `resumed from ${resumedFrom}, server had ${offset}`);
  assert.equal(sha256(await downloaded('cut/40.bin')), sha256(bytes));
});

// restarting a service belongs to the fault suite's own run (TusRestartSystemTest), so that it disturbs no other test
const restarts = process.env.STOWAGE_TUS_RESTART === 'true';

test('an upload resumes after upload-service restarts', { skip: !restarts && 'run by TusRestartSystemTest' }, async () => {
  const bytes = randomBytes(30 * MIB);
  const url = await uploadUntil(bytes, 13 * MIB, { headers: aliceHeaders, metadata: meta('restart/30.bin') });
  const restarted = await fetch(`${process.env.STOWAGE_CONTROL_URL}/restart/upload-service`, { method: 'POST' });
  assert.equal(restarted.status, 204);
  const { offset } = await settledOffset(url, aliceHeaders, 12 * MIB - 1);
  assert.ok(offset >= 12 * MIB, `offset ${offset} after the restart`);
  await upload(bytes, { uploadUrl: url, headers: aliceHeaders, metadata: meta('restart/30.bin') });
  assert.equal(sha256(await downloaded('restart/30.bin')), sha256(bytes));
});

test('termination removes an unfinished upload', async () => {
  const bytes = randomBytes(13 * MIB);
  const url = await uploadUntil(bytes, 6 * MIB, { headers: aliceHeaders, metadata: meta('gone/13.bin') });
  await Upload.terminate(url, { headers: aliceHeaders });
  assert.equal((await serverOffset(url, aliceHeaders)).status, 404);
  const { data } = await alice.from(bucket).list('gone');
  assert.deepEqual(data, []);
});

test('an expired upload is gone (410), and tus-js-client starts a new one from the first byte', async () => {
  const bytes = randomBytes(8 * MIB);
  const url = await uploadUntil(bytes, 6 * MIB, { headers: aliceHeaders, metadata: meta('expired/8.bin') });
  await settledOffset(url, aliceHeaders, 0);
  const id = url.substring(url.lastIndexOf('/') + 1);
  assert.equal((await fetch(`${process.env.STOWAGE_CONTROL_URL}/expire/${id}`, { method: 'POST' })).status, 204);
  assert.equal((await serverOffset(url, aliceHeaders)).status, 410);
  let resumedFrom = -1;
  const again = await upload(bytes, {
    uploadUrl: url, headers: aliceHeaders, metadata: meta('expired/8.bin'),
    onProgress: (sent) => { if (resumedFrom < 0) resumedFrom = sent; },
  });
  assert.notEqual(again.url, url);
  assert.ok(resumedFrom < 6 * MIB, `started again from ${resumedFrom}`);
  assert.equal(sha256(await downloaded('expired/8.bin')), sha256(bytes));
});

test('a taken name is refused unless x-upsert says to replace it', async () => {
  await upload(Buffer.from('first version'), { headers: aliceHeaders, metadata: meta('doc.txt', { contentType: 'text/plain' }) });
  await assert.rejects(upload(Buffer.from('second'), { headers: aliceHeaders, metadata: meta('doc.txt', { contentType: 'text/plain' }) }),
    (error) => error.originalResponse.getStatus() === 409);
  await upload(Buffer.from('second version'), {
    headers: { ...aliceHeaders, 'x-upsert': 'true' }, metadata: meta('doc.txt', { contentType: 'text/plain' }),
  });
  assert.equal((await downloaded('doc.txt')).toString(), 'second version');
});

test("the bucket's size and type limits refuse an upload at its creation", async () => {
  const tooBig = upload(randomBytes(2 * MIB), { headers: aliceHeaders, metadata: { bucketName: limited, objectName: 'big.txt', contentType: 'text/plain' } });
  await assert.rejects(tooBig, (error) => error.originalResponse.getStatus() === 413);
  const wrongType = upload(randomBytes(100), { headers: aliceHeaders, metadata: { bucketName: limited, objectName: 'x.png', contentType: 'image/png' } });
  await assert.rejects(wrongType, (error) => error.originalResponse.getStatus() === 415);
  const { data } = await admin.from(limited).list();
  assert.deepEqual(data, []);
});

test('a signed upload token is the whole authorization at /upload/resumable/sign', async () => {
  const { data, error } = await alice.from(bucket).createSignedUploadUrl('signed/12.bin');
  assert.equal(error, null);
  const bytes = randomBytes(12 * MIB + 5);
  await upload(bytes, {
    endpoint: `${storage}/upload/resumable/sign`, headers: { 'x-signature': data.token }, metadata: meta('signed/12.bin'),
  });
  assert.equal(sha256(await downloaded('signed/12.bin')), sha256(bytes));
  const info = await alice.from(bucket).info('signed/12.bin');
  assert.equal(info.data.size, bytes.length);
  // the token names one object: another name is refused, and so is a token that is not one
  await assert.rejects(upload(randomBytes(10), {
    endpoint: `${storage}/upload/resumable/sign`, headers: { 'x-signature': data.token }, metadata: meta('signed/other.bin'),
  }), (error) => error.originalResponse.getStatus() === 403);
  await assert.rejects(upload(randomBytes(10), {
    endpoint: `${storage}/upload/resumable/sign`, headers: { 'x-signature': 'not-a-token' }, metadata: meta('signed/12.bin'),
  }), (error) => error.originalResponse.getStatus() >= 400 && error.originalResponse.getStatus() < 500);
});

test('the project key as apikey alone authorizes, and the native route takes the same protocol', async () => {
  const bytes = randomBytes(7 * MIB);
  await upload(bytes, { headers: { apikey: process.env.STOWAGE_SERVICE_KEY }, metadata: meta('keyed/7.bin') });
  const { data } = await admin.from(bucket).info('keyed/7.bin');
  assert.equal(data.size, bytes.length);
  const native = randomBytes(3 * MIB);
  await upload(native, { endpoint: `${base}/v1/uploads/resumable`, headers: aliceHeaders, metadata: meta('native/3.bin') });
  assert.equal(sha256(await downloaded('native/3.bin')), sha256(native));
});
