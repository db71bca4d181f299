// Doithoai service worker, generated per deployment by the server
// (server/src/assets.rs fills the version and file lists).
// Pages: network first with a short timeout, then the cached shell.
// Hashed bundle files: cache first. API calls: never cached. LATER files
// (the full bundle, which the print view runs on, and the print view's
// fonts) are not precached, to keep the first visit small: a page load
// while online fetches what is missing of them.
// The minutes' text lives in localStorage and is never touched here. The
// photos and audio notes attached to minutes live in IndexedDB: the page
// keeps them, this worker sends them (below), so an upload runs whatever
// page is open, never holds up the text sync, and survives the page.
const VERSION = "__VERSION__";
const CACHE = `doithoai-${VERSION}`;
const PAGES = __PAGES__;
const FILES = __FILES__;
const LATER = __LATER__;
const NETWORK_TIMEOUT_MS = 3000;
const FILES_DB = "__FILES_DB__";
const FILES_STORE = "__FILES_STORE__";
const CHUNK = __CHUNK__;
const KEEP_SENT_MS = __KEEP_SENT_MS__;

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
    event.waitUntil(keepLater().then(sendFiles));
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

// Attachments: a page asks after keeping a file ("attachments"), Chrome's
// background sync when the network is back, and every page load.
self.addEventListener("message", (event) => {
  if (event.data === "attachments") event.waitUntil(sendFiles());
});

self.addEventListener("sync", (event) => {
  if (event.tag === "attachments") {
    event.waitUntil(sendFiles().then((left) => { if (left) throw new Error("files wait"); }));
  }
});

let sending = null;

// One upload loop at a time; resolves to whether files still wait.
function sendFiles() {
  sending ||= sendWaiting().finally(() => { sending = null; });
  return sending;
}

async function sendWaiting() {
  const db = await openFiles();
  if (!db) return false;
  let settled = 0;
  try {
    const all = await stored(db);
    await forget(db, all.filter((f) => f.state === "sent" && f.sent_at < Date.now() - KEEP_SENT_MS));
    const files = all.filter((f) => f.state === "waiting");
    if (!files.length) return false;
    // Only the logged-in user's files: a shared tablet's other users'
    // wait for them.
    const me = await fetch("/api/me").then((r) => (r.ok ? r.json() : null), () => null);
    if (!me) return true;
    let left = false;
    for (const file of files.filter((f) => f.user === me.id)) {
      const verdict = await send(file);
      if (verdict === "later") return true;
      if (verdict === "waiting") left = true;
      else {
        await settle(db, file.id, verdict);
        settled += 1;
      }
    }
    return left;
  } finally {
    db.close();
    if (settled) await tell();
  }
}

// Sends one file from where the server stands: "later" (no network, the
// server failing: stop for now), "waiting" (its minutes are not on the
// server yet), or the verdict to keep: `{state: "sent"}` or
// `{state: "refused", message, message_en}`.
async function send(file) {
  const declared = await put(`/api/attachments/${file.id}`, "application/json", JSON.stringify({
    dialogue_id: file.dialogue_id, kind: file.kind, media_type: file.media_type,
    size: file.size, sha256: file.sha256,
  }));
  if (declared.later) return "later";
  if (declared.status === 404) return "waiting";
  if (declared.refused) return declared.refused;
  let at = declared.body;
  while (!at.complete) {
    if (typeof at.received !== "number") return "later";
    const end = Math.min(at.received + CHUNK, file.size);
    const sent = await put(`/api/attachments/${file.id}/bytes?offset=${at.received}`,
      "application/octet-stream", file.blob.slice(at.received, end));
    if (sent.later) return "later";
    // 409: the server holds other bytes than thought; resume from there.
    if (sent.status === 409 && sent.body.current) at = sent.body.current;
    else if (sent.refused) return sent.refused;
    else at = sent.body;
  }
  return { state: "sent", sent_at: Date.now() };
}

async function put(path, type, body) {
  let response;
  try {
    response = await fetch(path, { method: "PUT", headers: { "Content-Type": type }, body });
  } catch (_) {
    return { later: true };
  }
  const answer = await response.json().catch(() => ({}));
  const status = response.status;
  if (response.ok) return { status, body: answer };
  if (status >= 500 || status === 401 || status === 429) return { later: true };
  if (status === 404) return { status };
  // Any other refusal is the file's verdict; a 409 on a chunk also says
  // where the server stands (`current`), to resume from there.
  const error = answer.error || {};
  return {
    status, body: answer,
    refused: { state: "refused", message: error.message, message_en: error.message_en },
  };
}

// The device's files, or nothing if no page has kept one yet (the open
// is aborted rather than create a database without its store).
function openFiles() {
  return new Promise((resolve) => {
    const open = indexedDB.open(FILES_DB, 1);
    open.onupgradeneeded = () => open.transaction.abort();
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
  });
}

function stored(db) {
  return new Promise((resolve, reject) => {
    const all = db.transaction(FILES_STORE).objectStore(FILES_STORE).getAll();
    all.onsuccess = () => resolve(all.result);
    all.onerror = () => reject(all.error);
  });
}

function settle(db, id, verdict) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(FILES_STORE, "readwrite");
    const files = tx.objectStore(FILES_STORE);
    const read = files.get(id);
    read.onsuccess = () => { if (read.result) files.put({ ...read.result, ...verdict }); };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}

// Files the server has had for a while leave the tablet's storage.
function forget(db, files) {
  if (!files.length) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(FILES_STORE, "readwrite");
    for (const file of files) tx.objectStore(FILES_STORE).delete(file.id);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}

// The open pages show the new states.
async function tell() {
  for (const client of await self.clients.matchAll()) client.postMessage("attachments");
}
