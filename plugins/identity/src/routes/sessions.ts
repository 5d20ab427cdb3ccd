import type { FastifyPluginAsync } from 'fastify';
import { uuid } from '@markettina/sdk';
import { noContentReply, services } from './context.js';
import { email, errors, noContent, password, tokenPairOut, userOut } from './schemas.js';

const token = { type: 'string', minLength: 10, maxLength: 200 } as const;
const loginOut = {
  ...tokenPairOut,
  properties: {
    ...(tokenPairOut.properties as object),
    user: userOut,
    deviceToken: { type: 'string', description: 'Present when the device was just trusted: send it with later logins' },
  },
  required: [...(tokenPairOut.required as string[]), 'user'],
};

/**
 * Public routes: logging in, rotating refresh tokens, logging out, verifying an email. They
 * carry no bearer credential; each names its account (in the body or inside the token).
 */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/sessions',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Log in with email and password: a short-lived access token and a rotating refresh token. Throttled per account and per email.',
        body: {
          type: 'object',
          properties: {
            accountId: uuid,
            email,
            password,
            deviceToken: token,
            trustDevice: { type: 'boolean', description: 'Remember this device: later logins from it get a throttling budget of their own' },
            deviceName: { type: 'string', maxLength: 200 },
          },
          required: ['accountId', 'email', 'password'],
          additionalProperties: false,
        },
        response: { 200: loginOut, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const body = req.body as { accountId: string; email: string; password: string; deviceToken?: string; trustDevice?: boolean; deviceName?: string };
      const userAgent = req.headers['user-agent'];
      reply.header('cache-control', 'no-store');
      return services(req).sessions.login({ ...body, ...(userAgent ? { userAgent } : {}) });
    },
  );

  app.post(
    '/sessions/refresh',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Exchange a refresh token for a new pair. A token used twice revokes its whole session (reuse detection).',
        body: { type: 'object', properties: { refreshToken: token }, required: ['refreshToken'], additionalProperties: false },
        response: { 200: tokenPairOut, ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return services(req).sessions.refresh((req.body as { refreshToken: string }).refreshToken);
    },
  );

  app.post(
    '/sessions/revoke',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Log out: end the session of a refresh token (an unknown token is not an error)',
        body: { type: 'object', properties: { refreshToken: token }, required: ['refreshToken'], additionalProperties: false },
        response: { ...noContent, ...errors(400) },
      },
    },
    async (req, reply) => {
      await services(req).sessions.revoke((req.body as { refreshToken: string }).refreshToken);
      return noContentReply(reply);
    },
  );

  app.post(
    '/email-verifications',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Verify an email with the token sent to it',
        body: { type: 'object', properties: { token }, required: ['token'], additionalProperties: false },
        response: { 200: { type: 'object', properties: { userId: uuid, emailVerified: { const: true } }, required: ['userId', 'emailVerified'] }, ...errors(400, 422) },
      },
    },
    async (req) => ({ ...(await services(req).verification.confirm((req.body as { token: string }).token)), emailVerified: true }),
  );
};
