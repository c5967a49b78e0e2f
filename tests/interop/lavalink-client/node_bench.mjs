// The Lavalink node's benchmark: what a bot's node costs, measured from outside as a client sees it.
//
//   node tests/interop/lavalink-client/node_bench.mjs SPENCE_BINARY [--players N] [--seconds S]
//
// Starts `spence emulator --no-decode` and `spence run` (local files on, N+10 players allowed),
// opens a session, and reports as one JSON line:
//   idle_rss_mb            the node's resident memory before any player
//   first_packet_ms        PATCH(play) of a fresh guild (voice already connected) to the emulator's
//                          first packet of its stream, median and worst of 5 guilds, before the load
//   players, rss_mb        N guilds with a voice connection each, playing one Ogg Opus file in
//                          passthrough, and the node's resident memory then
//   patch_ms, loadtracks_ms   p50/p99 of a player PATCH ({"paused":false}) and of /v4/loadtracks of
//                          an HTTP URL (served by this script), under that load, one at a time
//   received_packets       what the emulator received from the N streams over --seconds
// Nothing here reaches beyond 127.0.0.1. The emulator and the node share this machine's cores.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { jsonLines, serveFile, sineOgg } from '../child_output.mjs';

const args = process.argv.slice(2);
const spence = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const players = option('--players', 1000);
const seconds = option('--seconds', 10);
if (!spence) {
  console.error('usage: node node_bench.mjs SPENCE_BINARY [--players N] [--seconds S]');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'spence-node-bench-'));
const firstLine = (child) => jsonLines(child)();
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};
const round = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let emulator;
let node;
let media;
try {
  sineOgg(join(work, 'long.ogg'), seconds + 30);
  let url;
  ({ server: media, url } = await serveFile(join(work, 'long.ogg')));

  emulator = spawn(spence, ['emulator', '--no-dave', '--no-decode'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = await firstLine(emulator);
  const password = 'bench';
  writeFileSync(join(work, 'node.toml'), `[server]\nport = 0\npassword = "${password}"\n[sources]\nlocal = true\n` +
    `[limits]\nmax_players = ${players + 10}\n[logging]\nlevel = "warn"\n`);
  node = spawn(spence, ['run', '--config', join(work, 'node.toml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = (await firstLine(node)).listening;
  const base = `http://127.0.0.1:${port}`;
  const api = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { Authorization: password, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v4/websocket`, { headers: { Authorization: password, 'User-Id': '1', 'Client-Name': 'bench' } });
  const sessionId = await new Promise((resolve) => ws.on('message', (m) => {
    const message = JSON.parse(m.toString());
    if (message.op === 'ready') resolve(message.sessionId);
  }));
  await sleep(500);
  const report = { players, seconds, idle_rss_mb: round(rssMb(node.pid)) };

  const loaded = await api('GET', `/v4/loadtracks?identifier=${encodeURIComponent(join(work, 'long.ogg'))}`);
  const encoded = loaded.data.encoded;
  const player = (guild) => `/v4/sessions/${sessionId}/players/${guild}`;
  const join_ = (guild) => api('PATCH', player(guild), { voice: { token: `t${guild}`, endpoint: endpoints.gateway,
    sessionId: `s${guild}`, channelId: '9' } });
  const streamsBySsrc = async () => (await (await fetch(`${endpoints.control}/stats`)).json()).udp.streams;

  // PATCH(play) to the first packet, on an idle node.
  const firstPackets = [];
  for (let g = 1; g <= 5; ++g) {
    await join_(900000 + g);
    const before = new Set((await streamsBySsrc()).map((s) => s.ssrc));
    const t0 = performance.now();
    await api('PATCH', player(900000 + g), { track: { encoded } });
    for (;;) {
      const fresh = (await streamsBySsrc()).find((s) => !before.has(s.ssrc) && s.packets > 0);
      if (fresh) break;
      if (performance.now() - t0 > 5000) throw new Error('no first packet within 5 s');
      await sleep(2);
    }
    firstPackets.push(performance.now() - t0);
    await api('DELETE', player(900000 + g));
  }
  report.first_packet_ms = { p50: round(percentile(firstPackets, 0.5)), max: round(Math.max(...firstPackets)) };

  // N players in passthrough.
  const joinStart = performance.now();
  for (let g = 1; g <= players; ++g) await join_(g);
  report.join_seconds = round((performance.now() - joinStart) / 1000);
  for (let g = 1; g <= players; ++g) await api('PATCH', player(g), { track: { encoded } });
  await sleep(2000);
  const before = await streamsBySsrc();
  const patchMs = [];
  const loadMs = [];
  const measureUntil = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < measureUntil; ++i) {
    let t = performance.now();
    await api('PATCH', player(1 + (i % players)), { paused: false });
    patchMs.push(performance.now() - t);
    t = performance.now();
    await api('GET', `/v4/loadtracks?identifier=${encodeURIComponent(url)}`);
    loadMs.push(performance.now() - t);
    await sleep(20);
  }
  const after = await streamsBySsrc();
  report.rss_mb = round(rssMb(node.pid));
  report.patch_ms = { p50: round(percentile(patchMs, 0.5)), p99: round(percentile(patchMs, 0.99)), n: patchMs.length };
  report.loadtracks_ms = { p50: round(percentile(loadMs, 0.5)), p99: round(percentile(loadMs, 0.99)), n: loadMs.length };
  const sum = (streams) => streams.reduce((a, s) => a + s.packets, 0);
  report.received_packets = sum(after) - sum(before);
  report.received_lost = after.reduce((a, s) => a + s.lost, 0);
  report.streams = after.length;
  console.log(JSON.stringify(report));
  ws.close();
} catch (error) {
  console.error(`node bench: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  node?.kill('SIGTERM');
  emulator?.kill('SIGTERM');
  media?.close();
  rmSync(work, { recursive: true, force: true });
  setTimeout(() => process.exit(), 500).unref();
}
