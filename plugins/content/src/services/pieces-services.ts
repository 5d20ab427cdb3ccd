import { coreServices, createServiceRef, type ServiceContext } from '@markettina/sdk';
import { PieceStore } from './pieces.js';
import { TemplateStore } from './templates.js';

export type PiecesServices = ReturnType<typeof createPiecesServices>;

/** The templates and content pieces services, one set per kernel; routes reach them through this ref. */
export const piecesInternals = createServiceRef<PiecesServices>({ id: 'content.pieces' });

/** Wires the services from the kernel's. Nothing here does I/O until called. */
export function createPiecesServices(ctx: ServiceContext) {
  return { templates: new TemplateStore(), pieces: new PieceStore(ctx.get(coreServices.events)) };
}
