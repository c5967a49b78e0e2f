// A hand-written @discordjs/voice adapter: what a bot's main gateway connection would deliver
// after the library sends op 4 (Voice State Update), answered at once with the given IDs and the
// voice server `endpoint` ("host:port", as Discord gives it).

export function adapterFor({ guild, channel, user, session, endpoint }) {
  return (methods) => ({
    sendPayload(payload) {
      if (payload.op !== 4 || payload.d.channel_id === null) return true;
      queueMicrotask(() => {
        methods.onVoiceStateUpdate({
          guild_id: guild, channel_id: channel, user_id: user, session_id: session,
          deaf: false, mute: false, self_deaf: payload.d.self_deaf, self_mute: payload.d.self_mute,
          self_video: false, suppress: false, request_to_speak_timestamp: null,
        });
        methods.onVoiceServerUpdate({ token: `token-${user}`, guild_id: guild, endpoint });
      });
      return true;
    },
    destroy() {},
  });
}
