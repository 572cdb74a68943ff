// Embedded (`?embed=1&lesson=ID`): one lesson, without the site's header and without the links
// that leave the lesson (app.css, `.embed`), in a frame that sizes itself. Whenever the page's
// height changes, it tells the parent page with the message Canvas, Moodle and Sakai understand:
// {subject: "lti.frameResize", height}. boot.js loads it only for an embedded page.
document.documentElement.classList.add("embed");

if (window.parent !== window) {
  let sent = 0;
  const send = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height > 0 && height !== sent) {
      sent = height;
      window.parent.postMessage({ subject: "lti.frameResize", height }, "*");
    }
  };
  new ResizeObserver(send).observe(document.body);
}
