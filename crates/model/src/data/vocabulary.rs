//! Closed sets of words a field may take (a deal's kind, a status), each
//! declared once with its file spelling and the format that admits it.

/// A closed set of words a field may take, with their file spelling. The
/// first `FORMAT1` words are format 1's; the rest need `format = 2`.
pub trait Vocabulary: Sized + Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    const FORMAT1: usize;
    fn as_str(self) -> &'static str;
    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == word)
    }
    /// The words a file of this format may use.
    fn words(format: i64) -> &'static [Self] {
        if format == 1 {
            &Self::ALL[..Self::FORMAT1]
        } else {
            Self::ALL
        }
    }
    fn expected() -> String {
        Self::expected_in(2)
    }
    /// `"a", "b", "c"`: the words of this format, for messages.
    fn expected_in(format: i64) -> String {
        Self::words(format)
            .iter()
            .map(|v| format!("\"{}\"", v.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocabulary {
    ($name:ident { $($variant:ident => $word:literal),+ $(,)? }
     $(format2 { $($new:ident => $new_word:literal),+ $(,)? })?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)+ $($($new,)+)? }
        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+ $($($name::$new,)+)?];
            const FORMAT1: usize = [$($word),+].len();
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                    $($($name::$new => $new_word,)+)?
                }
            }
        }
    };
}
pub(crate) use vocabulary;
