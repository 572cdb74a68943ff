// The offline copy of Socket Lab: a service worker that keeps every file of one release of the
// site and answers from it, so that after one visit the app, every lesson and every scene work
// without a network. scripts/postbuild.mjs writes the release's VERSION and FILES below; a
// development build keeps them empty, and the worker then keeps nothing.
//
// A release is one cache ("socketlab-" + VERSION), filled in full before it is used. A new
// release installs beside the old one and waits until no page uses the old one (no
// skipWaiting), so a page never mixes files of two releases; the next visit gets the new release,
// and boot.js says so in one line.
"use strict";

const VERSION = "dev";
const FILES = [];
const CACHE = "socketlab-" + VERSION;

self.addEventListener("install", (event) => {
  if (FILES.length) event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./", ...FILES])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("socketlab-") && k !== CACHE).map((k) => caches.delete(k)))),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!FILES.length || request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  // Every page of the site (any ?lesson=…, ?scene=…) is the one index.html.
  const key = request.mode === "navigate" ? new URL("./", location.href).href : request;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: true }))
      .then((hit) => hit || fetch(request)),
  );
});

// boot.js asks which release answers, to tell the learner when it changed.
self.addEventListener("message", (event) => {
  if (event.data === "version" && event.source) event.source.postMessage({ version: VERSION });
});
