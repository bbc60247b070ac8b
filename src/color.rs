//! Colours of the job (`#RRGGBB`, SPEC §1) and the flat colour that stands in
//! for a user's picture when the preview has none.

use std::fmt;

/// An 8-bit sRGB colour.
///
/// ```
/// use mixlayout::Rgb;
/// let c = Rgb::parse("#22AAff").unwrap();
/// assert_eq!(c, Rgb([0x22, 0xaa, 0xff]));
/// assert_eq!(c.to_string(), "#22aaff");
/// assert!(Rgb::parse("22aaff").is_none());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Black, the default background colour.
    pub const BLACK: Rgb = Rgb([0, 0, 0]);
    /// `#303030`, the default placeholder colour.
    pub const PLACEHOLDER: Rgb = Rgb([0x30, 0x30, 0x30]);

    /// Parses `#RRGGBB` in any case; anything else is `None`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// A colour that stands for `user_id` when no picture of the user is at
    /// hand: FNV-1a of the id's bytes picks a hue, shown at a fixed mid
    /// saturation and lightness so that a light label box and dark text both
    /// stay readable. The same id always gives the same colour.
    ///
    /// ```
    /// use mixlayout::Rgb;
    /// assert_eq!(Rgb::for_user("u1"), Rgb::for_user("u1"));
    /// assert_ne!(Rgb::for_user("u1"), Rgb::for_user("u2"));
    /// ```
    pub fn for_user(user_id: &str) -> Rgb {
        let mut hash: u32 = 0x811c_9dc5;
        for b in user_id.bytes() {
            hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        hsl_to_rgb((hash % 360) as f32, 0.55, 0.45)
    }
}

fn hsl_to_rgb(hue: f32, saturation: f32, lightness: f32) -> Rgb {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let to8 = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to8(r), to8(g), to8(b)])
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "#",
            "#12345",
            "#1234567",
            "#12345g",
            "123456",
            "#+12345",
            "#１２３",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn user_colours_are_mid_tones() {
        for id in ["u1", "alice", "x", "a-much-longer-user-id"] {
            let Rgb([r, g, b]) = Rgb::for_user(id);
            let max = r.max(g).max(b);
            assert!((100..=190).contains(&max), "{id}: {r} {g} {b}");
        }
    }
}
