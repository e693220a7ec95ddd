// The sharp side of the engine benchmark: same source, same tasks, median of N runs, one libvips thread.
// Usage: node bench.js <source.jpg> <iterations>; prints one JSON line {task: medianMillis}.
const sharp = require('sharp');
const fs = require('fs');

sharp.concurrency(1);
sharp.cache(false);

const [source, iterations] = [process.argv[2], Number(process.argv[3] || 15)];
const input = fs.readFileSync(source);
const tasks = {
  'jpeg-to-webp': () => sharp(input).resize(300, 200, { fit: 'cover' }).webp({ quality: 80 }).toBuffer(),
  'jpeg-to-jpeg': () => sharp(input).resize(300, 200, { fit: 'cover' }).jpeg({ quality: 80 }).toBuffer(),
  'jpeg-to-avif': () => sharp(input).resize(300, 200, { fit: 'cover' }).avif({ quality: 80, effort: 2 }).toBuffer(),
};

(async () => {
  const result = {};
  for (const [name, task] of Object.entries(tasks)) {
    for (let i = 0; i < 3; i++) await task(); // warm-up
    const times = [];
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint();
      await task();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    result[name] = times[Math.floor(times.length / 2)];
  }
  result.libvips = sharp.versions.vips;
  console.log(JSON.stringify(result));
})();
