/**
 * Serves the built framework examples (build/examples/, see vite.config.ts) on an origin of their
 * own, as a site would: /react/, /vue/ and /ssr/, which renders the React page in Node for every
 * request and lets the browser hydrate it. `npm run examples` builds and starts it; the chat
 * server is the page's `?server=` (default: `npm start`'s http://localhost:8080).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../build/examples/', import.meta.url));
const pages = join(root, 'pages');
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface ExamplesServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveExamples(port = 0, host = '127.0.0.1'): Promise<ExamplesServer> {
  const { render } = (await import(join(root, 'ssr-server/render.js'))) as { render(search: string): string };
  const template = await readFile(join(pages, 'ssr/index.html'), 'utf8');
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://examples');
    void (async () => {
      if (url.pathname === '/ssr/' || url.pathname === '/ssr/index.html') {
        const html = template.replace('<!--ssr-outlet-->', render(url.search));
        response.writeHead(200, { 'content-type': types['.html'] }).end(html);
        return;
      }
      const relative = normalize(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);
      if (relative.includes('..')) throw new Error('outside the examples');
      const body = await readFile(join(pages, relative));
      response.writeHead(200, { 'content-type': types[extname(relative)] ?? 'application/octet-stream' }).end(body);
    })().catch(() => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const examples = await serveExamples(Number(process.env.PORT ?? 8090), process.env.HOST ?? '127.0.0.1');
  console.log(`Framework examples on ${examples.url}: /react/, /vue/, /ssr/ (add ?user=alice&peer=bob&server=http://localhost:8080)`);
}
