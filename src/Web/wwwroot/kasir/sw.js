// Keeps the sale screen opening without a signal. Pages under /kasir/ come from the network when it answers (and a
// copy is kept), else from the copy; the scripts, styles and small product photos they use come from the copy first
// and are refreshed behind it. Sales never pass through here: the page keeps them itself until the server has them.
const PAGES = 'kasir-pages-v1';
const FILES = 'kasir-files-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('kasir-') && n !== PAGES && n !== FILES).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

const isFile = (url) =>
  /\.(css|js|svg|png|webp|jpe?g|ico|webmanifest|woff2?)$/i.test(url.pathname) || url.pathname.startsWith('/api/catalog/images/');

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/kasir/')) {
    event.respondWith(fetch(request)
      .then((answer) => {
        if (answer.ok) {
          const copy = answer.clone();
          caches.open(PAGES).then((cache) => cache.put(url.pathname, copy));
        }
        return answer;
      })
      .catch(() => caches.open(PAGES).then((cache) => cache.match(url.pathname)).then((kept) => kept || Response.error())));
    return;
  }
  if (isFile(url)) {
    event.respondWith(caches.open(FILES).then(async (cache) => {
      const kept = await cache.match(request);
      const fresh = fetch(request).then((answer) => {
        if (answer.ok) cache.put(request, answer.clone());
        return answer;
      });
      if (kept) {
        event.waitUntil(fresh.catch(() => undefined));
        return kept;
      }
      return fresh;
    }));
  }
});
