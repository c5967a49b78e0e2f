// What the interop tests and the node benchmark share: reading a child process's JSON lines,
// waiting for it to end, making a sine as Ogg Opus, and serving a file over HTTP on loopback.
// Plain Node, no npm modules.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';

// The lines a child prints, each parsed as JSON, one at a time: call the returned function for the next.
export function jsonLines(child) {
  const lines = createInterface({ input: child.stdout });
  const queued = [];
  const waiting = [];
  let ended = false;
  lines.on('line', (line) => (waiting.length ? waiting.shift().resolve(line) : queued.push(line)));
  lines.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w.reject(new Error(`${child.spawnfile} ended its output`));
  });
  return async () => {
    const line = queued.length ? queued.shift() : ended ? undefined : await new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    if (line === undefined) throw new Error(`${child.spawnfile} ended its output`);
    return JSON.parse(line);
  };
}

// The child's exit code, or the signal that ended it.
export const exited = (child) => new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));

// A 440 Hz sine of `seconds` as 20 ms Opus frames in Ogg at `path` (ffmpeg); returns how many frames it holds.
export function sineOgg(path, seconds) {
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ac', '2',
    '-ar', '48000', '-c:a', 'libopus', '-b:a', '96k', '-frame_duration', '20', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-count_packets', '-show_entries',
    'stream=nb_read_packets', '-of', 'csv=p=0', path]).toString().trim());
}

// Serves the file at `path` as audio/ogg on 127.0.0.1; resolves to {server, url}. With `ranges`,
// it answers single byte-range requests (206), so a client can seek in it and read its end;
// without, it sends the whole file to every request, as a plain stream server does.
export async function serveFile(path, { ranges = false } = {}) {
  const bytes = readFileSync(path);
  const server = createServer((request, response) => {
    const range = ranges && /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
    if (!range) {
      response.writeHead(200, { 'Content-Type': 'audio/ogg', 'Content-Length': bytes.length,
        ...(ranges ? { 'Accept-Ranges': 'bytes' } : {}) });
      response.end(bytes);
      return;
    }
    const first = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
    const last = range[1] === '' || range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
    if (first > last || first >= bytes.length) {
      response.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` });
      response.end();
      return;
    }
    response.writeHead(206, { 'Content-Type': 'audio/ogg', 'Content-Length': last - first + 1,
      'Content-Range': `bytes ${first}-${last}/${bytes.length}`, 'Accept-Ranges': 'bytes' });
    response.end(bytes.subarray(first, last + 1));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/${basename(path)}` };
}

// The Opus packets of the Ogg Opus file at `path`, in order, without its two header packets.
export function oggOpusPackets(path) {
  const bytes = readFileSync(path);
  const packets = [];
  let partial = [];
  for (let at = 0; at < bytes.length;) {
    if (bytes.toString('latin1', at, at + 4) !== 'OggS') throw new Error(`${path}: no Ogg page at ${at}`);
    const segments = bytes[at + 26];
    let body = at + 27 + segments;
    for (let i = 0; i < segments; ++i) {
      const lace = bytes[at + 27 + i];
      partial.push(bytes.subarray(body, body + lace));
      body += lace;
      if (lace < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    at = body;
  }
  return packets.slice(2);  // OpusHead, OpusTags
}
