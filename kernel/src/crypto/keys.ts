import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KernelConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { AesGcmSecretBox } from './secret-box.js';

/**
 * Keys come from configuration. Only an embedded (development) deployment may generate
 * and keep one on disk beside its database, so a real deployment never runs with a key
 * nobody backed up.
 */
export function createSecretBox(config: KernelConfig): AesGcmSecretBox {
  const { keys, activeKeyId } = config.secrets;
  if (Object.keys(keys).length > 0) {
    const active = activeKeyId ?? Object.keys(keys).sort().at(-1)!;
    try {
      return new AesGcmSecretBox(keys, active);
    } catch (err) {
      throw new ConfigError('SECRETS_INVALID', (err as Error).message);
    }
  }
  if (config.database.url) {
    throw new ConfigError(
      'SECRETS_MISSING',
      'no encryption key configured: set MARKETTINA_SECRET_KEYS to {"keys":{"k1":"<32 bytes base64>"},"activeKeyId":"k1"} (generate one with: markettina keygen)',
    );
  }
  const file = join(config.database.embedded.dataDir, 'secret-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ keys: { k1: AesGcmSecretBox.generateKey() }, activeKeyId: 'k1' }), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, string>; activeKeyId: string };
  return new AesGcmSecretBox(stored.keys, stored.activeKeyId);
}
