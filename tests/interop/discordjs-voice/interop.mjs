// Interop test: @discordjs/voice (pinned in package.json) plays an Ogg Opus file into `spence
// emulator`, and the emulator must have received it intact. Because that client is written
// against Discord's real voice servers, this shows the emulator speaks the real protocol. Then
// spence's own client (`spence connect`) plays the same file the same way, over the same TLS, and
// must arrive just as intact.
//
//   node interop.mjs SPENCE_BINARY
//
// Exit codes: 0 passed, 1 failed, 77 skipped (the npm modules are not installed: `npm ci` here).
//
// @discordjs/voice only speaks TLS: see tls_terminator.mjs.
//
// Nothing here reaches beyond 127.0.0.1.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, jsonLines, sineOgg } from '../child_output.mjs';
import { startTlsTerminator } from './tls_terminator.mjs';

const SKIP = 77;
const here = fileURLToPath(new URL('.', import.meta.url));
const spence = process.argv[2];
const seconds = 2;  // of audio: 100 frames of 20 ms

try {
  await import('@discordjs/voice');
} catch (error) {
  console.log(`SKIP: @discordjs/voice is not installed (${error.code ?? error.message}); run \`npm ci\` in ${here}`);
  process.exit(SKIP);
}
assert.ok(spence, 'usage: node interop.mjs SPENCE_BINARY');

