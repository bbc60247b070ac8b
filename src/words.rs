//! Wire words: each enum that SparkRTC or this project writes as a word in
//! JSON (`camera`, `CAMERASTREAM`, `nine_grids_view`, …) is declared once with
//! [`wire_words!`], which gives it its table of names, `FromStr` (used by the
//! JSON reader), `Display`, and (with `serde`) the serialization of layouts.

/// An enum whose variants are written as words. Implemented by
/// [`wire_words!`].
pub(crate) trait Word: Copy + 'static {
    /// Every variant with its word, in declaration order.
    const NAMES: &'static [(&'static str, Self)];
    /// The words alone, for error messages.
    const WORDS: &'static [&'static str];

    /// The variant written as `word`.
    fn from_word(word: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(name, _)| *name == word)
            .map(|&(_, v)| v)
    }
}

/// Declares an enum of wire words: the enum, its [`Word`] table and, with
/// `serde`, a `Serialize` that writes the word.
macro_rules! wire_words {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::words::Word for $name {
            const NAMES: &'static [(&'static str, Self)] = &[$(($word, $name::$variant)),+];
            const WORDS: &'static [&'static str] = &[$($word),+];
        }

        impl $name {
            /// The word that stands for this value in JSON.
            pub const fn word(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Problem;

            /// The value written as this word; any other word is
            /// [`Problem::NotOneOf`]($crate::error::Problem::NotOneOf).
            fn from_str(word: &str) -> Result<Self, Self::Err> {
                <Self as $crate::words::Word>::from_word(word).ok_or_else(|| {
                    $crate::error::Problem::NotOneOf {
                        value: word.to_owned(),
                        expected: <Self as $crate::words::Word>::WORDS,
                    }
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.word())
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.word())
            }
        }
    };
}

pub(crate) use wire_words;
