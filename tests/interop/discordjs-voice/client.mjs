// The @discordjs/voice side of the interop test, run by interop.mjs in its own process (Node reads
// NODE_EXTRA_CA_CERTS, the test's certificate, only at start). It joins through a hand-written
// adapter that answers the main gateway's part (VOICE_STATE_UPDATE, VOICE_SERVER_UPDATE) itself,
// plays one Ogg Opus file without transcoding, waits until the player is idle again, and prints
// one JSON line with what it saw.
//
//   node client.mjs ENDPOINT FILE     ENDPOINT as Discord gives it, "host:port" (no scheme)

import {
  AudioPlayerStatus,
  StreamType,
  VoiceConnectionStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
} from '@discordjs/voice';
import { createReadStream } from 'node:fs';
import { adapterFor } from './voice_adapter.mjs';

const [endpoint, file] = process.argv.slice(2);
const ids = { guild: '100000000000000001', channel: '100000000000000002', user: '100000000000000003' };

const seen = { states: [], debug: [] };
const adapterCreator = adapterFor({ ...ids, session: 'interop-session', endpoint });
const connection = joinVoiceChannel({
  guildId: ids.guild, channelId: ids.channel, adapterCreator, selfDeaf: false, debug: true,
});
connection.on('stateChange', (from, to) => seen.states.push(to.status));
connection.on('debug', (line) => seen.debug.push(line));
connection.on('error', (error) => { seen.error = String(error); });

try {
  await entersState(connection, VoiceConnectionStatus.Ready, 10_000);
  const player = createAudioPlayer();
  connection.subscribe(player);
  player.play(createAudioResource(createReadStream(file), { inputType: StreamType.OggOpus }));
  await entersState(player, AudioPlayerStatus.Playing, 5_000);
  await entersState(player, AudioPlayerStatus.Idle, 30_000);
  // The player sends its five silence frames while going idle; give the last one time to leave.
  await new Promise((resolve) => setTimeout(resolve, 200));
  seen.ok = true;
} catch (error) {
  seen.ok = false;
  seen.error ??= String(error);
}
const networking = connection.state.networking?.state;
seen.encryption_mode = networking?.connectionData?.encryptionMode;
seen.packets_played = networking?.connectionData?.packetsPlayed;
seen.ssrc = networking?.connectionData?.ssrc;
seen.dave = networking?.dave ? { protocol_version: networking.dave.protocolVersion, session: Boolean(networking.dave.session) } : null;
// What it offered in Identify, from its own log of what it sent ("... >> {json}").
const identify = seen.debug.find((line) => line.includes('>> {"op":0,'));
seen.max_dave_protocol_version = identify ? JSON.parse(identify.slice(identify.indexOf('>> ') + 3)).d.max_dave_protocol_version : null;
connection.destroy();
if (seen.ok) delete seen.debug;  // kept only to explain a failure
console.log(JSON.stringify(seen));
process.exit(seen.ok ? 0 : 1);
