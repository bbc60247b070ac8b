//! Reading JSON documents field by field (feature `serde`), for jobs, event
//! lists and media lists alike.
//!
//! Every object is read key by key: an unknown key is an error at the key,
//! before its value is read, so no unknown value is ever held in memory, and
//! a key given twice is an error too. Scalars are read through one visitor
//! that names the JSON type it found, so type errors are typed. The first
//! problem is kept with its field path; serde's own error then only stops
//! the parser.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::{JsonKind, Problem};
use crate::words::Word;

/// Where a value is in its document: a chain of field names and list
/// indices built on the stack, rendered only when an error needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Path<'a> {
    /// The start: a prefix such as `mix_param`, or `""`.
    Root(&'static str),
    /// A field of an object.
    Field(&'a Path<'a>, &'a str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(root) => f.write_str(root),
            Path::Field(parent, name) => {
                if matches!(parent, Path::Root("")) {
                    f.write_str(name)
                } else {
                    write!(f, "{parent}.{name}")
                }
            }
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Where the first problem of a document is kept while serde unwinds.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    failure: RefCell<Option<(String, Problem)>>,
}

impl Sink {
    /// Keeps `problem` at `at` (the first one wins) and returns the error
    /// that stops the parser.
    pub(crate) fn fail<E: de::Error>(&self, at: &Path<'_>, problem: Problem) -> E {
        let mut failure = self.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some((at.to_string(), problem));
        }
        E::custom("stopped")
    }

    /// The problem kept, or the parser's own (syntax) error.
    pub(crate) fn take(&self, error: serde_json::Error) -> (String, Problem) {
        self.failure.borrow_mut().take().unwrap_or_else(|| {
            let problem = Problem::InvalidJson {
                line: error.line(),
                column: error.column(),
            };
            (String::new(), problem)
        })
    }
}

/// Reads a whole document with `seed` and checks that nothing follows it.
pub(crate) fn read_document<'de, S>(
    bytes: &'de [u8],
    seed: S,
    sink: &Sink,
) -> Result<S::Value, (String, Problem)>
where
    S: DeserializeSeed<'de>,
{
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    match seed
        .deserialize(&mut reader)
        .and_then(|v| reader.end().map(|()| v))
    {
        Ok(value) => Ok(value),
        Err(e) => Err(sink.take(e)),
    }
}

/// A scalar as found, or the kind of a compound value (which is not read).
#[derive(Debug)]
pub(crate) enum Scalar<'de> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'de, str>),
    Compound(JsonKind),
}

impl Scalar<'_> {
    fn kind(&self) -> JsonKind {
        match self {
            Scalar::Null => JsonKind::Null,
            Scalar::Bool(_) => JsonKind::Bool,
            Scalar::Int(_) => JsonKind::Integer,
            Scalar::Float(_) => JsonKind::Number,
            Scalar::Str(_) => JsonKind::String,
            Scalar::Compound(kind) => *kind,
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        // Beyond i64 is beyond every range here: saturate, the range check
        // then says it is too large.
        Ok(Scalar::Int(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    // A compound value is not read: the caller reports its kind and stops.
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(Scalar::Compound(JsonKind::List))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(Scalar::Compound(JsonKind::Object))
    }
}

struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// A value that can be read from one JSON scalar.
pub(crate) trait FromScalar<'de>: Sized {
    /// What the field takes, for type errors.
    const KIND: JsonKind;
    /// The value, or the problem with it; `None` for a wrong type.
    fn from_scalar(scalar: Scalar<'de>) -> Option<Result<Self, Problem>>;
}

impl<'de> FromScalar<'de> for i64 {
    const KIND: JsonKind = JsonKind::Integer;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        match s {
            Scalar::Int(v) => Some(Ok(v)),
            _ => None,
        }
    }
}

impl<'de> FromScalar<'de> for f64 {
    const KIND: JsonKind = JsonKind::Number;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        match s {
            Scalar::Int(v) => Some(Ok(v as f64)),
            Scalar::Float(v) => Some(Ok(v)),
            _ => None,
        }
    }
}

impl<'de> FromScalar<'de> for bool {
    const KIND: JsonKind = JsonKind::Bool;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        match s {
            Scalar::Bool(v) => Some(Ok(v)),
            _ => None,
        }
    }
}

impl<'de> FromScalar<'de> for Cow<'de, str> {
    const KIND: JsonKind = JsonKind::String;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        match s {
            Scalar::Str(v) => Some(Ok(v)),
            _ => None,
        }
    }
}

impl<'de> FromScalar<'de> for String {
    const KIND: JsonKind = JsonKind::String;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        Cow::from_scalar(s).map(|r| r.map(Cow::into_owned))
    }
}

