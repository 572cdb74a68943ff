//! Reading a parsed data file (a scenario, a lesson) and collecting every problem in it at
//! once, each with its path (`hosts[1].ip`) and a sentence. A reader declares each field's
//! kind, presence and range ([`Field`]); the checks here are the same for every file.

use toml::{Table, Value};

use crate::i18n::Msg;

/// One thing wrong with a data file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where: `hosts[1].ip`, or empty for the file as a whole.
    pub path: String,
    pub said: Said,
}

/// What is wrong. A scenario file's problems name messages of the catalogs, with their values
/// (the engine names them; the catalogs say them: `Problem::message`),
/// so that the workshop says them in the learner's language and `socketlab-cli check` in English,
/// the same sentence (`workshop.problem.*`); a lesson file's, which only the course's authors
/// read (the CLI, the tests), are English sentences.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Said {
    Message(Msg, Vec<(String, Arg)>),
    /// For a lesson file's author, in English.
    Author(String),
}

/// A message's value: as it is (a name, a number), or a word from the catalog (a kind of
/// value: "a number").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    Text(String),
    Word(Msg),
    /// A place in the file, as a path (`hosts[0]`): an editor may say it its own way.
    Place(String),
}

impl From<&str> for Said {
    fn from(s: &str) -> Said {
        Said::Author(s.to_string())
    }
}

impl From<String> for Said {
    fn from(s: String) -> Said {
        Said::Author(s)
    }
}

/// A message with its values, as a problem says it: `said(Msg::X, &[("name", text(name))])`.
pub fn said(msg: Msg, args: &[(&str, Arg)]) -> Said {
    Said::Message(
        msg,
        args.iter()
            .map(|(n, a)| (n.to_string(), a.clone()))
            .collect(),
    )
}

/// A value as it is.
pub fn text(v: impl ToString) -> Arg {
    Arg::Text(v.to_string())
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
    /// What is being read (a scenario, a lesson), for messages.
    what: Msg,
}

impl Checker {
    pub fn new(what: Msg) -> Checker {
        Checker {
            problems: Vec::new(),
            what,
        }
    }

    pub fn problem(&mut self, path: &str, said: impl Into<Said>) {
        self.problems.push(Problem {
            path: path.to_string(),
            said: said.into(),
        });
    }

    /// A problem said by a message of the catalogs.
    pub fn say(&mut self, path: &str, msg: Msg, args: &[(&str, Arg)]) {
        self.problem(path, said(msg, args));
    }

    pub fn table<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Table> {
        match value {
            Value::Table(t) => Some(t),
            other => {
                self.say(path, Msg::WorkshopProblemNotTable, &[("kind", kind(other))]);
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
                    self.say(
                        &join(path, f.key),
                        Msg::WorkshopProblemNotBool,
                        &[("kind", kind(other))],
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
        say: impl FnOnce(&str) -> Said,
    ) {
        if let Some(v) = value.as_deref().filter(|v| !is_known(v)) {
            let said = say(v);
            self.problem(&path, said);
        }
    }

    /// A field that is not there: a problem if it must be. Always false (not there).
    pub fn missing(&mut self, path: &str, f: &Field) -> bool {
        if f.required {
            self.missing_key(path, f.key);
        }
        false
    }

    /// A field that must be there is not.
    pub fn missing_key(&mut self, path: &str, key: &str) {
        self.say(path, Msg::WorkshopProblemMissing, &[("key", text(key))]);
    }

    pub fn fields(&mut self, t: &Table, path: &str, allowed: &[&str]) {
        for key in t.keys() {
            if !allowed.contains(&key.as_str()) {
                let known = allowed
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemUnknownField,
                    &[("known", text(known))],
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
                self.say(&join(path, key), Msg::WorkshopProblemEmpty, &[]);
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemNotText,
                    &[("kind", kind(other))],
                );
                None
            }
            None if required => {
                self.missing_key(path, key);
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
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemNotNumber,
                    &[("kind", kind(other))],
                );
                return None;
            }
            None if required => {
                self.missing_key(path, key);
                return None;
            }
            None => return None,
        };
        if n < min || n > max {
            let unit = match unit {
                " ms" => Arg::Word(Msg::WorkshopProblemUnitMs),
                other => text(other),
            };
            self.say(
                &join(path, key),
                Msg::WorkshopProblemOutOfRange,
                &[
                    ("n", text(n)),
                    ("min", text(min)),
                    ("max", text(max)),
                    ("unit", unit),
                ],
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
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemOutOfRange,
                    &[
                        ("n", text(i)),
                        ("min", text(min)),
                        ("max", text(max)),
                        ("unit", text("")),
                    ],
                );
                None
            }
            Some(other) => {
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemNotWhole,
                    &[("kind", kind(other))],
                );
                None
            }
            None if required => {
                self.missing_key(path, key);
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
                let what = Arg::Word(self.what);
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemTooMany,
                    &[
                        ("count", text(a.len())),
                        ("what", what),
                        ("most", text(most)),
                    ],
                );
                &a[..most]
            }
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemNotList,
                    &[("key", text(key)), ("kind", kind(other))],
                );
                &[]
            }
            None if required => {
                self.missing_key(path, key);
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
                    self.say(&join(path, key), Msg::WorkshopProblemNotPair, &[]);
                    None
                }
            },
            Some(other) => {
                self.say(
                    &join(path, key),
                    Msg::WorkshopProblemPairNotList,
                    &[("kind", kind(other))],
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

/// What kind of value a file gave, as a message's word.
pub(crate) fn kind(v: &Value) -> Arg {
    Arg::Word(match v {
        Value::String(_) => Msg::WorkshopProblemKindText,
        Value::Integer(_) => Msg::WorkshopProblemKindWhole,
        Value::Float(_) => Msg::WorkshopProblemKindNumber,
        Value::Boolean(_) => Msg::WorkshopProblemKindBool,
        Value::Datetime(_) => Msg::WorkshopProblemKindDate,
        Value::Array(_) => Msg::WorkshopProblemKindList,
        Value::Table(_) => Msg::WorkshopProblemKindTable,
    })
}
