import { createHash } from 'node:crypto';

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The login-throttling bucket of one email within an account; hashed so budgets never hold addresses. */
export const emailBucket = (email: string): string => `identity:login:email:${createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 32)}`;

export const ACCOUNT_LOGIN_BUCKET = 'identity:login:account';

/** A trusted device of the user gets a budget of its own, so an attack on an email cannot lock its owner out. */
export const deviceBucket = (deviceId: string): string => `identity:login:device:${deviceId}`;
