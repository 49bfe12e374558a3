{% autoescape off %}// The portal's service worker (served at /sw.js by smarthp/pwa.py, which fills in the values below).
//
// What it does, and why no more:
// - Pages (navigations) always come from the network: a signed-in citizen's reports, dossiers and
//   notices must never be shown stale. Only when the network fails is the offline page shown.
// - Static files whose names carry a content hash (/static/css/site.3f2a….css) never change: they
//   are served from the cache first. Static files without a hash (a development server) are
//   fetched first and the cached copy is used only offline.
// - Nothing else is touched: POSTs, /api/, /tai-khoan/, /can-bo/, photos and every fetch a page
//   makes go to the network as if there were no worker, and none of them is ever stored.
// - Push messages (Web Push) are shown as notifications; a tap opens the notice's page.
"use strict";

const VERSION = "{{ version }}";
const CACHE = "smarthp-" + VERSION;
const PRECACHE = {{ precache_json }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_PREFIX = {{ static_prefix }};
const ICON_URL = {{ icon_url }};
// ManifestStaticFilesStorage names: "name.0123456789ab.ext".
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache, so the copies kept are the ones this deploy serves.
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // Files of earlier deploys are dropped; clients.claim() lets the first page use the worker at once.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("smarthp-") && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function offlinePage() {
  return caches.match(OFFLINE_URL).then((cached) => cached || new Response("", { status: 503 }));
}

function fromNetworkOrOffline(request) {
  // Never stored: the answer is the network's or, only when there is none, the offline page.
  return fetch(request).catch(offlinePage);
}

function cacheFirst(request) {
  return caches.match(request).then((cached) => cached || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

function networkFirst(request) {
  return fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request).then((cached) => cached || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrOffline(request));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
  }
  // Anything else: no respondWith, the browser fetches it itself.
});

self.addEventListener("push", (event) => {
  // The server (notices.push) sends {"title", "body", "url"}; a message that is not JSON is shown as text.
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data.text() };
  }
  event.waitUntil(self.registration.showNotification(data.title || "", {
    body: data.body || "",
    icon: ICON_URL,
    badge: ICON_URL,
    lang: data.lang || "vi",
    tag: data.tag || undefined,
    data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only a page of the portal is opened, whatever the message said.
  const target = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  const url = target.origin === self.location.origin ? target.href : self.location.origin + "/";
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((client) => client.url === url);
    return open ? open.focus() : self.clients.openWindow(url);
  }));
});
{% endautoescape %}