const work = mkdtempSync(join(tmpdir(), 'spence-interop-'));
const run = (command, args) => execFileSync(command, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function cleanUp() {
  rmSync(work, { recursive: true, force: true });
}

async function getJson(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  return response.json();
}

const report = {};
let emulator;
let terminator;
try {
  // The audio: a sine as 20 ms Opus frames in Ogg, and how many frames it holds.
  const frames = sineOgg(join(work, 'sine.ogg'), seconds);
  report.frames_in_file = frames;

  emulator = spawn(spence, ['emulator', '--no-dave', '--ogg-dir', join(work, 'ogg'), '--heartbeat-ms', '5000'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const emulatorLine = jsonLines(emulator);
  const endpoints = await emulatorLine();
  const gateway = new URL(endpoints.gateway);

  terminator = await startTlsTerminator(work, gateway);

  const client = spawn(process.execPath, [join(here, 'client.mjs'), terminator.endpoint, join(work, 'sine.ogg')], {
    cwd: here, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: terminator.certificate },
  });
  const [seen, clientExit] = await Promise.all([jsonLines(client)(), exited(client)]);
  report.client = seen;
  assert.equal(clientExit, 0, `the client failed: ${JSON.stringify(seen)}`);

  // spence's own client, through the same terminator: TLS verified against our CA file. Spawned,
  // not run synchronously: the terminator lives in this process's event loop.
  const ours = spawn(spence, ['connect', '--endpoint', terminator.endpoint,
    '--tls-ca-file', terminator.certificate, '--server-id', '1', '--user-id', '2', '--session-id', 'interop-spence',
    '--token', 'interop-token', '--channel-id', '3', join(work, 'sine.ogg')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let connectOutput = '';
  ours.stdout.on('data', (chunk) => { connectOutput += chunk; });
  const connectExit = await exited(ours);
  assert.equal(connectExit, 0, `spence connect failed: ${connectOutput}`);
  const spenceSummary = JSON.parse(connectOutput.trim().split('\n').pop());
  report.spence = spenceSummary;

  const stats = await getJson(`${endpoints.control}/stats`);
  emulator.kill('SIGTERM');
  const [finalStats, emulatorExit] = await Promise.all([emulatorLine(), exited(emulator)]);
  assert.equal(emulatorExit, 0, 'the emulator stops cleanly on SIGTERM');
  assert.equal(finalStats.udp.streams[0]?.packets, stats.udp.streams[0]?.packets, 'the final stats match /stats');
  emulator = undefined;

  // DAVE: the client offers version 1 (@snazzah/davey), the emulator describes the session with
  // version 0, and the client then sends its Opus frames as they are (no DAVE session).
  assert.equal(seen.max_dave_protocol_version, 1, 'the client offers DAVE');
  assert.deepEqual(seen.dave, { protocol_version: 0, session: false }, 'DAVE off after version 0');
  assert.equal(seen.encryption_mode, 'aead_aes256_gcm_rtpsize', 'AES-GCM chosen when offered');

  const streams = finalStats.udp.streams;
  assert.equal(streams.length, 2, 'two streams: @discordjs/voice and spence');
  const stream = streams.find((s) => s.ssrc === seen.ssrc);
  const spenceStream = streams.find((s) => s.ssrc === spenceSummary.sink.ssrc);
  assert.ok(stream && spenceStream, `streams by SSRC: ${JSON.stringify(streams.map((s) => s.ssrc))}`);
  const bad = Object.values(finalStats.udp.dropped).reduce((a, b) => a + b, 0);
  Object.assign(report, {
    packets: stream.packets, silence_frames: stream.silence_frames, lost: stream.lost, late: stream.late,
    duplicates: stream.duplicates, timestamp_jumps: stream.timestamp_jumps, decode_errors: stream.decode_errors,
    bad_datagrams: bad, dropped: finalStats.udp.dropped, jitter_ms: stream.jitter_ms,
    spacing_error_ms: stream.spacing_error_ms, closed: finalStats.closed, ignored_ops: finalStats.ignored_ops,
  });
  assert.equal(stream.packets, seen.packets_played, 'every packet the client sent was accepted');
  assert.equal(stream.packets - stream.silence_frames, frames, 'every frame of the file arrived');
  // The resource ends with five silence frames, but the player turns idle (checkPlayable) before
  // it dispatches the fifth, which stays prepared: 0.19.2 sends four.
  assert.equal(stream.silence_frames, 4, 'the silence frames after the audio');
  assert.equal(stream.lost, 0, 'lost');
  assert.equal(stream.late + stream.duplicates, 0, 'late or duplicated');
  assert.equal(stream.timestamp_jumps, 0, 'timestamp jumps');
  assert.equal(stream.decode_errors, 0, 'decode errors');
  assert.equal(bad, 0, `bad datagrams: ${JSON.stringify(finalStats.udp.dropped)}`);

  // spence's stream: every frame, then the five silence frames Discord asks for.
  Object.assign(report, { spence_packets: spenceStream.packets, spence_silence_frames: spenceStream.silence_frames,
    spence_jitter_ms: spenceStream.jitter_ms });
  assert.equal(spenceStream.packets, spenceSummary.sink.sent + spenceSummary.sink.silence, 'spence: every packet accepted');
  assert.equal(spenceStream.packets - spenceStream.silence_frames, frames, 'spence: every frame of the file arrived');
  assert.equal(spenceStream.silence_frames, 5, 'spence: five silence frames after the audio');
  assert.equal(spenceStream.lost + spenceStream.late + spenceStream.duplicates + spenceStream.timestamp_jumps + spenceStream.decode_errors, 0,
    `spence: lost, late, duplicated, timestamp jumps or decode errors: ${JSON.stringify(spenceStream)}`);

  // What the emulator wrote decodes cleanly to the audio's length (plus the silence).
  const ogg = `${seen.ssrc}.ogg`;
  const decodeErrors = run('ffmpeg', ['-v', 'error', '-i', join('ogg', ogg), '-f', 'null', '-']);
  assert.equal(decodeErrors.trim(), '', 'ffmpeg decodes the Ogg file without errors');
  const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0',
    join('ogg', ogg)]).trim());
  report.ogg_seconds = duration;
  const expected = stream.packets * 0.02;
  assert.ok(Math.abs(duration - expected) < 0.05, `Ogg duration ${duration} s, expected ${expected} s`);

  console.log(`interop: ${JSON.stringify(report)}`);
  console.log('interop: @discordjs/voice and spence connect played the file into the emulator intact: 2 passed, 0 failed');
} catch (error) {
  console.log(`interop: ${JSON.stringify(report)}`);
  console.log(`interop: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  emulator?.kill('SIGKILL');
  terminator?.server.close();
  cleanUp();
}
