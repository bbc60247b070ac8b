//! The built-in 8x8 bitmap font (`font8x8`, public domain): the same text
//! gives the same pixels on every machine, with no system font.

use font8x8::legacy::{BASIC_LEGACY, LATIN_LEGACY};

/// The glyph of `c`, a byte a row, bit 0 the leftmost pixel; characters
/// the font lacks become `?`.
pub(crate) fn glyph(c: char) -> [u8; 8] {
    let code = c as usize;
    match code {
        0x20..=0x7e => BASIC_LEGACY[code],
        0xa1..=0xff => LATIN_LEGACY[code - 0xa0],
        _ => BASIC_LEGACY[usize::from(b'?')],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyphs_are_question_marks() {
        assert_eq!(glyph('€'), glyph('?'));
        assert_ne!(glyph('é'), glyph('?'));
        assert_ne!(glyph('A'), glyph('?'));
    }
}
