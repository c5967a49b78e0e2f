// @discordjs/voice always connects to `wss://${endpoint}?v=8`, with no option for plain ws or for
// a CA of our own. So that the package runs unmodified, the interop tests put a TLS terminator
// (Node's tls, a certificate made with openssl for IP 127.0.0.1) in front of the emulator's plain
// WebSocket port, and run the client in a process that trusts that certificate through
// NODE_EXTRA_CA_CERTS. Bytes pass through untouched; UDP goes straight to the emulator.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

// Makes key.pem and cert.pem in `dir`, then listens on 127.0.0.1 and forwards to `gateway` (a URL).
// Resolves to {server, endpoint ("127.0.0.1:port"), certificate (the cert's path)}.
export async function startTlsTerminator(dir, gateway) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'],
  { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (tls) => {
      const plain = connect(Number(gateway.port), gateway.hostname);
      tls.pipe(plain).pipe(tls);
      tls.on('error', () => plain.destroy());
      plain.on('error', () => tls.destroy());
    });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `127.0.0.1:${server.address().port}`, certificate: join(dir, 'cert.pem') };
}
