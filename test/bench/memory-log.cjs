/**
 * Preloaded into the benchmarked helper (NODE_OPTIONS=--require, BENCH_MEMORY_DETAIL=1): every
 * thread (the main one and each layer worker) writes its V8 heap and external memory to stderr
 * every 200 ms, in MB. A worker busy in a long synchronous stretch writes less often.
 */
const { threadId } = require('node:worker_threads');
const mb = (n) => (n / 1048576).toFixed(1);
const timer = setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`memory thread ${threadId} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} rss ${mb(m.rss)}\n`);
}, 200);
timer.unref();
