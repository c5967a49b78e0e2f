// End-to-end test: `lavalink-client` (pinned in package.json), a Lavalink v4 client library bots
// use unchanged, drives `spence run` as a bot would. The test plays Discord's part: it answers
// the client's voice-channel join (gateway op 4) with the VOICE_STATE_UPDATE and
// VOICE_SERVER_UPDATE events a bot receives, pointing at `spence emulator`. The client then loads
// an HTTP URL (served here) through /v4/loadtracks, plays it with PATCH, and must see TrackStart
// and TrackEnd (finished) from the node's WebSocket; the emulator must have received every frame,
// decrypted and decoded, followed by the five silence frames.
//
//   node interop.mjs SPENCE_BINARY
//
// Exit codes: 0 passed, 1 failed, 77 skipped (the npm modules are not installed: `npm ci` here).
// Nothing here reaches beyond 127.0.0.1.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, jsonLines, serveFile, sineOgg } from '../child_output.mjs';

const SKIP = 77;
const here = fileURLToPath(new URL('.', import.meta.url));
const spence = process.argv[2];
const seconds = 2;  // of audio: 100 frames of 20 ms

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

const report = {};
let emulator;
let node;
let media;
let manager;
try {
  const frames = sineOgg(join(work, 'sine.ogg'), seconds);
  report.frames_in_file = frames;
  let url;
  ({ server: media, url } = await serveFile(join(work, 'sine.ogg')));

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

  const fetched = await spenceNode.fetchPlayer?.(guildId).catch(() => undefined);
  report.player_after = fetched ? { track: fetched.track, connected: fetched.state?.connected } : undefined;
  await player.destroy('test over');
  report.events = events;
  // The client reports the node's TrackEndEvent of the queue's last track as queueEnd, with the
  // event as its payload.
  assert.deepEqual(events.map((e) => [e.name, e.reason ?? null]), [['trackStart', null], ['queueEnd', 'finished']],
    `the events: ${JSON.stringify(events)}`);
  assert.ok(events.every((e) => e.uri === url), 'the events carry the track');

  const stats = await (await fetch(`${endpoints.control}/stats`)).json();
  const streams = stats.udp.streams;
  assert.equal(streams.length, 1, `one stream: ${JSON.stringify(streams)}`);
  const stream = streams[0];
  Object.assign(report, { packets: stream.packets, silence_frames: stream.silence_frames, lost: stream.lost,
    decode_errors: stream.decode_errors, jitter_ms: stream.jitter_ms });
  assert.equal(stream.packets - stream.silence_frames, frames, 'every frame of the file arrived');
  assert.equal(stream.silence_frames, 5, 'five silence frames after the audio');
  assert.equal(stream.lost + stream.late + stream.duplicates + stream.timestamp_jumps + stream.decode_errors, 0,
    `lost, late, duplicated, timestamp jumps or decode errors: ${JSON.stringify(stream)}`);

  node.kill('SIGTERM');
  assert.equal(await within(exited(node), 10000, 'spence run to stop'), 0, 'spence run stops cleanly on SIGTERM');
  node = undefined;

  console.log(`interop: ${JSON.stringify(report)}`);
  console.log('interop: lavalink-client loaded and played a track through spence run into the emulator intact: 1 passed, 0 failed');
} catch (error) {
  console.log(`interop: ${JSON.stringify(report)}`);
  console.log(`interop: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  manager?.nodeManager?.nodes?.forEach((n) => n.destroy?.('test over', false));
  node?.kill('SIGKILL');
  emulator?.kill('SIGKILL');
  media?.close();
  rmSync(work, { recursive: true, force: true });
  // lavalink-client keeps timers (reconnects, heartbeats): the test is over.
  setTimeout(() => process.exit(), 100).unref();
}