impl<'de> FromScalar<'de> for crate::color::Rgb {
    const KIND: JsonKind = JsonKind::String;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        Cow::from_scalar(s).map(|r| r.and_then(|t| Self::parse(&t).ok_or(Problem::NotAColor)))
    }
}

/// A wire word, by its table.
pub(crate) struct WordOf<W>(pub(crate) W);

impl<'de, W: Word + std::str::FromStr<Err = Problem>> FromScalar<'de> for WordOf<W> {
    const KIND: JsonKind = JsonKind::String;
    fn from_scalar(s: Scalar<'de>) -> Option<Result<Self, Problem>> {
        Cow::from_scalar(s).map(|r| r.and_then(|t| t.parse().map(WordOf)))
    }
}

/// Converts a scalar read at `at`, keeping a problem in `sink`.
fn convert<'de, T: FromScalar<'de>, E: de::Error>(
    scalar: Scalar<'de>,
    at: &Path<'_>,
    sink: &Sink,
) -> Result<T, E> {
    let found = scalar.kind();
    match T::from_scalar(scalar) {
        Some(Ok(v)) => Ok(v),
        Some(Err(problem)) => Err(sink.fail(at, problem)),
        None => Err(sink.fail(
            at,
            Problem::WrongType {
                expected: T::KIND,
                found,
            },
        )),
    }
}

/// What an object reader gets with each field: the field's path and the
/// sink for problems.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a, 'p> {
    pub(crate) at: &'a Path<'p>,
    pub(crate) sink: &'a Sink,
}

impl Cx<'_, '_> {
    /// Keeps `problem` at this field and returns the error that stops.
    pub(crate) fn fail<E: de::Error>(&self, problem: Problem) -> E {
        self.sink.fail(self.at, problem)
    }

    /// The value of the current field.
    pub(crate) fn value<'de, T: FromScalar<'de>, A: MapAccess<'de>>(
        &self,
        map: &mut A,
    ) -> Result<T, A::Error> {
        let scalar = map.next_value_seed(ScalarSeed)?;
        convert(scalar, self.at, self.sink)
    }

    /// The value of the current field, `None` when it is `null`.
    pub(crate) fn optional<'de, T: FromScalar<'de>, A: MapAccess<'de>>(
        &self,
        map: &mut A,
    ) -> Result<Option<T>, A::Error> {
        match map.next_value_seed(ScalarSeed)? {
            Scalar::Null => Ok(None),
            scalar => convert(scalar, self.at, self.sink).map(Some),
        }
    }

    /// The current field as a nested object.
    pub(crate) fn object<'de, T: Object<'de>, A: MapAccess<'de>>(
        &self,
        map: &mut A,
    ) -> Result<T, A::Error> {
        map.next_value_seed(ObjectSeed::<T>::new(*self))
    }

    /// The current field as a list of objects.
    pub(crate) fn list<'de, T: Object<'de>, A: MapAccess<'de>>(
        &self,
        map: &mut A,
    ) -> Result<Vec<T>, A::Error> {
        map.next_value_seed(ListSeed::<T>::new(*self))
    }
}

/// An object read field by field.
pub(crate) trait Object<'de>: Default {
    /// Its fields, by name; a key not listed is an unknown field.
    const FIELDS: &'static [&'static str];

    /// Reads field `FIELDS[index]`, whose value is next in `map`.
    fn field<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        cx: Cx<'_, '_>,
    ) -> Result<(), A::Error>;
}

/// Reads one `T` where a value is expected.
pub(crate) struct ObjectSeed<'a, 'p, T> {
    cx: Cx<'a, 'p>,
    object: std::marker::PhantomData<T>,
}

impl<'a, 'p, T> ObjectSeed<'a, 'p, T> {
    pub(crate) fn new(cx: Cx<'a, 'p>) -> Self {
        ObjectSeed {
            cx,
            object: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Object<'de>> DeserializeSeed<'de> for ObjectSeed<'_, '_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

/// A key, borrowed from the document where it has no escapes.
struct Key<'de>(Cow<'de, str>);

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// Reports a value of the wrong kind without reading it: the visitor
/// methods of the kinds listed (`bool`, `numbers`, `str`, `unit`, `seq`,
/// `map`), each failing with `expected`.
macro_rules! wrong_kinds {
    ($expected:expr; $($kind:ident),+) => { $( wrong_kinds!(@ $kind, $expected); )+ };
    (@ bool, $e:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Bool }))
        }
    };
    (@ numbers, $e:expr) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Integer }))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Integer }))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Number }))
        }
    };
    (@ str, $e:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::String }))
        }
    };
    (@ unit, $e:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Null }))
        }
    };
    (@ seq, $e:expr) => {
        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::List }))
        }
    };
    (@ map, $e:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.cx.fail(Problem::WrongType { expected: $e, found: JsonKind::Object }))
        }
    };
}
pub(crate) use wrong_kinds;

