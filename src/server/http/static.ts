import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The demo pages and the built bundles: `<root>/demo/*` at `/` (index.html at `/`, embed.html at
 * `/embed.html`) and `<root>/dist/*` at `/dist/`. Missing files fall through to the JSON 404. A directory missing at start
 * (dist/ before the first build) is not served until the next start.
 */
export async function registerStatic(app: FastifyInstance, staticRoot: string): Promise<void> {
  const mounts = [
    { root: resolve(staticRoot, 'demo'), prefix: '/' },
    { root: resolve(staticRoot, 'dist'), prefix: '/dist/' },
  ].filter(({ root, prefix }) => {
    // A missing dist/ just means "not built yet": say so quietly instead of @fastify/static's warning.
    if (existsSync(root)) return true;
    app.log.info(`not serving ${prefix}: ${root} does not exist`);
    return false;
  });
  let decorateReply = true;
  for (const mount of mounts) {
    // reply.sendFile may only be decorated once.
    await app.register(fastifyStatic, { ...mount, decorateReply });
    decorateReply = false;
  }
}
