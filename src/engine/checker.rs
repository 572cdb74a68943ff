//! Reading a parsed data file (a scenario, a lesson) and collecting every problem in it at
//! once, each with its path (`hosts[1].ip`) and a sentence. A reader declares each field's
//! kind, presence and range ([`Field`]); the checks here are the same for every file.

use std::fmt;

use toml::{Table, Value};

/// One thing wrong with a data file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where: `hosts[1].ip`, or empty for the file as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// What a field's value is, as a file writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text in quotes, not blank.
    Text,
    /// A number (whole or not).
    Number,
    /// A whole number.
    Whole,
    /// true or false.
    Bool,
    /// Two host names in a list.
    Pair,
}

/// One field of a section, as `format.rs` declares it.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    /// Whether every entry must give it (some optional fields are required by the checks
    /// that follow, such as a listen action's port).
    pub required: bool,
    /// A number's least and most values, with the unit messages name.
    pub range: Option<(f64, f64, &'static str)>,
}

/// Walks a parsed file and collects every problem.
pub(crate) struct Checker {
    pub problems: Vec<Problem>,
    /// What is being read ("scenario", "lesson"), for messages.
    what: &'static str,
}

impl Checker {
    pub fn new(what: &'static str) -> Checker {
        Checker {
            problems: Vec::new(),
            what,
        }
    }

    pub fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    pub fn table<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Table> {
        match value {
            Value::Table(t) => Some(t),
            other => {
                self.problem(
                    path,
                    format!("must be a table of fields, not {}", kind(other)),
                );
                None
            }
        }
    }

    /// One field as `format.rs` declares it: there if required, of its kind, in its range.
    /// True if it is there and good.
    pub fn field(&mut self, t: &Table, path: &str, f: &Field) -> bool {
        let (lo, hi, unit) = f.range.unwrap_or((f64::MIN, f64::MAX, ""));
        match f.kind {
            Kind::Text => self.string(t, path, f.key, f.required).is_some(),
            Kind::Number => self
                .number(t, path, f.key, f.required, (lo, hi), unit)
                .is_some(),
            Kind::Whole => {
                let (lo, hi) = (
                    lo.max(i64::MIN as f64) as i64,
                    hi.min(i64::MAX as f64) as i64,
                );
                self.integer(t, path, f.key, f.required, lo, hi).is_some()
            }
            Kind::Bool => match t.get(f.key) {
                Some(Value::Boolean(_)) => true,
                Some(other) => {
                    self.problem(
                        &join(path, f.key),
                        format!("must be true or false, not {}", kind(other)),
                    );
                    false
                }
                None => self.missing(path, f),
            },
            Kind::Pair => match self.pair(t, path, f.key) {
                Some(_) => true,
                None if t.contains_key(f.key) => false,
                None => self.missing(path, f),
            },
        }
    }

    /// A name that must be one of those `is_known` accepts; `say` tells which they are.
    pub fn known(
        &mut self,
        path: String,
        value: &Option<String>,
        is_known: impl Fn(&str) -> bool,
        say: impl FnOnce(&str) -> String,
    ) {
        if let Some(v) = value.as_deref().filter(|v| !is_known(v)) {
            self.problem(&path, say(v));
        }
    }

    /// A field that is not there: a problem if it must be. Always false (not there).
    pub fn missing(&mut self, path: &str, f: &Field) -> bool {
        if f.required {
            self.problem(path, format!("\"{}\" is missing", f.key));
        }
        false
    }

    pub fn fields(&mut self, t: &Table, path: &str, allowed: &[&str]) {
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                let known = allowed
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.problem(
                    &join(path, key),
                    format!("unknown field; the fields here are {known}"),
                );
            }
        }
    }

    pub fn string<'v>(
        &mut self,
        t: &'v Table,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v str> {
        match t.get(key) {
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.problem(&join(path, key), "must not be empty");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be text in quotes, not {}", kind(other)),
                );
                None
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                None
            }
            None => None,
        }
    }

    pub fn number(
        &mut self,
        t: &Table,
        path: &str,
        key: &str,
        required: bool,
        range: (f64, f64),
        unit: &str,
    ) -> Option<f64> {
        let (min, max) = range;
        let n = match t.get(key) {
            Some(Value::Integer(i)) => *i as f64,
            Some(Value::Float(f)) if f.is_finite() => *f,
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a number, not {}", kind(other)),
                );
                return None;
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                return None;
            }
            None => return None,
        };
        if n < min || n > max {
            self.problem(
                &join(path, key),
                format!("{n} is out of range: it must be from {min} to {max}{unit}"),
            );
            return None;
        }
        Some(n)
    }

    pub fn integer(
        &mut self,
        t: &Table,
        path: &str,
        key: &str,
        required: bool,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        match t.get(key) {
            Some(Value::Integer(i)) if (min..=max).contains(i) => Some(*i),
            Some(Value::Integer(i)) => {
                self.problem(
                    &join(path, key),
                    format!("{i} is out of range: it must be from {min} to {max}"),
                );
                None
            }
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a whole number, not {}", kind(other)),
                );
                None
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                None
            }
            None => None,
        }
    }

    /// A list of tables; at most `most` of it is read (more is a problem).
    pub fn array<'v>(
        &mut self,
        t: &'v Table,
        path: &str,
        key: &str,
        required: bool,
        most: usize,
    ) -> &'v [Value] {
        match t.get(key) {
            Some(Value::Array(a)) if a.len() > most => {
                self.problem(
                    &join(path, key),
                    format!(
                        "{} entries are more than a {} may have (at most {most})",
                        a.len(),
                        self.what
                    ),
                );
                &a[..most]
            }
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be a list ([[{key}]] sections), not {}", kind(other)),
                );
                &[]
            }
            None if required => {
                self.problem(path, format!("\"{key}\" is missing"));
                &[]
            }
            None => &[],
        }
    }

    pub fn pair<'v>(&mut self, t: &'v Table, path: &str, key: &str) -> Option<(&'v str, &'v str)> {
        match t.get(key) {
            Some(Value::Array(a)) => match a.as_slice() {
                [Value::String(x), Value::String(y)] => Some((x, y)),
                _ => {
                    self.problem(
                        &join(path, key),
                        "must be two host names, like [\"Client PC\", \"Server\"]",
                    );
                    None
                }
            },
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format!("must be two host names in a list, not {}", kind(other)),
                );
                None
            }
            None => None,
        }
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}
