// Asks the Docker Engine at DOCKER_HOST (default unix:///var/run/docker.sock) for its version,
// with Node alone (the `docker` CLI may be missing, or be a client with no daemon behind it).
// Prints the engine version and exits 0; else prints why not and exits 3 when the socket refuses
// this user (permission denied: the docker group question), 1 for anything else.
import { request } from 'node:http';

const dockerHost = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
const target = dockerHost.startsWith('unix://')
  ? { socketPath: dockerHost.slice('unix://'.length) }
  : (() => {
      const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      return { host: url.hostname, port: Number(url.port || 2375) };
    })();

const req = request({ ...target, path: '/version', timeout: 5000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    try {
      const version = JSON.parse(body).Version;
      if (res.statusCode === 200 && typeof version === 'string') {
        process.stdout.write(`${version}\n`);
        process.exit(0);
      }
    } catch {}
    process.stdout.write(`${dockerHost} answered HTTP ${res.statusCode}, not a Docker Engine version\n`);
    process.exit(1);
  });
});
req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
req.on('error', (error) => {
  process.stdout.write(`${dockerHost}: ${error.code === 'ENOENT' ? 'no such socket' : error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}\n`);
  process.exit(error.code === 'EACCES' ? 3 : 1);
});
req.end();
