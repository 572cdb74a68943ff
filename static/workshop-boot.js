// The workshop's part of booting, loaded by boot.js for the workshop's page only (`?workshop`,
// or a shared scene's link): its styles, and its own words, which are a file of their own
// (locales/workshop-<lang>.json: [where they start in the catalog, how many messages the
// catalog has, …the texts]) that boot.js puts in their place with this hook. Two files of
// different releases (one of them cached) are refused rather than put words in the wrong places.
const sheet = document.createElement("link");
sheet.rel = "stylesheet";
sheet.href = "workshop.css";
document.head.append(sheet);

globalThis.socketlabCatalogPart = (messages, lang) =>
  fetch(`locales/workshop-${lang}.json`)
    .then((r) => {
      if (!r.ok) throw new Error(`its language file (locales/workshop-${lang}.json) did not load (HTTP ${r.status})`);
      return r.json();
    })
    .then(([first, total, ...texts]) => {
      const slots = messages.slice(first, first + texts.length);
      if (messages.length !== total || slots.length !== texts.length || slots.some((m) => m !== "")) {
        throw new Error(`its language files (locales/${lang}.json and locales/workshop-${lang}.json) are of two releases: reload the page`);
      }
      messages.splice(first, texts.length, ...texts);
      return messages;
    });