impl<'de, T: Object<'de>> Visitor<'de> for ObjectSeed<'_, '_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    wrong_kinds!(JsonKind::Object; bool, numbers, str, unit, seq);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        let mut seen: u64 = 0;
        while let Some(Key(key)) = map.next_key_seed(KeySeed)? {
            let at = Path::Field(self.cx.at, &key);
            let Some(index) = T::FIELDS.iter().position(|f| *f == key) else {
                return Err(self.cx.sink.fail(&at, Problem::UnknownField));
            };
            if seen & (1 << index) != 0 {
                return Err(self.cx.sink.fail(&at, Problem::DuplicateKey));
            }
            seen |= 1 << index;
            let cx = Cx {
                at: &at,
                sink: self.cx.sink,
            };
            object.field(index, &mut map, cx)?;
        }
        Ok(object)
    }
}

/// Reads a list of `T`.
pub(crate) struct ListSeed<'a, 'p, T> {
    cx: Cx<'a, 'p>,
    element: std::marker::PhantomData<T>,
}

impl<'a, 'p, T> ListSeed<'a, 'p, T> {
    pub(crate) fn new(cx: Cx<'a, 'p>) -> Self {
        ListSeed {
            cx,
            element: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Object<'de>> DeserializeSeed<'de> for ListSeed<'_, '_, T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Object<'de>> Visitor<'de> for ListSeed<'_, '_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    wrong_kinds!(JsonKind::List; bool, numbers, str, unit, map);

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = Path::Index(self.cx.at, items.len());
            let cx = Cx {
                at: &at,
                sink: self.cx.sink,
            };
            match seq.next_element_seed(ObjectSeed::<T>::new(cx))? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
    }
}

/// Reads the keys of a top-level object only, to learn whether it has
/// `key`; values are skipped without being kept.
pub(crate) struct HasKey<'a> {
    pub(crate) key: &'static str,
    pub(crate) cx: Cx<'a, 'static>,
}

impl<'de> DeserializeSeed<'de> for HasKey<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for HasKey<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(Key(key)) = map.next_key_seed(KeySeed)? {
            found |= key == self.key;
            map.next_value::<IgnoredAny>()?;
        }
        Ok(found)
    }

    wrong_kinds!(JsonKind::Object; bool, numbers, str, unit, seq);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Point {
        x: i64,
        label: Option<String>,
    }

    impl<'de> Object<'de> for Point {
        const FIELDS: &'static [&'static str] = &["x", "label"];
        fn field<A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
            cx: Cx<'_, '_>,
        ) -> Result<(), A::Error> {
            match index {
                0 => self.x = cx.value(map)?,
                _ => self.label = cx.optional(map)?,
            }
            Ok(())
        }
    }

    fn read(text: &str) -> Result<Point, (String, Problem)> {
        let sink = Sink::default();
        let root = Path::Root("p");
        let seed = ObjectSeed::<Point>::new(Cx {
            at: &root,
            sink: &sink,
        });
        read_document(text.as_bytes(), seed, &sink)
    }

    #[test]
    fn fields_types_and_keys() {
        assert_eq!(
            read(r#"{"x": 3, "label": null}"#),
            Ok(Point { x: 3, label: None })
        );
        assert_eq!(
            read(r#"{"x": 3, "y": [1, 2]}"#),
            Err(("p.y".into(), Problem::UnknownField))
        );
        assert_eq!(
            read(r#"{"x": 3, "x": 4}"#),
            Err(("p.x".into(), Problem::DuplicateKey))
        );
        assert_eq!(
            read(r#"{"x": "3"}"#),
            Err((
                "p.x".into(),
                Problem::WrongType {
                    expected: JsonKind::Integer,
                    found: JsonKind::String
                }
            ))
        );
        assert_eq!(
            read(r#"{"x": 2.5}"#),
            Err((
                "p.x".into(),
                Problem::WrongType {
                    expected: JsonKind::Integer,
                    found: JsonKind::Number
                }
            ))
        );
        assert_eq!(
            read(r#"[1]"#),
            Err((
                "p".into(),
                Problem::WrongType {
                    expected: JsonKind::Object,
                    found: JsonKind::List
                }
            ))
        );
        assert_eq!(
            read("{\"x\": 1,}"),
            Err((String::new(), Problem::InvalidJson { line: 1, column: 9 }))
        );
    }

    #[test]
    fn paths_render_like_the_document() {
        let root = Path::Root("mix_param");
        let panes = Path::Field(&root, "layout_panes");
        let pane = Path::Index(&panes, 2);
        assert_eq!(
            Path::Field(&pane, "x").to_string(),
            "mix_param.layout_panes[2].x"
        );
        let bare = Path::Root("");
        assert_eq!(Path::Field(&bare, "width").to_string(), "width");
    }
}
