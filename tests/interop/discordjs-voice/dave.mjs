// Interop test, DAVE: spence's voice client and @discordjs/voice (pinned; its DAVE is
// @snazzah/davey, pinned through it) share a call in `spence emulator` (DAVE required, as Discord), which plays
// Discord's voice gateway: the MLS external sender, commits, welcomes and transitions.
//
//   member A (user 3, @discordjs/voice) joins, alone: no group yet;
//   member B (user 4, @discordjs/voice) joins: the group forms, committed by A or B (epoch 1);
//   spence connect (user 2) joins and plays an 8 s sine: A or B commits its Add (epoch 2), as
//     the joiner cannot; A plays a 6 s sine meanwhile;
//   A leaves: a Remove, which needs an UpdatePath: spence commits it (the emulator holds B's
//     commits back a little, so spence's wins), and B applies spence's path (epoch 3).
// Then: every frame A and B heard from spence is, after davey's decryption, exactly one of the
// packets of spence's file; spence heard (decrypted with its own MLS group's keys) A's frames;
// both sides' commits won epochs; the emulator forwarded only frames it could not read and
// refused nothing.
//
//   node dave.mjs SPENCE_BINARY
//
// Exit codes: 0 passed, 1 failed, 77 skipped (the npm modules are not installed: `npm ci` here).
// @discordjs/voice only speaks TLS: see tls_terminator.mjs. Nothing reaches beyond 127.0.0.1.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, jsonLines, sineOgg } from '../child_output.mjs';
import { startTlsTerminator } from './tls_terminator.mjs';

const SKIP = 77;
const here = fileURLToPath(new URL('.', import.meta.url));
const spence = process.argv[2];
const guild = '100000000000000555';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  await import('@discordjs/voice');
} catch (error) {
  console.log(`SKIP: @discordjs/voice is not installed (${error.code ?? error.message}); run \`npm ci\` in ${here}`);
  process.exit(SKIP);
}
assert.ok(spence, 'usage: node dave.mjs SPENCE_BINARY');

const work = mkdtempSync(join(tmpdir(), 'spence-dave-'));
const report = {};
let emulator;
let terminator;
const children = [];
try {
  const spenceOgg = join(work, 'spence.ogg');
  const memberOgg = join(work, 'member.ogg');
  sineOgg(spenceOgg, 8);
  sineOgg(memberOgg, 6);

  emulator = spawn(spence, ['emulator', '--dave-commit-delay', '4=300', '--heartbeat-ms', '5000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const emulatorLine = jsonLines(emulator);
  const endpoints = await emulatorLine();
  terminator = await startTlsTerminator(work, new URL(endpoints.gateway));

  const member = (user, playOgg, stayMs) => {
    const child = spawn(process.execPath, [join(here, 'dave_client.mjs'), terminator.endpoint, guild, user, '2', spenceOgg,
      playOgg, String(stayMs)], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: terminator.certificate } });
    children.push(child);
    return Promise.all([jsonLines(child)(), exited(child)]);
  };
  const a = member('3', memberOgg, 7000);
  await sleep(1000);
  const b = member('4', '-', 10000);
  await sleep(1500);
  const ours = spawn(spence, ['connect', '--endpoint', endpoints.gateway, '--server-id', guild, '--user-id', '2',
    '--session-id', 'dave-spence', '--token', 'token-2', '--channel-id', guild, spenceOgg], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(ours);
  const oursExit = exited(ours);
  let connectOutput = '';
  ours.stdout.on('data', (chunk) => { connectOutput += chunk; });
  const [[seenA, exitA], [seenB, exitB]] = await Promise.all([a, b]);
  Object.assign(report, { a: seenA, b: seenB });
  assert.equal(exitA, 0, `member A failed: ${JSON.stringify(seenA)}`);
  assert.equal(exitB, 0, `member B failed: ${JSON.stringify(seenB)}`);
  assert.equal(await oursExit, 0, `spence connect failed: ${connectOutput}`);
  const summary = JSON.parse(connectOutput.trim().split('\n').pop());
  report.spence = { received: summary.received, sink: summary.sink };

  const stats = await (await fetch(`${endpoints.control}/stats`)).json();
  report.emulator = { dave: stats.dave, streams: stats.udp.streams, dropped: stats.udp.dropped };
  const group = stats.dave[guild];

  for (const [name, seen] of [['A', seenA], ['B', seenB]]) {
    assert.equal(seen.dave?.protocol_version, 1, `${name} runs DAVE`);
    assert.ok(seen.received >= 50, `${name} heard spence: ${seen.received} frames`);
    assert.equal(seen.matched, seen.received - seen.silence, `${name}: every frame from spence decrypts to a packet of its file`);
    assert.equal(seen.decrypt_failures, 0, `${name}: davey failed to decrypt nothing outside transitions: ${JSON.stringify(seen.debug)}`);
    // Frames that overtake a member's op 22 (see dave_client.mjs) are a few at each transition at
    // most; a sender that switched keys early would lose many more.
    assert.ok(seen.decrypt_failures_in_transitions <= 5, `${name}: ${seen.decrypt_failures_in_transitions} frames lost in transitions`);
  }
  assert.ok((summary.received['3']?.frames ?? 0) >= 50, `spence heard A: ${JSON.stringify(summary.received)}`);
  assert.ok(group.commits_accepted >= 3, `epochs: ${group.commits_accepted}`);
  const commitsBy = group.commits_by_user;
  assert.ok((commitsBy['2'] ?? 0) >= 1, `spence's commit won an epoch: ${JSON.stringify(commitsBy)}`);
  assert.ok((commitsBy['3'] ?? 0) + (commitsBy['4'] ?? 0) >= 2, `davey's commits won epochs: ${JSON.stringify(commitsBy)}`);
  assert.equal(Object.keys(group.refused).length, 0, `the gateway refused: ${JSON.stringify(group.refused)}`);
  assert.equal(group.invalid_commit_reports, 0, 'no member reported a commit or welcome it could not process');
  for (const stream of stats.udp.streams) assert.equal(stream.decode_errors, 0, 'the relay decodes nothing it cannot');
  assert.ok(stats.udp.streams.some((s) => s.end_to_end_encrypted > 0), 'end-to-end encrypted frames crossed the relay');

  console.log(`interop: ${JSON.stringify(report)}`);
  console.log(`interop: spence and @discordjs/voice (davey) shared a DAVE call over ${group.commits_accepted} epochs `
    + `(commits by user: ${JSON.stringify(group.commits_by_user)}) and decrypted each other's audio: passed`);
} catch (error) {
  console.log(`interop: ${JSON.stringify(report)}`);
  console.log(`interop: FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGKILL');
  emulator?.kill('SIGKILL');
  terminator?.server.close();
  rmSync(work, { recursive: true, force: true });
}
