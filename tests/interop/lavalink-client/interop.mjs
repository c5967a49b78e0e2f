// End-to-end test: `lavalink-client` (pinned in package.json), a Lavalink v4 client library bots
// use unchanged, drives `spence run` as a bot would. The test plays Discord's part: it answers
// the client's voice-channel join (gateway op 4) with the VOICE_STATE_UPDATE and
// VOICE_SERVER_UPDATE events a bot receives, pointing at `spence emulator`. Two tracks, each an
// HTTP URL served here and loaded through /v4/loadtracks:
// 1. a stream (its server takes no range requests) played to its end: TrackStart, TrackEnd
//    (finished), every frame at the emulator, decrypted and decoded, then five silence frames;
// 2. a seekable file the bot pauses (nothing is sent meanwhile), resumes, seeks (the player's
//    position follows), turns down (volume 50, lavaplayer's curve), filters (a volume filter of
//    0.5), and stops (TrackEnd stopped); the audio the emulator decoded must show each step's level
//    in order and no burst; then the player is destroyed and gone from the node.
//
//   node interop.mjs SPENCE_BINARY
//
// Exit codes: 0 passed, 1 failed, 77 skipped (the npm modules are not installed: `npm ci` here).
// Nothing here reaches beyond 127.0.0.1.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, jsonLines, serveFile, sineOgg } from '../child_output.mjs';

const SKIP = 77;
const here = fileURLToPath(new URL('.', import.meta.url));
const spence = process.argv[2];
const seconds = 2;  // of audio: 100 frames of 20 ms
const secondSeconds = 6;  // the second track

let LavalinkManager;
try {
  ({ LavalinkManager } = await import('lavalink-client'));
} catch (error) {
  console.log(`SKIP: lavalink-client is not installed (${error.code ?? error.message}); run \`npm ci\` in ${here}`);
  process.exit(SKIP);
}
assert.ok(spence, 'usage: node interop.mjs SPENCE_BINARY');

const work = mkdtempSync(join(tmpdir(), 'spence-lavalink-'));

const within = (promise, ms, what) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The emulator's one stream (this test has one bot in one guild).
async function emulatorStream(endpoints) {
  const streams = (await (await fetch(`${endpoints.control}/stats`)).json()).udp.streams;
  assert.equal(streams.length, 1, `one stream: ${JSON.stringify(streams)}`);
  return streams[0];
}

// The RMS of each 20 ms of the stream the emulator wrote (decoded by ffmpeg, left channel), and
// the tone's full level (the median of the first track's frames).
function levelsOf(dir, ssrc) {
  const file = readdirSync(dir).find((f) => f === `${ssrc}.ogg`);
  assert.ok(file, `the emulator wrote ${ssrc}.ogg`);
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', join(dir, file), '-ac', '1', '-ar', '48000', '-f', 'f32le', '-']);
  const samples = new Float32Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 4));
  const rms = [];
  for (let at = 0; at + 960 <= samples.length; at += 960) {
    let sum = 0;
    for (let i = at; i < at + 960; ++i) sum += samples[i] * samples[i];
    rms.push(Math.sqrt(sum / 960));
  }
  const first = rms.slice(10, 90).sort((a, b) => a - b);
  const full = first[Math.floor(first.length / 2)];
  const summary = rms.map((r) => Math.round((r / full) * 100) / 100);
  return { rms, full, summary };
}
const near = (value, target, tolerance) => Math.abs(value - target) <= target * tolerance;
// The longest run of consecutive frames within `tolerance` (a fraction) of `target`.
function plateau(rms, target, tolerance) {
  let best = 0;
  let run = 0;
  for (const r of rms) best = Math.max(best, (run = near(r, target, tolerance) ? run + 1 : 0));
  return best;
}
// Where the first run of five such frames begins.
function firstRun(rms, target, tolerance) {
  for (let i = 0; i + 5 <= rms.length; ++i) if (rms.slice(i, i + 5).every((r) => near(r, target, tolerance))) return i;
  return Infinity;
}

