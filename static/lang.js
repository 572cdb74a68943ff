// The page's language, chosen before the first paint so that the first screen (index.html)
// shows its words: this classic script runs while the page's head is read. The language is the
// one the link asks for (?lang=zh-Hant), else the learner's last choice, else the LMS's (once
// lms.js has read it: boot.js asks again then), else the browser's languages, else English.
// A language asked for in the link is kept as the learner's choice.
(function () {
  var KEY = "socketlab.lang";

  /** Our language for a tag: any Chinese reads the Hong Kong course's Traditional Chinese. */
  function ours(tag) {
    var t = String(tag || "").toLowerCase();
    if (t === "zh" || /^zh[-_]/.test(t) || t.indexOf("chinese") >= 0 || t.indexOf("中文") >= 0) return "zh-Hant";
    if (t === "en" || /^en[-_]/.test(t) || t.indexOf("english") >= 0) return "en";
    return null;
  }

  function choose() {
    var asked = ours(new URLSearchParams(location.search).get("lang"));
    var kept = null;
    try {
      if (asked) localStorage.setItem(KEY, asked);
      kept = localStorage.getItem(KEY);
    } catch (e) {
      /* no storage: nothing kept */
    }
    var browser = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    var tags = [asked, ours(kept), ours(globalThis.socketlabLmsLanguage)].concat(Array.prototype.map.call(browser, ours));
    for (var i = 0; i < tags.length; i++) if (tags[i]) return tags[i];
    return "en";
  }

  globalThis.socketlabChooseLanguage = choose;
  document.documentElement.lang = choose();
  // A learner with progress kept here: the first screen cannot know it (every lesson reads "Not
  // started" there), so its lessons' states stay blank until the app draws them.
  try {
    if (localStorage.getItem("socketlab.progress.v1")) document.documentElement.classList.add("kept");
  } catch (e) {
    /* no storage: no progress */
  }
})();
