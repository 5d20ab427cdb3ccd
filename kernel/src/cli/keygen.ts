import { AesGcmSecretBox } from '../crypto/secret-box.js';
import { UsageError, type Command } from './command.js';

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Date-based ids (`k20261122`) keep a rotated key from colliding with the one it replaces. */
export const defaultKeyId = (now: Date) => `k${now.toISOString().slice(0, 10).replaceAll('-', '')}`;

export function keySet(keyId: string, key: string): { keys: Record<string, string>; activeKeyId: string } {
  if (!KEY_ID.test(keyId)) throw new UsageError('--id must be 1 to 64 letters, digits, "_" or "-"');
  return { keys: { [keyId]: key }, activeKeyId: keyId };
}

export const keygenCommand: Command = {
  name: 'keygen',
  synopsis: '[--id <key id>]',
  summary: 'print a new AES-256 key set for MARKETTINA_SECRET_KEYS',
  options: { id: { type: 'string' } },
  args: { min: 0, max: 0 },
  async run({ values, io }) {
    const set = keySet((values.id as string | undefined) ?? defaultKeyId(new Date()), AesGcmSecretBox.generateKey());
    io.out(JSON.stringify(set));
    io.err('To rotate, add the new key to the existing "keys" and make it "activeKeyId"; keep old keys so stored secrets still open.');
  },
};