const report = {};
let emulator;
let node;
let media;
let seekable;
let manager;
try {
  const frames = sineOgg(join(work, 'sine.ogg'), seconds);
  report.frames_in_file = frames;
  let url;
  ({ server: media, url } = await serveFile(join(work, 'sine.ogg')));
  sineOgg(join(work, 'second.ogg'), secondSeconds);
  let secondUrl;
  ({ server: seekable, url: secondUrl } = await serveFile(join(work, 'second.ogg'), { ranges: true }));

  emulator = spawn(spence, ['emulator', '--no-dave', '--ogg-dir', join(work, 'ogg')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const emulatorLine = jsonLines(emulator);
  const endpoints = await emulatorLine();

  const password = 'interop-password';
  writeFileSync(join(work, 'node.toml'), `[server]\nport = 0\npassword = "${password}"\n[logging]\nlevel = "warn"\n`);
  node = spawn(spence, ['run', '--config', join(work, 'node.toml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = (await within(jsonLines(node)(), 10000, 'spence run to listen')).listening;

  const botId = '111111111111111111';
  const guildId = '222222222222222222';
  const channelId = '333333333333333333';
  const events = [];
  manager = new LavalinkManager({
    nodes: [{ id: 'spence', host: '127.0.0.1', port: listening.port, authorization: password, retryAmount: 1 }],
    // Discord's part: the bot asks to join (op 4); Discord answers with the two voice events.
    sendToShard: (guild, payload) => {
      if (payload.op !== 4 || !payload.d.channel_id) return;
      setImmediate(async () => {
        await manager.sendRawData({ t: 'VOICE_STATE_UPDATE', d: { guild_id: guild, user_id: botId,
          session_id: 'interop-voice-session', channel_id: payload.d.channel_id } });
        await manager.sendRawData({ t: 'VOICE_SERVER_UPDATE', d: { guild_id: guild, token: 'interop-voice-token',
          endpoint: endpoints.gateway } });
      });
    },
    client: { id: botId, username: 'spence-interop' },
    playerOptions: { onDisconnect: { autoReconnect: false, destroyPlayer: false } },
  });
  const connected = new Promise((resolve) => manager.nodeManager.once('connect', resolve));
  for (const name of ['trackStart', 'trackEnd', 'trackError', 'trackStuck', 'queueEnd'])
    manager.on(name, (player, track, payload) => events.push({ name, uri: track?.info?.uri, reason: payload?.reason }));
  await manager.init({ id: botId, username: 'spence-interop' });
  await within(connected, 10000, 'the client to connect to the node');
  const spenceNode = manager.nodeManager.nodes.get('spence');
  report.info_version = spenceNode.info.version.semver;

  const player = manager.createPlayer({ guildId, voiceChannelId: channelId, textChannelId: '444444444444444444' });
  await player.connect();
  // The voice PATCH returns once the node's voice connection is up.
  await within((async () => { while (!player.voice?.endpoint || !player.connected) await new Promise((r) => setTimeout(r, 20)); })(),
    15000, 'the voice connection');

  // A link: the client sends it to /v4/loadtracks as it is ("http" is the node's source for it).
  const result = await player.search({ query: url, source: 'http' }, { id: 'requester' });
  report.load_type = result.loadType;
  assert.equal(result.loadType, 'track', `loadtracks of ${url}`);
  const track = result.tracks[0];
  assert.equal(track.info.sourceName, 'http');
  assert.equal(track.info.uri, url);
  // This server takes no range requests, so the end of the Ogg stream (its last granule, the
  // length) cannot be read ahead: the track is a stream of unknown length, as lavaplayer says too.
  report.track = { isStream: track.info.isStream, isSeekable: track.info.isSeekable, duration: track.info.duration };
  assert.ok(track.info.isStream ? !track.info.isSeekable : Math.abs(track.info.duration - seconds * 1000) <= 20,
    `the track's length: ${JSON.stringify(report.track)}`);

  await player.queue.add(track);
  const ended = new Promise((resolve) => manager.once('queueEnd', resolve));
  await player.play();
  await within(ended, 15000, 'the track to end');
  // The five closing silence frames leave over the next 100 ms.
  await new Promise((r) => setTimeout(r, 300));

  const stream = await emulatorStream(endpoints);
  Object.assign(report, { packets: stream.packets, silence_frames: stream.silence_frames, lost: stream.lost,
    decode_errors: stream.decode_errors, jitter_ms: stream.jitter_ms });
  assert.equal(stream.packets - stream.silence_frames, frames, 'every frame of the file arrived');
  assert.equal(stream.silence_frames, 5, 'five silence frames after the audio');
  assert.equal(stream.lost + stream.late + stream.duplicates + stream.timestamp_jumps + stream.decode_errors, 0,
    `lost, late, duplicated, timestamp jumps or decode errors: ${JSON.stringify(stream)}`);

  // The second track: seekable, so its length is known.
  const second = (await player.search({ query: secondUrl, source: 'http' }, { id: 'requester' })).tracks?.[0];
  assert.ok(second, `loadtracks of ${secondUrl}`);
  report.second_track = { isStream: second.info.isStream, isSeekable: second.info.isSeekable, duration: second.info.duration };
  assert.ok(!second.info.isStream && second.info.isSeekable && Math.abs(second.info.duration - secondSeconds * 1000) <= 20,
    `the second track's length: ${JSON.stringify(report.second_track)}`);
  await player.queue.add(second);
  const started = new Promise((resolve) => manager.once('trackStart', resolve));
  await player.play();
  await within(started, 10000, 'the second track to start');
  await sleep(600);

  await player.pause();
  await sleep(300);  // its five closing silence frames leave within 100 ms
  const pausedAt = (await emulatorStream(endpoints)).packets;
  await sleep(500);
  const pausedAfter = (await emulatorStream(endpoints)).packets;
  report.paused_packets = pausedAfter - pausedAt;
  assert.equal(pausedAfter, pausedAt, 'nothing is sent while paused');
  assert.equal((await spenceNode.fetchPlayer(guildId)).paused, true, 'the node says paused');

  await player.resume();
  await sleep(400);
  await player.seek(3000);
  const afterSeek = await spenceNode.fetchPlayer(guildId);
  report.position_after_seek = afterSeek.state?.position;
  assert.ok(afterSeek.state.position >= 3000 && afterSeek.state.position < 3500,
    `the position follows the seek: ${JSON.stringify(afterSeek.state)}`);
  await sleep(600);
  await player.setVolume(50);
  assert.equal((await spenceNode.fetchPlayer(guildId)).volume, 50, 'the node has the volume');
  await sleep(600);
  await player.filterManager.setVolume(0.5);
  assert.equal((await spenceNode.fetchPlayer(guildId)).filters?.volume, 0.5, 'the node has the filter');
  await sleep(600);

  const stopped = new Promise((resolve) => manager.once('queueEnd', resolve));
  await player.stopPlaying(false, false);
  await within(stopped, 5000, 'the second track to stop');
  await sleep(300);
  const fetched = await spenceNode.fetchPlayer(guildId);
  report.player_after = { track: fetched.track, connected: fetched.state?.connected };
  assert.equal(fetched.track, null, 'no track after the stop');
  await player.destroy('test over');
  const gone = await fetch(`http://127.0.0.1:${listening.port}/v4/sessions/${spenceNode.sessionId}/players/${guildId}`,
    { headers: { Authorization: password } });
  assert.equal(gone.status, 404, 'the destroyed player is gone from the node');

  report.events = events;
  // The client reports the node's TrackEndEvent of the queue's last track as queueEnd, with the
  // event as its payload.
  assert.deepEqual(events.map((e) => [e.name, e.reason ?? null]),
    [['trackStart', null], ['queueEnd', 'finished'], ['trackStart', null], ['queueEnd', 'stopped']],
    `the events: ${JSON.stringify(events)}`);
  assert.deepEqual(events.map((e) => e.uri), [url, url, secondUrl, secondUrl], 'the events carry their tracks');

  const whole = await emulatorStream(endpoints);
  report.second_packets = whole.packets - stream.packets;
  assert.equal(whole.lost + whole.late + whole.duplicates + whole.decode_errors, 0,
    `the second track: lost, late, duplicated or decode errors: ${JSON.stringify(whole)}`);
  // Two pauses of the stream (the pause and the stop) and the first track's end: each ends with
  // five silence frames.
  assert.equal(whole.silence_frames, 15, 'five silence frames at each pause of the stream');
  const levels = levelsOf(join(work, 'ogg'), whole.ssrc);
  report.level_runs = { full: levels.full, at_volume_50: plateau(levels.rms, levels.full * 0.4169, 0.08),
    with_filter: plateau(levels.rms, levels.full * 0.4169 * 0.5, 0.08) };
  // The tone at full level, then at the volume's gain (lavaplayer's 0.4169 at 50%), then halved
  // again by the volume filter; the ramps between them last 5 ms, and nothing is ever louder.
  const full = levels.full;
  assert.ok(plateau(levels.rms, full * 0.4169, 0.08) >= 15, `a run at volume 50: ${JSON.stringify(levels.summary)}`);
  assert.ok(plateau(levels.rms, full * 0.4169 * 0.5, 0.08) >= 15, `a run at volume 50 with the 0.5 filter: ${JSON.stringify(levels.summary)}`);
  assert.ok(Math.max(...levels.rms) <= full * 1.1, `no frame louder than the tone: ${JSON.stringify(levels.summary)}`);
  assert.ok(firstRun(levels.rms, full * 0.4169, 0.08) < firstRun(levels.rms, full * 0.4169 * 0.5, 0.08),
    'the volume came before the filter');

  node.kill('SIGTERM');
  assert.equal(await within(exited(node), 10000, 'spence run to stop'), 0, 'spence run stops cleanly on SIGTERM');
  node = undefined;

  console.log(`interop: ${JSON.stringify(report)}`);
  console.log('interop: lavalink-client played, paused, resumed, sought, turned down, filtered, stopped and destroyed through spence run into the emulator: 1 passed, 0 failed');
} catch (error) {
  console.log(`interop: ${JSON.stringify(report)}`);
  console.log(`interop: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  manager?.nodeManager?.nodes?.forEach((n) => n.destroy?.('test over', false));
  node?.kill('SIGKILL');
  emulator?.kill('SIGKILL');
  media?.close();
  seekable?.close();
  rmSync(work, { recursive: true, force: true });
  // lavalink-client keeps timers (reconnects, heartbeats): the test is over.
  setTimeout(() => process.exit(), 100).unref();
}
