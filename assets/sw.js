/* 共商 service worker.
 *
 * Caches only what is the same for everybody:
 *   - NiceGUI's versioned assets, /_nicegui/<version>/{static,libraries,components,resources,esm}/…
 *     (the URL changes when NiceGUI is upgraded, so cache-first is safe);
 *   - our own static files under /assets/, the manifest and the offline page (stale-while-revalidate).
 * Never page HTML (every NiceGUI page carries a per-client id and personal data), never /api/,
 * never /_nicegui/client/…, dynamic resources or the socket.io connection.
 * A page navigation that fails because the network is down gets the offline page instead.
 *
 * /sw.js is served by pages/pwa.py, which fills in the cache version from the content of every file under
 * assets/ (this one included), the manifest and the NiceGUI version: any change installs a new worker, and
 * the new worker deletes the old caches when it activates.
 */
'use strict';

const VERSION = '__CACHE_VERSION__';
const CACHE_PREFIX = 'gongshang-';
const CACHE = CACHE_PREFIX + VERSION;
const OFFLINE_URL = '/offline.html';
const PRECACHE = [
  OFFLINE_URL,
  '/manifest.webmanifest',
  '/assets/icons/icon-192.png',
  '/assets/icons/icon-512.png',
  '/assets/icons/maskable-192.png',
  '/assets/icons/maskable-512.png',
];
const VERSIONED = /^\/_nicegui\/[0-9][^/]*\/(static|libraries|components|resources|esm)\//;
const OWN_STATIC = /^\/assets\//;
const OWN_FILES = new Set([OFFLINE_URL, '/manifest.webmanifest']);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, {cache: 'reload'}))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    // the page itself always comes from the network; only when that fails, the offline page
    event.respondWith(fetch(request).catch(() => offlinePage()));
    return;
  }
  if (VERSIONED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (OWN_STATIC.test(url.pathname) || OWN_FILES.has(url.pathname)) {
    event.respondWith(staleWhileRevalidate(request, event));
  }
  // everything else (/api/, /_nicegui/client/, socket.io, uploads, …) goes to the network untouched
});

function cacheable(response) {
  return response && response.ok && response.type === 'basic';
}

async function offlinePage() {
  const cached = await caches.match(OFFLINE_URL, {cacheName: CACHE});
  return cached || new Response('网络已断开', {status: 503, headers: {'Content-Type': 'text/plain; charset=utf-8'}});
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, {ignoreVary: true});
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, {ignoreVary: true});
  const refresh = fetch(request).then(async (response) => {
    if (cacheable(response)) await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));  // offline: keep serving the cached copy quietly
    return cached;
  }
  return refresh;
}
