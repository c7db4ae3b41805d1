// A peer server's first JSON line on stdout: the driver waits for it before loading the target.
export interface Ready {
  ready: true;
  url: string;
}

export function announceReady(port: number, scheme: 'ws' | 'http'): void {
  const ready: Ready = { ready: true, url: `${scheme}://127.0.0.1:${port}` };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}
