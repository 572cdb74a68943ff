//! The course as a SCORM 1.2 package's manifest (`imsmanifest.xml`): one SCO per lesson, so an
//! LMS gradebook shows each lesson with its own status and score, and one asset resource that
//! lists every file of the site.
//!
//! Each SCO launches the site at its lesson (`index.html?lesson=ID&lms=scorm12`); the page then
//! talks to the LMS through the SCORM 1.2 API it finds in a parent window. The manifest is
//! written by `socketlab-cli scorm-manifest DIR` (see `scripts/package.sh`).

use std::fmt::Write as _;

use super::Lesson;

/// The course's name, as the package's metadata and its organization give it.
pub const COURSE_TITLE: &str = "Socket Lab: TCP ports and sockets (COMPS381F)";

/// The share of a lesson's questions a learner must answer on their own (without the solution)
/// for the LMS to record it as passed rather than failed: half, so one of a lesson's two.
pub const MASTERY_PERCENT: u32 = 50;

/// The address a SCO opens: the lesson, the LMS bridge (`lms=scorm12`, static/lms.js), and how
/// many questions the lesson asks, from which the bridge reports the score.
pub fn launch(lesson: &Lesson) -> String {
    format!(
        "index.html?lesson={}&lms=scorm12&questions={}",
        lesson.id,
        lesson.asked()
    )
}

/// The manifest for `lessons`, listing `files` (the site's files, paths relative to the
/// package root with `/` separators) as the shared asset resource. The manifest itself is not
/// one of the files it lists.
pub fn manifest(lessons: &[Lesson], files: &[String]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="socketlab-comps381f" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
"#,
    );
    let _ = writeln!(
        out,
        "        <imsmd:title><imsmd:langstring xml:lang=\"en\">{}</imsmd:langstring></imsmd:title>",
        xml(COURSE_TITLE)
    );
    out.push_str(
        "        <imsmd:description><imsmd:langstring xml:lang=\"en\">TCP ports and sockets, \
         shown: lessons played on a real TCP/IP stack, with questions checked against the \
         simulation.</imsmd:langstring></imsmd:description>\n      </imsmd:general>\n    \
         </imsmd:lom>\n  </metadata>\n",
    );
    let _ = writeln!(
        out,
        "  <organizations default=\"course\">\n    <organization identifier=\"course\">\n      <title>{}</title>",
        xml(COURSE_TITLE)
    );
    for (n, lesson) in lessons.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <item identifier=\"item-{id}\" identifierref=\"sco-{id}\" isvisible=\"true\">\n        <title>{n}. {title}</title>\n        <adlcp:masteryscore>{MASTERY_PERCENT}</adlcp:masteryscore>\n      </item>",
            id = lesson.id,
            n = n + 1,
            title = xml(lesson.title.get("en")),
        );
    }
    out.push_str("    </organization>\n  </organizations>\n  <resources>\n");
    for lesson in lessons {
        let _ = writeln!(
            out,
            "    <resource identifier=\"sco-{id}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{href}\">\n      <file href=\"index.html\"/>\n      <dependency identifierref=\"site\"/>\n    </resource>",
            id = lesson.id,
            href = xml(&launch(lesson)),
        );
    }
    out.push_str(
        "    <resource identifier=\"site\" type=\"webcontent\" adlcp:scormtype=\"asset\">\n",
    );
    for file in files {
        let _ = writeln!(out, "      <file href=\"{}\"/>", xml(file));
    }
    out.push_str("    </resource>\n  </resources>\n</manifest>\n");
    out
}

/// `text` with XML's five special characters escaped, for an attribute or element (of XML or
/// HTML: the app's embed snippet uses it too).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
