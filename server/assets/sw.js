// Doithoai service worker, generated per deployment by the server
// (server/src/assets.rs fills the version and file lists).
// Pages: network first with a short timeout, then the cached shell.
// Hashed bundle files: cache first. API calls: never cached. LATER files
// (the full bundle, which the print view runs on, and the print view's
// fonts) are not precached, to keep the first visit small: a page load
// while online fetches what is missing of them.
// It only manages Cache Storage: the device's unsynced data lives in
// localStorage and is never touched here.
const VERSION = "__VERSION__";
const CACHE = `doithoai-${VERSION}`;
const PAGES = __PAGES__;
const FILES = __FILES__;
const LATER = __LATER__;
const NETWORK_TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...PAGES, ...FILES]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("doithoai-") && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
    event.waitUntil(keepLater());
  } else if (url.pathname.startsWith("/pkg/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetchAndKeep(request)));
  }
});

async function page(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS)),
    ]);
    if (response.ok && PAGES.includes(url.pathname)) {
      cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (_) {
    // One cached shell serves every record: the record id is in the query.
    return (await cache.match(url.pathname)) || (await cache.match("/capture")) || Response.error();
  }
}

async function fetchAndKeep(request) {
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    cache.put(request, response.clone());
  }
  return response;
}

async function keepLater() {
  const cache = await caches.open(CACHE);
  for (const file of LATER) {
    if (await cache.match(file)) continue;
    // Offline or failing: the next page load tries again.
    try { await cache.add(file); } catch (_) { return; }
  }
}
