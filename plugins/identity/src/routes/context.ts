import type { FastifyRequest } from 'fastify';
import { identityInternals, type IdentityServices } from '../services/index.js';

/** The plugin's services, on public and tenant routes alike. */
export const services = (req: FastifyRequest): IdentityServices => req.services.get(identityInternals);

/** What the caller holds, for "nobody hands out more than they have" checks. */
export const held = (req: FastifyRequest): readonly string[] => req.principal?.permissions ?? [];
