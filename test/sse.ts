/** A minimal Server-Sent Events reader over fetch, for tests: collects `journal` events. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export function subscribe(url: string, headers: Record<string, string> = {}): { events: SseEvent[]; waitFor: (pred: (e: SseEvent) => boolean, ms: number) => Promise<SseEvent>; close: () => void } {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  void (async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { id: null, event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.data += line.slice(6);
          }
          if (!e.data) continue;
          events.push(e);
          for (const w of waiters.splice(0)) {
            if (w.pred(e)) w.resolve(e);
            else waiters.push(w);
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    waitFor(pred, ms) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms (got ${events.length})`)), ms);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    close: () => controller.abort(),
  };
}
