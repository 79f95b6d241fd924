/**
 * Child process of the inventory benchmark: scans one image from the Docker Engine's
 * `docker save` stream and prints one JSON line with its figures. A separate process, so
 * its peak RSS is the scan's own.
 */
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { scanImage } from '@shipshape/analyzers';

const image = process.argv[2];
if (!image) throw new Error('usage: inventory-scan-child.ts IMAGE');
const docker = new Docker();
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const stream = (await docker.getImage(image).get()) as unknown as Readable;
let bytes = 0;
stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
const report = await scanImage(stream, { categories: ['os', 'packages'] });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, packages: report.packages.length, maxRssKb: process.resourceUsage().maxRSS })}\n`);
