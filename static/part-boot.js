// A page's own part of booting, loaded by boot.js for the pages that have one: the workshop
// (`?workshop`, or a shared scene's link) and the import (`?import`). Each has its own styles
// (<name>.css) and its own words, a file of their own (locales/<name>-<lang>.json: [where they
// start in the catalog, how many messages the catalog has, …the texts]) that boot.js puts in
// their place with this hook. Two files of different releases (one of them cached) are refused
// rather than put words in the wrong places.
export default function part(name) {
  const sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = `${name}.css`;
  document.head.append(sheet);
  globalThis.socketlabCatalogPart = (messages, lang) =>
    fetch(`locales/${name}-${lang}.json`)
      .then((r) => {
        if (!r.ok) throw new Error(`its language file (locales/${name}-${lang}.json) did not load (HTTP ${r.status})`);
        return r.json();
      })
      .then(([first, total, ...texts]) => {
        const slots = messages.slice(first, first + texts.length);
        if (messages.length !== total || slots.length !== texts.length || slots.some((m) => m !== "")) {
          throw new Error(`its language files (locales/${lang}.json and locales/${name}-${lang}.json) are of two releases: reload the page`);
        }
        messages.splice(first, texts.length, ...texts);
        return messages;
      });
}
