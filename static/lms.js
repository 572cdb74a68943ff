// The SCORM 1.2 bridge. boot.js loads it, before the app, only when the page was launched from
// the SCORM package (`?lms=scorm12`, see imsmanifest.xml). It finds the LMS's `API` object in a
// parent window, resumes the lesson where the learner stopped (cmi.core.lesson_location, the
// step; cmi.suspend_data, the lesson's progress), and reports every change of the lesson's
// progress: status, score, location and suspend data, then LMSCommit. The app keeps its progress
// in localStorage (socketlab.progress.v1); this file mirrors that lesson's entry to the LMS, so
// the app itself knows nothing of SCORM. Without an LMS it does nothing and says nothing. An
// LMS error is shown in one plain line and never stops the lesson.

const KEY = "socketlab.progress.v1";
const params = new URLSearchParams(location.search);
const lesson = params.get("lesson");
// How many questions the lesson asks: the manifest's launch address says it.
const asked = Number(params.get("questions")) || 0;

/** The SCORM 1.2 API in this window, a parent, or the opener of the top window's chain. */
function findApi() {
  const up = (w) => {
    for (let i = 0; w && i < 20; i++) {
      try {
        if (w.API) return w.API;
      } catch {
        return null; // another origin: the API is never found across origins
      }
      if (w.parent === w) break;
      w = w.parent;
    }
    return null;
  };
  let api = up(window);
  try {
    api = api ?? up(window.top.opener);
  } catch {
    /* no opener we may read */
  }
  return api;
}

const api = lesson ? findApi() : null;
let failed = false;

/** The page's language, with the LMS's counted (lang.js chooses it), is Traditional Chinese.
 * The catalogs are not loaded yet when the bridge first speaks, so its two lines carry their own
 * words. */
const inChinese = () => (globalThis.socketlabChooseLanguage?.() ?? document.documentElement.lang) === "zh-Hant";

/** One plain line for the learner, above the app; the lesson carries on. */
function say(text) {
  const line = document.getElementById("lms-notice");
  if (line) {
    line.textContent = text;
    line.hidden = false;
  }
}

/** Calls the LMS; an error is said once, in words, with its SCORM code. */
function call(name, ...args) {
  let result = "false";
  try {
    result = String(api[name](...args));
  } catch {
    /* a throwing LMS counts as an error below */
  }
  let code = "0";
  try {
    code = String(api.LMSGetLastError());
  } catch {
    code = "101";
  }
  if ((result === "false" || code !== "0") && !failed) {
    failed = true;
    let words = "";
    try {
      words = String(api.LMSGetErrorString(code));
    } catch {
      /* no words from the LMS */
    }
    const what = args[0] ? `${name} ${args[0]}` : name;
    say(
      inChinese()
        ? `課程網站（LMS）未能保存進度：${what} 失敗，錯誤 ${code}${words ? `（${words}）` : ""}。單元仍可繼續，進度保存在這個瀏覽器。`
        : `Your course site (LMS) did not save this lesson's progress: ${what} failed with error ${code}${words ? ` (${words})` : ""}. The lesson still works, and this browser keeps your progress.`,
    );
  }
  return result;
}

const get = (element) => call("LMSGetValue", element);
const set = (element, value) => call("LMSSetValue", element, String(value));

