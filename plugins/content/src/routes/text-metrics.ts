import type { FastifyPluginAsync } from 'fastify';
import { normalizeKeywords } from '../domain/pieces.js';
import { analyzeContent, type ContentText } from '../domain/text-metrics-analysis.js';
import { policy } from './context.js';
import { errors } from './schemas.js';
import { analyzeBody, analyzeOut } from './text-metrics-schemas.js';

/** Scores for any text, without saving it: what an editor shows while someone writes. */
export const textMetricsRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/analyze',
    {
      config: policy.piecesRead,
      schema: {
        summary: 'Score a text (quality, readability, SEO) with the checks behind each score; nothing is saved',
        body: analyzeBody,
        response: { 200: analyzeOut, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const body = req.body as ContentText;
      return analyzeContent({ ...body, keywords: normalizeKeywords(body.keywords) });
    },
  );
};
