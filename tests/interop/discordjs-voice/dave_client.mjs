// One @discordjs/voice member of the DAVE interop test's call, run by dave.mjs in its own process.
// It joins guild GUILD (whose voice channel has the same ID) as USER, listens to LISTEN_TO's
// audio (decrypted by the library's DAVE session, @snazzah/davey) and checks each frame against
// the packets of EXPECTED_OGG, the file LISTEN_TO plays; plays PLAY_OGG itself ("-": nothing);
// leaves after STAY_MS; prints one JSON line with what it saw.
//
//   node dave_client.mjs ENDPOINT GUILD USER LISTEN_TO EXPECTED_OGG PLAY_OGG STAY_MS

import {
  EndBehaviorType,
  StreamType,
  VoiceConnectionStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
} from '@discordjs/voice';
import { createReadStream } from 'node:fs';
import { oggOpusPackets } from '../child_output.mjs';
import { adapterFor } from './voice_adapter.mjs';

const [endpoint, guild, user, listenTo, expectedOgg, playOgg, stayMs] = process.argv.slice(2);
const expected = new Set(oggOpusPackets(expectedOgg).map((packet) => packet.toString('hex')));

const seen = { user, received: 0, matched: 0, silence: 0, debug: [] };
const adapterCreator = adapterFor({ guild, channel: guild, user, session: `session-${user}`, endpoint });
const connection = joinVoiceChannel({ guildId: guild, channelId: guild, adapterCreator, selfDeaf: false, debug: true });
connection.on('debug', (line) => seen.debug.push(line));
connection.on('error', (error) => { seen.error = String(error); });

try {
  await entersState(connection, VoiceConnectionStatus.Ready, 10_000);
  const audio = connection.receiver.subscribe(listenTo, { end: { behavior: EndBehaviorType.Manual } });
  audio.on('data', (frame) => {
    ++seen.received;
    const hex = Buffer.from(frame).toString('hex');
    if (hex === 'f8fffe') ++seen.silence;  // DAVE leaves the silence frame in the clear
    else if (expected.has(hex)) ++seen.matched;
  });
  if (playOgg !== '-') {
    const player = createAudioPlayer();
    connection.subscribe(player);
    player.play(createAudioResource(createReadStream(playOgg), { inputType: StreamType.OggOpus }));
  }
  await new Promise((resolve) => setTimeout(resolve, Number(stayMs)));
  seen.ok = true;
} catch (error) {
  seen.ok = false;
  seen.error ??= String(error);
}
const networking = connection.state.networking?.state;
const dave = networking?.dave;
seen.dave = dave ? { protocol_version: dave.protocolVersion, epoch: Number(dave.session?.epoch ?? -1),
  members: dave.session?.getUserIds?.() ?? [] } : null;
seen.ssrc = networking?.connectionData?.ssrc;
seen.packets_played = networking?.connectionData?.packetsPlayed;
// A frame that fails while a transition is pending is one that raced the gateway: its sender
// executed the transition (op 22) and its UDP packet overtook this member's own op 22 on the
// WebSocket (here behind a TLS terminator). The library expects those and does not count them
// against its failure tolerance; any other failure is a fault.
const failures = seen.debug.filter((line) => line.includes('Failed to decrypt'));
seen.decrypt_failures = failures.filter((line) => !line.includes('pending transition')).length;
seen.decrypt_failures_in_transitions = failures.length - seen.decrypt_failures;
connection.destroy();
if (seen.ok && seen.decrypt_failures === 0) delete seen.debug;  // kept only to explain a failure
console.log(JSON.stringify(seen));
process.exit(seen.ok ? 0 : 1);
