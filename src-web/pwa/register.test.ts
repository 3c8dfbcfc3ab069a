/**
 * The page's side of the service worker with a fake container and registration (the browser's
 * own is exercised by e2e/web-offline.spec.ts): when an update is announced, how often the
 * server is asked, and the switch that waits for the new worker before reloading.
 */
import { describe, expect, it } from 'vitest';
import { activateWaiting, register, UPDATE_CHECK_INTERVAL_MS } from './register';

/** A fake ServiceWorker: a state, messages it was sent. */
class FakeWorker extends EventTarget {
  state = 'installing';
  messages: unknown[] = [];
  postMessage(message: unknown) {
    this.messages.push(message);
  }
  become(state: string) {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  waiting: FakeWorker | null = null;
  installing: FakeWorker | null = null;
  updates = 0;
  async update() {
    this.updates++;
  }
  /** A new version found on the server: it installs, then waits. */
  deploy() {
    const worker = new FakeWorker();
    this.installing = worker;
    this.dispatchEvent(new Event('updatefound'));
    this.installing = null;
    this.waiting = worker;
    worker.become('installed');
    return worker;
  }
}

function setup({ controlled = true, waiting = false } = {}) {
  const registration = new FakeRegistration();
  if (waiting) registration.waiting = new FakeWorker();
  const registered: { url: string; options: unknown }[] = [];
  const container = Object.assign(new EventTarget(), {
    controller: controlled ? new FakeWorker() : null,
    register: async (url: string, options: unknown) => {
      registered.push({ url, options });
      return registration;
    },
    getRegistration: async () => registration,
  });
  const timers: { ms: number; run: () => void }[] = [];
  const shown: (() => void)[] = [];
  const environment = { every: (ms: number, run: () => void) => timers.push({ ms, run }), onShown: (run: () => void) => shown.push(run) };
  let announced = 0;
  const start = () => register(container as unknown as ServiceWorkerContainer, () => announced++, environment);
  return { registration, container, registered, timers, shown, start, announced: () => announced };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('registering the service worker', () => {
  it('registers sw.js for the folder the app is served from, past the HTTP cache', async () => {
    const s = setup();
    await s.start();
    expect(s.registered).toEqual([{ url: './sw.js', options: { scope: './', updateViaCache: 'none' } }]);
  });

  it('asks for a new version as the page loads, every hour, and when the tab is shown again', async () => {
    const s = setup();
    await s.start();
    expect(s.registration.updates).toBe(1);
    expect(s.timers.map((t) => t.ms)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(3_600_000);
    s.timers[0].run();
    s.shown[0]();
    expect(s.registration.updates).toBe(3);
  });

  it('announces a version that was deployed while the page is open, once', async () => {
    const s = setup();
    await s.start();
    expect(s.announced()).toBe(0);
    s.registration.deploy();
    expect(s.announced()).toBe(1);
    // Later checks find the same worker still waiting: it is not announced again.
    s.timers[0].run();
    await settle();
    expect(s.announced()).toBe(1);
    // A later deploy is a new version.
    s.registration.deploy();
    expect(s.announced()).toBe(2);
  });

  it('announces a version downloaded on an earlier visit that is still waiting', async () => {
    const s = setup({ waiting: true });
    await s.start();
    expect(s.announced()).toBe(1);
  });

  it('does not call the first install an update: the page had no worker, nothing newer replaces it', async () => {
    const s = setup({ controlled: false });
    await s.start();
    s.registration.deploy();
    expect(s.announced()).toBe(0);
  });

  it('lets a failed check (offline) pass without a word', async () => {
    const s = setup();
    s.registration.update = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(s.start()).resolves.toBe(s.registration);
    s.shown[0]();
    await settle();
    expect(s.announced()).toBe(0);
  });
});

describe('switching to the waiting version', () => {
  it('tells the waiting worker to take over, and reloads only once it controls the page', async () => {
    const s = setup();
    const worker = s.registration.deploy();
    let reloads = 0;
    const switched = activateWaiting(s.container as unknown as ServiceWorkerContainer, () => reloads++);
    await settle();
    expect(worker.messages).toEqual(['skip-waiting']);
    expect(reloads).toBe(0); // not before the new worker is in charge
    s.container.dispatchEvent(new Event('controllerchange'));
    await switched;
    expect(reloads).toBe(1);
  });

  it('reloads at once when nothing is waiting (another tab switched already)', async () => {
    const s = setup();
    let reloads = 0;
    await activateWaiting(s.container as unknown as ServiceWorkerContainer, () => reloads++);
    expect(reloads).toBe(1);
  });

  it('says so in a sentence when the new version fails to start, and does not reload', async () => {
    const s = setup();
    const worker = s.registration.deploy();
    let reloads = 0;
    const switched = activateWaiting(s.container as unknown as ServiceWorkerContainer, () => reloads++);
    await settle();
    worker.become('redundant');
    await expect(switched).rejects.toThrow('the new version did not start; reload the page to try again');
    expect(reloads).toBe(0);
  });
});
