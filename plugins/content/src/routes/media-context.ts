import type { FastifyRequest } from 'fastify';
import { coreServices, type ServiceContext } from '@markettina/sdk';
import { MediaStore } from '../services/media.js';

const stores = new WeakMap<ServiceContext, MediaStore>();

/** The media store, built once per plugin context from the kernel's blob store and job queue. */
export function mediaStore(req: FastifyRequest): MediaStore {
  let store = stores.get(req.services);
  if (!store) {
    store = new MediaStore(req.services.get(coreServices.blobs), req.services.get(coreServices.jobs));
    stores.set(req.services, store);
  }
  return store;
}
