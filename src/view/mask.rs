//! Predict, then reveal: what a question asks stays unsaid on screen until the learner has
//! answered. A *secret* is a word of the answer (a port such as `10378`, a state such as
//! `TIME-WAIT`); wherever the view would show it as a word of its own (a packet's label, a
//! program's ports, a table's cell, a callout), it shows `?` instead. The lesson lint uses the
//! same rule to refuse a step text that says an answer early.

/// Whether the `len` bytes of `text` at `at` stand as a word of their own: not part of a longer
/// number, name or address. A dot belongs to a word only between digits ("192.168.1.80" is one
/// word; the full stop after "port 80." is not part of it). The answers are ports and state
/// names, in ASCII: a letter of another script beside one ("27017埠") does not join it.
fn stands_alone(text: &str, at: usize, len: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let before: Vec<char> = text[..at].chars().rev().take(2).collect();
    let after: Vec<char> = text[at + len..].chars().take(2).collect();
    let dotted = |near: Option<&char>, beyond: Option<&char>| {
        near == Some(&'.') && beyond.is_some_and(char::is_ascii_digit)
    };
    !(before.first().is_some_and(|c| word(*c))
        || after.first().is_some_and(|c| word(*c))
        || dotted(before.first(), before.get(1))
        || dotted(after.first(), after.get(1)))
}

/// Whether `text` says `word` as a word of its own: "80" in "port 80" or ":80", not in "8099".
pub fn says(text: &str, word: &str) -> bool {
    !word.is_empty()
        && text
            .match_indices(word)
            .any(|(i, _)| stands_alone(text, i, word.len()))
}

/// `text` with every secret it says as a word of its own shown as `?`.
#[inline(never)]
pub fn mask(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut i = 0;
        while let Some(found) = out[i..].find(secret.as_str()) {
            let at = i + found;
            if stands_alone(&out, at, secret.len()) {
                out.replace_range(at..at + secret.len(), "?");
                i = at + 1;
            } else {
                i = at + secret.len();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_masked_where_it_stands_alone_and_nowhere_else() {
        let s = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(mask("A 10378→80 SYN", &s(&["10378"])), "A ?→80 SYN");
        assert_eq!(mask("web browser :10378", &s(&["10378"])), "web browser :?");
        assert_eq!(
            mask("192.168.1.101:10378", &s(&["10378"])),
            "192.168.1.101:?"
        );
        assert_eq!(mask("8099 and 80.", &s(&["80"])), "8099 and ?.");
        assert_eq!(mask("192.168.1.80:8080", &s(&["80"])), "192.168.1.80:8080");
        assert_eq!(
            mask("closing socket (TIME-WAIT)", &s(&["TIME-WAIT"])),
            "closing socket (?)"
        );
        assert_eq!(mask("FIN-WAIT-1", &s(&["WAIT"])), "FIN-WAIT-1");
        assert!(says("binds it to port `80`.", "80"));
        assert!(!says("port 8099", "80"));
        assert!(!says("Socket 20", "Socket 2"));
    }
}