/** SCORM 1.2's CMITimespan, HHHH:MM:SS.SS. */
function timespan(ms) {
  const cs = Math.round(ms / 10);
  const pad = (n, w) => String(n).padStart(w, "0");
  const h = Math.floor(cs / 360000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  return `${pad(Math.min(h, 9999), 4)}:${pad(m, 2)}:${pad(s, 2)}.${pad(cs % 100, 2)}`;
}

/** A lesson's stored progress, if `value` has the form the app writes. */
function lessonProgress(value) {
  const ok = value && typeof value === "object" && Number.isInteger(value.step) && value.questions && typeof value.questions === "object";
  return ok ? value : null;
}

let mastery = null;
let complete = false;

/** A question's credit, in percent, by how it was done (the README's rule; the app's
 * `Outcome::credit` in src/lessons/progress.rs): right the first time 100, after wrong tries 75,
 * with hints 50, with the solution shown 0; not done 0. */
function credit(q) {
  if (!q.done || q.solution_shown) return 0;
  if (q.hints > 0) return 50;
  return q.tries > 1 ? 75 : 100;
}

/** Reports the lesson's progress, as the app just stored it, to the LMS. */
function report(stored) {
  let progress = null;
  try {
    progress = lessonProgress(JSON.parse(stored).lessons[lesson]);
  } catch {
    return;
  }
  if (!progress) return;
  const questions = Object.values(progress.questions);
  const done = questions.filter((q) => q.done).length;
  // A challenge (`LessonProgress::score` and `complete`): its best attempt's score, and passed
  // once an attempt's goals held.
  const challenge = progress.challenge && typeof progress.challenge === "object" ? progress.challenge : null;
  const attempt = asked ? Math.min(100, Math.round(questions.reduce((sum, q) => sum + credit(q), 0) / asked)) : 0;
  const raw = Math.max(attempt, Number(challenge?.best) || 0);
  complete = challenge ? Number(challenge.passed) > 0 : asked > 0 && done >= asked;
  const status = !complete ? "incomplete" : mastery === null ? "completed" : raw >= mastery ? "passed" : "failed";
  const suspend = JSON.stringify(progress);
  set("cmi.core.lesson_location", progress.step + 1);
  if (suspend.length <= 4096) set("cmi.suspend_data", suspend);
  set("cmi.core.score.raw", raw);
  set("cmi.core.lesson_status", status);
  call("LMSCommit", "");
}

/** Puts the LMS's saved progress for this lesson into the browser's store, for the app to read. */
function resume(suspend) {
  let progress = null;
  try {
    progress = lessonProgress(JSON.parse(suspend));
  } catch {
    /* said below */
  }
  if (!progress) {
    say(
      inChinese()
        ? "課程網站（LMS）傳回的進度無法讀取，單元從頭開始。"
        : "Your course site (LMS) returned saved progress this lesson cannot read, so the lesson starts afresh.",
    );
    return;
  }
  try {
    let all = null;
    try {
      all = JSON.parse(localStorage.getItem(KEY));
    } catch {
      /* damaged: replaced below, as the app would */
    }
    if (!all || all.app !== "socketlab" || all.version !== 1 || !all.lessons || typeof all.lessons !== "object") {
      all = { app: "socketlab", version: 1, lessons: {} };
    }
    all.lessons[lesson] = progress;
    setItem.call(localStorage, KEY, JSON.stringify(all));
  } catch {
    /* no storage here: the app keeps progress for this visit only */
  }
}

const setItem = Storage.prototype.setItem;

if (api) {
  const started = Date.now();
  call("LMSInitialize", "");
  const step = get("cmi.core.lesson_location");
  if (/^[1-9][0-9]*$/.test(step) && !params.has("step")) {
    params.set("step", step);
    history.replaceState(history.state, "", `?${params}`);
  }
  const suspend = get("cmi.suspend_data");
  if (suspend) resume(suspend);
  // The learner's language in the LMS, if it keeps one (SCORM 1.2 makes it optional, so an
  // error here is not the learner's business): boot.js prefers it to the browser's languages.
  try {
    const language = String(api.LMSGetValue("cmi.student_preference.language"));
    if (language && String(api.LMSGetLastError()) === "0") globalThis.socketlabLmsLanguage = language;
  } catch {
    /* not kept */
  }
  const score = get("cmi.student_data.mastery_score");
  mastery = score === "" || Number.isNaN(Number(score)) ? null : Number(score);
  const status = get("cmi.core.lesson_status");
  if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
  set("cmi.core.score.min", 0);
  set("cmi.core.score.max", 100);

  // The app saves its progress on every change (a step seen, an answer, a hint): each save is
  // reported and committed.
  Storage.prototype.setItem = function (key, value) {
    setItem.call(this, key, value);
    if (key === KEY) report(value);
    // A language the learner picks goes back to the LMS, where it keeps one (quietly: optional).
    if (key === "socketlab.lang") {
      try {
        api.LMSSetValue("cmi.student_preference.language", String(value));
      } catch {
        /* not kept */
      }
    }
  };

  // Hidden (another tab, the phone locked, the LMS moving on): the session time and exit are
  // saved and committed, since a hidden page may never run again. The session is finished when
  // the page goes away; finishing at every hide would end it for a learner who only switched
  // tabs, and SCORM 1.2 cannot start it again in the same page.
  let finished = false;
  const save = () => {
    set("cmi.core.session_time", timespan(Date.now() - started));
    set("cmi.core.exit", complete ? "" : "suspend");
    call("LMSCommit", "");
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && !finished) save();
  });
  window.addEventListener("pagehide", () => {
    if (finished) return;
    finished = true;
    save();
    call("LMSFinish", "");
  });
}
